import datetime

import pytest
from django.db import IntegrityError, transaction

from items.models import AdjustmentStep, DevolvedItem, ItemKind, ItemStatus, PowerType, kind_of
from items.tests.factories import CancelledApprovalFactory, DevolvedItemFactory

pytestmark = pytest.mark.django_db


def test_only_licensing_is_of_the_approval_kind():
    kinds = {power_type: kind_of(power_type) for power_type in PowerType.values}
    assert kinds.pop(PowerType.LICENSING) == ItemKind.APPROVAL
    assert set(kinds.values()) == {ItemKind.NON_APPROVAL}
    assert len(kinds) == 9


def test_item_kind_follows_its_power_type():
    item = DevolvedItemFactory(power_type=PowerType.PENALTY)
    assert item.get_kind_display() == "非审批类"
    item.power_type = PowerType.LICENSING
    assert item.get_kind_display() == "审批类"


def test_code_is_unique_within_a_plan():
    item = DevolvedItemFactory(code="0010XK0021")
    with pytest.raises(IntegrityError), transaction.atomic():
        DevolvedItemFactory(plan=item.plan, code="0010XK0021")


def test_same_code_is_allowed_in_another_plan():
    DevolvedItemFactory(code="PJ XK 0100")
    assert DevolvedItemFactory(code="PJ XK 0100").code == "PJ XK 0100"


def test_codes_keep_leading_zeros_and_inner_spaces():
    item = DevolvedItemFactory(code="0010 XK 0021")
    item.refresh_from_db()
    assert item.code == "0010 XK 0021"


def test_items_without_code_are_identified_by_name_sub_item_and_department():
    item = DevolvedItemFactory(code="", sub_item="新建项目")
    # Another sub-item of the same item is a different item.
    DevolvedItemFactory(
        code="",
        plan=item.plan,
        name=item.name,
        sub_item="改建项目",
        county_department=item.county_department,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DevolvedItemFactory(
            code="",
            plan=item.plan,
            name=item.name,
            sub_item="新建项目",
            county_department=item.county_department,
        )


def test_unknown_power_type_is_refused_by_the_database():
    item = DevolvedItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DevolvedItem.objects.filter(pk=item.pk).update(power_type="行政确定")


def test_retired_status_needs_a_retirement_date():
    item = DevolvedItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DevolvedItem.objects.filter(pk=item.pk).update(status=ItemStatus.RETIRED)


def test_city_and_county_department_differ():
    item = DevolvedItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DevolvedItem.objects.filter(pk=item.pk).update(city_department=item.county_department)


def test_retiring_keeps_the_row_and_records_history():
    item = DevolvedItemFactory()
    assert item.retire(datetime.date(2017, 3, 1)) is True
    item.refresh_from_db()
    assert (item.status, item.retired_on) == (ItemStatus.RETIRED, datetime.date(2017, 3, 1))
    assert item.history.count() == 2
    assert item.retire(datetime.date(2017, 4, 1)) is False
    assert DevolvedItem.objects.current().count() == 0
    assert DevolvedItem.objects.count() == 1


def test_cancelled_identity_is_unique_in_a_plan():
    cancelled = CancelledApprovalFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CancelledApprovalFactory(
            plan=cancelled.plan,
            name=cancelled.name,
            original_department=cancelled.original_department,
        )


def test_an_adjustment_step_names_its_time_in_beijing_time():
    """Stored in UTC; a clerk in Panshan reads the step's time as the clock on the wall."""
    at = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)
    assert str(AdjustmentStep(action="approve", at=at)).endswith(" · 2026-12-02 00:30")
