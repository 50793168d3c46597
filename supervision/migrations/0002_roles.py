from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("devolution", "0002_department_staff"),
        ("items", "0001_initial"),
        ("seals", "0001_initial"),
        ("handover", "0001_initial"),
        ("supervision", "0001_accountability"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
