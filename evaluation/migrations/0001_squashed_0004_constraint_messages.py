"""evaluation 0001 to 0004_constraint_messages in one migration, for a new database: the evaluation
tables (the role groups reach them in supervision's 0007_squashed_0009_constraint_messages,
which runs after this one).

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
        ('evaluation', '0001_initial'),
        ('evaluation', '0002_roles'),
        ('evaluation', '0003_roles_city_comment'),
        ('evaluation', '0004_constraint_messages'),
    ]

    dependencies = [
        ('devolution', '0014_constraint_messages'),
        ('items', '0010_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvaluationRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='评估名称')),
                ('period_from', models.DateField(verbose_name='评估期间起')),
                ('period_to', models.DateField(verbose_name='评估期间止')),
                ('status', models.CharField(choices=[('open', '评估中'), ('closed', '已结束')], default='open', max_length=10, verbose_name='状态')),
                ('opened_on', models.DateField(verbose_name='开始日期')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('adjustment_reference', models.CharField(blank=True, max_length=100, verbose_name='调整草案')),
                ('evidence_computed_at', models.DateTimeField(blank=True, null=True, verbose_name='证据计算时间')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluation_rounds_closed', to=settings.AUTH_USER_MODEL, verbose_name='结束人')),
                ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluation_rounds_opened', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
            ],
            options={
                'verbose_name': '评估轮次',
                'verbose_name_plural': '评估轮次',
                'ordering': ['-period_to', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEvaluationRound',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='评估名称')),
                ('period_from', models.DateField(verbose_name='评估期间起')),
                ('period_to', models.DateField(verbose_name='评估期间止')),
                ('status', models.CharField(choices=[('open', '评估中'), ('closed', '已结束')], default='open', max_length=10, verbose_name='状态')),
                ('opened_on', models.DateField(verbose_name='开始日期')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('adjustment_reference', models.CharField(blank=True, max_length=100, verbose_name='调整草案')),
                ('evidence_computed_at', models.DateTimeField(blank=True, null=True, verbose_name='证据计算时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('closed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='结束人')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('opened_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
            ],
            options={
                'verbose_name': '评估轮次历史',
                'verbose_name_plural': '评估轮次历史',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalItemEvaluation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('stamps_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='期间用印次数')),
                ('stamps_city_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='本市办结')),
                ('stamps_province_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='报省办结')),
                ('first_stamp_on', models.DateField(editable=False, null=True, verbose_name='期间首次用印')),
                ('last_stamp_on', models.DateField(editable=False, null=True, verbose_name='期间末次用印')),
                ('latest_stamp_on', models.DateField(editable=False, null=True, verbose_name='截至期末最近用印')),
                ('handed_over_on', models.DateField(editable=False, null=True, verbose_name='交接完成日期')),
                ('handover_due_on', models.DateField(editable=False, null=True, verbose_name='交接期限')),
                ('handover_on_time', models.BooleanField(editable=False, null=True, verbose_name='按期交接')),
                ('training_ends_on', models.DateField(editable=False, null=True, verbose_name='培训指导期结束')),
                ('training_confirmed_on', models.DateField(editable=False, null=True, verbose_name='确认接得住日期')),
                ('training_on_time', models.BooleanField(editable=False, null=True, verbose_name='培训按期结束')),
                ('acting_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='代办次数')),
                ('assisting_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='帮办次数')),
                ('open_flags_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='未解除逾期')),
                ('resolved_flags_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='已解除逾期')),
                ('accountability_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='问责记录')),
                ('case_volume', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='办件量')),
                ('capacity', models.CharField(blank=True, choices=[('yes', '接得住'), ('partly', '基本接得住'), ('no', '接不住')], max_length=10, verbose_name='接得住？')),
                ('staffing', models.TextField(blank=True, verbose_name='人员配备')),
                ('training_received', models.TextField(blank=True, verbose_name='接受培训情况')),
                ('problems', models.TextField(blank=True, verbose_name='存在问题')),
                ('assessed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='自评时间')),
                ('city_comment', models.TextField(blank=True, verbose_name='市直部门意见')),
                ('commented_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='意见时间')),
                ('recommendation', models.CharField(blank=True, choices=[('keep', '保留'), ('adjust', '调整'), ('withdraw', '收回')], max_length=10, verbose_name='评估建议')),
                ('recommendation_reason', models.TextField(blank=True, verbose_name='建议理由')),
                ('legal_review_note', models.TextField(blank=True, verbose_name='合法性审查意见')),
                ('recommended_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='建议时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('assessed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='自评人')),
                ('city_department', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='市直赋权部门')),
                ('commented_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='市直部门意见填写人')),
                ('county_department', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='devolution.department', verbose_name='县承接部门')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.devolveditem', verbose_name='事项')),
                ('recommended_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='建议人')),
                ('round', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='evaluation.evaluationround', verbose_name='评估轮次')),
            ],
            options={
                'verbose_name': '事项评估历史',
                'verbose_name_plural': '事项评估历史',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ItemEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stamps_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='期间用印次数')),
                ('stamps_city_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='本市办结')),
                ('stamps_province_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='报省办结')),
                ('first_stamp_on', models.DateField(editable=False, null=True, verbose_name='期间首次用印')),
                ('last_stamp_on', models.DateField(editable=False, null=True, verbose_name='期间末次用印')),
                ('latest_stamp_on', models.DateField(editable=False, null=True, verbose_name='截至期末最近用印')),
                ('handed_over_on', models.DateField(editable=False, null=True, verbose_name='交接完成日期')),
                ('handover_due_on', models.DateField(editable=False, null=True, verbose_name='交接期限')),
                ('handover_on_time', models.BooleanField(editable=False, null=True, verbose_name='按期交接')),
                ('training_ends_on', models.DateField(editable=False, null=True, verbose_name='培训指导期结束')),
                ('training_confirmed_on', models.DateField(editable=False, null=True, verbose_name='确认接得住日期')),
                ('training_on_time', models.BooleanField(editable=False, null=True, verbose_name='培训按期结束')),
                ('acting_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='代办次数')),
                ('assisting_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='帮办次数')),
                ('open_flags_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='未解除逾期')),
                ('resolved_flags_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='已解除逾期')),
                ('accountability_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='问责记录')),
                ('case_volume', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='办件量')),
                ('capacity', models.CharField(blank=True, choices=[('yes', '接得住'), ('partly', '基本接得住'), ('no', '接不住')], max_length=10, verbose_name='接得住？')),
                ('staffing', models.TextField(blank=True, verbose_name='人员配备')),
                ('training_received', models.TextField(blank=True, verbose_name='接受培训情况')),
                ('problems', models.TextField(blank=True, verbose_name='存在问题')),
                ('assessed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='自评时间')),
                ('city_comment', models.TextField(blank=True, verbose_name='市直部门意见')),
                ('commented_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='意见时间')),
                ('recommendation', models.CharField(blank=True, choices=[('keep', '保留'), ('adjust', '调整'), ('withdraw', '收回')], max_length=10, verbose_name='评估建议')),
                ('recommendation_reason', models.TextField(blank=True, verbose_name='建议理由')),
                ('legal_review_note', models.TextField(blank=True, verbose_name='合法性审查意见')),
                ('recommended_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='建议时间')),
                ('assessed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='自评人')),
                ('city_department', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations_given', to='devolution.department', verbose_name='市直赋权部门')),
                ('commented_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='市直部门意见填写人')),
                ('county_department', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations_received', to='devolution.department', verbose_name='县承接部门')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='items.devolveditem', verbose_name='事项')),
                ('recommended_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='建议人')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='evaluation.evaluationround', verbose_name='评估轮次')),
            ],
            options={
                'verbose_name': '事项评估',
                'verbose_name_plural': '事项评估',
                'ordering': ['round', 'county_department__sort_order', 'item__sequence', 'id'],
                'permissions': [('assess_itemevaluation', '可填写本部门事项自评（县承接部门）'), ('comment_itemevaluation', '可填写市直部门意见'), ('recommend_itemevaluation', '可作出评估建议（县编委办）')],
            },
        ),
        migrations.AddConstraint(
            model_name='evaluationround',
            constraint=models.CheckConstraint(condition=models.Q(('period_from__lte', models.F('period_to'))), name='round_period_in_order', violation_error_message='评估期间的起始日期不能晚于截止日期。'),
        ),
        migrations.AddConstraint(
            model_name='evaluationround',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['open', 'closed'])), name='round_status_valid', violation_error_message='评估状态无效。'),
        ),
        migrations.AddConstraint(
            model_name='evaluationround',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_by__isnull', True), ('closed_on__isnull', True), ('status', 'open')), models.Q(('closed_by__isnull', False), ('closed_on__isnull', False), ('status', 'closed')), _connector='OR'), name='round_closed_with_who_and_when', violation_error_message='结束评估须记录结束人和结束日期。'),
        ),
        migrations.AddConstraint(
            model_name='evaluationround',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('status',), name='round_one_open_at_a_time', violation_error_message='已有一轮评估正在进行，请先结束它。'),
        ),
        migrations.AddIndex(
            model_name='itemevaluation',
            index=models.Index(fields=['round', 'county_department'], name='evaluation_round_county'),
        ),
        migrations.AddIndex(
            model_name='itemevaluation',
            index=models.Index(fields=['round', 'city_department'], name='evaluation_round_city'),
        ),
        migrations.AddIndex(
            model_name='itemevaluation',
            index=models.Index(fields=['round', 'recommendation'], name='evaluation_round_verdict'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.UniqueConstraint(fields=('round', 'item'), name='evaluation_one_per_item_per_round', violation_error_message='同一事项在同一轮评估中只能有一条评估记录。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__in', ['', 'yes', 'partly', 'no'])), name='evaluation_capacity_valid', violation_error_message='“接得住？”的答案无效。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('recommendation__in', ['', 'keep', 'adjust', 'withdraw'])), name='evaluation_recommendation_valid', violation_error_message='建议无效。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('recommendation__in', ('adjust', 'withdraw')), _negated=True), models.Q(('recommendation_reason', ''), _negated=True), _connector='OR'), name='evaluation_change_has_reason', violation_error_message='建议“调整”或“收回”的，必须填写建议理由。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('capacity', ''), models.Q(('assessed_at__isnull', False), ('assessed_by__isnull', False)), _connector='OR'), name='evaluation_assessment_signed', violation_error_message='填写“接得住？”须记录自评人和自评时间。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('city_comment', ''), models.Q(('commented_at__isnull', False), ('commented_by__isnull', False)), _connector='OR'), name='evaluation_comment_signed', violation_error_message='填写市直部门意见须记录意见人和意见时间。'),
        ),
        migrations.AddConstraint(
            model_name='itemevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('recommendation', ''), models.Q(('recommended_at__isnull', False), ('recommended_by__isnull', False)), _connector='OR'), name='evaluation_recommendation_signed', violation_error_message='填写建议须记录建议人和建议时间。'),
        ),
    ]
