"""Stored plans lose the page chrome copied with the notice (发布时间/浏览次数 and the like)."""

from django.db import migrations

from devolution.notice import notice_body


def clean_plan_texts(apps, schema_editor):
    Plan = apps.get_model("devolution", "Plan")
    for plan in Plan.objects.all():
        cleaned = notice_body(plan.text)
        if cleaned != plan.text:
            Plan.objects.filter(pk=plan.pk).update(text=cleaned)


class Migration(migrations.Migration):
    dependencies = [("devolution", "0009_importrecord_upload_in_storage")]

    operations = [migrations.RunPython(clean_plan_texts, migrations.RunPython.noop)]
