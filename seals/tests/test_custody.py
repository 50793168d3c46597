"""The custody steps: forward one at a time, sealed away from any live state, refused otherwise."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from devolution.tests.factories import PlanFactory
from seals.models import SealCustodyEvent, SealStatus
from seals.services import advance_seal
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 9, 20)
FORWARD = [
    SealStatus.ENGRAVED,
    SealStatus.DELIVERED,
    SealStatus.DISTRIBUTED,
    SealStatus.ENABLED,
    SealStatus.SEALED_AWAY,
]


def test_a_seal_walks_every_step_forward_with_a_custody_event_each():
    seal = SealFactory()
    for offset, step in enumerate(FORWARD):
        event = advance_seal(seal, step, DAY + datetime.timedelta(days=offset), "王五", "备注")
        seal.refresh_from_db()
        assert seal.status == step and event.step == step and event.person == "王五"
    assert list(seal.custody_events.values_list("step", flat=True)) == FORWARD
    # Every status change is in the seal's history.
    assert seal.history.count() == len(FORWARD)  # creation + four changes


@pytest.mark.parametrize(
    "status", [SealStatus.ENGRAVED, SealStatus.DELIVERED, SealStatus.DISTRIBUTED]
)
def test_sealed_away_may_follow_any_live_state(status):
    seal = SealFactory(status=status)
    advance_seal(seal, SealStatus.SEALED_AWAY, DAY, "王五")
    seal.refresh_from_db()
    assert seal.status == SealStatus.SEALED_AWAY


# (current status, requested step) pairs that are not the next step.
WRONG_STEPS = [
    (SealStatus.ENGRAVED, SealStatus.DISTRIBUTED),
    (SealStatus.ENGRAVED, SealStatus.ENABLED),
    (SealStatus.DELIVERED, SealStatus.ENGRAVED),
    (SealStatus.DELIVERED, SealStatus.DELIVERED),
    (SealStatus.DELIVERED, SealStatus.ENABLED),
    (SealStatus.DISTRIBUTED, SealStatus.DELIVERED),
    (SealStatus.ENABLED, SealStatus.DISTRIBUTED),
    (SealStatus.ENABLED, SealStatus.ENABLED),
    (SealStatus.SEALED_AWAY, SealStatus.ENABLED),
    (SealStatus.SEALED_AWAY, SealStatus.SEALED_AWAY),
]


@pytest.mark.parametrize(("status", "step"), WRONG_STEPS)
def test_a_wrong_step_is_refused_naming_both_steps_and_changes_nothing(status, step):
    seal = SealFactory(status=status)
    history_before = seal.history.count()
    with pytest.raises(ValidationError) as refused:
        advance_seal(seal, step, DAY, "王五")
    message = refused.value.messages[0]
    assert SealStatus(step).label in message
    if status != SealStatus.SEALED_AWAY:
        assert f"当前环节为“{SealStatus(status).label}”" in message
    else:
        assert "已收回封存" in message
    seal.refresh_from_db()
    assert seal.status == status
    assert not SealCustodyEvent.objects.filter(seal=seal).exists()
    assert seal.history.count() == history_before


def test_the_engraving_is_recorded_once():
    seal = SealFactory()
    advance_seal(seal, SealStatus.ENGRAVED, DAY, "王五")
    with pytest.raises(ValidationError, match="下一步只能是“已送达县政府”或“已收回封存”"):
        advance_seal(seal, SealStatus.ENGRAVED, DAY, "王五")


def test_a_step_dated_before_the_previous_one_is_refused():
    seal = SealFactory()
    advance_seal(seal, SealStatus.DELIVERED, DAY, "王五")
    with pytest.raises(ValidationError, match="早于上一环节“已送达县政府”"):
        advance_seal(seal, SealStatus.DISTRIBUTED, DAY - datetime.timedelta(days=1), "王五")
    seal.refresh_from_db()
    assert seal.status == SealStatus.DELIVERED


def test_a_step_needs_a_person_and_a_known_step():
    seal = SealFactory()
    with pytest.raises(ValidationError, match="经办人"):
        advance_seal(seal, SealStatus.DELIVERED, DAY, "  ")
    with pytest.raises(ValidationError, match="没有“lost”这个印章流转环节"):
        advance_seal(seal, "lost", DAY, "王五")
    assert not seal.custody_events.exists()


def test_late_deliveries_are_those_delivered_after_the_deadline_or_still_owed():
    from seals.services import late_deliveries

    plan = PlanFactory()
    due = plan.handover_due_on()  # derived: 15 working days after the plan was issued
    on_time = SealFactory(plan=plan)
    assert on_time.delivery_due_on == due
    advance_seal(on_time, SealStatus.DELIVERED, due, "王五")
    delivered_late = SealFactory(plan=plan)
    advance_seal(delivered_late, SealStatus.DELIVERED, due + datetime.timedelta(days=1), "王五")
    still_owed = SealFactory(plan=plan)
    recalled_before_delivery = SealFactory(plan=plan)
    advance_seal(recalled_before_delivery, SealStatus.SEALED_AWAY, due, "王五")

    assert set(late_deliveries(today=due)) == {delivered_late}
    late = late_deliveries(today=due + datetime.timedelta(days=1))
    assert set(late) == {delivered_late, still_owed}
    assert {seal.delivered_on for seal in late} == {due + datetime.timedelta(days=1), None}
