from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """动态调整: departments propose for their own items, the reform office reviews and
    publishes; everyone reads the list versions."""

    dependencies = [
        ("items", "0007_first_list_version"),
        ("supervision", "0007_roles_provincial_systems"),
        ("evaluation", "0003_roles_city_comment"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
