import datetime

import pytest
from django.urls import reverse

from handover.dashboard import department_progress
from handover.models import Handover
from items.models import DevolvedItem, ItemStatus
from seals.models import Seal, SealStatus, SealUsage

pytestmark = pytest.mark.django_db


def test_fixture_figures_before_any_handover(registry):
    rows, total = department_progress()
    assert len(rows) == 29
    assert (total.items, total.not_handed_over, total.handed_over) == (308, 308, 0)
    assert total.seals == Seal.objects.count() and total.seals_enabled == 0
    assert total.open_flags == 0 and total.never_stamped == []
    by_name = {row.department.short_name: row for row in rows}
    assert (
        by_name["县人社局"].items
        == DevolvedItem.objects.filter(county_department__short_name="县人社局").count()
    )


def test_figures_follow_a_completed_handover(registry, django_capture_on_commit_callbacks):
    handover = Handover.objects.get(county_department__short_name="县人社局")
    with django_capture_on_commit_callbacks(execute=True):
        handover.completed_on = datetime.date(2016, 9, 30)
        handover.signed_by = "县编委办 赵六"
        handover.save()
        for seal in Seal.objects.filter(holder=handover.county_department):
            seal.status = SealStatus.ENABLED
            seal.save()
    items = DevolvedItem.objects.filter(county_department=handover.county_department)
    stamped = items.filter(power_type="licensing").first()
    SealUsage.objects.create(
        seal=Seal.objects.get(holder=handover.county_department, kind="approval"),
        item=stamped,
        stamped_on=datetime.date(2016, 10, 20),
        document_reference="盘山人社审〔2016〕1号",
        applicant="盘山县某劳务派遣有限公司",
        stamped_by="孙八",
    )
    rows, total = department_progress()
    row = next(r for r in rows if r.department == handover.county_department)
    assert row.in_training == row.items == items.count()
    assert row.seals_enabled == row.seals
    assert total.in_training == row.items and total.not_handed_over == 308 - row.items
    assert stamped not in row.never_stamped
    assert len(row.never_stamped) == row.items - 1
    assert {item.status for item in row.never_stamped} == {ItemStatus.IN_TRAINING}


def test_dashboard_page_has_a_fixed_query_count(
    registry, admin_client_logged_in, django_assert_max_num_queries
):
    url = reverse("admin:handover_progress")
    # Five aggregates, the departments, the unused items, session and user, and the calendar
    # banner every admin page shows (one bound per deadline kind, and the holidays).
    with django_assert_max_num_queries(16):
        response = admin_client_logged_in.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "赋权工作进度" in page and "县人社局" in page
    assert (
        reverse("admin:handover_progress") in admin_client_logged_in.get("/admin/").content.decode()
    )


def test_dashboard_needs_permission(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x-long-pass", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:handover_progress")).status_code == 403
