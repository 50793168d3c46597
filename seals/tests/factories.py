import datetime

import factory

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from items.models import ItemStatus, PowerType
from seals.models import Seal, SealCustodyEvent, SealKind, SealStatus, SealUsage


class SealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seal

    plan = factory.SubFactory(PlanFactory)
    kind = SealKind.APPROVAL
    holder = factory.SubFactory(CountyDepartmentFactory)
    issuer = factory.LazyAttribute(lambda seal: seal.holder.counterpart)
    name = factory.LazyAttribute(lambda seal: f"{seal.issuer.full_name}行政审批专用章(4)")


class EnabledSealFactory(SealFactory):
    status = SealStatus.ENABLED


class SealUsageFactory(factory.django.DjangoModelFactory):
    """A valid stamp: an enabled seal on a handed-over item of its holder, kind and plan."""

    class Meta:
        model = SealUsage

    seal = factory.SubFactory(EnabledSealFactory)
    item = factory.SubFactory(
        "items.tests.factories.DevolvedItemFactory",
        plan=factory.SelfAttribute("..seal.plan"),
        county_department=factory.SelfAttribute("..seal.holder"),
        power_type=factory.LazyAttribute(
            lambda item: (
                PowerType.LICENSING
                if item.factory_parent.seal.kind == SealKind.APPROVAL
                else PowerType.PENALTY
            )
        ),
        status=ItemStatus.IN_TRAINING,
    )
    stamped_on = datetime.date(2016, 11, 1)
    document_reference = factory.Sequence(lambda n: f"盘山审〔2016〕{n + 1}号")
    applicant = "盘山县某某有限公司"
    stamped_by = "张三"
    route = SealUsage.Route.CITY
    # A 报省 stamp names the city counterpart that forwards it (rule 5), here the item's own.
    forwarded_by = factory.LazyAttribute(
        lambda usage: usage.item.city_department if usage.route == "province" else None
    )
    forwarded_on = factory.LazyAttribute(
        lambda usage: usage.stamped_on if usage.route == "province" else None
    )


class SealCustodyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SealCustodyEvent

    seal = factory.SubFactory(SealFactory)
    step = SealStatus.DELIVERED
    happened_on = datetime.date(2016, 9, 26)
    person = "王五"
