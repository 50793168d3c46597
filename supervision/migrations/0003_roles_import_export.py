from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """Roles gain the import records and the import/export rights."""

    dependencies = [
        ("devolution", "0005_import_export_permissions"),
        ("items", "0002_trigram_search_indexes"),
        ("supervision", "0002_roles"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
