"""The stamping rules, each on both sides: a valid stamp is kept, a refused one names its rule
and saves nothing, whichever way it is recorded."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from devolution.tests.factories import CityDepartmentFactory, CountyDepartmentFactory, PlanFactory
from items.models import DevolvedItem, ItemStatus, PowerType
from items.tests.factories import DevolvedItemFactory
from seals.models import SealKind, SealStatus, SealUsage, stamp_refusals
from seals.services import advance_seal
from seals.tests.factories import EnabledSealFactory, SealFactory, SealUsageFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 11, 1)


def stamp(seal, item, **fields):
    return SealUsage(
        seal=seal,
        item=item,
        stamped_on=fields.pop("stamped_on", DAY),
        document_reference="盘山审〔2016〕1号",
        applicant="盘山县某某有限公司",
        stamped_by="张三",
        **fields,
    )


def ready_item(seal, **fields):
    fields.setdefault("power_type", PowerType.LICENSING)
    fields.setdefault("status", ItemStatus.IN_TRAINING)
    return DevolvedItemFactory(plan=seal.plan, county_department=seal.holder, **fields)


def refused_codes(seal, item, stamped_on=None):
    return [error.code for error in stamp_refusals(seal, item, stamped_on)]


def assert_refused(usage, code, words):
    with pytest.raises(ValidationError) as refused:
        usage.save()
    errors = refused.value.error_dict[NON_FIELD_ERRORS]
    assert [error.code for error in errors] == [code]
    assert words in refused.value.messages[0]
    assert not SealUsage.objects.exists()


def test_a_valid_stamp_is_saved_with_its_history():
    seal = EnabledSealFactory()
    usage = stamp(seal, ready_item(seal))
    usage.save()
    assert SealUsage.objects.get() == usage
    assert usage.history.count() == 1


@pytest.mark.parametrize(
    "status", [SealStatus.ENGRAVED, SealStatus.DELIVERED, SealStatus.DISTRIBUTED]
)
def test_a_seal_not_yet_enabled_stamps_nothing(status):
    seal = SealFactory(status=status)
    assert_refused(stamp(seal, ready_item(seal)), "seal_not_enabled", "印章未启用")


def test_a_sealed_away_seal_stamps_nothing():
    seal = EnabledSealFactory()
    item = ready_item(seal)
    assert refused_codes(seal, item) == []
    advance_seal(seal, SealStatus.SEALED_AWAY, DAY, "王五")
    assert_refused(stamp(seal, item), "seal_not_enabled", "已收回封存")


def test_a_stamp_dated_before_the_seal_was_enabled_is_refused():
    seal = SealFactory(status=SealStatus.DISTRIBUTED)
    advance_seal(seal, SealStatus.ENABLED, DAY, "王五")
    item = ready_item(seal)
    assert refused_codes(seal, item, DAY) == []
    earlier = DAY - datetime.timedelta(days=1)
    assert_refused(stamp(seal, item, stamped_on=earlier), "enabled_after_stamp", "早于")


def test_a_stamp_dated_after_the_day_it_is_recorded_is_refused():
    seal = EnabledSealFactory()
    item = ready_item(seal)
    tomorrow = DAY + datetime.timedelta(days=1)
    assert [e.code for e in stamp_refusals(seal, item, tomorrow, today=DAY)] == ["future_date"]
    assert stamp_refusals(seal, item, DAY, today=DAY) == []
    # Through save(), recorded today: a date after today is refused.
    far = datetime.date.today() + datetime.timedelta(days=30)
    assert_refused(stamp(seal, item, stamped_on=far), "future_date", "晚于登记当日")


def test_only_the_holder_stamps_its_departments_items():
    seal = EnabledSealFactory()
    other_department = CountyDepartmentFactory()
    item = DevolvedItemFactory(
        plan=seal.plan,
        county_department=other_department,
        city_department=seal.issuer,
        status=ItemStatus.IN_TRAINING,
    )
    assert_refused(stamp(seal, item), "wrong_holder", "只能加盖本部门保管的印章")
    assert refused_codes(seal, ready_item(seal)) == []


@pytest.mark.parametrize(
    ("seal_kind", "accepted", "refused"),
    [
        (SealKind.APPROVAL, PowerType.LICENSING, PowerType.PENALTY),
        (SealKind.NON_APPROVAL, PowerType.INSPECTION, PowerType.LICENSING),
    ],
)
def test_the_seal_kind_matches_the_item_kind(seal_kind, accepted, refused):
    seal = EnabledSealFactory(kind=seal_kind)
    assert refused_codes(seal, ready_item(seal, power_type=accepted)) == []
    assert_refused(
        stamp(seal, ready_item(seal, power_type=refused)), "kind_mismatch", "印章类别与事项类别不符"
    )


def test_a_seal_stamps_only_its_own_plans_items():
    seal = EnabledSealFactory()
    other_plan = PlanFactory(doc_number="盘县政办发〔2017〕1号")
    item = DevolvedItemFactory(
        plan=other_plan, county_department=seal.holder, status=ItemStatus.IN_TRAINING
    )
    assert_refused(stamp(seal, item), "other_plan", "盘县政办发〔2017〕1号")


@pytest.mark.parametrize("status", [ItemStatus.IN_TRAINING, ItemStatus.EXERCISED])
def test_an_item_handed_over_may_be_stamped(status):
    seal = EnabledSealFactory()
    stamp(seal, ready_item(seal, status=status)).save()
    assert SealUsage.objects.count() == 1


def test_an_item_not_handed_over_keeps_the_old_procedure():
    seal = EnabledSealFactory()
    item = ready_item(seal, status=ItemStatus.NOT_HANDED_OVER)
    assert_refused(stamp(seal, item), "handover_incomplete", "交接完成前仍按原程序办理")
    # The handover app sets the status; once it says handed over, the stamp is accepted.
    DevolvedItem.objects.filter(pk=item.pk).update(status=ItemStatus.IN_TRAINING)
    stamp(seal, item).save()
    assert SealUsage.objects.count() == 1


def test_a_retired_item_is_not_stamped():
    seal = EnabledSealFactory()
    item = ready_item(seal)
    item.retire(DAY)
    assert_refused(stamp(seal, item), "item_retired", "事项已退出")


def test_a_withdrawn_item_is_not_stamped_from_its_effective_date():
    seal = EnabledSealFactory()
    item = ready_item(seal, handed_over_on=DAY)
    effective = DAY + datetime.timedelta(days=10)
    item.retire(effective, status=ItemStatus.WITHDRAWN)
    assert_refused(stamp(seal, item, stamped_on=effective), "item_withdrawn", "自该日起不能用印")
    # A stamp of the day before it left the list is still recorded.
    stamp(seal, item, stamped_on=effective - datetime.timedelta(days=1)).save()
    assert SealUsage.objects.filter(item=item).count() == 1


def test_every_broken_rule_is_named_at_once():
    seal = SealFactory(kind=SealKind.NON_APPROVAL)
    item = DevolvedItemFactory(plan=PlanFactory())
    assert set(refused_codes(seal, item)) == {
        "seal_not_enabled",
        "wrong_holder",
        "wrong_issuer",
        "kind_mismatch",
        "other_plan",
        "handover_incomplete",
    }


def test_the_rules_judge_the_stored_seal_not_a_stale_copy():
    seal = EnabledSealFactory()
    item = ready_item(seal)
    stale = type(seal).objects.get(pk=seal.pk)
    advance_seal(seal, SealStatus.SEALED_AWAY, DAY, "王五")
    assert_refused(stamp(stale, item), "seal_not_enabled", "已收回封存")


def test_correcting_a_recorded_stamp_is_not_a_new_stamp():
    usage = SealUsageFactory()
    advance_seal(usage.seal, SealStatus.SEALED_AWAY, DAY, "王五")
    usage.applicant = "更正后的申请人"
    usage.save()  # the seal is sealed away now, but this stamp was made while it was enabled
    assert SealUsage.objects.get().applicant == "更正后的申请人"
    usage.stamped_on = DAY + datetime.timedelta(days=5)
    with pytest.raises(ValidationError, match="印章未启用"):
        usage.save()


def test_a_departmental_approval_seal_is_refused_once_its_departments_power_moved():
    from seals.models import ApprovalTransfer

    seal = EnabledSealFactory()
    item = ready_item(seal)
    assert refused_codes(seal, item, DAY) == []
    ApprovalTransfer.objects.create(
        city_department=seal.issuer, transferred_on=DAY, person="县编委办 赵六"
    )
    # Stamps dated before the transfer were the department's own to make; from it, not.
    assert refused_codes(seal, item, DAY - datetime.timedelta(days=1)) == []
    assert refused_codes(seal, item, DAY) == ["superseded"]


def test_a_departmental_seal_stamps_only_items_its_issuer_devolved():
    seal = EnabledSealFactory()
    # The same county department, the same kind and plan, but another city department gave it.
    other_city = CityDepartmentFactory(full_name="盘锦市另一局")
    item = ready_item(seal, city_department=other_city)
    assert_refused(stamp(seal, item), "wrong_issuer", "只能加盖")
    assert "wrong_issuer" not in refused_codes(seal, ready_item(seal))


def test_a_stamp_dated_before_the_items_handover_completion_is_refused():
    seal = EnabledSealFactory()
    item = ready_item(seal, handed_over_on=datetime.date(2016, 10, 20))
    assert_refused(
        stamp(seal, item, stamped_on=datetime.date(2016, 10, 19)), "before_handover", "2016-10-20"
    )
    stamp(seal, item, stamped_on=datetime.date(2016, 10, 20)).save()


def test_a_stamp_sent_up_to_the_province_records_who_forwards_it_and_when():
    seal = EnabledSealFactory()
    item = ready_item(seal)
    usage = stamp(seal, item, route=SealUsage.Route.PROVINCE)
    with pytest.raises(ValidationError) as refused:
        usage.save()
    assert set(refused.value.error_dict) == {"forwarded_by", "forwarded_on"}
    usage = stamp(
        seal,
        item,
        route=SealUsage.Route.PROVINCE,
        forwarded_by=item.city_department,
        forwarded_on=DAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="不能早于用印日期"):
        usage.save()
    usage.forwarded_on = DAY + datetime.timedelta(days=2)
    # Only through the city department that gave the item (rule 5).
    usage.forwarded_by = CityDepartmentFactory()
    with pytest.raises(ValidationError, match="转报部门应为该事项的市直赋权部门"):
        usage.save()
    usage.forwarded_by = item.city_department
    usage.save()
    assert SealUsage.objects.get().forwarded_by == item.city_department
    # A matter finished in the city names no forwarder.
    local = stamp(seal, item, forwarded_by=item.city_department, forwarded_on=DAY)
    with pytest.raises(ValidationError) as refused:
        local.save()
    assert "route" in refused.value.error_dict
