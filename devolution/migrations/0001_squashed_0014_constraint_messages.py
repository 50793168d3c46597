"""devolution 0001 to 0014_constraint_messages in one migration, for a new database: the backbone's
tables, and the daily purge of unconfirmed uploads scheduled (0009's step).

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay. Their steps that only mend rows an older registry held are left out: a
new database holds none."""

from importlib import import_module

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def schedule_purge(apps, schema_editor):
    import_module("devolution.migrations.0009_importrecord_upload_in_storage").schedule_purge(
        apps, schema_editor
    )


def unschedule_purge(apps, schema_editor):
    import_module("devolution.migrations.0009_importrecord_upload_in_storage").unschedule_purge(
        apps, schema_editor
    )


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('devolution', '0001_initial'),
        ('devolution', '0002_department_staff'),
        ('devolution', '0003_department_is_approval_bureau'),
        ('devolution', '0004_import_record'),
        ('devolution', '0005_import_export_permissions'),
        ('devolution', '0006_holiday'),
        ('devolution', '0007_reach_all_departments'),
        ('devolution', '0008_importrecord_table'),
        ('devolution', '0009_importrecord_upload_in_storage'),
        ('devolution', '0009_training_documents'),
        ('devolution', '0010_approval_bureau_switch'),
        ('devolution', '0010_plan_text_without_page_chrome'),
        ('devolution', '0011_names_to_confirm'),
        ('devolution', '0012_merge_20261202_0428'),
        ('devolution', '0013_merge_20261202_0434'),
        ('devolution', '0014_constraint_messages'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='Holiday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(choices=[(False, '放假'), (True, '调休上班')], default=False, verbose_name='类型')),
                ('name', models.CharField(help_text='如：国庆节、春节调休。', max_length=50, verbose_name='名称')),
            ],
            options={
                'verbose_name': '节假日调整',
                'verbose_name_plural': '节假日调整',
                'ordering': ['-date'],
            },
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('full_name', models.CharField(max_length=100, unique=True, verbose_name='全称')),
                ('short_name', models.CharField(max_length=50, unique=True, verbose_name='简称')),
                ('level', models.CharField(choices=[('county', '县级'), ('city', '市级')], max_length=10, verbose_name='层级')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='联系人邮箱')),
                ('is_approval_bureau', models.BooleanField(default=False, help_text='刻制“盘锦市行政审批局审批专用章(X)”的市级审批局，全市只有一个。', verbose_name='市行政审批局')),
                ('founded_on', models.DateField(blank=True, help_text='新设部门（如市行政审批局）的成立日期；成立之前不能为其登记任何记录。', null=True, verbose_name='成立日期')),
                ('names_confirmed', models.BooleanField(default=False, help_text='通知只列简称；全称和市直对口部门系推断，核实后勾选。', verbose_name='全称和对口部门已核实')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='排序')),
                ('counterpart', models.ForeignKey(blank=True, limit_choices_to={'level': 'city'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='county_counterparts', to='devolution.department', verbose_name='市直对口部门')),
            ],
            options={
                'verbose_name': '部门',
                'verbose_name_plural': '部门',
                'ordering': ['level', 'sort_order', 'id'],
                'permissions': [('reach_all_departments', '可查看和办理所有部门的记录')],
            },
        ),
        migrations.CreateModel(
            name='DepartmentStaff',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='devolution.department', verbose_name='所属部门')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='department_staff', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '部门人员',
                'verbose_name_plural': '部门人员',
            },
        ),
        migrations.CreateModel(
            name='HistoricalHoliday',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('date', models.DateField(db_index=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(choices=[(False, '放假'), (True, '调休上班')], default=False, verbose_name='类型')),
                ('name', models.CharField(help_text='如：国庆节、春节调休。', max_length=50, verbose_name='名称')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '节假日调整历史',
                'verbose_name_plural': 'historical 节假日调整',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Plan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('doc_number', models.CharField(max_length=100, unique=True, verbose_name='文号')),
                ('title', models.CharField(max_length=300, verbose_name='标题')),
                ('issued_on', models.DateField(verbose_name='印发日期')),
                ('published_on', models.DateField(blank=True, null=True, verbose_name='发布日期')),
                ('parent_doc_number', models.CharField(blank=True, max_length=100, verbose_name='依据文件')),
                ('text', models.TextField(blank=True, verbose_name='通知全文')),
                ('training_months', models.PositiveSmallIntegerField(default=3, help_text='交接完成后自动设置的培训指导期长度（1—3个月），市直赋权部门可调整。', verbose_name='培训指导期默认月数')),
            ],
            options={
                'verbose_name': '实施方案',
                'verbose_name_plural': '实施方案',
                'ordering': ['-issued_on'],
                'constraints': [models.CheckConstraint(condition=models.Q(('published_on__isnull', True), ('published_on__gte', models.F('issued_on')), _connector='OR'), name='plan_published_not_before_issued', violation_error_message='发布日期不能早于印发日期。'), models.CheckConstraint(condition=models.Q(('training_months__gte', 1), ('training_months__lte', 3)), name='plan_training_months_between_1_and_3', violation_error_message='培训指导期默认月数须为 1—3 个月。')],
            },
        ),
        migrations.CreateModel(
            name='ImportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('table', models.CharField(max_length=30, verbose_name='类别')),
                ('file_name', models.CharField(max_length=255, verbose_name='文件名')),
                ('sha256', models.CharField(max_length=64, verbose_name='文件摘要')),
                ('upload', models.FileField(blank=True, editable=False, upload_to='imports/%Y/%m/', verbose_name='上传文件')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('committed_at', models.DateTimeField(blank=True, null=True, verbose_name='导入时间')),
                ('status', models.CharField(choices=[('previewed', '已预览'), ('committed', '已导入'), ('refused', '已拒绝')], default='previewed', max_length=20, verbose_name='状态')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='行数')),
                ('new_count', models.PositiveIntegerField(default=0, verbose_name='新增')),
                ('changed_count', models.PositiveIntegerField(default=0, verbose_name='修改')),
                ('unchanged_count', models.PositiveIntegerField(default=0, verbose_name='未变')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='错误')),
                ('message', models.TextField(blank=True, verbose_name='说明')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registry_imports', to=settings.AUTH_USER_MODEL, verbose_name='导入人')),
                ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='devolution.plan', verbose_name='实施方案')),
            ],
            options={
                'verbose_name': '导入记录',
                'verbose_name_plural': '导入记录',
                'ordering': ['-created_at', '-id'],
                'permissions': [('import_registry', '可以从 Excel 导入登记数据'), ('export_registry', '可以导出登记数据')],
            },
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.CheckConstraint(condition=models.Q(('level__in', ['county', 'city'])), name='department_level_valid', violation_error_message='部门层级只能是县级或市级。'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.CheckConstraint(condition=models.Q(('level', 'county'), ('counterpart__isnull', True), _connector='OR'), name='department_only_county_has_counterpart', violation_error_message='只有县级部门才能填写市直对口部门。'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(condition=models.Q(('is_approval_bureau', True)), fields=('is_approval_bureau',), name='department_one_approval_bureau', violation_error_message='已有一个部门被设为行政审批局，只能设一个。'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.CheckConstraint(condition=models.Q(('is_approval_bureau', False), ('level', 'city'), _connector='OR'), name='department_approval_bureau_is_city', violation_error_message='行政审批局必须是市级部门。'),
        ),
        migrations.AddConstraint(
            model_name='importrecord',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['previewed', 'committed', 'refused'])), name='import_status_valid', violation_error_message='导入状态无效。'),
        ),
        migrations.AddConstraint(
            model_name='importrecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'committed'), _negated=True), models.Q(('committed_at__isnull', False), ('error_count', 0)), _connector='OR'), name='import_committed_without_errors', violation_error_message='有错误的导入不能确认导入，确认导入须记录导入时间。'),
        ),
        migrations.RunPython(schedule_purge, unschedule_purge),
    ]
