import datetime

import factory

from devolution.tests.factories import UserFactory
from evaluation.models import EvaluationRound, ItemEvaluation
from items.tests.factories import DevolvedItemFactory


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    """An open round; only one may be open at a time (see ClosedEvaluationRoundFactory)."""

    class Meta:
        model = EvaluationRound

    title = factory.Sequence(lambda n: f"2017年度赋权事项评估{n}")
    period_from = datetime.date(2017, 1, 1)
    period_to = datetime.date(2017, 12, 31)
    opened_on = datetime.date(2018, 1, 10)
    opened_by = factory.SubFactory(UserFactory)


class ClosedEvaluationRoundFactory(EvaluationRoundFactory):
    status = EvaluationRound.Status.CLOSED
    closed_on = datetime.date(2018, 3, 1)
    closed_by = factory.SelfAttribute("opened_by")


def round_under_way():
    return EvaluationRound.objects.open().first() or EvaluationRoundFactory()


class ItemEvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation in the round under way, as opening it makes it: the departments are the
    item's."""

    class Meta:
        model = ItemEvaluation

    round = factory.LazyFunction(round_under_way)
    item = factory.SubFactory(DevolvedItemFactory)
    county_department = factory.SelfAttribute("item.county_department")
    city_department = factory.SelfAttribute("item.city_department")
