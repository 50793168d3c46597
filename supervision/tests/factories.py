import datetime

import factory

from devolution.tests.factories import CountyDepartmentFactory
from supervision.models import Accountability


class AccountabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accountability

    department = factory.SubFactory(CountyDepartmentFactory)
    measure = Accountability.Measure.INTERVIEW
    persons = "分管副局长 周九"
    findings = "权力交接逾期十个工作日，措施不力。"
    decided_on = datetime.date(2016, 11, 1)
