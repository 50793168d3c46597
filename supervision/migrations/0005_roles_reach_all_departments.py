from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """Reaching every department becomes a right of its own, so scoping fails closed."""

    dependencies = [
        ("devolution", "0007_reach_all_departments"),
        ("supervision", "0004_roles_holiday"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
