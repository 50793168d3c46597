"""Every registry model × every role × every admin action, each asserted allowed or denied.

The expectations are written out here, independently of supervision/roles.py, so that a change
to a role shows up as a failing line in this table.
L = list, O = open a record, A = add, C = change, I = import, E = export (where the admin has
import and export). Nobody deletes (retire/resolve instead).
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from devolution.admin import department_id_of
from devolution.exchange.admin import ExchangeAdminMixin
from devolution.models import Department, DepartmentStaff
from devolution.tests.factories import (
    CityDepartmentFactory,
    CountyDepartmentFactory,
    DepartmentStaffFactory,
    ImportRecordFactory,
    UserFactory,
)
from devolution.tests.test_admin_pages import LISTED, admin_url
from items.tests.factories import AdjustmentFactory
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF, OPERATOR, REFORM_OFFICE, SUPERVISION
from supervision.tests.factories import AccountabilityFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    #                        county st. office    superv. operator city staff
    "devolution.plan": ("LO", "LOAC", "LO", "LO", "LO"),
    "devolution.holiday": ("LO", "LOAC", "LO", "LO", "LO"),
    "devolution.department": ("LOCE", "LOACIE", "LOE", "LOIE", "LOCE"),
    "devolution.departmentstaff": ("", "LOAC", "", "", ""),
    "devolution.importrecord": ("LO", "LO", "LO", "LO", "LO"),
    # Rule 8: nobody changes an item in place; whoever may draft an adjustment "adds" one
    # (the add page is the proposal of a 新增), each side for its own items.
    "items.devolveditem": ("LOAE", "LOAIE", "LOE", "LOIE", "LOAE"),
    "items.cancelledapproval": ("LOE", "LOIE", "LOE", "LOIE", "LOE"),
    # The list of provincial systems items and ports choose from: the office keeps it.
    "items.provincialsystem": ("LO", "LOAC", "LO", "LO", "LO"),
    # Versions are made by publishing, never by hand. Each side proposes adjustments of its
    # own items; the office drafts, reviews and publishes (items/adjustments.py).
    "items.listversion": ("LO", "LO", "LO", "LO", "LO"),
    "items.adjustment": ("LOAC", "LOAC", "LO", "LO", "LOAC"),
    # The city engraves (adds) the seals it issues; the county keeps and enables them.
    "seals.seal": ("LOCE", "LOACIE", "LOE", "LOIE", "LOACE"),
    # A recorded custody step is never edited, by anyone.
    "seals.sealcustodyevent": ("LOA", "LOA", "LO", "LO", "LOA"),
    # The stamps are the county's: a city department never reaches them.
    "seals.sealusage": ("LOAC", "LOAC", "LO", "LO", ""),
    "handover.handover": ("LOE", "LOACIE", "LOE", "LOIE", "LOACE"),
    "handover.trainingperiod": ("LOC", "LOAC", "LO", "LO", "LOAC"),
    "handover.provincialport": ("LOAC", "LOAC", "LO", "LO", "LOAC"),
    "handover.forwardeddocument": ("LOC", "LOAC", "LO", "LO", "LOAC"),
    "handover.deadlineflag": ("LO", "LOC", "LO", "LO", "LO"),
    "supervision.accountability": ("LO", "LO", "LOAC", "LO", "LO"),
    # Rounds are opened and closed by the office; each answers its own part of an evaluation
    # (the county department its self-assessment, the city department its comment, the office
    # its recommendation); nobody adds
    # an evaluation by hand. Case volumes (办件量) are imported by the office and operators.
    # The city department comments on the evaluations of the items it gave.
    "evaluation.evaluationround": ("LO", "LOAC", "LO", "LO", "LO"),
    "evaluation.itemevaluation": ("LOCE", "LOCIE", "LOE", "LOIE", "LOCE"),
}
ROLES = [DEPARTMENT_STAFF, REFORM_OFFICE, SUPERVISION, OPERATOR, CITY_STAFF]
# Records of the city side where the table's factory makes a county one.
CITY_SIDE_RECORDS = {
    "devolution.importrecord": lambda: ImportRecordFactory(
        user=DepartmentStaffFactory(department=CityDepartmentFactory()).user
    ),
    "supervision.accountability": lambda: AccountabilityFactory(department=CityDepartmentFactory()),
    "devolution.departmentstaff": lambda: DepartmentStaffFactory(
        department=CityDepartmentFactory()
    ),
    "items.adjustment": lambda: AdjustmentFactory(department=CityDepartmentFactory()),
}


def test_the_table_covers_every_model_in_the_admin():
    assert set(EXPECTED) == set(LISTED)


def user_in_role(role, record, label):
    user = UserFactory(username=f"user-{len(role)}-{label}")
    user.groups.add(Group.objects.get(name=role))
    if role in (DEPARTMENT_STAFF, CITY_STAFF):
        # Staff belong to the department of their side of the record they open (scoping is
        # tested elsewhere).
        model_admin = admin.site._registry[type(record)]
        city = role == CITY_STAFF
        field = getattr(model_admin, "city_department_field" if city else "department_field", None)
        if isinstance(field, tuple):
            field = field[0]
        if isinstance(record, Department):
            department = record
        elif field:
            department = Department.objects.get(pk=department_id_of(record, field))
        else:
            department = CityDepartmentFactory() if city else CountyDepartmentFactory()
        DepartmentStaff.objects.create(user=user, department=department)
    return user


@pytest.mark.parametrize("label", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_can_do_exactly_what_the_table_says(client, label, role):
    if role == CITY_STAFF and label in CITY_SIDE_RECORDS:
        record = CITY_SIDE_RECORDS[label]()
    else:
        record = LISTED[label]()
    if label == "devolution.department":
        level = "city" if role == CITY_STAFF else "county"
        record = Department.objects.filter(level=level).first() or record
    model = type(record)
    user = user_in_role(role, record, label)
    if role == CITY_STAFF and label != "devolution.department":
        assert user.department_staff.department.level == "city", label
    client.force_login(user)
    allowed = EXPECTED[label][ROLES.index(role)]

    def answers(url):
        return client.get(url).status_code

    assert (answers(admin_url(model, "changelist")) == 200) == ("L" in allowed)
    page = client.get(admin_url(model, "change", record.pk))
    assert (page.status_code == 200) == ("O" in allowed), page.status_code
    can_save = page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert can_save == ("C" in allowed)
    assert (answers(admin_url(model, "add")) == 200) == ("A" in allowed)
    assert answers(admin_url(model, "delete", record.pk)) == 403
    model_admin = admin.site._registry[model]
    if isinstance(model_admin, ExchangeAdminMixin):
        assert (answers(admin_url(model, "import")) == 200) == ("I" in allowed)
        exported = client.get(admin_url(model, "export"), {"format": "csv"}).status_code
        assert (exported == 200) == ("E" in allowed)
    else:
        assert not {"I", "E"} & set(allowed)
