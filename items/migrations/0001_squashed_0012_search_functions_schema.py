"""items 0001 to 0012_search_functions_schema in one migration, for a new database: the lists'
tables, version 1 of the lists (0007's step) and, on PostgreSQL, the keyword search's gram
functions and GIN index (0008's, with the schema named as 0012 names it). Not
0002's pg_trgm extension: no index or query has used it since 0008.

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay. Their steps that only mend rows an older registry held are left out: a
new database holds none."""

from importlib import import_module

import devolution.models
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def seed_first_version(apps, schema_editor):
    import_module("items.migrations.0007_first_list_version").seed_first_version(apps, schema_editor)


def create_search_functions(apps, schema_editor):
    """PostgreSQL only (each step returns on SQLite)."""
    import_module("items.migrations.0008_search_grams").create_search_index(apps, schema_editor)
    import_module("items.migrations.0012_search_functions_schema").name_the_schema(
        apps, schema_editor
    )


def drop_search_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS item_search_grams_idx")
    schema_editor.execute(import_module("items.migrations.0008_search_grams").DROP_FUNCTIONS)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('items', '0001_initial'),
        ('items', '0002_trigram_search_indexes'),
        ('items', '0003_stamping_by_issuer_and_route'),
        ('items', '0004_approval_bureau_switch'),
        ('items', '0005_provincial_systems'),
        ('items', '0006_list_versions'),
        ('items', '0007_first_list_version'),
        ('items', '0008_search_grams'),
        ('items', '0009_listed_from_not_indexed'),
        ('items', '0010_constraint_messages'),
        ('items', '0011_cancelled_list_changes'),
        ('items', '0012_search_functions_schema'),
    ]

    dependencies = [
        ('devolution', '0014_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProvincialSystem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='系统名称')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
            ],
            options={
                'verbose_name': '省级业务系统',
                'verbose_name_plural': '省级业务系统',
                'ordering': ['name'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='Adjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='调整事由')),
                ('reason', models.TextField(blank=True, verbose_name='说明')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待审核'), ('approved', '已审核通过'), ('rejected', '已退回'), ('published', '已公布'), ('withdrawn', '已撤回')], default='draft', editable=False, max_length=20, verbose_name='状态')),
                ('created_at', models.DateTimeField(editable=False, verbose_name='起草时间')),
                ('reviewed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='审核时间')),
                ('created_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='起草人')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='devolution.department', verbose_name='提出部门')),
                ('reviewed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('source_import', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='devolution.importrecord', verbose_name='来源导入')),
            ],
            options={
                'verbose_name': '动态调整',
                'verbose_name_plural': '动态调整',
                'ordering': ['-created_at', '-id'],
                'permissions': [('review_adjustment', '可审核动态调整'), ('publish_adjustment', '可公布动态调整')],
            },
        ),
        migrations.CreateModel(
            name='CancelledApproval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(blank=True, null=True, verbose_name='序号')),
                ('name', models.CharField(max_length=300, verbose_name='事项名称')),
                ('sub_item', models.CharField(blank=True, max_length=300, verbose_name='子项名称')),
                ('legal_basis', models.TextField(blank=True, verbose_name='实施依据')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('illustrative', models.BooleanField(default=False, help_text='真实附件导入前的示例条目，公开时须注明。', verbose_name='示例数据')),
                ('retired_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('listed_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='列入版本')),
                ('listed_until', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='移出版本')),
                ('reason', models.TextField(blank=True, verbose_name='取消理由/处理方式')),
                ('original_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cancelled_approvals', to='devolution.department', verbose_name='原实施部门')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='devolution.plan', verbose_name='实施方案')),
            ],
            options={
                'verbose_name': '取消的行政审批事项',
                'verbose_name_plural': '取消的行政审批事项',
                'ordering': ['plan', 'sequence', 'id'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='DevolvedItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(blank=True, null=True, verbose_name='序号')),
                ('name', models.CharField(max_length=300, verbose_name='事项名称')),
                ('sub_item', models.CharField(blank=True, max_length=300, verbose_name='子项名称')),
                ('legal_basis', models.TextField(blank=True, verbose_name='实施依据')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('illustrative', models.BooleanField(default=False, help_text='真实附件导入前的示例条目，公开时须注明。', verbose_name='示例数据')),
                ('retired_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('listed_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='列入版本')),
                ('listed_until', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='移出版本')),
                ('code', models.CharField(blank=True, max_length=200, verbose_name='事项编码')),
                ('basic_code', models.CharField(blank=True, max_length=200, verbose_name='基本编码')),
                ('implementation_code', models.CharField(blank=True, max_length=200, verbose_name='实施编码')),
                ('handling_code', models.CharField(blank=True, max_length=200, verbose_name='业务办理项编码')),
                ('sub_item_code', models.CharField(blank=True, max_length=200, verbose_name='子项编码')),
                ('exercise_level', models.CharField(blank=True, max_length=50, verbose_name='行使层级')),
                ('devolution_mode', models.CharField(blank=True, choices=[('devolved', '下放'), ('entrusted', '委托')], max_length=20, verbose_name='赋权方式')),
                ('power_type', models.CharField(choices=[('licensing', '行政许可'), ('penalty', '行政处罚'), ('coercion', '行政强制'), ('levy', '行政征收'), ('benefit', '行政给付'), ('adjudication', '行政裁决'), ('inspection', '行政检查'), ('confirmation', '行政确认'), ('reward', '行政奖励'), ('other', '其他行政权力')], max_length=20, verbose_name='权力类型')),
                ('status', models.CharField(choices=[('not_handed_over', '未交接（暂按原程序办理）'), ('awaiting_seal', '已交接·待启用新印章（暂按原程序办理）'), ('in_training', '已交接·培训指导期'), ('exercised', '县已独立行使'), ('retired', '已退出'), ('withdrawn', '已收回（回到市直部门）'), ('cancelled', '已取消')], db_index=True, default='not_handed_over', editable=False, max_length=20, verbose_name='状态')),
                ('handed_over_on', models.DateField(blank=True, editable=False, null=True, verbose_name='交接完成日期')),
                ('state_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='现状自版本')),
                ('city_department', models.ForeignKey(limit_choices_to={'level': 'city'}, on_delete=django.db.models.deletion.PROTECT, related_name='devolved_items_given', to='devolution.department', verbose_name='市直赋权部门')),
                ('county_department', models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='devolved_items', to='devolution.department', verbose_name='县承接部门')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='devolution.plan', verbose_name='实施方案')),
                ('provincial_system', models.ForeignKey(blank=True, help_text='需在省级系统办理的事项，端口开通前县不能独立行使。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='items.provincialsystem', verbose_name='所需省级系统')),
            ],
            options={
                'verbose_name': '赋权事项',
                'verbose_name_plural': '赋权事项',
                'ordering': ['plan', 'sequence', 'id'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='AdjustmentChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('add', '新增'), ('change', '变更'), ('merge', '合并（并入新事项）'), ('split', '拆分（拆为新事项）'), ('withdraw', '收回'), ('cancel', '取消'), ('retire', '退出'), ('redevolve', '重新下放')], max_length=20, verbose_name='变动类型')),
                ('values', models.JSONField(blank=True, default=dict, verbose_name='新值')),
                ('previous', models.JSONField(blank=True, default=dict, verbose_name='原值')),
                ('note', models.TextField(blank=True, verbose_name='理由')),
                ('accepted', models.BooleanField(default=True, verbose_name='已确认')),
                ('adjustment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='items.adjustment', verbose_name='动态调整')),
                ('linked', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='linked_changes', to='items.adjustmentchange', verbose_name='关联变动')),
                ('cancelled', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='items.cancelledapproval', verbose_name='取消事项')),
                ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='items.devolveditem', verbose_name='事项')),
            ],
            options={
                'verbose_name': '调整变动',
                'verbose_name_plural': '调整变动',
                'ordering': ['adjustment', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCancelledApproval',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(blank=True, null=True, verbose_name='序号')),
                ('name', models.CharField(max_length=300, verbose_name='事项名称')),
                ('sub_item', models.CharField(blank=True, max_length=300, verbose_name='子项名称')),
                ('legal_basis', models.TextField(blank=True, verbose_name='实施依据')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('illustrative', models.BooleanField(default=False, help_text='真实附件导入前的示例条目，公开时须注明。', verbose_name='示例数据')),
                ('retired_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('listed_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='列入版本')),
                ('listed_until', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='移出版本')),
                ('reason', models.TextField(blank=True, verbose_name='取消理由/处理方式')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('original_department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='原实施部门')),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.plan', verbose_name='实施方案')),
            ],
            options={
                'verbose_name': '取消事项历史',
                'verbose_name_plural': 'historical 取消的行政审批事项',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProvincialSystem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='系统名称')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '省级业务系统历史',
                'verbose_name_plural': 'historical 省级业务系统',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ListVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(unique=True, verbose_name='版本号')),
                ('doc_number', models.CharField(max_length=100, verbose_name='文号')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('effective_on', models.DateField(verbose_name='生效日期')),
                ('published_at', models.DateTimeField(verbose_name='公布时间')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='公布人')),
            ],
            options={
                'verbose_name': '清单版本',
                'verbose_name_plural': '清单版本',
                'ordering': ['number'],
            },
        ),
        migrations.AddField(
            model_name='adjustment',
            name='version',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adjustment', to='items.listversion', verbose_name='公布版本'),
        ),
        migrations.CreateModel(
            name='ItemRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.PositiveIntegerField(verbose_name='自版本')),
                ('valid_until', models.PositiveIntegerField(verbose_name='至版本（不含）')),
                ('listed', models.BooleanField(default=True, verbose_name='在清单中')),
                ('sequence', models.PositiveIntegerField(blank=True, null=True, verbose_name='序号')),
                ('code', models.CharField(blank=True, max_length=200, verbose_name='事项编码')),
                ('name', models.CharField(max_length=300, verbose_name='事项名称')),
                ('sub_item', models.CharField(blank=True, max_length=300, verbose_name='子项名称')),
                ('basic_code', models.CharField(blank=True, max_length=200, verbose_name='基本编码')),
                ('implementation_code', models.CharField(blank=True, max_length=200, verbose_name='实施编码')),
                ('handling_code', models.CharField(blank=True, max_length=200, verbose_name='业务办理项编码')),
                ('sub_item_code', models.CharField(blank=True, max_length=200, verbose_name='子项编码')),
                ('exercise_level', models.CharField(blank=True, max_length=50, verbose_name='行使层级')),
                ('devolution_mode', models.CharField(blank=True, choices=[('devolved', '下放'), ('entrusted', '委托')], max_length=20, verbose_name='赋权方式')),
                ('power_type', models.CharField(choices=[('licensing', '行政许可'), ('penalty', '行政处罚'), ('coercion', '行政强制'), ('levy', '行政征收'), ('benefit', '行政给付'), ('adjudication', '行政裁决'), ('inspection', '行政检查'), ('confirmation', '行政确认'), ('reward', '行政奖励'), ('other', '其他行政权力')], max_length=20, verbose_name='权力类型')),
                ('legal_basis', models.TextField(blank=True, verbose_name='实施依据')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('illustrative', models.BooleanField(default=False, help_text='真实附件导入前的示例条目，公开时须注明。', verbose_name='示例数据')),
                ('city_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='devolution.department', verbose_name='市直赋权部门')),
                ('county_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='items.devolveditem', verbose_name='赋权事项')),
                ('provincial_system', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.provincialsystem', verbose_name='所需省级系统')),
            ],
            options={
                'verbose_name': '事项版本记录',
                'verbose_name_plural': '事项版本记录',
            },
        ),
        migrations.CreateModel(
            name='HistoricalDevolvedItem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(blank=True, null=True, verbose_name='序号')),
                ('name', models.CharField(max_length=300, verbose_name='事项名称')),
                ('sub_item', models.CharField(blank=True, max_length=300, verbose_name='子项名称')),
                ('legal_basis', models.TextField(blank=True, verbose_name='实施依据')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('illustrative', models.BooleanField(default=False, help_text='真实附件导入前的示例条目，公开时须注明。', verbose_name='示例数据')),
                ('retired_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('listed_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='列入版本')),
                ('listed_until', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='移出版本')),
                ('code', models.CharField(blank=True, max_length=200, verbose_name='事项编码')),
                ('basic_code', models.CharField(blank=True, max_length=200, verbose_name='基本编码')),
                ('implementation_code', models.CharField(blank=True, max_length=200, verbose_name='实施编码')),
                ('handling_code', models.CharField(blank=True, max_length=200, verbose_name='业务办理项编码')),
                ('sub_item_code', models.CharField(blank=True, max_length=200, verbose_name='子项编码')),
                ('exercise_level', models.CharField(blank=True, max_length=50, verbose_name='行使层级')),
                ('devolution_mode', models.CharField(blank=True, choices=[('devolved', '下放'), ('entrusted', '委托')], max_length=20, verbose_name='赋权方式')),
                ('power_type', models.CharField(choices=[('licensing', '行政许可'), ('penalty', '行政处罚'), ('coercion', '行政强制'), ('levy', '行政征收'), ('benefit', '行政给付'), ('adjudication', '行政裁决'), ('inspection', '行政检查'), ('confirmation', '行政确认'), ('reward', '行政奖励'), ('other', '其他行政权力')], max_length=20, verbose_name='权力类型')),
                ('status', models.CharField(choices=[('not_handed_over', '未交接（暂按原程序办理）'), ('awaiting_seal', '已交接·待启用新印章（暂按原程序办理）'), ('in_training', '已交接·培训指导期'), ('exercised', '县已独立行使'), ('retired', '已退出'), ('withdrawn', '已收回（回到市直部门）'), ('cancelled', '已取消')], db_index=True, default='not_handed_over', editable=False, max_length=20, verbose_name='状态')),
                ('handed_over_on', models.DateField(blank=True, editable=False, null=True, verbose_name='交接完成日期')),
                ('state_from', models.PositiveIntegerField(default=1, editable=False, verbose_name='现状自版本')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直赋权部门')),
                ('county_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.plan', verbose_name='实施方案')),
                ('provincial_system', models.ForeignKey(blank=True, db_constraint=False, help_text='需在省级系统办理的事项，端口开通前县不能独立行使。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.provincialsystem', verbose_name='所需省级系统')),
            ],
            options={
                'verbose_name': '赋权事项历史',
                'verbose_name_plural': 'historical 赋权事项',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='AdjustmentStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('draft', '起草'), ('submit', '提交审核'), ('approve', '审核通过'), ('reject', '退回'), ('withdraw', '撤回草稿'), ('publish', '公布')], max_length=20, verbose_name='操作')),
                ('at', models.DateTimeField(verbose_name='时间')),
                ('note', models.TextField(blank=True, verbose_name='意见')),
                ('adjustment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='items.adjustment', verbose_name='动态调整')),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
            ],
            options={
                'verbose_name': '调整步骤',
                'verbose_name_plural': '调整步骤',
                'ordering': ['adjustment', 'at', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['draft', 'submit', 'approve', 'reject', 'withdraw', 'publish'])), name='adjustment_step_action_valid', violation_error_message='调整步骤无效。')],
            },
        ),
        migrations.AddConstraint(
            model_name='cancelledapproval',
            constraint=models.UniqueConstraint(fields=('plan', 'name', 'sub_item', 'original_department'), name='cancelled_identity_unique_in_plan', violation_error_message='本方案中已有名称、子项和原实施部门都相同的取消事项。'),
        ),
        migrations.AddConstraint(
            model_name='adjustmentchange',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['add', 'change', 'merge', 'split', 'withdraw', 'cancel', 'retire', 'redevolve'])), name='adjustment_change_kind_valid', violation_error_message='调整类型无效。'),
        ),
        migrations.AddConstraint(
            model_name='adjustmentchange',
            constraint=models.UniqueConstraint(condition=models.Q(('item__isnull', False), models.Q(('kind', 'add'), _negated=True)), fields=('adjustment', 'item'), name='adjustment_change_one_per_item', violation_error_message='同一调整中一个事项只能有一条变更。'),
        ),
        migrations.AddConstraint(
            model_name='adjustmentchange',
            constraint=models.UniqueConstraint(condition=models.Q(('cancelled__isnull', False)), fields=('adjustment', 'cancelled'), name='adjustment_change_one_per_cancelled', violation_error_message='同一调整中一个取消事项只能有一条变更。'),
        ),
        migrations.AddConstraint(
            model_name='adjustmentchange',
            constraint=models.CheckConstraint(condition=models.Q(('cancelled__isnull', True), models.Q(('item__isnull', True), ('kind', 'retire')), _connector='OR'), name='adjustment_change_cancelled_retire_only', violation_error_message='取消事项清单的变动只能是“退出”，且不对应赋权事项。'),
        ),
        migrations.AddConstraint(
            model_name='listversion',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='list_version_number_positive', violation_error_message='目录版本号至少为 1。'),
        ),
        migrations.AddConstraint(
            model_name='adjustment',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'approved', 'rejected', 'published', 'withdrawn'])), name='adjustment_status_valid', violation_error_message='调整状态无效。'),
        ),
        migrations.AddConstraint(
            model_name='adjustment',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_by__isnull', True), models.Q(('reviewed_by', models.F('created_by')), _negated=True), _connector='OR'), name='adjustment_reviewer_not_author', violation_error_message='审核人不能是调整的起草人。'),
        ),
        migrations.AddConstraint(
            model_name='adjustment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['approved', 'published']), _negated=True), ('reviewed_by__isnull', False), _connector='OR'), name='adjustment_approved_has_reviewer', violation_error_message='已批准或已发布的调整必须有审核人。'),
        ),
        migrations.AddConstraint(
            model_name='adjustment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), ('version__isnull', False)), models.Q(models.Q(('status', 'published'), _negated=True), ('version__isnull', True)), _connector='OR'), name='adjustment_published_has_version', violation_error_message='已发布的调整必须对应一个目录版本；未发布的不能对应。'),
        ),
        migrations.AddConstraint(
            model_name='itemrevision',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__gt', models.F('valid_from'))), name='revision_range_forward', violation_error_message='失效日期必须晚于生效日期。'),
        ),
        migrations.AddConstraint(
            model_name='itemrevision',
            constraint=models.UniqueConstraint(fields=('item', 'valid_until'), name='revision_end_unique', violation_error_message='该事项已有一条同一失效日期的修订记录。'),
        ),
        migrations.AddIndex(
            model_name='devolveditem',
            index=models.Index(fields=['county_department', 'power_type'], name='item_dept_type_idx'),
        ),
        migrations.AddIndex(
            model_name='devolveditem',
            index=models.Index(fields=['plan', 'sequence', 'id'], name='item_list_order_idx'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('plan', 'code'), name='item_code_unique_in_plan', violation_error_message='本方案中已有相同编码的事项。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.UniqueConstraint(condition=models.Q(('code', '')), fields=('plan', 'name', 'sub_item', 'county_department'), name='item_identity_unique_without_code', violation_error_message='本方案中已有名称、子项和县承接部门都相同的无编码事项。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.CheckConstraint(condition=models.Q(('power_type__in', ['licensing', 'penalty', 'coercion', 'levy', 'benefit', 'adjudication', 'inspection', 'confirmation', 'reward', 'other'])), name='item_power_type_valid', violation_error_message='权力类型无效。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['not_handed_over', 'awaiting_seal', 'in_training', 'exercised', 'retired', 'withdrawn', 'cancelled'])), name='item_status_valid', violation_error_message='事项状态无效。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('retired_on__isnull', False), ('status__in', ('retired', 'withdrawn', 'cancelled'))), models.Q(models.Q(('status__in', ('retired', 'withdrawn', 'cancelled')), _negated=True), ('retired_on__isnull', True)), _connector='OR'), name='item_retired_has_date', violation_error_message='“已退出”的事项须填写退出日期；其他状态的事项不能填写退出日期。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.CheckConstraint(condition=models.Q(('devolution_mode__in', ['', 'devolved', 'entrusted'])), name='item_devolution_mode_valid', violation_error_message='下放方式只能是下放或委托。'),
        ),
        migrations.AddConstraint(
            model_name='devolveditem',
            constraint=models.CheckConstraint(condition=models.Q(('city_department', models.F('county_department')), _negated=True), name='item_departments_differ', violation_error_message='市直赋权部门和县承接部门不能是同一个部门。'),
        ),
        migrations.RunPython(seed_first_version, migrations.RunPython.noop),
        migrations.RunPython(create_search_functions, drop_search_functions, elidable=False),
    ]
