from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    """The city departments' staff (市直部门工作人员) become a role: the giving side of the handover."""

    dependencies = [
        ("handover", "0006_sides_notices_training_documents"),
        ("supervision", "0005_roles_reach_all_departments"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
