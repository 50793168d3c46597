"""handover 0001 to 0011_flag_record_labels in one migration, for a new database: the handover
tables, and the daily deadline scan scheduled (0002's step).

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay. Their steps that only mend rows an older registry held are left out: a
new database holds none."""

from importlib import import_module

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SCHEDULE = import_module("handover.migrations.0002_deadlineflag_notified_at_daily_scan")


def schedule_daily_scan(apps, schema_editor):
    SCHEDULE.schedule_daily_scan(apps, schema_editor)


def unschedule_daily_scan(apps, schema_editor):
    SCHEDULE.unschedule_daily_scan(apps, schema_editor)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('handover', '0001_initial'),
        ('handover', '0002_deadlineflag_notified_at_daily_scan'),
        ('handover', '0003_deadlineflag_deadline'),
        ('handover', '0004_history_for_exclusions_ports_documents_assistance'),
        ('handover', '0005_deadlineflag_history'),
        ('handover', '0006_sides_notices_training_documents'),
        ('handover', '0007_provincial_systems'),
        ('handover', '0008_document_forwarding_deadline'),
        ('handover', '0009_status_refresh'),
        ('handover', '0010_constraint_messages'),
        ('handover', '0011_flag_record_labels'),
    ]

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('devolution', '0014_constraint_messages'),
        ('items', '0010_constraint_messages'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusRefresh',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('refreshed_at', models.DateTimeField(verbose_name='刷新时间')),
            ],
            options={
                'verbose_name': '状态刷新记录',
                'verbose_name_plural': '状态刷新记录',
            },
        ),
        migrations.CreateModel(
            name='Handover',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='交接期限')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('signed_by', models.CharField(blank=True, max_length=100, verbose_name='签字人')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('city_department', models.ForeignKey(limit_choices_to={'level': 'city'}, on_delete=django.db.models.deletion.PROTECT, related_name='handovers_given', to='devolution.department', verbose_name='市直赋权部门')),
                ('county_department', models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='handovers_received', to='devolution.department', verbose_name='县承接部门')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='devolution.plan', verbose_name='实施方案')),
            ],
            options={
                'verbose_name': '权力交接',
                'verbose_name_plural': '权力交接',
                'ordering': ['plan', 'county_department__sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HandoverExclusion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='未移交原因')),
                ('handover', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exclusions', to='handover.handover', verbose_name='交接')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='items.devolveditem', verbose_name='事项')),
            ],
            options={
                'verbose_name': '未移交事项',
                'verbose_name_plural': '未移交事项',
            },
        ),
        migrations.CreateModel(
            name='HistoricalDeadlineFlag',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('deadline', models.CharField(choices=[('handover', '权力交接逾期'), ('seal_delivery', '专用分章送达逾期'), ('training_end', '培训指导期到期未确认'), ('port_opening', '省级端口开通逾期'), ('document_forwarding', '文件转发逾期'), ('document_feedback', '文件反馈逾期')], max_length=30, verbose_name='逾期类别')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='记录编号')),
                ('due_on', models.DateField(verbose_name='期限')),
                ('found_on', models.DateField(verbose_name='发现日期')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='解除日期')),
                ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='首次通知时间')),
                ('notified_to', models.CharField(blank=True, db_default='', max_length=254, verbose_name='通知对象')),
                ('last_notified_at', models.DateTimeField(blank=True, null=True, verbose_name='最近通知时间')),
                ('notices_sent', models.PositiveSmallIntegerField(db_default=0, verbose_name='已发通知次数')),
                ('next_notice_on', models.DateField(blank=True, null=True, verbose_name='下次提醒日期')),
                ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='升级督办时间')),
                ('escalated_to', models.CharField(blank=True, db_default='', max_length=500, verbose_name='督办通知对象')),
                ('notice_claim', models.CharField(blank=True, db_default='', editable=False, max_length=32)),
                ('escalation_claim', models.CharField(blank=True, db_default='', editable=False, max_length=32)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, help_text='留空：市政府办公室转发的文件。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直部门')),
                ('content_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype', verbose_name='记录类别')),
                ('county_department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='责任方')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '逾期记录历史',
                'verbose_name_plural': 'historical 逾期记录',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalForwardedDocument',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reference', models.CharField(max_length=100, verbose_name='文号')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('received_on', models.DateField(blank=True, null=True, verbose_name='市收到日期')),
                ('forward_due_on', models.DateField(blank=True, db_index=True, help_text='按文件要求应转发至县的期限；逾期未转发的，由转发部门负责。', null=True, verbose_name='转发期限')),
                ('passed_on', models.DateField(blank=True, help_text='尚未转发的留空。', null=True, verbose_name='转发日期')),
                ('classified', models.BooleanField(default=False, verbose_name='保密')),
                ('feedback_required', models.TextField(blank=True, verbose_name='需反馈内容')),
                ('feedback_due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='反馈期限')),
                ('feedback_sent_on', models.DateField(blank=True, null=True, verbose_name='反馈日期')),
                ('feedback_content', models.TextField(blank=True, verbose_name='反馈内容')),
                ('feedback_to', models.CharField(blank=True, help_text='通知四(二)：落实情况反馈至市政府及市直相关部门，如“市政府办公室、市民政局”。', max_length=200, verbose_name='反馈对象')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('forwarded_by', models.ForeignKey(blank=True, db_constraint=False, help_text='留空表示由市政府办公室转发。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='转发部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('responsible_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县落实部门')),
            ],
            options={
                'verbose_name': '转发文件历史',
                'verbose_name_plural': 'historical 转发文件',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHandover',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='交接期限')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('signed_by', models.CharField(blank=True, max_length=100, verbose_name='签字人')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直赋权部门')),
                ('county_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.plan', verbose_name='实施方案')),
            ],
            options={
                'verbose_name': '交接历史',
                'verbose_name_plural': 'historical 权力交接',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHandoverExclusion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='未移交原因')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('handover', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handover.handover', verbose_name='交接')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.devolveditem', verbose_name='事项')),
            ],
            options={
                'verbose_name': '未移交事项历史',
                'verbose_name_plural': 'historical 未移交事项',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProvincialPort',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('requested_on', models.DateField(blank=True, null=True, verbose_name='申请日期')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='开通期限')),
                ('opened_on', models.DateField(blank=True, null=True, verbose_name='开通日期')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, help_text='负责协调省直对口部门开设端口的市直部门。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直协调部门')),
                ('county_department', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('system', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.provincialsystem', verbose_name='省级系统')),
            ],
            options={
                'verbose_name': '端口历史',
                'verbose_name_plural': 'historical 省级系统端口',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTrainingPeriod',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='开始日期')),
                ('months', models.PositiveSmallIntegerField(default=1, verbose_name='期限（月）')),
                ('ends_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='结束日期')),
                ('confirmed_on', models.DateField(blank=True, help_text='县承接部门确认“接得住”的日期。', null=True, verbose_name='确认可独立行使日期')),
                ('confirmed_by', models.CharField(blank=True, max_length=100, verbose_name='确认人')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('handover', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handover.handover', verbose_name='交接')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '培训指导期历史',
                'verbose_name_plural': 'historical 培训指导期',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ProvincialPort',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_on', models.DateField(blank=True, null=True, verbose_name='申请日期')),
                ('due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='开通期限')),
                ('opened_on', models.DateField(blank=True, null=True, verbose_name='开通日期')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('city_department', models.ForeignKey(help_text='负责协调省直对口部门开设端口的市直部门。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='provincial_ports_arranged', to='devolution.department', verbose_name='市直协调部门')),
                ('county_department', models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='provincial_ports', to='devolution.department', verbose_name='县承接部门')),
                ('system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ports', to='items.provincialsystem', verbose_name='省级系统')),
            ],
            options={
                'verbose_name': '省级系统端口',
                'verbose_name_plural': '省级系统端口',
                'ordering': ['county_department__sort_order', 'system__name'],
            },
        ),
        migrations.CreateModel(
            name='TrainingPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='开始日期')),
                ('months', models.PositiveSmallIntegerField(default=1, verbose_name='期限（月）')),
                ('ends_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='结束日期')),
                ('confirmed_on', models.DateField(blank=True, help_text='县承接部门确认“接得住”的日期。', null=True, verbose_name='确认可独立行使日期')),
                ('confirmed_by', models.CharField(blank=True, max_length=100, verbose_name='确认人')),
                ('handover', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='training', to='handover.handover', verbose_name='交接')),
            ],
            options={
                'verbose_name': '培训指导期',
                'verbose_name_plural': '培训指导期',
                'ordering': ['starts_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TrainingExtension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('months', models.PositiveSmallIntegerField(verbose_name='延长（月）')),
                ('reason', models.TextField(verbose_name='延长原因')),
                ('recorded_on', models.DateField(verbose_name='登记日期')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extensions', to='handover.trainingperiod', verbose_name='培训指导期')),
            ],
            options={
                'verbose_name': '培训指导期延长',
                'verbose_name_plural': '培训指导期延长',
            },
        ),
        migrations.CreateModel(
            name='TrainingAssistance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mode', models.CharField(choices=[('acting', '代办'), ('assisting', '帮办')], max_length=10, verbose_name='方式')),
                ('starts_on', models.DateField(verbose_name='开始日期')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='items.devolveditem', verbose_name='事项')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assistances', to='handover.trainingperiod', verbose_name='培训指导期')),
            ],
            options={
                'verbose_name': '代办/帮办',
                'verbose_name_plural': '代办/帮办',
            },
        ),
        migrations.CreateModel(
            name='HistoricalTrainingExtension',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('months', models.PositiveSmallIntegerField(verbose_name='延长（月）')),
                ('reason', models.TextField(verbose_name='延长原因')),
                ('recorded_on', models.DateField(verbose_name='登记日期')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('period', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handover.trainingperiod', verbose_name='培训指导期')),
            ],
            options={
                'verbose_name': '延长历史',
                'verbose_name_plural': 'historical 培训指导期延长',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTrainingAssistance',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('mode', models.CharField(choices=[('acting', '代办'), ('assisting', '帮办')], max_length=10, verbose_name='方式')),
                ('starts_on', models.DateField(verbose_name='开始日期')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.devolveditem', verbose_name='事项')),
                ('period', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='handover.trainingperiod', verbose_name='培训指导期')),
            ],
            options={
                'verbose_name': '代办/帮办历史',
                'verbose_name_plural': 'historical 代办/帮办',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='DeadlineFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('deadline', models.CharField(choices=[('handover', '权力交接逾期'), ('seal_delivery', '专用分章送达逾期'), ('training_end', '培训指导期到期未确认'), ('port_opening', '省级端口开通逾期'), ('document_forwarding', '文件转发逾期'), ('document_feedback', '文件反馈逾期')], max_length=30, verbose_name='逾期类别')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='记录编号')),
                ('due_on', models.DateField(verbose_name='期限')),
                ('found_on', models.DateField(verbose_name='发现日期')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='解除日期')),
                ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='首次通知时间')),
                ('notified_to', models.CharField(blank=True, db_default='', max_length=254, verbose_name='通知对象')),
                ('last_notified_at', models.DateTimeField(blank=True, null=True, verbose_name='最近通知时间')),
                ('notices_sent', models.PositiveSmallIntegerField(db_default=0, verbose_name='已发通知次数')),
                ('next_notice_on', models.DateField(blank=True, null=True, verbose_name='下次提醒日期')),
                ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='升级督办时间')),
                ('escalated_to', models.CharField(blank=True, db_default='', max_length=500, verbose_name='督办通知对象')),
                ('notice_claim', models.CharField(blank=True, db_default='', editable=False, max_length=32)),
                ('escalation_claim', models.CharField(blank=True, db_default='', editable=False, max_length=32)),
                ('city_department', models.ForeignKey(blank=True, help_text='留空：市政府办公室转发的文件。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deadline_flags_given', to='devolution.department', verbose_name='市直部门')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype', verbose_name='记录类别')),
                ('county_department', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deadline_flags_received', to='devolution.department', verbose_name='县承接部门')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_flags', to='devolution.department', verbose_name='责任方')),
            ],
            options={
                'verbose_name': '逾期记录',
                'verbose_name_plural': '逾期记录',
                'ordering': ['resolved_on', 'due_on', 'id'],
                'indexes': [models.Index(fields=['department', 'resolved_on'], name='flag_department_open_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('resolved_on__isnull', True)), fields=('deadline', 'content_type', 'object_id'), name='flag_one_open_per_deadline', violation_error_message='这一期限已有一条未解除的逾期记录。'), models.CheckConstraint(condition=models.Q(('resolved_on__isnull', True), ('resolved_on__gte', models.F('found_on')), _connector='OR'), name='flag_resolved_after_found', violation_error_message='解除日期不能早于发现日期。'), models.CheckConstraint(condition=models.Q(('found_on__gt', models.F('due_on'))), name='flag_found_after_due', violation_error_message='发现日期必须晚于期限。'), models.CheckConstraint(condition=models.Q(models.Q(('notices_sent', 0), ('notified_at__isnull', True)), models.Q(('notices_sent__gt', 0), ('notified_at__isnull', False), models.Q(('notified_to', ''), _negated=True)), _connector='OR'), name='flag_notified_only_when_sent', violation_error_message='只有通知确已发出才能登记通知时间，且必须写明通知对象。'), models.CheckConstraint(condition=models.Q(('escalated_at__isnull', True), models.Q(('escalated_to', ''), _negated=True), _connector='OR'), name='flag_escalated_names_recipients', violation_error_message='登记升级督办时间时必须写明督办通知对象。')],
            },
        ),
        migrations.CreateModel(
            name='ForwardedDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(max_length=100, verbose_name='文号')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('received_on', models.DateField(blank=True, null=True, verbose_name='市收到日期')),
                ('forward_due_on', models.DateField(blank=True, db_index=True, help_text='按文件要求应转发至县的期限；逾期未转发的，由转发部门负责。', null=True, verbose_name='转发期限')),
                ('passed_on', models.DateField(blank=True, help_text='尚未转发的留空。', null=True, verbose_name='转发日期')),
                ('classified', models.BooleanField(default=False, verbose_name='保密')),
                ('feedback_required', models.TextField(blank=True, verbose_name='需反馈内容')),
                ('feedback_due_on', models.DateField(blank=True, db_index=True, null=True, verbose_name='反馈期限')),
                ('feedback_sent_on', models.DateField(blank=True, null=True, verbose_name='反馈日期')),
                ('feedback_content', models.TextField(blank=True, verbose_name='反馈内容')),
                ('feedback_to', models.CharField(blank=True, help_text='通知四(二)：落实情况反馈至市政府及市直相关部门，如“市政府办公室、市民政局”。', max_length=200, verbose_name='反馈对象')),
                ('forwarded_by', models.ForeignKey(blank=True, help_text='留空表示由市政府办公室转发。', limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents_forwarded', to='devolution.department', verbose_name='转发部门')),
                ('responsible_department', models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='documents_received', to='devolution.department', verbose_name='县落实部门')),
            ],
            options={
                'verbose_name': '转发文件',
                'verbose_name_plural': '转发文件',
                'ordering': [models.OrderBy(models.F('passed_on'), descending=True, nulls_first=True), 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('received_on__isnull', True), models.Q(models.Q(('forward_due_on__isnull', True), ('forward_due_on__gte', models.F('received_on')), _connector='OR'), models.Q(('passed_on__isnull', True), ('passed_on__gte', models.F('received_on')), _connector='OR')), _connector='OR'), name='document_forwarded_after_received', violation_error_message='转发期限和转发日期不能早于收文日期。'), models.CheckConstraint(condition=models.Q(('feedback_sent_on__isnull', True), ('passed_on__isnull', False), _connector='OR'), name='document_feedback_after_forwarding', violation_error_message='文件转发后才能登记反馈日期。'), models.CheckConstraint(condition=models.Q(('feedback_due_on__isnull', True), ('feedback_due_on__gte', models.F('passed_on')), _connector='OR'), name='document_feedback_due_after_passed', violation_error_message='反馈期限不能早于转发日期。'), models.CheckConstraint(condition=models.Q(('feedback_sent_on__isnull', True), models.Q(models.Q(('feedback_content', ''), _negated=True), models.Q(('feedback_to', ''), _negated=True)), _connector='OR'), name='document_feedback_complete', violation_error_message='登记反馈日期时必须填写反馈内容和反馈对象。'), models.CheckConstraint(condition=models.Q(('feedback_sent_on__isnull', True), ('feedback_sent_on__gte', models.F('passed_on')), _connector='OR'), name='document_feedback_after_passed', violation_error_message='反馈日期不能早于转发日期。')],
            },
        ),
        migrations.AddConstraint(
            model_name='handover',
            constraint=models.UniqueConstraint(fields=('plan', 'city_department', 'county_department'), name='handover_one_per_department_pair', violation_error_message='本方案中这两个部门之间已有一条权力交接记录。'),
        ),
        migrations.AddConstraint(
            model_name='handover',
            constraint=models.CheckConstraint(condition=models.Q(('completed_on__isnull', True), models.Q(('signed_by', ''), _negated=True), _connector='OR'), name='handover_completion_signed', violation_error_message='登记完成日期时必须填写签字人。'),
        ),
        migrations.AddConstraint(
            model_name='handoverexclusion',
            constraint=models.UniqueConstraint(fields=('handover', 'item'), name='exclusion_once_per_item', violation_error_message='该事项已登记为本次交接的未移交事项。'),
        ),
        migrations.AddConstraint(
            model_name='handoverexclusion',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='exclusion_reason_given', violation_error_message='必须填写未移交原因。'),
        ),
        migrations.AddConstraint(
            model_name='provincialport',
            constraint=models.UniqueConstraint(fields=('county_department', 'system'), name='port_one_per_system', violation_error_message='该县承接部门已有这一省级系统的端口记录。'),
        ),
        migrations.AddConstraint(
            model_name='provincialport',
            constraint=models.CheckConstraint(condition=models.Q(('opened_on__isnull', True), ('requested_on__isnull', True), ('opened_on__gte', models.F('requested_on')), _connector='OR'), name='port_opened_after_requested', violation_error_message='开通日期不能早于申请日期。'),
        ),
        migrations.AddConstraint(
            model_name='trainingperiod',
            constraint=models.CheckConstraint(condition=models.Q(('months__gte', 1), ('months__lte', 3)), name='training_months_between_1_and_3', violation_error_message='培训指导期须为 1—3 个月。'),
        ),
        migrations.AddConstraint(
            model_name='trainingperiod',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_on__isnull', True), models.Q(('confirmed_by', ''), _negated=True), _connector='OR'), name='training_confirmation_signed', violation_error_message='登记确认日期时必须填写确认人。'),
        ),
        migrations.AddConstraint(
            model_name='trainingperiod',
            constraint=models.CheckConstraint(condition=models.Q(('confirmed_on__isnull', True), ('confirmed_on__gte', models.F('starts_on')), _connector='OR'), name='training_confirmed_after_start', violation_error_message='确认日期不能早于培训指导期开始日期。'),
        ),
        migrations.AddConstraint(
            model_name='trainingextension',
            constraint=models.CheckConstraint(condition=models.Q(('months__gte', 1)), name='extension_months_positive', violation_error_message='延长至少 1 个月。'),
        ),
        migrations.AddConstraint(
            model_name='trainingextension',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='extension_reason_given', violation_error_message='必须填写延长原因。'),
        ),
        migrations.AddConstraint(
            model_name='trainingassistance',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='assistance_ends_after_start', violation_error_message='结束日期不能早于开始日期。'),
        ),
        migrations.AddConstraint(
            model_name='trainingassistance',
            constraint=models.CheckConstraint(condition=models.Q(('mode__in', ['acting', 'assisting'])), name='assistance_mode_valid', violation_error_message='方式只能是代办或帮办。'),
        ),
        migrations.RunPython(schedule_daily_scan, unschedule_daily_scan),
    ]
