"""盘锦市行政审批局 takes over the approval seals: one step, approval seals only."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from devolution.models import Department, Plan
from devolution.tests.factories import CityDepartmentFactory
from items.models import DevolvedItem, ItemStatus, PowerType
from seals.models import Seal, SealCustodyEvent, SealKind, SealStatus, SealUsage
from seals.services import advance_seal, switch_to_approval_bureau
from seals.tests.factories import EnabledSealFactory, SealFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2017, 3, 1)


def test_the_switch_on_the_registry_seals_away_every_departmental_approval_seal(registry):
    plan = Plan.objects.get()
    approval = Seal.objects.filter(kind=SealKind.APPROVAL)
    non_approval_before = dict(
        Seal.objects.filter(kind=SealKind.NON_APPROVAL).values_list("pk", "status")
    )
    Seal.objects.filter(pk__in=approval.values("pk")[:3]).update(status=SealStatus.ENABLED)
    departmental = set(approval.values_list("pk", flat=True))
    holders = set(approval.values_list("holder", flat=True))

    new_seals = switch_to_approval_bureau(plan, DAY, "市审批局李四", number="4")

    assert set(Seal.objects.filter(pk__in=departmental).values_list("status", flat=True)) == {
        SealStatus.SEALED_AWAY
    }
    sealed_events = SealCustodyEvent.objects.filter(step=SealStatus.SEALED_AWAY)
    assert set(sealed_events.values_list("seal", flat=True)) == departmental
    # Non-approval seals stay exactly as they were.
    assert (
        dict(Seal.objects.filter(kind=SealKind.NON_APPROVAL).values_list("pk", "status"))
        == non_approval_before
    )
    # One bureau seal per holding department, engraved by the bureau, on its way to being enabled.
    bureau = Department.objects.get(is_approval_bureau=True)
    assert {seal.holder_id for seal in new_seals} == holders
    for seal in new_seals:
        assert seal.issuer == bureau and seal.kind == SealKind.APPROVAL
        assert seal.status == SealStatus.ENGRAVED
        assert seal.name.startswith("盘锦市行政审批局审批专用章(4)")
        assert seal.custody_events.get().step == SealStatus.ENGRAVED


def test_the_bureau_seal_then_stamps_the_approval_items_and_the_old_seal_does_not(registry):
    plan = Plan.objects.get()
    old = Seal.objects.filter(kind=SealKind.APPROVAL).select_related("holder").first()
    Seal.objects.filter(pk=old.pk).update(status=SealStatus.ENABLED)
    item = DevolvedItem.objects.filter(
        county_department=old.holder, power_type=PowerType.LICENSING
    ).first()
    DevolvedItem.objects.filter(pk=item.pk).update(status=ItemStatus.IN_TRAINING)

    (bureau_seal,) = [
        seal
        for seal in switch_to_approval_bureau(plan, DAY, "李四")
        if seal.holder_id == old.holder_id
    ]
    usage = {
        "item": item,
        "stamped_on": DAY + datetime.timedelta(days=10),
        "document_reference": "盘山审〔2017〕9号",
        "applicant": "某公司",
        "stamped_by": "张三",
    }
    with pytest.raises(ValidationError, match="已收回封存"):
        SealUsage(seal=old, **usage).save()
    # Until the bureau seal is enabled the item waits; then it is the item's approval seal.
    with pytest.raises(ValidationError, match="印章未启用"):
        SealUsage(seal=bureau_seal, **usage).save()
    for step in [SealStatus.DELIVERED, SealStatus.DISTRIBUTED, SealStatus.ENABLED]:
        advance_seal(bureau_seal, step, DAY + datetime.timedelta(days=1), "王五")
    SealUsage(seal=bureau_seal, **usage).save()
    assert SealUsage.objects.get().seal == bureau_seal


def test_the_switch_leaves_other_plans_and_non_approval_seals_alone():
    CityDepartmentFactory(is_approval_bureau=True)
    approval = EnabledSealFactory()
    non_approval = EnabledSealFactory(
        plan=approval.plan, holder=approval.holder, kind=SealKind.NON_APPROVAL, name="非审批章"
    )
    other_plan_seal = EnabledSealFactory()
    switch_to_approval_bureau(approval.plan, DAY, "李四")
    statuses = dict(Seal.objects.values_list("pk", "status"))
    assert statuses[approval.pk] == SealStatus.SEALED_AWAY
    assert statuses[non_approval.pk] == SealStatus.ENABLED
    assert statuses[other_plan_seal.pk] == SealStatus.ENABLED


def test_the_switch_is_all_or_nothing():
    CityDepartmentFactory(is_approval_bureau=True)
    first = EnabledSealFactory()
    # A departmental seal whose last custody step is dated after the switch: its recall fails.
    late = SealFactory(plan=first.plan, status=SealStatus.DELIVERED)
    SealCustodyEvent.objects.create(
        seal=late,
        step=SealStatus.DELIVERED,
        happened_on=DAY + datetime.timedelta(days=5),
        person="王五",
    )
    seals_before = Seal.objects.count()
    with pytest.raises(ValidationError, match="早于上一环节"):
        switch_to_approval_bureau(first.plan, DAY, "李四")
    first.refresh_from_db()
    assert first.status == SealStatus.ENABLED
    assert Seal.objects.count() == seals_before
    assert SealCustodyEvent.objects.count() == 1


def test_the_switch_happens_once_and_needs_the_bureau():
    seal = EnabledSealFactory()
    with pytest.raises(ValidationError, match="没有标记为市行政审批局的部门"):
        switch_to_approval_bureau(seal.plan, DAY, "李四")
    CityDepartmentFactory(is_approval_bureau=True)
    switch_to_approval_bureau(seal.plan, DAY, "李四")
    with pytest.raises(ValidationError, match="不能重复切换"):
        switch_to_approval_bureau(seal.plan, DAY, "李四")
