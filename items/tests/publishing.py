"""Tests that need an import of items in the list: the import drafts an adjustment (rule 8),
and another member of the reform office approves and publishes it."""

import datetime

from django.contrib.auth.models import Group

from devolution.exchange.engine import confirm_import, import_file
from devolution.tests.factories import UserFactory
from items import adjustments
from items.models import ListVersion
from supervision.roles import REFORM_OFFICE


def office_member(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    return user


def publish_draft(adjustment):
    """Submit (by its author), approve and publish (by another member of the office)."""
    reviewer = office_member(f"reviewer-of-{adjustment.pk}")
    adjustments.submit(adjustment, adjustment.created_by)
    adjustments.approve(adjustment, reviewer, "同意")
    latest = ListVersion.objects.order_by("-number").first()
    effective_on = max(latest.effective_on, datetime.date(2019, 1, 1))
    return adjustments.publish(
        adjustment, reviewer, f"盘县编办发〔2019〕{latest.number + 1}号", effective_on
    )


def imported(data, file_name, table="items", user=None, **options):
    """import_file, and the draft it makes published: the list as the file has it."""
    user = user or office_member("import-author")
    record, result = import_file(data, file_name, table, user=user, **options)
    if result.drafted is not None:
        publish_draft(result.drafted)
    return record, result


def confirmed(record, user=None):
    """confirm_import, and the draft it makes published."""
    result = confirm_import(record, user or record.user)
    if result.drafted is not None:
        publish_draft(result.drafted)
    return result
