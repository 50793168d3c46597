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
from devolution.tests.factories import CountyDepartmentFactory, UserFactory
from devolution.tests.test_admin_pages import LISTED, admin_url
from supervision.roles import DEPARTMENT_STAFF, OPERATOR, REFORM_OFFICE, SUPERVISION

pytestmark = pytest.mark.django_db

EXPECTED = {
    #                               staff     office     superv.  operator
    "devolution.plan": ("LO", "LOAC", "LO", "LO"),
    "devolution.holiday": ("LO", "LOAC", "LO", "LO"),
    "devolution.department": ("LOCE", "LOACIE", "LOE", "LOIE"),
    "devolution.departmentstaff": ("", "LOAC", "", ""),
    "devolution.importrecord": ("LO", "LO", "LO", "LO"),
    "items.devolveditem": ("LOCE", "LOACIE", "LOE", "LOIE"),
    "items.cancelledapproval": ("LOE", "LOACIE", "LOE", "LOIE"),
    "seals.seal": ("LOCE", "LOACIE", "LOE", "LOIE"),
    # A recorded custody step is never edited, by anyone.
    "seals.sealcustodyevent": ("LOA", "LOA", "LO", "LO"),
    "seals.sealusage": ("LOAC", "LOAC", "LO", "LO"),
    "handover.handover": ("LOE", "LOACIE", "LOE", "LOIE"),
    "handover.trainingperiod": ("LOC", "LOAC", "LO", "LO"),
    "handover.provincialport": ("LOAC", "LOAC", "LO", "LO"),
    "handover.forwardeddocument": ("LOC", "LOAC", "LO", "LO"),
    "handover.deadlineflag": ("LO", "LOC", "LO", "LO"),
    "supervision.accountability": ("LO", "LO", "LOAC", "LO"),
    # Rounds are opened and closed by the office; each answers its own part of an evaluation
    # (the county department its self-assessment, the office its recommendation); nobody adds
    # an evaluation by hand. Case volumes (办件量) are imported by the office and operators.
    "evaluation.evaluationround": ("LO", "LOAC", "LO", "LO"),
    "evaluation.itemevaluation": ("LOCE", "LOCIE", "LOE", "LOIE"),
}
ROLES = [DEPARTMENT_STAFF, REFORM_OFFICE, SUPERVISION, OPERATOR]


def test_the_table_covers_every_model_in_the_admin():
    assert set(EXPECTED) == set(LISTED)


def user_in_role(role, record, label):
    user = UserFactory(username=f"user-{len(role)}-{label}")
    user.groups.add(Group.objects.get(name=role))
    if role == DEPARTMENT_STAFF:
        # Staff belong to the department of the record they open (scoping is tested elsewhere).
        field = getattr(admin.site._registry[type(record)], "department_field", None)
        if isinstance(record, Department):
            department = record
        elif field:
            department = Department.objects.get(pk=department_id_of(record, field))
        else:
            department = CountyDepartmentFactory()
        DepartmentStaff.objects.create(user=user, department=department)
    return user


@pytest.mark.parametrize("label", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_can_do_exactly_what_the_table_says(client, label, role):
    record = LISTED[label]()
    if label == "devolution.department":
        record = Department.objects.filter(level="county").first() or record
    model = type(record)
    client.force_login(user_in_role(role, record, label))
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
