"""supervision 0001 to 0006_roles_city_staff in one migration, for a new database: the
accountability tables. Not 0007 to 0009: evaluation's roles migrations needed 0005 and 0006, and
supervision's 0007 and 0008 evaluation's 0003, so 0007_squashed_0009_constraint_messages, after
evaluation's, makes the role groups.

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay. Their steps that only mend rows an older registry held are left out: a
new database holds none."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('supervision', '0001_accountability'),
        ('supervision', '0002_roles'),
        ('supervision', '0003_roles_import_export'),
        ('supervision', '0004_roles_holiday'),
        ('supervision', '0005_roles_reach_all_departments'),
        ('supervision', '0006_roles_city_staff'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('devolution', '0007_reach_all_departments'),
        ('items', '0002_trigram_search_indexes'),
        ('seals', '0001_initial'),
        ('handover', '0006_sides_notices_training_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalAccountability',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('measure', models.CharField(choices=[('correction', '责令纠正'), ('interview', '约谈'), ('notice', '通报批评'), ('accountability', '严肃问责')], max_length=20, verbose_name='处理方式')),
                ('persons', models.CharField(blank=True, max_length=200, verbose_name='责任人员')),
                ('findings', models.TextField(verbose_name='问题与依据')),
                ('decided_on', models.DateField(verbose_name='决定日期')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='被问责部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
            ],
            options={
                'verbose_name': '问责历史',
                'verbose_name_plural': 'historical 问责记录',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Accountability',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('correction', '责令纠正'), ('interview', '约谈'), ('notice', '通报批评'), ('accountability', '严肃问责')], max_length=20, verbose_name='处理方式')),
                ('persons', models.CharField(blank=True, max_length=200, verbose_name='责任人员')),
                ('findings', models.TextField(verbose_name='问题与依据')),
                ('decided_on', models.DateField(verbose_name='决定日期')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accountabilities', to='devolution.department', verbose_name='被问责部门')),
                ('flags', models.ManyToManyField(blank=True, related_name='accountabilities', to='handover.deadlineflag', verbose_name='相关逾期记录')),
                ('recorded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
            ],
            options={
                'verbose_name': '问责记录',
                'verbose_name_plural': '问责记录',
                'ordering': ['-decided_on', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('measure__in', ['correction', 'interview', 'notice', 'accountability'])), name='accountability_measure_valid', violation_error_message='处理方式无效。'), models.CheckConstraint(condition=models.Q(('findings', ''), _negated=True), name='accountability_findings_given', violation_error_message='必须填写问题与依据。')],
            },
        ),
    ]
