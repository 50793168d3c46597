import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from handover.models import (
    DeadlineFlag,
    Handover,
    ProvincialPort,
    TrainingExtension,
    TrainingPeriod,
)
from handover.tests.factories import HandoverFactory, TrainingPeriodFactory, of_handover
from items.models import ProvincialSystem

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 10, 10)


def test_one_handover_per_department_pair_and_plan():
    handover = HandoverFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HandoverFactory(plan=handover.plan, county_department=handover.county_department)


def test_completion_is_recorded_with_a_signature():
    handover = HandoverFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).update(completed_on=DAY)


@pytest.mark.parametrize("months", [0, 4])
def test_training_lasts_one_to_three_months(months):
    period = TrainingPeriodFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingPeriod.objects.filter(pk=period.pk).update(months=months)


@pytest.mark.parametrize("months", [1, 3])
def test_training_bounds_are_allowed(months):
    assert TrainingPeriodFactory(months=months).months == months


def test_longer_training_needs_an_extension_with_a_reason():
    period = TrainingPeriodFactory(months=3)
    extension = TrainingExtension.objects.create(
        period=period, months=2, reason="专业性强，需继续帮办", recorded_on=DAY
    )
    assert extension.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingExtension.objects.create(period=period, months=1, reason="", recorded_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingExtension.objects.create(period=period, months=0, reason="再延", recorded_on=DAY)


def test_port_cannot_open_before_it_was_requested():
    department = HandoverFactory().county_department
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvincialPort.objects.create(
            county_department=department,
            system=ProvincialSystem.objects.create(name="辽宁省投资项目在线审批监管平台"),
            requested_on=DAY,
            opened_on=DAY - datetime.timedelta(days=1),
        )


def test_only_one_open_flag_per_deadline():
    handover = HandoverFactory()
    flag = {
        "deadline": DeadlineFlag.Deadline.HANDOVER,
        "content_type": ContentType.objects.get_for_model(Handover),
        "object_id": handover.pk,
        "department": handover.county_department,
        "due_on": datetime.date(2016, 10, 8),
    }
    first = DeadlineFlag.objects.create(found_on=DAY, **flag)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineFlag.objects.create(found_on=DAY, **flag)
    # Once resolved, the same deadline may be flagged again if it is missed again.
    first.resolved_on = DAY
    first.save()
    assert DeadlineFlag.objects.create(found_on=DAY, **flag).record == handover


def test_flag_is_found_only_after_its_due_date():
    handover = HandoverFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineFlag.objects.create(
            deadline=DeadlineFlag.Deadline.HANDOVER,
            content_type=ContentType.objects.get_for_model(Handover),
            object_id=handover.pk,
            department=handover.county_department,
            due_on=DAY,
            found_on=DAY,
        )


def test_an_exclusion_must_be_one_of_the_pairs_items():
    from django.core.exceptions import ValidationError

    from handover.models import HandoverExclusion
    from items.tests.factories import DevolvedItemFactory

    handover = HandoverFactory()
    other_department_item = DevolvedItemFactory(plan=handover.plan)
    with pytest.raises(ValidationError, match="不属于本次交接"):
        HandoverExclusion(handover=handover, item=other_department_item, reason="x").full_clean()
    own_item = DevolvedItemFactory(**of_handover(handover))
    HandoverExclusion(handover=handover, item=own_item, reason="涉密，暂缓移交").full_clean()


def test_exclusions_assistance_ports_and_documents_keep_their_history():
    from handover.models import HandoverExclusion, TrainingAssistance
    from handover.tests.factories import ForwardedDocumentFactory, ProvincialPortFactory
    from items.tests.factories import DevolvedItemFactory

    period = TrainingPeriodFactory()
    handover = period.handover
    item = DevolvedItemFactory(**of_handover(handover))
    records = [
        HandoverExclusion.objects.create(handover=handover, item=item, reason="尚需省厅批复"),
        TrainingAssistance.objects.create(period=period, item=item, mode="acting", starts_on=DAY),
        ProvincialPortFactory(),
        ForwardedDocumentFactory(),
    ]
    for record in records:
        record.note = "更正"  # harmless on the models without a note
        record.save()
        assert [h.history_type for h in record.history.order_by("history_id")] == ["+", "~"]
