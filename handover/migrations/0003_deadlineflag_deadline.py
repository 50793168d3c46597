# One word per idea: a flag names the deadline that was missed, not a "kind". The unique
# constraint names the column, so it is rebuilt around the rename.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("handover", "0002_deadlineflag_notified_at_daily_scan")]

    operations = [
        migrations.RemoveConstraint(model_name="deadlineflag", name="flag_one_open_per_deadline"),
        migrations.RenameField("deadlineflag", "kind", "deadline"),
        migrations.AddConstraint(
            model_name="deadlineflag",
            constraint=models.UniqueConstraint(
                condition=models.Q(resolved_on__isnull=True),
                fields=("deadline", "content_type", "object_id"),
                name="flag_one_open_per_deadline",
            ),
        ),
    ]
