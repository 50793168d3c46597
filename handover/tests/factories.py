import datetime

import factory

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from handover.models import Handover, TrainingPeriod


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    plan = factory.SubFactory(PlanFactory)
    county_department = factory.SubFactory(CountyDepartmentFactory)
    city_department = factory.LazyAttribute(lambda handover: handover.county_department.counterpart)


class TrainingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPeriod

    handover = factory.SubFactory(
        HandoverFactory, completed_on=datetime.date(2016, 9, 30), signed_by="李四"
    )
    starts_on = factory.SelfAttribute("handover.completed_on")
    months = 1
