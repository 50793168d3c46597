import factory

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from items.models import CancelledApproval, DevolvedItem, PowerType, ProvincialSystem


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
