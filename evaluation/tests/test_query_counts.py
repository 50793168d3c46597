"""A round's evidence costs the same queries whatever the registry holds: opening a round and
recomputing its evidence, on a small registry and again after every kind of evidence grew."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devolution.tests.factories import UserFactory
from evaluation.models import EvaluationRound
from evaluation.services import open_round, refresh_evidence
from handover.models import TrainingAssistance
from handover.tests.factories import DeadlineFlagFactory, TrainingPeriodFactory
from items.tests.factories import DevolvedItemFactory
from seals.tests.factories import SealUsageFactory
from supervision.tests.factories import AccountabilityFactory

pytestmark = pytest.mark.django_db

FROM, TO = datetime.date(2017, 1, 1), datetime.date(2017, 12, 31)
TODAY = datetime.date(2018, 1, 10)


def grow(pairs):
    """Per department pair: a stamped item, a completed handover with a training period and an
    代办, an open flag, an accountability record, and an unused item."""
    for _ in range(pairs):
        usage = SealUsageFactory(stamped_on=datetime.date(2017, 5, 5))
        item = usage.item
        DevolvedItemFactory(plan=item.plan, county_department=item.county_department)
        period = TrainingPeriodFactory(
            handover__plan=item.plan, handover__county_department=item.county_department
        )
        TrainingAssistance.objects.create(
            period=period,
            item=item,
            mode=TrainingAssistance.Mode.ACTING,
            starts_on=period.starts_on,
            note="市直部门代办",
        )
        DeadlineFlagFactory(record=period.handover)
        AccountabilityFactory(
            department=item.county_department, decided_on=datetime.date(2017, 4, 1)
        )


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def test_opening_and_refreshing_cost_the_same_queries_as_the_registry_grows():
    by = UserFactory()

    def measure(title):
        ContentType.objects.clear_cache()  # both sizes start from a cold cache
        opened, evaluation_round = queries(lambda: open_round(title, FROM, TO, by, TODAY))
        refreshed, _ = queries(lambda: refresh_evidence(evaluation_round, by))
        EvaluationRound.objects.filter(pk=evaluation_round.pk).update(
            status="closed", closed_on=TODAY, closed_by=by
        )
        return opened, refreshed, evaluation_round

    grow(1)
    few_opened, few_refreshed, _ = measure("甲")
    grow(6)
    many_opened, many_refreshed, grown = measure("乙")
    assert grown.evaluations.count() == 14
    assert grown.evaluations.filter(stamps_count=1, open_flags_count=1).count() == 7
    assert (many_opened, many_refreshed) == (few_opened, few_refreshed)
