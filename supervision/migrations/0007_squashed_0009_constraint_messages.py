"""supervision 0007 to 0009_constraint_messages in one migration, for a new database: the role
groups, now that every app's models (evaluation's included) have their permissions. 0009 only
named the constraints' messages, which 0001_squashed_0006_roles_city_staff already has.

A database that applied some of those but not all goes on through the ones it lacks
(`replaces`), which stay."""

from django.conf import settings
from django.db import migrations

from supervision.roles import apply_roles


class Migration(migrations.Migration):

    replaces = [
        ('supervision', '0007_roles_provincial_systems'),
        ('supervision', '0008_roles_adjustments'),
        ('supervision', '0009_constraint_messages'),
    ]

    dependencies = [
        ('supervision', '0001_squashed_0006_roles_city_staff'),
        ('devolution', '0014_constraint_messages'),
        ('items', '0007_first_list_version'),
        ('handover', '0010_constraint_messages'),
        ('evaluation', '0003_roles_city_comment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
