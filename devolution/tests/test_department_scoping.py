"""A department's staff reach only their own department's records, by every admin path."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from devolution.admin import DepartmentScopedMixin, department_id_of
from devolution.models import Department, ImportRecord
from devolution.tests.factories import DepartmentStaffFactory
from devolution.tests.sheets import xlsx_bytes
from devolution.tests.test_admin_pages import LISTED, PROJECT_APPS, admin_url
from items.models import Adjustment, DevolvedItem
from items.tabular import ITEM_HEADERS, item_row
from items.tests.factories import DevolvedItemFactory
from items.tests.publishing import publish_draft
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db

SCOPED = sorted(
    label
    for label in LISTED
    if isinstance(admin.site._registry[LISTED[label]._meta.model], DepartmentScopedMixin)
    and label != "devolution.department"
)


def clerk_client(client, department):
    staff = DepartmentStaffFactory(department=department)
    staff.user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
    )
    client.force_login(staff.user)
    return client


def own_and_foreign(label):
    model_admin = admin.site._registry[LISTED[label]._meta.model]
    own, foreign = LISTED[label](), LISTED[label]()
    own_department = department_id_of(own, model_admin.department_field)
    assert own_department != department_id_of(foreign, model_admin.department_field)
    return own, foreign, Department.objects.get(pk=own_department)


def test_every_department_record_admin_is_scoped():
    unscoped = {
        label
        for label in LISTED
        if not isinstance(admin.site._registry[LISTED[label]._meta.model], DepartmentScopedMixin)
    }
    # An evaluation round is the whole county's, like the plan (its evaluations are scoped);
    # the provincial systems are the province's, named by every department's items and ports;
    # and a published list version is everyone's.
    assert unscoped == {
        "devolution.plan",
        "devolution.holiday",
        "evaluation.evaluationround",
        "items.provincialsystem",
        "items.listversion",
    }


@pytest.mark.parametrize("label", SCOPED)
def test_list_and_object_urls_stay_within_the_department(client, label):
    own, foreign, department = own_and_foreign(label)
    assert_reaches_own_not_foreign(clerk_client(client, department), own, foreign)


def assert_reaches_own_not_foreign(client, own, foreign):
    """By list, object URL and history: the clerk reaches `own` and not `foreign`."""
    model = type(own)
    listing = client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "change", own.pk) in listing
    assert admin_url(model, "change", foreign.pk) not in listing
    assert client.get(admin_url(model, "change", own.pk)).status_code == 200
    assert client.get(admin_url(model, "change", foreign.pk)).status_code == 403
    if hasattr(model, "history"):
        assert client.get(admin_url(model, "history", own.pk)).status_code == 200
        assert client.get(admin_url(model, "history", foreign.pk)).status_code == 403


def city_side(label):
    """The city department a record of `label` is given by, or None."""
    path = admin.site._registry[LISTED[label]._meta.model].city_department_field
    return path if isinstance(path, str) else (path or (None,))[0]


CITY_SCOPED = [label for label in SCOPED if city_side(label)]


@pytest.mark.parametrize("label", CITY_SCOPED)
def test_a_city_departments_staff_reach_only_what_it_gives(client, label):
    own, foreign = LISTED[label](), LISTED[label]()
    path = city_side(label)
    department = Department.objects.get(pk=department_id_of(own, path))
    if department.level != Department.Level.CITY:
        pytest.skip("the factory makes this record on the county side")
    assert department_id_of(foreign, path) != department.pk
    assert_reaches_own_not_foreign(clerk_client(client, department), own, foreign)


def test_a_city_department_reaches_no_stamp_by_any_path(client):
    from seals.models import SealUsage
    from seals.tests.factories import SealUsageFactory

    usage = SealUsageFactory()
    city = usage.seal.issuer
    assert usage.item.city_department == city
    client = clerk_client(client, city)
    # Even with every permission, the stamping register is the county's alone.
    assert (
        admin_url(SealUsage, "change", usage.pk)
        not in client.get(admin_url(SealUsage, "changelist")).content.decode()
    )
    assert client.get(admin_url(SealUsage, "change", usage.pk)).status_code == 403
    assert client.get(admin_url(SealUsage, "history", usage.pk)).status_code == 403


def test_a_city_departments_stamp_report_counts_only_its_own_seals_stamps(client):
    """用印统计 for a city department: by month, seal and item, the counts of the stamps made
    with the seals it issued (not another's), and no link into the county's stamp register."""
    import datetime

    from seals.models import SealUsage
    from seals.tests.factories import SealUsageFactory

    own = SealUsageFactory(stamped_on=datetime.date(2016, 11, 3))
    SealUsageFactory(seal=own.seal, item=own.item, stamped_on=datetime.date(2016, 11, 4))
    other = SealUsageFactory(stamped_on=datetime.date(2017, 2, 1))
    assert other.seal.issuer != own.seal.issuer
    client = clerk_client(client, own.seal.issuer)
    response = client.get(reverse("admin:seals_seal_report"))
    assert [row["stamps"] for row in response.context["per_month"]] == [2]
    assert [row["item"] for row in response.context["per_item"]] == [own.item_id]
    assert [row["stamp_count"] for row in response.context["per_seal"]] == [2]
    page = response.content.decode()
    assert "2016年11月" in page and "2017年2月" not in page
    assert admin_url(SealUsage, "changelist") + "?" not in page


def test_search_and_autocomplete_find_only_own_items(client):
    own = DevolvedItemFactory(name="本部门的许可事项")
    foreign = DevolvedItemFactory(name="别的部门的许可事项")
    seal = SealFactory(holder=own.county_department, status="enabled")
    client = clerk_client(client, own.county_department)
    listing = client.get(admin_url(type(own), "changelist"), {"q": "许可事项"}).content.decode()
    assert own.name in listing and foreign.name not in listing
    # The item picker on the stamping register.
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "seals", "model_name": "sealusage", "field_name": "item", "term": "许可"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(own.pk)]
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "seals", "model_name": "sealusage", "field_name": "seal", "term": ""},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(seal.pk)]


def test_a_clerk_cannot_post_a_record_into_another_department(client):
    own = DevolvedItemFactory()
    foreign = DevolvedItemFactory()
    client = clerk_client(client, own.county_department)
    response = client.post(
        admin_url(type(own), "add"),
        {
            "plan": own.plan_id,
            "code": "PJ-XK-9999",
            "name": "冒充别的部门的事项",
            "power_type": "licensing",
            "city_department": foreign.city_department_id,
            "county_department": foreign.county_department_id,
        },
    )
    assert response.status_code == 200  # the form comes back with its error
    assert "选择一个有效的选项" in response.content.decode()
    assert not type(own).objects.filter(name="冒充别的部门的事项").exists()


def test_staff_read_city_departments_but_change_only_their_own(client):
    own = DevolvedItemFactory()
    other_county = DevolvedItemFactory().county_department
    client = clerk_client(client, own.county_department)
    assert client.get(admin_url(Department, "change", other_county.pk)).status_code == 403
    city = own.county_department.counterpart
    page = client.get(admin_url(Department, "change", city.pk))
    assert page.status_code == 200 and 'name="full_name"' not in page.content.decode()


def item_sheet(*items):
    rows = [ITEM_HEADERS] + [item_row(item) for item in items]
    return SimpleUploadedFile("本部门事项.xlsx", xlsx_bytes(rows))


def test_a_clerk_exports_only_their_own_departments_items(client):
    own = DevolvedItemFactory()
    foreign = DevolvedItemFactory(plan=own.plan)
    client = clerk_client(client, own.county_department)
    response = client.get(admin_url(type(own), "export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert own.name in text and foreign.name not in text


def test_a_clerk_cannot_import_rows_for_another_department(client):
    own = DevolvedItemFactory()
    foreign = DevolvedItemFactory(plan=own.plan)
    own.name, foreign.name = "本部门改名", "别的部门被改名"
    client = clerk_client(client, own.county_department)
    response = client.post(admin_url(type(own), "import"), {"file": item_sheet(own, foreign)})
    page = response.content.decode()
    assert f"只能导入本部门（{own.county_department}）的记录" in page
    assert not DevolvedItem.objects.filter(name__in=["本部门改名", "别的部门被改名"]).exists()
    # Their own rows alone go through.
    response = client.post(admin_url(type(own), "import"), {"file": item_sheet(own)})
    record = ImportRecord.objects.latest("pk")
    client.post(admin_url(type(own), "import_confirm", record.pk))
    # Rule 8: the rows are their department's proposal, published after another's review.
    drafted = Adjustment.objects.get(source_import=record)
    assert drafted.department == own.county_department
    assert DevolvedItem.objects.get(pk=own.pk).name != "本部门改名"
    publish_draft(drafted)
    assert DevolvedItem.objects.get(pk=own.pk).name == "本部门改名"
