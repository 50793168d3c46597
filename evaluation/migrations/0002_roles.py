from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """The roles reach the evaluation models (supervision/roles.py)."""

    dependencies = [
        ("evaluation", "0001_initial"),
        ("supervision", "0005_roles_reach_all_departments"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
