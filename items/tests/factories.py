import datetime

import factory
from django.utils import timezone

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory, UserFactory
from items.models import (
    Adjustment,
    CancelledApproval,
    DevolvedItem,
    ListVersion,
    PowerType,
    ProvincialSystem,
)


class ProvincialSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincialSystem
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"辽宁省测试系统{n}")


class DevolvedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevolvedItem

    plan = factory.SubFactory(PlanFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"PJ-XK-{n:04d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    power_type = PowerType.LICENSING
    county_department = factory.SubFactory(CountyDepartmentFactory)
    city_department = factory.LazyAttribute(lambda item: item.county_department.counterpart)
    legal_basis = "《中华人民共和国行政许可法》第十二条"


class CancelledApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CancelledApproval

    plan = factory.SubFactory(PlanFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"取消测试事项{n}")
    original_department = factory.SubFactory(CountyDepartmentFactory)
    reason = "无法律法规依据，予以取消"


class ListVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListVersion
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 2)  # version 1 is the migration's
    doc_number = factory.Sequence(lambda n: f"盘县编办发〔2019〕{n + 1}号")
    title = "动态调整"
    effective_on = factory.Sequence(lambda n: datetime.date(2019, 1, 1) + datetime.timedelta(n))
    published_at = factory.LazyFunction(timezone.now)


class AdjustmentFactory(factory.django.DjangoModelFactory):
    """A department's draft proposal."""

    class Meta:
        model = Adjustment

    title = factory.Sequence(lambda n: f"动态调整草稿{n}")
    department = factory.SubFactory(CountyDepartmentFactory)
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)
