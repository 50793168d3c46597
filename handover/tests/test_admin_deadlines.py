"""The deadlines in the admin: columns, filters, the 逾期一览 page, the check button, the banner."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from devolution import workdays
from devolution.tests.factories import HolidayFactory, PlanFactory
from handover.deadlines import scan_deadlines
from handover.models import DeadlineFlag, Handover
from handover.tests.factories import (
    ForwardedDocumentFactory,
    HandoverFactory,
    ProvincialPortFactory,
    TrainingPeriodFactory,
)
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def handovers_due(*due_dates):
    """Handovers whose stored due dates are the ones given (relative to the wall clock's today,
    which is what the admin compares with)."""
    handovers = []
    for due_on in due_dates:
        handover = HandoverFactory()
        Handover.objects.filter(pk=handover.pk).update(due_on=due_on)
        handovers.append(handover)
    return handovers


def changelist(client, **params):
    return client.get(reverse("admin:handover_handover_changelist"), params)


def test_the_deadline_filters(admin_client_logged_in):
    today = timezone.localdate()
    with workdays.shared_calendar():
        soon = workdays.add_workdays(today, 3)
        later = workdays.add_workdays(today, 4)
    overdue, due_soon, _due_later, done = handovers_due(
        today - datetime.timedelta(days=30), soon, later, today - datetime.timedelta(days=30)
    )
    Handover.objects.filter(pk=done.pk).update(completed_on=today, signed_by="张三")
    shown = {
        value: set(
            changelist(admin_client_logged_in, deadline=value)
            .context["cl"]
            .result_list.values_list("pk", flat=True)
        )
        for value in ["overdue", "due_soon", "done"]
    }
    assert shown == {"overdue": {overdue.pk}, "due_soon": {due_soon.pk}, "done": {done.pk}}
    page = changelist(admin_client_logged_in).content.decode()
    assert "3个工作日内到期" in page and "逾期（工作日）" in page


def test_days_overdue_are_working_days(admin_client_logged_in):
    today = timezone.localdate()
    due_on = today - datetime.timedelta(days=40)
    handovers_due(due_on)
    response = changelist(admin_client_logged_in)
    expected = workdays.workdays_between(due_on, today)
    assert 20 < expected < 40
    assert f'<td class="field-days_overdue">{expected}</td>' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "admin:handover_handover_changelist",
        "admin:handover_trainingperiod_changelist",
        "admin:seals_seal_changelist",
    ],
)
def test_list_pages_with_days_overdue_do_not_query_per_row(
    admin_client_logged_in, django_assert_num_queries, url
):
    def make(count):
        for _ in range(count):
            period = TrainingPeriodFactory(starts_on=D(2016, 10, 10))
            SealFactory(plan=period.handover.plan, holder=period.handover.county_department)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert admin_client_logged_in.get(reverse(url)).status_code == 200
        return len(queries)

    make(2)
    few = count_queries()
    make(20)
    assert count_queries() == few


def test_the_overdue_page_groups_open_flags_by_department_and_deadline(admin_client_logged_in):
    late = HandoverFactory()
    seal = SealFactory(plan=late.plan, holder=late.county_department)
    other = HandoverFactory(plan=late.plan)
    done = HandoverFactory(plan=late.plan)
    scan_deadlines(D(2016, 10, 9))
    done.completed_on, done.signed_by = D(2016, 10, 10), "张三"
    done.save()
    scan_deadlines(D(2016, 10, 11))
    response = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue"))
    page = response.content.decode()
    assert late.county_department.full_name in page
    assert other.county_department.full_name in page
    assert done.county_department.full_name not in page
    assert "权力交接逾期" in page and "专用分章送达逾期" in page
    assert reverse("admin:handover_handover_change", args=[late.pk]) in page
    assert reverse("admin:seals_seal_change", args=[seal.pk]) in page
    assert str(seal) in page and str(late) in page
    # Departments in their usual order; within one, the oldest deadline first.
    assert page.index(late.county_department.full_name) < page.index(
        other.county_department.full_name
    )


def test_the_overdue_page_says_when_no_check_has_run_yet(admin_client_logged_in):
    """Before the first scan an empty 逾期一览 means "not checked", not "nothing is late"."""
    HandoverFactory()
    url = reverse("admin:handover_deadlineflag_overdue")
    page = admin_client_logged_in.get(url).content.decode()
    assert "尚未检查过逾期" in page and "目前没有逾期事项" not in page

    scan_deadlines(D(2016, 9, 12))  # the handover is not due yet
    page = admin_client_logged_in.get(url).content.decode()
    assert "尚未检查过逾期" not in page
    assert "上次检查：" in page and "目前没有逾期事项" in page


def overdue_records_of_every_deadline(count):
    """`count` records overdue on 2017-01-03 for each of the five deadlines."""
    records = []
    for n in range(count):
        handover = HandoverFactory()
        period = TrainingPeriodFactory(starts_on=D(2016, 9, 30))
        records += [
            handover,
            period,
            SealFactory(plan=handover.plan, holder=handover.county_department),
            ProvincialPortFactory(due_on=D(2016, 11, 1)),
            ForwardedDocumentFactory(title=f"<关于{n}的通知>"),
        ]
    return records


def test_the_overdue_page_names_every_deadlines_records_with_a_fixed_number_of_queries(
    admin_client_logged_in,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page():
        scan_deadlines(D(2017, 1, 3))
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue"))
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    records = overdue_records_of_every_deadline(1)
    html, few = page()
    assert DeadlineFlag.objects.open().count() == 5
    for record in records:
        # Each row links its record under the record's own name, escaped.
        assert f">{escape(str(record))}</a>" in html
    assert "&lt;关于0的通知&gt;" in html and "<关于0" not in html

    records = overdue_records_of_every_deadline(6)
    html, many = page()
    assert DeadlineFlag.objects.open().count() == 35
    assert all(f">{escape(str(record))}</a>" in html for record in records)
    assert many == few


def test_the_check_button_and_the_admin_action_run_the_scan(admin_client_logged_in):
    # In development and the tests Celery runs eagerly: the queued scan runs at once.
    HandoverFactory(plan=PlanFactory(issued_on=D(2016, 9, 9)))
    response = admin_client_logged_in.post(
        reverse("admin:handover_deadlineflag_check"), follow=True
    )
    assert "已提交逾期检查" in response.content.decode()
    assert DeadlineFlag.objects.count() == 1
    handover = HandoverFactory()
    response = admin_client_logged_in.post(
        reverse("admin:handover_handover_changelist"),
        {"action": "check_deadlines_now", "_selected_action": [handover.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert DeadlineFlag.objects.count() == 2


def test_the_banner_names_the_uncovered_years_the_deadlines_touch(admin_client_logged_in):
    HandoverFactory(plan=PlanFactory(issued_on=D(2099, 3, 2), published_on=D(2099, 3, 3)))
    page = admin_client_logged_in.get(reverse("admin:index")).content.decode()
    assert "2099 年的法定节假日和调休尚未登记" in page  # e.g. "2027–2099 年…"
    HolidayFactory(date=D(2099, 1, 1), name="元旦")
    page = admin_client_logged_in.get(reverse("admin:index")).content.decode()
    assert "2099" not in page


def test_uncovered_years_are_shown_as_runs():
    from handover.templatetags.deadline_calendar import year_runs

    assert year_runs([2016, 2027, 2028, 2029, 2031]) == "2016、2027–2029、2031"
    assert year_runs([]) == ""


def test_department_staff_see_only_their_own_departments_flags(client):
    from django.contrib.auth.models import Permission

    from devolution.tests.factories import DepartmentStaffFactory

    own, other = HandoverFactory(), HandoverFactory()
    scan_deadlines(D(2016, 10, 9))
    staff = DepartmentStaffFactory(department=own.county_department)
    staff.user.user_permissions.add(Permission.objects.get(codename="view_deadlineflag"))
    client.force_login(staff.user)
    page = client.get(reverse("admin:handover_deadlineflag_overdue")).content.decode()
    assert own.county_department.full_name in page
    assert other.county_department.full_name not in page


def test_departments_without_contact_are_named_once_on_the_overdue_page(
    admin_client_logged_in, caplog
):
    silent = HandoverFactory()
    reachable = HandoverFactory(plan=silent.plan)
    for handover in (silent, reachable):
        for department in (handover.city_department, handover.county_department):
            department.contact_email = "" if handover is silent else "office@panshan.example"
            department.save()
    caplog.set_level("INFO")
    scan_deadlines(D(2016, 10, 11))
    scan_deadlines(D(2016, 10, 12))
    # The scans say nothing per department: the page below says it, once.
    assert not [record for record in caplog.records if record.levelname == "WARNING"]
    page = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue"))
    html = page.content.decode()
    banner = html[html.index("未登记联系人邮箱") : html.index("请在“部门”中填写联系人邮箱")]
    flagged = DeadlineFlag.objects.filter(resolved_on__isnull=True)
    unreachable = {flag.department for flag in flagged if not flag.department.contact_email}
    assert unreachable and all(d.full_name in banner for d in unreachable)
    for department in unreachable:
        assert reverse("admin:devolution_department_change", args=[department.pk]) in banner
    assert reachable.county_department.full_name not in banner
    assert reachable.city_department.full_name not in banner


@pytest.mark.parametrize(
    "url",
    [
        "admin:handover_deadlineflag_overdue",
        "admin:handover_handover_changelist",
        "admin:seals_seal_changelist",
    ],
)
def test_pages_do_not_grow_with_the_days_overdue(admin_client_logged_in, monkeypatch, url):
    """The same queries and no day-by-day counting, whether 2 weeks or 10 years overdue."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        handover = HandoverFactory()
        SealFactory(plan=handover.plan, holder=handover.county_department)
    scan_deadlines(D(2016, 10, 11))
    assert DeadlineFlag.objects.count() == 6
    today = timezone.localdate()

    def overdue_by(days):
        due_on = today - datetime.timedelta(days=days)
        Handover.objects.update(due_on=due_on)
        from seals.models import Seal

        Seal.objects.update(delivery_due_on=due_on)
        DeadlineFlag.objects.update(due_on=due_on, found_on=today)
        looked_up = []
        monkeypatch.setattr(
            "chinese_calendar.is_workday", lambda day: looked_up.append(day) or True
        )
        workdays.workday_table.cache_clear()
        admin_client_logged_in.get(reverse(url))  # builds the table for this calendar
        monkeypatch.setattr(
            workdays.WorkdayTable, "is_workday", lambda self, o: looked_up.append(o)
        )
        looked_up.clear()
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_logged_in.get(reverse(url))
        monkeypatch.undo()
        assert response.status_code == 200
        expected = workdays.workdays_between(due_on, today)
        assert str(expected) in response.content.decode()
        return len(queries), looked_up

    recent, recent_lookups = overdue_by(14)
    old, old_lookups = overdue_by(3653)
    assert recent == old
    assert recent_lookups == old_lookups == []
