from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """Every role reads the list of provincial systems; the reform office keeps it."""

    dependencies = [
        ("items", "0005_provincial_systems"),
        ("evaluation", "0003_roles_city_comment"),
        ("supervision", "0006_roles_city_staff"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
