"""Opening a round: one evaluation per current item, the evidence the registry holds, the
database's rules and the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from devolution.tests.factories import UserFactory
from evaluation.models import EvaluationRound, ItemEvaluation, Recommendation
from evaluation.services import open_round, refresh_evidence
from evaluation.tests.factories import EvaluationRoundFactory, ItemEvaluationFactory
from handover.models import DeadlineFlag, TrainingAssistance
from handover.tests.factories import HandoverFactory, TrainingPeriodFactory
from items.tests.factories import DevolvedItemFactory
from seals.models import SealUsage
from seals.tests.factories import SealUsageFactory
from supervision.tests.factories import AccountabilityFactory

pytestmark = pytest.mark.django_db

FROM, TO = datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)
TODAY = datetime.date(2018, 1, 10)


def open_2017(by=None):
    return open_round("2017年度评估", FROM, TO, by or UserFactory(), TODAY)


def stamp(item, seal, on, route=SealUsage.Route.CITY):
    return SealUsageFactory(item=item, seal=seal, stamped_on=on, route=route)


def test_opening_a_round_creates_one_evaluation_per_current_item():
    items = DevolvedItemFactory.create_batch(3)
    retired = DevolvedItemFactory()
    retired.retire(datetime.date(2016, 12, 1))
    evaluation_round = open_2017()
    evaluated = set(evaluation_round.evaluations.values_list("item_id", flat=True))
    assert evaluated == {item.pk for item in items}
    evaluation = evaluation_round.evaluations.get(item=items[0])
    assert evaluation.county_department == items[0].county_department
    assert evaluation.city_department == items[0].city_department
    assert evaluation.stamps_count == 0 and evaluation.recommendation == ""
    # Every evaluation starts with a history row saying who opened the round.
    first = evaluation.history.get()
    assert first.history_type == "+" and first.history_user == evaluation_round.opened_by
    assert evaluation_round.history.count() >= 1


def test_evidence_three_stamps_in_the_period_one_before_and_one_acting():
    first = SealUsageFactory(stamped_on=datetime.date(2017, 3, 2))
    item, seal = first.item, first.seal
    stamp(item, seal, datetime.date(2017, 6, 9), SealUsage.Route.PROVINCE)
    stamp(item, seal, datetime.date(2017, 11, 20))
    stamp(item, seal, datetime.date(2016, 12, 30))  # before the period
    stamp(item, seal, datetime.date(2018, 1, 2))  # after it
    handover = HandoverFactory(
        plan=item.plan,
        county_department=item.county_department,
        completed_on=datetime.date(2016, 9, 28),
        signed_by="李四",
    )
    training = TrainingPeriodFactory(handover=handover, months=3)
    TrainingAssistance.objects.create(
        period=training, item=item, mode="acting", starts_on=datetime.date(2017, 2, 1)
    )
    TrainingAssistance.objects.create(  # ended before the period: not counted
        period=training,
        item=item,
        mode="assisting",
        starts_on=datetime.date(2016, 10, 1),
        ends_on=datetime.date(2016, 11, 1),
    )

    evaluation = open_2017().evaluations.get(item=item)

    assert evaluation.stamps_count == 3
    assert (evaluation.stamps_city_count, evaluation.stamps_province_count) == (2, 1)
    assert evaluation.first_stamp_on == datetime.date(2017, 3, 2)
    assert evaluation.last_stamp_on == datetime.date(2017, 11, 20)
    assert (evaluation.acting_count, evaluation.assisting_count) == (1, 0)
    assert evaluation.handed_over_on == datetime.date(2016, 9, 28)
    assert evaluation.handover_due_on == handover.due_on
    assert evaluation.handover_on_time is True
    assert evaluation.days_since_devolution == (TO - datetime.date(2016, 9, 28)).days
    assert evaluation.days_since_last_stamp == (TO - datetime.date(2017, 11, 20)).days
    # The training period ended unconfirmed before the period's end: not on time.
    assert evaluation.training_ends_on == training.ends_on
    assert evaluation.training_on_time is False


def test_evidence_flags_and_accountability():
    item = DevolvedItemFactory()
    handover = HandoverFactory(plan=item.plan, county_department=item.county_department)
    other = DevolvedItemFactory()  # another department pair: none of these count for it
    flag = dict(department=item.county_department, due_on=datetime.date(2016, 10, 8))
    DeadlineFlag.objects.create(
        deadline="handover", record=handover, found_on=datetime.date(2016, 10, 10), **flag
    )
    DeadlineFlag.objects.create(
        deadline="handover",
        record=handover,
        found_on=datetime.date(2016, 10, 9),
        resolved_on=datetime.date(2017, 5, 1),
        **flag,
    )
    AccountabilityFactory(department=item.county_department, decided_on=datetime.date(2017, 4, 1))
    AccountabilityFactory(department=item.county_department, decided_on=datetime.date(2016, 4, 1))

    evaluation_round = open_2017()
    evaluation = evaluation_round.evaluations.get(item=item)
    assert (evaluation.open_flags_count, evaluation.resolved_flags_count) == (1, 1)
    assert evaluation.accountability_count == 1
    assert evaluation.handover_on_time is None  # not completed
    untouched = evaluation_round.evaluations.get(item=other)
    assert (untouched.open_flags_count, untouched.accountability_count) == (0, 0)


def test_opening_takes_the_same_number_of_queries_for_any_number_of_items():
    by = UserFactory()
    DevolvedItemFactory.create_batch(2)

    def queries_to_open(title):
        with CaptureQueriesContext(connection) as captured:
            evaluation_round = open_round(title, FROM, TO, by, TODAY)
        EvaluationRound.objects.filter(pk=evaluation_round.pk).update(
            status="closed", closed_on=TODAY, closed_by=by
        )
        return len(captured)

    few = queries_to_open("甲")
    for usage in SealUsageFactory.create_batch(15):
        stamp(usage.item, usage.seal, datetime.date(2017, 5, 5))
    many = queries_to_open("乙")
    assert ItemEvaluation.objects.filter(round__title="乙").count() == 17
    assert few == many


def test_refreshing_picks_up_a_late_stamp_and_keeps_history():
    usage = SealUsageFactory(stamped_on=datetime.date(2017, 3, 2))
    evaluation_round = open_2017()
    stamp(usage.item, usage.seal, datetime.date(2017, 8, 1))
    refresh_evidence(evaluation_round, evaluation_round.opened_by)
    evaluation = evaluation_round.evaluations.get(item=usage.item)
    assert evaluation.stamps_count == 2
    assert [h.stamps_count for h in evaluation.history.order_by("history_id")] == [1, 2]


def test_only_one_round_is_open_at_a_time():
    open_2017()
    with pytest.raises(ValidationError, match="已有一轮评估正在进行"):
        open_2017()
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationRoundFactory()


def test_the_period_runs_forwards_and_ends_by_the_day_of_opening():
    with pytest.raises(ValidationError, match="起始日期不能晚于截止日期"):
        open_round("倒置", TO, FROM, UserFactory(), TODAY)
    with pytest.raises(ValidationError, match="不能晚于开始评估的当日"):
        open_round("未到期", FROM, TO, UserFactory(), datetime.date(2017, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationRoundFactory(period_from=TO, period_to=FROM)
    assert not EvaluationRound.objects.exists()


def test_the_database_refuses_a_second_evaluation_of_an_item_in_a_round():
    evaluation = ItemEvaluationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemEvaluationFactory(round=evaluation.round, item=evaluation.item)


def test_the_database_refuses_a_withdrawal_without_reason():
    evaluation = ItemEvaluationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemEvaluation.objects.filter(pk=evaluation.pk).update(
            recommendation=Recommendation.WITHDRAW,
            recommended_by=evaluation.round.opened_by,
            recommended_at=datetime.datetime(2018, 1, 12, tzinfo=datetime.UTC),
        )
