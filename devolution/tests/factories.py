import datetime

import factory
from django.conf import settings

from devolution.models import Department, DepartmentStaff, Holiday, ImportRecord, Plan


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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"clerk{n}")
    password = factory.django.Password("panshan-clerk-pass")
    is_staff = True


class DepartmentStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentStaff

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(CountyDepartmentFactory)


class ImportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRecord

    table = "items"
    file_name = factory.Sequence(lambda n: f"附件{n}.xlsx")
    sha256 = "0" * 64
    # An import made by a department's clerk: it belongs to that department.
    user = factory.LazyFunction(lambda: DepartmentStaffFactory().user)
    rows = 3
    new_count = 3


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday
        django_get_or_create = ["date"]

    date = factory.Sequence(lambda n: datetime.date(2027, 1, 1) + datetime.timedelta(days=n))
    is_workday = False
    name = "元旦"
