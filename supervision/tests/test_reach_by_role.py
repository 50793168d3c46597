"""Department reach with the real roles (not hand-picked permissions): the paths a review found
open, each closed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from devolution.models import DepartmentStaff
from devolution.tests.factories import UserFactory
from devolution.tests.test_admin_pages import admin_url
from handover.models import DeadlineFlag, Handover
from handover.tests.factories import DeadlineFlagFactory
from items.models import DevolvedItem
from seals.models import Seal, SealUsage
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF, SUPERVISION

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
    # Rule 8: the text is not edited in place either; the clerk proposes an adjustment.
    assert 'name="legal_basis"' not in page and "提出调整" in page


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


# The city departments' staff (市直部门工作人员), with the real role.


def city_clerk(client, item):
    return login(client, CITY_STAFF, item.city_department)


def test_a_city_clerk_reads_the_items_it_devolved_and_no_others(registry, client, item):
    client = city_clerk(client, item)
    listing = client.get(admin_url(DevolvedItem, "changelist"), {"all": ""})
    shown = set(listing.context["cl"].queryset.values_list("pk", flat=True))
    assert shown == set(
        DevolvedItem.objects.filter(city_department=item.city_department).values_list(
            "pk", flat=True
        )
    )
    page = client.get(admin_url(DevolvedItem, "change", item.pk)).content.decode()
    assert 'name="_save"' not in page and 'name="name"' not in page  # read-only
    assert "用印记录" not in page  # the county's stamps are not shown to the city
    other = DevolvedItem.objects.exclude(city_department=item.city_department).first()
    assert client.get(admin_url(DevolvedItem, "change", other.pk)).status_code == 403
    text = b"".join(
        client.get(admin_url(DevolvedItem, "export"), {"format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert item.name in text and other.name not in text
    assert client.get(admin_url(DevolvedItem, "import")).status_code == 403


def test_a_city_clerk_reaches_its_own_seals_and_handovers_only(registry, client, item):
    client = city_clerk(client, item)
    seals = client.get(admin_url(Seal, "changelist"), {"all": ""}).context["cl"].queryset
    assert {seal.issuer_id for seal in seals} == {item.city_department_id}
    foreign_seal = Seal.objects.exclude(issuer=item.city_department).first()
    assert client.get(admin_url(Seal, "change", foreign_seal.pk)).status_code == 403
    assert client.get(admin_url(Seal, "history", foreign_seal.pk)).status_code in {403, 404}
    handovers = client.get(admin_url(Handover, "changelist")).context["cl"].queryset
    assert {h.city_department_id for h in handovers} == {item.city_department_id}
    # Form choices: a new seal is issued by its own department only.
    page = client.get(admin_url(Seal, "add"))
    issuers = page.context["adminform"].form.fields["issuer"].queryset
    assert list(issuers) == [item.city_department]
    # Autocomplete of the issuer field offers its own department only.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "seals", "model_name": "seal", "field_name": "issuer", "term": "市"},
    ).json()["results"]
    assert [r["id"] for r in found] == [str(item.city_department_id)]
    # No stamps at all.
    assert client.get(admin_url(SealUsage, "changelist")).status_code == 403


def test_a_city_clerk_cannot_record_a_step_on_another_citys_seal(registry, client, item):
    client = city_clerk(client, item)
    foreign = Seal.objects.exclude(issuer=item.city_department).first()
    client.post(
        admin_url(Seal, "changelist"),
        {
            "action": "record_delivered",
            "_selected_action": [foreign.pk],
            "apply": "1",
            "happened_on": "2016-09-26",
            "person": "王五",
        },
    )
    foreign.refresh_from_db()
    assert foreign.status == "engraved" and not foreign.custody_events.exists()


def test_the_dashboard_shows_a_city_clerk_what_it_gives(registry, client, item):
    client = city_clerk(client, item)
    response = client.get(reverse("admin:handover_progress"))
    rows = response.context["rows"]
    receivers = set(
        DevolvedItem.objects.filter(city_department=item.city_department).values_list(
            "county_department", flat=True
        )
    )
    assert {row.department.pk for row in rows} == receivers
    assert response.context["total"].items == (
        DevolvedItem.objects.current().filter(city_department=item.city_department).count()
    )
    assert response.context["total"].seals == item.city_department.seals_issued.count()


def test_the_overdue_page_shows_a_city_clerk_the_flags_it_owes(registry, client, item):
    from handover.deadlines import scan_deadlines

    scan_deadlines(datetime.date(2016, 10, 10))
    client = city_clerk(client, item)
    page = client.get(reverse("admin:handover_deadlineflag_overdue")).content.decode()
    assert f"责任方：{item.city_department.full_name}" in page
    others = DeadlineFlag.objects.exclude(city_department=item.city_department)
    assert others.exists()
    assert not [
        flag for flag in others.select_related("department") if flag.department.full_name in page
    ]
