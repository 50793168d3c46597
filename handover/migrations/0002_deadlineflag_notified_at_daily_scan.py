# The notified-at field for once-per-flag e-mail, and the daily deadline scan's schedule.

from django.db import migrations, models

SCAN_TASK_NAME = "每日逾期检查"
SCAN_TASK = "handover.tasks.flag_deadlines"


def schedule_daily_scan(apps, schema_editor):
    """08:00 Beijing time every day; staff can change it in the admin (django-celery-beat)."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=SCAN_TASK_NAME,
        defaults={
            "task": SCAN_TASK,
            "crontab": schedule,
            "description": "查找错过期限的交接、印章送达和培训指导期，登记逾期并通知责任部门。",
        },
    )


def unschedule_daily_scan(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SCAN_TASK_NAME, task=SCAN_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("handover", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlineflag",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="通知时间"),
        ),
        migrations.RunPython(schedule_daily_scan, unschedule_daily_scan),
    ]
