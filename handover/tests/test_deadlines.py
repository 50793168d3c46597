"""The deadline scan: what it opens, resolves and e-mails, from each of its doors."""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from handover.deadlines import DEADLINE_BY_NAME, open_flags, scan_deadlines
from handover.models import DeadlineFlag, ForwardedDocument, Handover, TrainingPeriod
from handover.status import ITEMS_MOVED_BY
from handover.tests.factories import (
    ForwardedDocumentFactory,
    HandoverFactory,
    TrainingPeriodFactory,
)
from seals.models import Seal, SealStatus
from seals.tests.factories import SealFactory

D = datetime.date
DUE = D(2016, 10, 8)  # 15 working days after 2016-09-09
NEXT_WORKDAY = D(2016, 10, 9)  # a make-up Sunday


def flag_deadlines(today):
    out = io.StringIO()
    call_command("flag_deadlines", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


def open_flags_of(deadline):
    return DeadlineFlag.objects.open().filter(deadline=deadline)


@pytest.mark.django_db
def test_acceptance_on_the_fixtures(registry):
    handovers = Handover.objects.count()
    seals = Seal.objects.filter(status=SealStatus.ENGRAVED).count()
    assert handovers == 29 and seals == 55

    assert "新增逾期 0 条" in flag_deadlines(DUE)
    assert not DeadlineFlag.objects.exists()

    output = flag_deadlines(NEXT_WORKDAY)
    assert f"新增逾期 {handovers + seals} 条，解除 0 条" in output
    assert open_flags_of(DeadlineFlag.Deadline.HANDOVER).count() == handovers
    assert open_flags_of(DeadlineFlag.Deadline.SEAL_DELIVERY).count() == seals
    flag = open_flags_of(DeadlineFlag.Deadline.HANDOVER).get(object_id=1)
    assert (flag.due_on, flag.found_on) == (DUE, NEXT_WORKDAY)
    # Each flag is on the party that owes the work: the city department hands over, the
    # seal's issuer delivers it; the county department concerned is kept beside it.
    handover = Handover.objects.get(pk=1)
    assert (flag.department, flag.county_department, flag.city_department) == (
        handover.city_department,
        handover.county_department,
        handover.city_department,
    )
    for flag_ in open_flags_of(DeadlineFlag.Deadline.HANDOVER).select_related("department"):
        assert flag_.department == flag_.record.city_department
        assert flag_.department.level == "city"
    for flag_ in open_flags_of(DeadlineFlag.Deadline.SEAL_DELIVERY):
        seal = flag_.record
        assert (flag_.department_id, flag_.county_department_id) == (seal.issuer_id, seal.holder_id)

    before = list(DeadlineFlag.objects.order_by("pk").values())
    assert "新增逾期 0 条，解除 0 条" in flag_deadlines(D(2016, 10, 10))
    assert list(DeadlineFlag.objects.order_by("pk").values()) == before

    handover = Handover.objects.get(pk=1)
    handover.completed_on, handover.signed_by = D(2016, 10, 10), "张三"
    handover.save()
    assert "新增逾期 0 条，解除 1 条" in flag_deadlines(D(2016, 10, 11))
    flag.refresh_from_db()
    assert flag.resolved_on == D(2016, 10, 11)
    assert open_flags_of(DeadlineFlag.Deadline.HANDOVER).count() == handovers - 1


@pytest.mark.django_db
def test_a_delivered_seal_resolves_its_flag_and_a_delivered_one_is_never_flagged():
    late = SealFactory()
    SealFactory(status=SealStatus.DELIVERED)
    assert scan_deadlines(NEXT_WORKDAY).opened == 1
    late.status = SealStatus.DELIVERED
    late.save()
    assert scan_deadlines(D(2016, 10, 10)).resolved == 1
    assert not open_flags_of(DeadlineFlag.Deadline.SEAL_DELIVERY).exists()


@pytest.mark.django_db
def test_a_training_period_past_its_end_without_confirmation_is_flagged():
    period = TrainingPeriodFactory(starts_on=D(2016, 10, 31), months=1)
    assert period.ends_on == D(2016, 11, 30)
    assert scan_deadlines(D(2016, 11, 30)).opened == 0
    assert scan_deadlines(D(2016, 12, 1)).opened == 1
    flag = open_flags_of(DeadlineFlag.Deadline.TRAINING_END).get()
    assert flag.record == period
    assert flag.department == period.handover.city_department
    assert flag.county_department == period.handover.county_department
    period.confirmed_on, period.confirmed_by = D(2016, 12, 2), "王五"
    period.save()
    assert scan_deadlines(D(2016, 12, 5)).resolved == 1


@pytest.mark.django_db
def test_a_flag_reopens_when_the_work_is_undone_again():
    handover = HandoverFactory(completed_on=D(2016, 10, 12), signed_by="张三")
    handover.completed_on, handover.signed_by = None, ""
    handover.save()
    scan_deadlines(D(2016, 10, 10))
    handover.completed_on, handover.signed_by = D(2016, 10, 12), "张三"
    handover.save()
    scan_deadlines(D(2016, 10, 12))
    handover.completed_on, handover.signed_by = None, ""
    handover.save()
    assert scan_deadlines(D(2016, 10, 13)).opened == 1
    assert DeadlineFlag.objects.count() == 2
    assert open_flags_of(DeadlineFlag.Deadline.HANDOVER).count() == 1


@pytest.mark.django_db
def test_new_flags_email_the_responsible_department_once():
    # The handover and the seal's delivery are the city department's to do: it is told.
    department = CountyDepartmentFactory(counterpart__contact_email="renshe@panjin.example")
    HandoverFactory(county_department=department)
    SealFactory(holder=department)
    HandoverFactory()  # a department without a contact: no e-mail, no error
    result = scan_deadlines(NEXT_WORKDAY)
    assert (result.opened, result.notified) == (3, 2)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["renshe@panjin.example"]
    assert "2 项工作逾期" in message.subject
    assert "权力交接逾期" in message.body and "专用分章送达逾期" in message.body
    assert "/admin/handover/handover/" in message.body
    assert scan_deadlines(D(2016, 10, 10)).notified == 0
    assert len(mail.outbox) == 1
    # The department without a contact was not told, and its flag does not say it was.
    unsent = DeadlineFlag.objects.filter(notified_at__isnull=True)
    assert [flag.department.contact_email for flag in unsent] == [""]


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("flag_deadlines", "--today", "2016/10/10")


def make_overdue_records(count):
    """`count` overdue handovers, seals, training periods and document feedbacks, in bulk."""
    department = CountyDepartmentFactory(
        contact_email="office@panshan.example", counterpart__contact_email="office@panjin.example"
    )
    plans = PlanFactory.create_batch(count)
    handovers = Handover.objects.bulk_create(
        Handover(
            plan=plan,
            city_department=department.counterpart,
            county_department=department,
            due_on=DUE,
        )
        for plan in plans
    )
    Seal.objects.bulk_create(
        Seal(
            plan=plan,
            name=f"测试章{plan.pk}",
            kind="approval",
            issuer=department.counterpart,
            holder=department,
            delivery_due_on=DUE,
        )
        for plan in plans
    )
    TrainingPeriod.objects.bulk_create(
        TrainingPeriod(handover=handover, starts_on=D(2016, 9, 1), months=1, ends_on=D(2016, 10, 1))
        for handover in handovers
    )
    ForwardedDocument.objects.bulk_create(
        ForwardedDocument(
            reference=f"辽政发〔2016〕{n}号",
            title="省政府文件",
            responsible_department=department,
            passed_on=D(2016, 9, 20),
            feedback_due_on=DUE,
        )
        for n in range(count)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 200])  # a per-record query would show 20 times over
def test_the_scans_query_count_does_not_grow_with_the_records(count):
    make_overdue_records(count)
    for deadline in DEADLINE_BY_NAME.values():
        deadline.content_type()  # warm the content-type cache, as a running process has it
    with CaptureQueriesContext(connection) as opening:
        result = scan_deadlines(NEXT_WORKDAY)
    assert result.opened == 4 * count
    assert result.notified == 4 * count
    Handover.objects.update(completed_on=D(2016, 10, 10), signed_by="张三")
    with CaptureQueriesContext(connection) as resolving:
        result = scan_deadlines(D(2016, 10, 11))
    assert result.resolved == count
    # The item statuses' refresh: a savepoint pair and the last refresh's time read and
    # written; the first scan then reads every item (none here: one query), the next one reads
    # each input's history since (7 tables; nothing of it changed but by update()). Per kind: a
    # savepoint pair, one
    # UPDATE resolving, one INSERT … SELECT opening, and one INSERT … SELECT of history for what
    # was opened or resolved; then the holidays, the notice claim and, when something was
    # claimed, the claimed flags and, per department told (the city department for three kinds,
    # the county department for its feedback), one UPDATE and one INSERT … SELECT of history;
    # the escalation claim. Four of the deadlines have overdue records here (history for each),
    # and only the handovers are resolved.
    kinds, departments_told = len(DEADLINE_BY_NAME), 2
    scan = kinds * 4 + 1
    first_refresh, next_refresh = 4 + 1, 4 + len(ITEMS_MOVED_BY)
    assert (len(opening), len(resolving)) == (
        first_refresh + scan + 4 + 3 + 2 * departments_told,
        next_refresh + scan + 1 + 2,
    )
    # Opened, notified, and for the handovers resolved: every change has its history row.
    assert DeadlineFlag.history.filter(history_type="+").count() == 4 * count
    assert DeadlineFlag.history.filter(history_type="~", notified_at__isnull=False).count() == (
        4 * count + count
    )
    assert DeadlineFlag.history.filter(resolved_on=D(2016, 10, 11)).count() == count


@pytest.mark.django_db(transaction=True)
def test_a_scan_racing_another_leaves_the_flags_one_would():
    """Scan B starts while scan A has inserted its flags but not committed them: B's guard
    cannot see them, and the one-open-flag constraint turns B's inserts into nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; two scans cannot overlap there")
    from django.db import connections, transaction

    HandoverFactory.create_batch(20)
    deadline = DEADLINE_BY_NAME[DeadlineFlag.Deadline.HANDOVER]
    a_inserted, b_connected = threading.Event(), threading.Event()
    opened, errors, b_backend = {}, [], {}

    def scan_a():
        try:
            with transaction.atomic():
                opened["a"] = open_flags(deadline, NEXT_WORKDAY)
                a_inserted.set()
                assert b_connected.wait(60), "scan B never started"
                # Commit only once PostgreSQL itself reports B waiting on this transaction's
                # rows: the handshake is the lock, not a guess at how long B takes to get there.
                me = connection.connection.get_backend_pid()
                with connection.cursor() as cursor:
                    while True:
                        cursor.execute("SELECT pg_blocking_pids(%s)", [b_backend["pid"]])
                        if me in cursor.fetchone()[0]:
                            break
                        assert b_running.is_alive(), "scan B ended without waiting for A"
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def scan_b():
        try:
            assert a_inserted.wait(60), "scan A never inserted"
            connection.ensure_connection()
            b_backend["pid"] = connection.connection.get_backend_pid()
            b_connected.set()
            opened["b"] = open_flags(deadline, NEXT_WORKDAY)
        except Exception as error:
            errors.append(error)
            b_connected.set()
        finally:
            connections.close_all()

    b_running = threading.Thread(target=scan_b)
    threads = [threading.Thread(target=scan_a), b_running]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert opened == {"a": 20, "b": 0}
    assert open_flags_of(DeadlineFlag.Deadline.HANDOVER).count() == 20


@pytest.mark.django_db
def test_the_daily_scan_is_scheduled_at_eight_in_beijing():
    from django_celery_beat.models import PeriodicTask

    from devolution.celery import app

    task = PeriodicTask.objects.get(task="handover.tasks.flag_deadlines")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("8", "0", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert task.task in app.tasks


@pytest.mark.django_db
def test_missed_document_feedback_is_flagged_and_sending_it_resolves():
    document = ForwardedDocumentFactory(passed_on=D(2016, 10, 12), feedback_due_on=D(2016, 11, 11))
    ForwardedDocumentFactory(feedback_due_on=None)  # no feedback asked for: never flagged
    scan_deadlines(D(2016, 11, 11))
    assert not DeadlineFlag.objects.exists()
    scan_deadlines(D(2016, 11, 14))
    flag = open_flags_of(DeadlineFlag.Deadline.DOCUMENT_FEEDBACK).get()
    assert (flag.record, flag.department) == (document, document.responsible_department)
    document.feedback_sent_on = D(2016, 11, 15)
    document.feedback_content, document.feedback_to = "已按文件要求落实。", "市政府办公室"
    document.save()
    assert scan_deadlines(D(2016, 11, 16)).resolved == 1


@pytest.mark.django_db
def test_a_document_not_passed_on_by_its_due_date_is_the_city_department_s_flag():
    document = ForwardedDocumentFactory(
        received_on=D(2016, 10, 8),
        forward_due_on=D(2016, 10, 14),
        passed_on=None,
        feedback_due_on=D(2016, 10, 20),
    )
    # Forwarded by the city government office (no department): no department owes it here.
    ForwardedDocumentFactory(forwarded_by=None, passed_on=None, forward_due_on=D(2016, 10, 14))
    scan_deadlines(D(2016, 10, 14))
    assert not DeadlineFlag.objects.exists()
    scan_deadlines(D(2016, 10, 24))
    # Overdue forwarding on the city side; no feedback is owed on a document not yet received.
    flag = DeadlineFlag.objects.get()
    assert flag.deadline == DeadlineFlag.Deadline.DOCUMENT_FORWARDING
    assert (flag.record, flag.department) == (document, document.forwarded_by)
    document.passed_on = D(2016, 10, 25)
    document.feedback_due_on = D(2016, 11, 25)
    document.save()
    assert scan_deadlines(D(2016, 10, 26)).resolved == 1


@pytest.mark.django_db
def test_a_document_cannot_be_fed_back_before_it_is_passed_on_or_passed_on_before_received():
    document = ForwardedDocumentFactory(received_on=D(2016, 10, 8), passed_on=None)
    document.feedback_sent_on = D(2016, 10, 9)
    document.feedback_content, document.feedback_to = "已落实。", "市政府办公室"
    with pytest.raises(ValidationError, match="文件尚未转发至县，不能登记反馈"):
        document.clean()
    document.feedback_sent_on, document.passed_on = None, D(2016, 10, 7)
    with pytest.raises(ValidationError, match="转发日期不能早于市收到日期"):
        document.clean()
    # The database keeps both rules whatever the door.
    documents = ForwardedDocument.objects.filter(pk=document.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        documents.update(
            feedback_sent_on=D(2016, 10, 9), feedback_content="已落实。", feedback_to="市政府"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        documents.update(passed_on=D(2016, 10, 7))


@pytest.mark.django_db
def test_training_starts_only_from_a_completed_handover():
    handover = HandoverFactory()
    with pytest.raises(ValidationError, match="交接尚未完成"):
        TrainingPeriod(handover=handover, starts_on=D(2016, 10, 1), months=1).full_clean()
    handover.completed_on, handover.signed_by = D(2016, 10, 10), "张三"
    handover.save()
    period = TrainingPeriod.objects.get(handover=handover)
    assert period.starts_on == D(2016, 10, 10)
    period.starts_on = D(2016, 10, 1)
    with pytest.raises(ValidationError, match="不能更早"):
        period.full_clean()
