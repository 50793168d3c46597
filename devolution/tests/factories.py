import datetime

import factory

from devolution.models import Department, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["doc_number"]

    doc_number = factory.Sequence(lambda n: f"测试文〔2016〕{n + 1}号")
    title = "测试实施方案"
    issued_on = datetime.date(2016, 9, 9)
    published_on = datetime.date(2016, 9, 11)


class CityDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    full_name = factory.Sequence(lambda n: f"盘锦市测试局{n}")
    short_name = factory.Sequence(lambda n: f"市测试局{n}")
    level = Department.Level.CITY


class CountyDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    full_name = factory.Sequence(lambda n: f"盘山县测试局{n}")
    short_name = factory.Sequence(lambda n: f"县测试局{n}")
    level = Department.Level.COUNTY
    counterpart = factory.SubFactory(CityDepartmentFactory)
