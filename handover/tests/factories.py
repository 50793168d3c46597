import datetime

import factory

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from handover.models import (
    DeadlineFlag,
    ForwardedDocument,
    Handover,
    ProvincialPort,
    TrainingPeriod,
)
from items.tests.factories import ProvincialSystemFactory

COMPLETED_ON = datetime.date(2016, 9, 30)


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    plan = factory.SubFactory(PlanFactory)
    county_department = factory.SubFactory(CountyDepartmentFactory)
    city_department = factory.LazyAttribute(lambda handover: handover.county_department.counterpart)

    class Params:
        # HandoverFactory(completed=True): completed and signed for (which opens its training).
        completed = factory.Trait(completed_on=COMPLETED_ON, signed_by="李四")


def of_handover(handover):
    """The fields that make an item one of `handover`'s: DevolvedItemFactory(**of_handover(h))."""
    return {
        "plan": handover.plan,
        "county_department": handover.county_department,
        "city_department": handover.city_department,
    }


class TrainingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPeriod

    handover = factory.SubFactory(HandoverFactory, completed=True)
    starts_on = factory.SelfAttribute("handover.completed_on")
    months = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Completing the handover opened its period already: the factory sets it as asked.
        period, _ = model_class.objects.update_or_create(
            handover=kwargs.pop("handover"), defaults=kwargs
        )
        return period


class DeadlineFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineFlag

    deadline = DeadlineFlag.Deadline.HANDOVER
    record = factory.SubFactory(HandoverFactory)
    # A handover is owed by its city department; both sides see the flag.
    department = factory.SelfAttribute("record.city_department")
    county_department = factory.SelfAttribute("record.county_department")
    city_department = factory.SelfAttribute("record.city_department")
    due_on = datetime.date(2016, 10, 8)
    found_on = datetime.date(2016, 10, 10)


class ProvincialPortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincialPort

    county_department = factory.SubFactory(CountyDepartmentFactory)
    city_department = factory.SelfAttribute("county_department.counterpart")
    system = factory.SubFactory(ProvincialSystemFactory)
    requested_on = datetime.date(2016, 9, 20)


class ForwardedDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForwardedDocument

    reference = factory.Sequence(lambda n: f"辽政发〔2016〕{n + 1}号")
    title = "关于推进简政放权工作的通知"
    responsible_department = factory.SubFactory(CountyDepartmentFactory)
    forwarded_by = factory.SelfAttribute("responsible_department.counterpart")
    passed_on = datetime.date(2016, 10, 12)
    feedback_due_on = datetime.date(2016, 11, 12)
