"""Department reach with the real roles (not hand-picked permissions): the paths a review found
open, each closed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from devolution.models import DepartmentStaff
from devolution.tests.factories import UserFactory
from devolution.tests.test_admin_pages import admin_url
from handover.models import DeadlineFlag
from handover.tests.factories import DeadlineFlagFactory
from items.models import DevolvedItem
from supervision.roles import DEPARTMENT_STAFF, SUPERVISION

pytestmark = pytest.mark.django_db


def login(client, role, department=None):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    if department is not None:
        DepartmentStaff.objects.create(user=user, department=department)
    client.force_login(user)
    return client


@pytest.fixture
def item():
    return DevolvedItem.objects.select_related("county_department").get(sequence=1)


def test_a_clerk_nobody_tied_to_a_department_reaches_nothing(registry, client, item):
    client = login(client, DEPARTMENT_STAFF)
    assert client.get(admin_url(DevolvedItem, "changelist")).status_code == 403
    assert client.get(admin_url(DevolvedItem, "change", item.pk)).status_code == 403
    assert client.get(admin_url(DevolvedItem, "export"), {"format": "csv"}).status_code == 403


def test_the_dashboard_shows_a_clerk_their_own_department_only(registry, client, item):
    client = login(client, DEPARTMENT_STAFF, item.county_department)
    page = client.get(reverse("admin:handover_progress")).content.decode()
    assert item.county_department.short_name in page
    assert (
        "县残联" not in page and "县公安局" not in page
    ) or item.county_department.short_name in {
        "县残联",
        "县公安局",
    }
    rows = page.count('<th scope="row">')
    assert rows == 2  # their department and the total


def test_a_clerk_exports_no_other_county_departments(registry, client, item):
    client = login(client, DEPARTMENT_STAFF, item.county_department)
    response = client.get(admin_url(type(item.county_department), "export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert item.county_department.full_name in text
    assert "盘锦市" in text  # the city departments they deal with
    others = ["盘山县残疾人联合会", "盘山县公安局"]
    assert not [
        name for name in others if name != item.county_department.full_name and name in text
    ]


def test_view_only_roles_cannot_retire_items_or_start_a_scan(registry, client, item):
    client = login(client, SUPERVISION)
    listing = client.get(admin_url(DevolvedItem, "changelist")).content.decode()
    assert "retire_selected" not in listing
    response = client.post(
        admin_url(DevolvedItem, "changelist"),
        {"action": "retire_selected", "_selected_action": [item.pk]},
    )
    assert response.status_code in {200, 302}
    assert DevolvedItem.objects.get(pk=item.pk).retired_on is None
    client.post(reverse("admin:handover_deadlineflag_check"))
    assert not DeadlineFlag.objects.exists()  # the scan did not run (it would flag 2016's)


def test_a_clerk_cannot_start_the_scan_either(registry, client, item):
    client = login(client, DEPARTMENT_STAFF, item.county_department)
    flags = admin_url(DeadlineFlag, "changelist")
    assert "check_deadlines_now" not in client.get(flags).content.decode()
    client.post(reverse("admin:handover_deadlineflag_check"))
    assert not DeadlineFlag.objects.exists()


def test_a_clerk_cannot_retype_the_facts_an_item_is_judged_on(registry, client, item):
    client = login(client, DEPARTMENT_STAFF, item.county_department)
    page = client.get(admin_url(DevolvedItem, "change", item.pk)).content.decode()
    for field in ["power_type", "county_department", "city_department", "provincial_system"]:
        assert f'name="{field}"' not in page, field
    assert 'name="legal_basis"' in page  # the text they keep is still theirs to edit


def test_a_clerk_changes_only_the_contact_of_their_department(registry, client, item):
    client = login(client, DEPARTMENT_STAFF, item.county_department)
    page = client.get(admin_url(type(item.county_department), "change", item.county_department_id))
    html = page.content.decode()
    assert 'name="contact_email"' in html
    for field in ["full_name", "short_name", "level", "is_approval_bureau"]:
        assert f'name="{field}"' not in html, field


def test_the_overdue_page_shows_a_clerk_their_own_flags(client):
    own, foreign = DeadlineFlagFactory(), DeadlineFlagFactory()
    client = login(client, DEPARTMENT_STAFF, own.department)
    page = client.get(reverse("admin:handover_deadlineflag_overdue")).content.decode()
    assert own.department.full_name in page and foreign.department.full_name not in page
    assert own.due_on == datetime.date(2016, 10, 8)
