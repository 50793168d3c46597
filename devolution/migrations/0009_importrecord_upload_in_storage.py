# Uploads waiting for confirmation move from a database column to file storage (MEDIA_ROOT);
# a daily task removes those never confirmed. A preview pending during the migration must be
# uploaded again (its bytes are not carried over).

from django.db import migrations, models

PURGE_TASK_NAME = "清除过期导入上传文件"
PURGE_TASK = "devolution.tasks.purge_import_uploads"


def schedule_purge(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=PURGE_TASK_NAME,
        defaults={
            "task": PURGE_TASK,
            "crontab": schedule,
            "description": "删除超过保留期限仍未确认的导入上传文件，导入记录保留。",
        },
    )


def unschedule_purge(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=PURGE_TASK_NAME, task=PURGE_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("devolution", "0008_importrecord_table"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RemoveField(model_name="importrecord", name="upload"),
        migrations.AddField(
            model_name="importrecord",
            name="upload",
            field=models.FileField(
                blank=True, editable=False, upload_to="imports/%Y/%m/", verbose_name="上传文件"
            ),
        ),
        migrations.RunPython(schedule_purge, unschedule_purge),
    ]
