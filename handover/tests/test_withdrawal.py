"""A withdrawn item (收回) leaves the dashboard and keeps its status through every refresh."""

import datetime

import pytest

from handover.dashboard import progress_counts
from handover.status import refresh_item_statuses
from items.models import DevolvedItem, ItemStatus
from items.tests.factories import DevolvedItemFactory

pytestmark = pytest.mark.django_db


def test_a_withdrawn_item_is_left_out_and_stays_withdrawn():
    kept = DevolvedItemFactory()
    withdrawn = DevolvedItemFactory(county_department=kept.county_department)
    withdrawn.retire(datetime.date(2019, 1, 1), status=ItemStatus.WITHDRAWN)
    refresh_item_statuses()
    assert DevolvedItem.objects.get(pk=withdrawn.pk).status == ItemStatus.WITHDRAWN
    assert progress_counts(kept.county_department)[kept.county_department_id]["items"] == 1
