"""盘锦市行政审批局 (notice 四(一)): a department with a founding date; the city departments'
approval power moves to it one by one, each on its own date; one bureau seal serves the county
(县统一使用) for exactly those departments' approval items; a completed handover stays complete."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from devolution.models import Department, Plan
from devolution.tests.factories import CityDepartmentFactory
from handover.models import Handover, TrainingPeriod
from handover.status import refresh_item_statuses
from items.models import DevolvedItem, ItemStatus, PowerType
from seals.models import Seal, SealKind, SealStatus, SealUsage
from seals.services import advance_seal, engrave_bureau_seal, transfer_approval_power
from seals.tests.factories import EnabledSealFactory

pytestmark = pytest.mark.django_db

FOUNDED = datetime.date(2017, 2, 20)
DAY = datetime.date(2017, 3, 1)


def the_bureau(registry=True):
    bureau = Department.objects.filter(is_approval_bureau=True).first() or (
        CityDepartmentFactory(is_approval_bureau=True, full_name="盘锦市行政审批局")
    )
    bureau.founded_on = FOUNDED
    bureau.save()
    return bureau


def enable(seal, on=DAY):
    for step in [SealStatus.DELIVERED, SealStatus.DISTRIBUTED, SealStatus.ENABLED]:
        advance_seal(seal, step, on, "王五")


def exercise_everything(plan):
    """Every handover complete and confirmed, every seal enabled, every port opened: all items
    exercised by the county before the switch."""
    for handover in Handover.objects.filter(plan=plan):
        handover.completed_on, handover.signed_by = datetime.date(2016, 9, 30), "张三"
        handover.save()
    TrainingPeriod.objects.update(confirmed_on=datetime.date(2016, 12, 30), confirmed_by="李四")
    Seal.objects.update(status=SealStatus.ENABLED)
    DevolvedItem.objects.update(provincial_system=None)
    refresh_item_statuses()


def stamp(seal, item, on):
    return SealUsage(
        seal=seal,
        item=item,
        stamped_on=on,
        document_reference="盘山审〔2017〕9号",
        applicant="某公司",
        stamped_by="张三",
    )


def test_the_switch_for_two_departments_on_the_seeded_plan(registry):
    """Done when: the switch for two chosen city departments seals away exactly their approval
    seals, leaves the others live, keeps every exercised item exercised, and the county stamps
    those items with the bureau's seal once it is enabled."""
    plan = Plan.objects.get()
    exercise_everything(plan)
    assert set(DevolvedItem.objects.values_list("status", flat=True)) == {ItemStatus.EXERCISED}
    the_bureau()
    bureau_seal = engrave_bureau_seal(plan, FOUNDED, "市审批局李四", "4")
    assert (bureau_seal.name, bureau_seal.county_wide, bureau_seal.holder) == (
        "盘锦市行政审批局审批专用章(4)",
        True,
        None,
    )
    enable(bureau_seal, FOUNDED)
    chosen = list(
        Department.objects.filter(
            seals_issued__kind=SealKind.APPROVAL, level="city", is_approval_bureau=False
        ).distinct()[:2]
    )
    before = dict(Seal.objects.values_list("pk", "status"))
    sealed = transfer_approval_power(chosen, DAY, "县编委办 赵六")
    after = dict(Seal.objects.values_list("pk", "status"))
    moved = {pk for pk in before if before[pk] != after[pk]}
    assert moved == {seal.pk for seal in sealed}
    assert moved == set(
        Seal.objects.filter(issuer__in=chosen, kind=SealKind.APPROVAL).values_list("pk", flat=True)
    )
    assert {after[pk] for pk in moved} == {SealStatus.SEALED_AWAY}
    refresh_item_statuses()
    assert set(DevolvedItem.objects.values_list("status", flat=True)) == {ItemStatus.EXERCISED}

    item = DevolvedItem.objects.filter(
        city_department=chosen[0], power_type=PowerType.LICENSING
    ).first()
    old_seal = Seal.objects.get(issuer=chosen[0], holder=item.county_department, kind="approval")
    with pytest.raises(ValidationError, match="已收回封存"):
        stamp(old_seal, item, DAY).save()
    with pytest.raises(ValidationError, match="划转"):
        stamp(bureau_seal, item, DAY - datetime.timedelta(days=1)).save()
    stamp(bureau_seal, item, DAY).save()
    # An item of a department that did not move keeps its own seal, not the bureau's.
    other = (
        DevolvedItem.objects.filter(power_type=PowerType.LICENSING)
        .exclude(city_department__in=chosen)
        .first()
    )
    with pytest.raises(ValidationError, match="审批权未划转"):
        stamp(bureau_seal, other, DAY).save()
    own = Seal.objects.get(
        issuer=other.city_department, holder=other.county_department, kind="approval"
    )
    stamp(own, other, DAY).save()


def test_an_item_waiting_for_the_new_seal_stays_handed_over_and_says_where_to_apply(
    registry, client
):
    plan = Plan.objects.get()
    exercise_everything(plan)
    the_bureau()
    engrave_bureau_seal(plan, DAY, "市审批局李四", "4")  # engraved, not yet enabled
    item = DevolvedItem.objects.filter(power_type=PowerType.LICENSING).first()
    transfer_approval_power([item.city_department], DAY, "县编委办 赵六")
    refresh_item_statuses()
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_SEAL
    assert item.handed_over_on is not None  # the handover stays complete
    page = client.get(f"/items/{item.pk}/").content.decode()
    assert "请到盘锦市行政审批局办理" in page


def test_nothing_is_recorded_for_the_bureau_before_its_founding():
    plan = EnabledSealFactory().plan
    the_bureau()
    with pytest.raises(ValidationError, match="成立"):
        engrave_bureau_seal(plan, FOUNDED - datetime.timedelta(days=1), "李四", "4")
    engrave_bureau_seal(plan, FOUNDED, "李四", "4")
    department = CityDepartmentFactory()
    with pytest.raises(ValidationError, match="成立"):
        transfer_approval_power([department], FOUNDED - datetime.timedelta(days=1), "赵六")


def test_the_bureau_seal_needs_its_real_number_and_serves_the_county_once():
    plan = EnabledSealFactory().plan
    the_bureau()
    for number in ["", "X", " x "]:
        with pytest.raises(ValidationError, match="实际编号"):
            engrave_bureau_seal(plan, DAY, "李四", number)
    engrave_bureau_seal(plan, DAY, "李四", "4")
    with pytest.raises(ValidationError, match="不能重复刻制"):
        engrave_bureau_seal(plan, DAY, "李四", "5")


def test_a_department_moves_once_and_the_whole_transfer_is_all_or_nothing():
    the_bureau()
    first, second = EnabledSealFactory(), EnabledSealFactory()
    transfer_approval_power([first.issuer], DAY, "赵六")
    with pytest.raises(ValidationError, match="不能重复登记"), transaction.atomic():
        transfer_approval_power([second.issuer, first.issuer], DAY, "赵六")
    second.refresh_from_db()
    assert second.status == SealStatus.ENABLED
    first.refresh_from_db()
    assert first.status == SealStatus.SEALED_AWAY


def test_the_reform_office_records_the_bureau_seal_and_the_transfers(admin_client_logged_in):
    from django.urls import reverse

    seal = EnabledSealFactory()
    the_bureau()
    url = reverse("admin:seals_seal_approval_bureau")
    page = admin_client_logged_in.get(url).content.decode()
    assert "县统一使用" in page and seal.issuer.short_name in page
    response = admin_client_logged_in.post(
        url,
        {
            "step": "seal",
            "seal-plan": seal.plan.pk,
            "seal-happened_on": "2017-03-01",
            "seal-person": "李四",
            "seal-number": "4",
        },
        follow=True,
    )
    assert "盘锦市行政审批局审批专用章(4)" in response.content.decode()
    response = admin_client_logged_in.post(
        url,
        {
            "step": "transfer",
            "transfer-city_departments": [seal.issuer.pk],
            "transfer-happened_on": "2017-03-02",
            "transfer-person": "赵六",
        },
        follow=True,
    )
    assert "收回封存其审批专用章 1 枚" in response.content.decode()
    seal.refresh_from_db()
    assert seal.status == SealStatus.SEALED_AWAY
