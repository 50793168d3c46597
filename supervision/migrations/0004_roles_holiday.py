from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """Roles gain the holiday calendar: the reform office keeps it, everyone reads it."""

    dependencies = [
        ("devolution", "0006_holiday"),
        ("handover", "0002_deadlineflag_notified_at_daily_scan"),
        ("supervision", "0003_roles_import_export"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
