import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from devolution.models import Department, ImportRecord, Plan, approval_bureau, department_of
from devolution.tests.factories import (
    CityDepartmentFactory,
    CountyDepartmentFactory,
    DepartmentStaffFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def test_county_department_is_found_by_three_names():
    department = CountyDepartmentFactory(
        full_name="盘山县人力资源和社会保障局", short_name="县人社局"
    )
    assert department.name_variants == {"盘山县人力资源和社会保障局", "县人社局", "盘山县人社局"}


def test_city_department_prefix_is_panjin():
    department = CityDepartmentFactory(full_name="盘锦市民政局", short_name="市民政局")
    assert department.prefixed_short_name == "盘锦市民政局"


def test_city_department_cannot_have_a_counterpart():
    other_city = CityDepartmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(
            full_name="盘锦市某局", short_name="市某局", level="city", counterpart=other_city
        )


def test_level_must_be_county_or_city():
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(full_name="某省厅", short_name="省厅", level="province")


@pytest.mark.parametrize("field", ["full_name", "short_name"])
def test_department_names_are_unique(field):
    existing = CountyDepartmentFactory()
    duplicate = {"full_name": "盘山县另一个局", "short_name": "县另一个局"}
    duplicate[field] = getattr(existing, field)
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(level="county", **duplicate)


def test_plan_cannot_be_published_before_it_is_issued():
    plan = PlanFactory.build()
    plan.published_on = plan.issued_on.replace(day=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_plan_doc_number_is_unique():
    plan = PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(doc_number=plan.doc_number, title="重复", issued_on=plan.issued_on)


def test_staff_are_confined_to_their_department(django_user_model):
    staff = DepartmentStaffFactory()
    assert department_of(staff.user) == staff.department
    office = django_user_model.objects.create_user("office")
    office.user_permissions.add(Permission.objects.get(codename="reach_all_departments"))
    assert department_of(django_user_model.objects.get(pk=office.pk)) is None
    # A link confines even a user who could otherwise reach every department.
    staff.user.user_permissions.add(Permission.objects.get(codename="reach_all_departments"))
    assert department_of(django_user_model.objects.get(pk=staff.user.pk)) == staff.department


def test_a_user_tied_to_no_department_reaches_nothing(django_user_model):
    clerk = django_user_model.objects.create_user("forgotten-clerk")
    with pytest.raises(PermissionDenied):
        department_of(clerk)


def test_there_is_one_approval_bureau_and_it_is_a_city_department():
    assert approval_bureau() is None
    bureau = CityDepartmentFactory(is_approval_bureau=True)
    assert approval_bureau() == bureau
    with pytest.raises(IntegrityError), transaction.atomic():
        CityDepartmentFactory(is_approval_bureau=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CountyDepartmentFactory(is_approval_bureau=True)


def test_an_import_record_names_its_upload_time_in_beijing_time():
    created = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)
    record = ImportRecord(file_name="附件2.xlsx", table="items", created_at=created)
    assert str(record) == "附件2.xlsx（items，2026-12-02 00:30）"
