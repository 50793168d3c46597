import datetime

import factory

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from seals.models import Seal, SealCustodyEvent, SealKind, SealStatus, SealUsage


class SealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seal

    plan = factory.SubFactory(PlanFactory)
    kind = SealKind.APPROVAL
    holder = factory.SubFactory(CountyDepartmentFactory)
    issuer = factory.LazyAttribute(lambda seal: seal.holder.counterpart)
    name = factory.LazyAttribute(lambda seal: f"{seal.issuer.full_name}行政审批专用章(4)")


class SealUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SealUsage

    seal = factory.SubFactory(SealFactory)
    item = factory.SubFactory(
        "items.tests.factories.DevolvedItemFactory",
        plan=factory.SelfAttribute("..seal.plan"),
        county_department=factory.SelfAttribute("..seal.holder"),
    )
    stamped_on = datetime.date(2016, 11, 1)
    document_reference = factory.Sequence(lambda n: f"盘山审〔2016〕{n + 1}号")
    applicant = "盘山县某某有限公司"
    stamped_by = "张三"


class SealCustodyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SealCustodyEvent

    seal = factory.SubFactory(SealFactory)
    step = SealStatus.DELIVERED
    happened_on = datetime.date(2016, 9, 26)
    person = "王五"
