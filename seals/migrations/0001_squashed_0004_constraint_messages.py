"""seals 0001 to 0004_constraint_messages in one migration, for a new database: the seals' tables.

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay. Their steps that only mend rows an older registry held are left out: a
new database holds none."""

import devolution.models
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('seals', '0001_initial'),
        ('seals', '0002_stamping_by_issuer_and_route'),
        ('seals', '0003_approval_bureau_switch'),
        ('seals', '0004_constraint_messages'),
    ]

    dependencies = [
        ('devolution', '0014_constraint_messages'),
        ('items', '0010_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalApprovalTransfer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('transferred_on', models.DateField(verbose_name='划转日期')),
                ('person', models.CharField(max_length=100, verbose_name='经办人')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('recorded_at', models.DateTimeField(blank=True, editable=False, verbose_name='登记时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'is_approval_bureau': False, 'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '审批权划转历史',
                'verbose_name_plural': 'historical 审批权划转',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSeal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='印章名称')),
                ('kind', models.CharField(choices=[('approval', '行政审批专用章'), ('non_approval', '非审批类事项办理专用章')], max_length=20, verbose_name='印章类别')),
                ('county_wide', models.BooleanField(default=False, help_text='市行政审批局审批专用章：全县统一使用，用于审批权已划转部门的审批事项。', verbose_name='县统一使用')),
                ('status', models.CharField(choices=[('engraved', '已刻制'), ('delivered', '已送达县政府'), ('distributed', '已分送承接部门'), ('enabled', '已启用'), ('sealed_away', '已收回封存')], default='engraved', max_length=20, verbose_name='状态')),
                ('delivery_due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='送达期限')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('holder', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='保管使用部门')),
                ('issuer', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='刻制部门')),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.plan', verbose_name='适用批次')),
            ],
            options={
                'verbose_name': '印章历史',
                'verbose_name_plural': 'historical 专用分章',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Seal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='印章名称')),
                ('kind', models.CharField(choices=[('approval', '行政审批专用章'), ('non_approval', '非审批类事项办理专用章')], max_length=20, verbose_name='印章类别')),
                ('county_wide', models.BooleanField(default=False, help_text='市行政审批局审批专用章：全县统一使用，用于审批权已划转部门的审批事项。', verbose_name='县统一使用')),
                ('status', models.CharField(choices=[('engraved', '已刻制'), ('delivered', '已送达县政府'), ('distributed', '已分送承接部门'), ('enabled', '已启用'), ('sealed_away', '已收回封存')], default='engraved', max_length=20, verbose_name='状态')),
                ('delivery_due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='送达期限')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('holder', models.ForeignKey(blank=True, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seals_held', to='devolution.department', verbose_name='保管使用部门')),
                ('issuer', models.ForeignKey(limit_choices_to={'level': 'city'}, on_delete=django.db.models.deletion.PROTECT, related_name='seals_issued', to='devolution.department', verbose_name='刻制部门')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='devolution.plan', verbose_name='适用批次')),
            ],
            options={
                'verbose_name': '专用分章',
                'verbose_name_plural': '专用分章',
                'ordering': ['plan', 'issuer__sort_order', 'kind', 'id'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSealUsage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('stamped_on', models.DateField(verbose_name='用印日期')),
                ('document_reference', models.CharField(max_length=200, verbose_name='文件/材料编号')),
                ('applicant', models.CharField(max_length=200, verbose_name='申请人')),
                ('stamped_by', models.CharField(max_length=100, verbose_name='盖章人')),
                ('route', models.CharField(choices=[('city', '本市办结（加盖专用分章即视为办结）'), ('province', '报省办结（经市直对口部门直接上报）')], default='city', max_length=10, verbose_name='办结途径')),
                ('forwarded_on', models.DateField(blank=True, null=True, verbose_name='转报日期')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('recorded_at', models.DateTimeField(blank=True, editable=False, verbose_name='登记时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('forwarded_by', models.ForeignKey(blank=True, db_constraint=False, help_text='报省办结时必填：经哪个市直部门直接上报。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='转报的市直对口部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.devolveditem', verbose_name='事项')),
                ('seal', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seals.seal', verbose_name='印章')),
            ],
            options={
                'verbose_name': '用印历史',
                'verbose_name_plural': 'historical 用印登记',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SealCustodyEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('engraved', '已刻制'), ('delivered', '已送达县政府'), ('distributed', '已分送承接部门'), ('enabled', '已启用'), ('sealed_away', '已收回封存')], max_length=20, verbose_name='环节')),
                ('happened_on', models.DateField(verbose_name='日期')),
                ('person', models.CharField(max_length=100, verbose_name='经办人')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('seal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='custody_events', to='seals.seal', verbose_name='印章')),
            ],
            options={
                'verbose_name': '印章流转记录',
                'verbose_name_plural': '印章流转记录',
                'ordering': ['seal', 'happened_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SealUsage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stamped_on', models.DateField(verbose_name='用印日期')),
                ('document_reference', models.CharField(max_length=200, verbose_name='文件/材料编号')),
                ('applicant', models.CharField(max_length=200, verbose_name='申请人')),
                ('stamped_by', models.CharField(max_length=100, verbose_name='盖章人')),
                ('route', models.CharField(choices=[('city', '本市办结（加盖专用分章即视为办结）'), ('province', '报省办结（经市直对口部门直接上报）')], default='city', max_length=10, verbose_name='办结途径')),
                ('forwarded_on', models.DateField(blank=True, null=True, verbose_name='转报日期')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('forwarded_by', models.ForeignKey(blank=True, help_text='报省办结时必填：经哪个市直部门直接上报。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='stamps_forwarded', to='devolution.department', verbose_name='转报的市直对口部门')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seal_usages', to='items.devolveditem', verbose_name='事项')),
                ('seal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='usages', to='seals.seal', verbose_name='印章')),
            ],
            options={
                'verbose_name': '用印登记',
                'verbose_name_plural': '用印登记',
                'ordering': ['-stamped_on', '-id'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='ApprovalTransfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transferred_on', models.DateField(verbose_name='划转日期')),
                ('person', models.CharField(max_length=100, verbose_name='经办人')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('city_department', models.OneToOneField(limit_choices_to={'is_approval_bureau': False, 'level': 'city'}, on_delete=django.db.models.deletion.PROTECT, related_name='approval_transfer', to='devolution.department', verbose_name='市直部门')),
            ],
            options={
                'verbose_name': '审批权划转',
                'verbose_name_plural': '审批权划转',
                'ordering': ['transferred_on', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('person', ''), _negated=True), name='transfer_person_given', violation_error_message='必须填写经办人。')],
            },
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.UniqueConstraint(fields=('plan', 'name'), name='seal_name_unique_in_plan', violation_error_message='本方案中已有同名的印章。'),
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'sealed_away'), _negated=True), fields=('plan', 'issuer', 'holder', 'kind'), name='seal_one_live_per_holder_and_kind', violation_error_message='该部门已持有同一发章部门发放的同类在用印章，请先收回封存旧章。'),
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['approval', 'non_approval'])), name='seal_kind_valid', violation_error_message='印章类别无效。'),
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('county_wide', True), ('holder__isnull', True)), models.Q(('county_wide', False), ('holder__isnull', False)), _connector='OR'), name='seal_county_wide_has_no_holder', violation_error_message='全县通用的印章不填持章部门；其他印章必须填写持章部门。'),
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.UniqueConstraint(condition=models.Q(('county_wide', True), models.Q(('status', 'sealed_away'), _negated=True)), fields=('plan', 'kind'), name='seal_one_live_county_wide', violation_error_message='已有一枚在用的同类全县通用印章，请先收回封存旧章。'),
        ),
        migrations.AddConstraint(
            model_name='seal',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['engraved', 'delivered', 'distributed', 'enabled', 'sealed_away'])), name='seal_status_valid', violation_error_message='印章状态无效。'),
        ),
        migrations.AddConstraint(
            model_name='sealcustodyevent',
            constraint=models.UniqueConstraint(fields=('seal', 'step'), name='custody_step_once_per_seal', violation_error_message='该印章已登记过这一环节。'),
        ),
        migrations.AddConstraint(
            model_name='sealcustodyevent',
            constraint=models.CheckConstraint(condition=models.Q(('step__in', ['engraved', 'delivered', 'distributed', 'enabled', 'sealed_away'])), name='custody_step_valid', violation_error_message='环节无效。'),
        ),
        migrations.AddIndex(
            model_name='sealusage',
            index=models.Index(fields=['seal', 'stamped_on'], name='usage_seal_date_idx'),
        ),
        migrations.AddConstraint(
            model_name='sealusage',
            constraint=models.CheckConstraint(condition=models.Q(('route__in', ['city', 'province'])), name='usage_route_valid', violation_error_message='办结途径只能是本市办结或报省办结。'),
        ),
        migrations.AddConstraint(
            model_name='sealusage',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('document_reference', ''), _negated=True), models.Q(('stamped_by', ''), _negated=True)), name='usage_document_and_stamper_given', violation_error_message='必须填写文件/材料编号和盖章人。'),
        ),
        migrations.AddConstraint(
            model_name='sealusage',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('forwarded_by__isnull', False), ('forwarded_on__isnull', False), ('route', 'province')), models.Q(('forwarded_by__isnull', True), ('forwarded_on__isnull', True), ('route', 'city')), _connector='OR'), name='usage_province_route_forwarded', violation_error_message='报省办结的须填写转报的市直对口部门和转报日期；本市办结的不填。'),
        ),
        migrations.AddConstraint(
            model_name='sealusage',
            constraint=models.CheckConstraint(condition=models.Q(('forwarded_on__isnull', True), ('forwarded_on__gte', models.F('stamped_on')), _connector='OR'), name='usage_forwarded_after_stamped', violation_error_message='转报日期不能早于用印日期。'),
        ),
    ]
