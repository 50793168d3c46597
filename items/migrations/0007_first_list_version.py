import datetime

from django.db import migrations
from django.utils import timezone

from items.models import FIRST_VERSION_FIELDS


def seed_first_version(apps, schema_editor):
    """The plan's own notice published the 2016 annexes: they are version 1 of the lists."""
    ListVersion = apps.get_model("items", "ListVersion")
    published_at = timezone.make_aware(
        datetime.datetime.combine(FIRST_VERSION_FIELDS["effective_on"], datetime.time())
    )
    ListVersion.objects.get_or_create(
        number=FIRST_VERSION_FIELDS["number"],
        defaults={**FIRST_VERSION_FIELDS, "published_at": published_at},
    )


class Migration(migrations.Migration):
    dependencies = [("items", "0006_list_versions")]

    operations = [migrations.RunPython(seed_first_version, migrations.RunPython.noop)]
