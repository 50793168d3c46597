from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """The city departments' staff read the rounds and comment on the evaluations of the items
    they gave (supervision/roles.py)."""

    dependencies = [
        ("evaluation", "0002_roles"),
        ("supervision", "0006_roles_city_staff"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
