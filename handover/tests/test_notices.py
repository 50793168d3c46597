"""Notices that tell the truth: sent, to whom, reminded every N working days, escalated after M,
each once even with two scans at the same time."""

import datetime
import itertools
import queue
import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections, transaction
from django.utils import timezone

from devolution import workdays
from devolution.tests.factories import CountyDepartmentFactory, UserFactory
from handover.deadlines import scan_deadlines
from handover.models import DeadlineFlag
from handover.notices import (
    NoticeResult,
    claim_escalations,
    claim_notices,
    escalate_claimed,
    notify_claimed,
    send_notices,
    workdays_before,
)
from handover.tests.factories import HandoverFactory

D = datetime.date
FOUND = D(2016, 10, 10)  # a Monday; the handovers were due 2016-10-08


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")


def member_of(group, email):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name=group))
    return user


def late_handover(email="minzheng@panjin.example"):
    county = CountyDepartmentFactory(counterpart__contact_email=email)
    return HandoverFactory(county_department=county)


@pytest.mark.django_db
def test_a_flag_shows_notified_only_when_sent_and_names_the_recipient():
    reached = late_handover()
    unreachable = late_handover(email="")
    office = member_of("县编委办", "bianban@panshan.example")
    result = scan_deadlines(FOUND)
    assert (result.opened, result.notified) == (2, 1)
    assert result.unreachable == [unreachable.city_department.short_name]
    sent = DeadlineFlag.objects.get(object_id=reached.pk)
    assert sent.notified_to == "minzheng@panjin.example" and sent.notices_sent == 1
    assert sent.notice_state == "已通知：minzheng@panjin.example"
    unsent = DeadlineFlag.objects.select_related("department").get(object_id=unreachable.pk)
    assert unsent.notified_at is None and unsent.notices_sent == 0
    assert unsent.notice_state == "未通知：无联系人邮箱"
    # The department was told, and the reform office was told who could not be.
    to_department, to_office = mail.outbox
    assert to_department.to == ["minzheng@panjin.example"]
    assert to_office.to == [office.email]
    assert unreachable.city_department.full_name in to_office.body
    assert reached.city_department.full_name not in to_office.body


@pytest.mark.django_db
def test_the_overdue_page_says_who_was_notified(admin_client_logged_in):
    from django.urls import reverse

    late_handover()
    late_handover(email="")
    scan_deadlines(FOUND)
    page = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue"))
    html = page.content.decode()
    assert "已通知：minzheng@panjin.example" in html
    assert "未通知：无联系人邮箱" in html


@pytest.mark.django_db
@pytest.mark.parametrize("reminder_days", [5, 3])
def test_an_open_flag_is_reminded_every_n_working_days(settings, reminder_days):
    settings.DEADLINE_REMINDER_WORKDAYS = reminder_days
    settings.DEADLINE_ESCALATION_WORKDAYS = 100
    late_handover()
    day, sent_on = FOUND, []
    while day < D(2016, 11, 10):
        before = len(mail.outbox)
        scan_deadlines(day)
        if len(mail.outbox) > before:
            sent_on.append(day)
        day += datetime.timedelta(days=1)
    gaps = {workdays.workdays_between(a, b) for a, b in itertools.pairwise(sent_on)}
    assert sent_on[0] == FOUND and gaps == {reminder_days}
    flag = DeadlineFlag.objects.get()
    assert flag.notices_sent == len(sent_on) > 2
    assert "再次提醒" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_an_open_flag_is_escalated_to_supervision_once_after_m_working_days(settings):
    settings.DEADLINE_ESCALATION_WORKDAYS = 10
    handover = late_handover()
    inspector = member_of("监察督查", "jiancha@panshan.example")
    scan_deadlines(FOUND)
    escalate_on = workdays.add_workdays(FOUND, 10)
    day = FOUND + datetime.timedelta(days=1)
    while day < escalate_on:
        assert scan_deadlines(day).escalated == 0
        day += datetime.timedelta(days=1)
    assert scan_deadlines(escalate_on).escalated == 1
    escalations = [m for m in mail.outbox if m.to == [inspector.email]]
    assert len(escalations) == 1 and handover.city_department.full_name in escalations[0].body
    assert "市直部门" in escalations[0].body  # which side is late
    assert scan_deadlines(escalate_on + datetime.timedelta(days=1)).escalated == 0
    flag = DeadlineFlag.objects.get()
    assert flag.escalated_to == inspector.email and flag.escalated_at is not None


@pytest.mark.django_db
def test_without_a_supervision_address_nothing_is_shown_as_escalated(settings):
    settings.DEADLINE_ESCALATION_WORKDAYS = 1
    late_handover()
    scan_deadlines(FOUND)
    assert scan_deadlines(FOUND + datetime.timedelta(days=1)).escalated == 0
    flag = DeadlineFlag.objects.get()
    assert flag.escalated_at is None and flag.escalation_claim == ""


@pytest.mark.django_db
def test_a_missing_supervision_address_is_said_on_the_overdue_page_not_in_every_scans_log(
    settings, caplog, admin_client_logged_in
):
    """Issue 15 item 13: the scans log no warning for it; 逾期一览 says it once, with the fix."""
    from django.urls import reverse

    settings.DEADLINE_ESCALATION_WORKDAYS = 1
    late_handover()
    caplog.set_level("INFO")
    scan_deadlines(FOUND)
    results = [scan_deadlines(FOUND + datetime.timedelta(days=n)) for n in (1, 2, 3)]
    assert not [record for record in caplog.records if record.levelname == "WARNING"]
    assert "未能升级督办（监察督查无邮箱）1 条" in str(results[-1])
    page = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue"))
    html = page.content.decode()
    assert "监察督查没有登记邮箱的账号：逾期满 1 个工作日仍未办结的" in html
    assert "为监察督查组的账号填写电子邮箱" in html
    member_of("监察督查", "jiancha@panshan.example")
    html = admin_client_logged_in.get(reverse("admin:handover_deadlineflag_overdue")).content
    assert "监察督查没有登记邮箱的账号" not in html.decode()


@pytest.mark.django_db
def test_a_message_the_mail_server_refused_is_not_shown_as_sent(settings):
    late_handover()
    settings.EMAIL_BACKEND = "handover.tests.test_notices.FailingBackend"
    assert scan_deadlines(FOUND).notified == 0
    flag = DeadlineFlag.objects.select_related("department").get()
    assert flag.notified_at is None and flag.notice_state == "待通知"
    # The next scan tries again, and once the server takes it, it is recorded.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert scan_deadlines(FOUND + datetime.timedelta(days=1)).notified == 1
    flag.refresh_from_db()
    assert flag.notices_sent == 1 and flag.notified_to == "minzheng@panjin.example"


@pytest.mark.django_db
def test_workdays_before_counts_back_over_the_weekend():
    day = workdays_before(D(2016, 10, 17), 5)
    assert workdays.workdays_between(day, D(2016, 10, 17)) == 5
    assert workdays.workdays_between(day + datetime.timedelta(days=1), D(2016, 10, 17)) == 4


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_each_notice_and_escalation_once(settings):
    """Scan A has claimed (uncommitted) when scan B runs whole: B's claim waits on A's rows
    and, once A commits, finds nothing left to claim. The handshake is explicit: B tells A its
    database backend, and A commits only when PostgreSQL reports that backend waiting on a
    lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; two scans cannot overlap there")
    settings.DEADLINE_ESCALATION_WORKDAYS = 0  # escalate at once, so both claims race
    handovers = [late_handover(email=f"city{n}@panjin.example") for n in range(3)]
    inspector = member_of("监察督查", "jiancha@panshan.example")
    scan_deadlines(FOUND)  # opens the flags (and notifies and escalates them once)
    DeadlineFlag.objects.update(
        next_notice_on=None, escalated_at=None, escalated_to="", escalation_claim=""
    )
    mail.outbox.clear()
    day = FOUND + datetime.timedelta(days=1)
    a_claimed, b_backend, results, errors = threading.Event(), queue.Queue(), {}, []

    def scan_a():
        try:
            with transaction.atomic():
                claimed = (claim_notices(day, "a" * 32), claim_escalations(day, "a" * 32))
                a_claimed.set()
                pid = b_backend.get(timeout=30)
                with connection.cursor() as cursor:
                    for _ in range(100_000):  # until B's UPDATE waits on A's row locks
                        # The activity view is a snapshot per transaction: refresh it each time.
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
                        )
                        if cursor.fetchone() == ("Lock",):
                            break
                    else:
                        raise AssertionError("scan B never waited on scan A's claim")
            result = NoticeResult()
            notify_claimed("a" * 32, timezone.now(), result)
            escalate_claimed("a" * 32, timezone.now(), result)
            results["a"] = (claimed, result.notified, result.escalated)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def scan_b():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            assert a_claimed.wait(30)
            b_backend.put(pid)
            result = send_notices(day)
            results["b"] = (result.notified, result.escalated)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan_a), threading.Thread(target=scan_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert results == {"a": ((3, 3), 3, 3), "b": (0, 0)}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        [h.city_department.contact_email for h in handovers] + [inspector.email]
    )
