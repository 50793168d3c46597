"""The deadline flags' notices: the first notice, a reminder every N working days while the flag
stays open, and after M working days the escalation to 监察督查 (settings
DEADLINE_REMINDER_WORKDAYS, DEADLINE_ESCALATION_WORKDAYS).

A flag shows 已通知 only once a message was actually handed to the mail server, and it records
to whom. Each notice is sent once however many scans run at the same time: a scan first claims
the flags it will write about with one conditional UPDATE (the claim-then-send pattern of
healthchecks' sendalerts); the rows it changed are its own, a concurrent scan's UPDATE finds the
condition no longer true and changes nothing. Then it sends, and records what was sent. A send
that fails releases its claim, so the next scan tries again instead of showing a notice that
never left.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from devolution import workdays
from devolution.models import Department, within_reach

from .flag_history import record_flag_history
from .models import DeadlineFlag

logger = logging.getLogger(__name__)

# Group names (supervision/roles.py; handover cannot import supervision, which sits above it).
SUPERVISION_GROUP = "监察督查"
REFORM_OFFICE_GROUP = "县编委办"


def reminder_workdays():
    return int(getattr(settings, "DEADLINE_REMINDER_WORKDAYS", 5))


def escalation_workdays():
    return int(getattr(settings, "DEADLINE_ESCALATION_WORKDAYS", 10))


def workdays_before(today, n):
    """The latest day d such that the working days after d up to `today` number n."""
    day, counted = today, 0
    while counted < n:
        counted += workdays.is_workday(day)
        day -= datetime.timedelta(days=1)
    return day


@dataclass
class NoticeResult:
    notified: int = 0  # flags whose notice or reminder was sent
    escalated: int = 0  # flags escalated to 监察督查
    unreachable: list = field(default_factory=list)  # departments without a contact address
    unescalated: int = 0  # flags due for escalation while no 监察督查 login has an address


def group_addresses(name):
    """The e-mail addresses of the active members of a role group."""
    users = get_user_model().objects.filter(groups__name=name, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def send_notices(today, now=None):
    """Send the notices, reminders and escalations due on `today`; returns a NoticeResult."""
    now = now or timezone.now()
    result = NoticeResult()
    token = uuid.uuid4().hex
    with workdays.shared_calendar():  # the holidays are read once for both claims
        if claim_notices(today, token):
            notify_claimed(token, now, result)
        if claim_escalations(today, token):
            escalate_claimed(token, now, result)
    if result.unreachable:
        # The reform office is told the same list 逾期一览 shows (unreachable_departments).
        tell_reform_office(list(unreachable_departments()), today)
    return result


def flags_open_on(today):
    return DeadlineFlag.objects.open().filter(found_on__lte=today)


def claim_notices(today, token):
    """Claim, for the scan `token`, the open flags whose notice or reminder is due on `today`,
    and move their next reminder N working days on; returns how many this scan claimed.

    One conditional UPDATE: of two scans, only the first changes (and so owns) a row; the
    other's UPDATE re-reads it once the first commits, finds the condition false and leaves it.
    """
    with workdays.shared_calendar():
        next_on = workdays.add_workdays(today, reminder_workdays())
    due = flags_open_on(today).filter(Q(next_notice_on__isnull=True) | Q(next_notice_on__lte=today))
    return due.update(next_notice_on=next_on, notice_claim=token)


def due_for_escalation(today):
    """The open flags found M working days or more before `today` and not yet escalated."""
    with workdays.shared_calendar():
        found_by = workdays_before(today, escalation_workdays())
    return flags_open_on(today).filter(escalated_at__isnull=True, found_on__lte=found_by)


def claim_escalations(today, token):
    """Claim the flags due for escalation that no other scan has claimed."""
    return due_for_escalation(today).filter(escalation_claim="").update(escalation_claim=token)


def supervision_unreachable(today):
    """True while open flags wait (or will wait) for an escalation that no 监察督查 login can
    receive, having no e-mail address: 逾期一览 says so, where the reform office can fix it,
    instead of every scan's log. Two queries, no calendar."""
    if group_addresses(SUPERVISION_GROUP):
        return False
    return flags_open_on(today).filter(escalated_at__isnull=True).exists()


def notify_claimed(token, now, result):
    """E-mail each responsible department its claimed flags, one message per department."""
    flags = list(
        DeadlineFlag.objects.filter(notice_claim=token)
        .select_related("department")
        .order_by("department_id", "due_on", "id")
    )
    by_department = {}
    for flag in flags:
        by_department.setdefault(flag.department, []).append(flag)
    for department, department_flags in by_department.items():
        ids = [flag.pk for flag in department_flags]
        mine = DeadlineFlag.objects.filter(pk__in=ids, notice_claim=token)
        if not department.contact_email:
            # Not sent, so not shown as sent; tried again at the next reminder date.
            mine.update(notice_claim="")
            result.unreachable.append(department)
            continue
        try:
            flag_message(department, department_flags).send()
        except Exception:  # any mail failure: release the claim, the next scan retries
            logger.exception("向%s发送逾期通知失败", department)
            mine.update(notice_claim="", next_notice_on=None)
            continue
        mine.update(
            notice_claim="",
            notices_sent=F("notices_sent") + 1,
            notified_at=Coalesce(F("notified_at"), now),
            last_notified_at=now,
            notified_to=department.contact_email,
        )
        record_flag_history(DeadlineFlag.objects.filter(pk__in=ids), "~")
        result.notified += len(ids)


def escalate_claimed(token, now, result):
    """E-mail 监察督查 the claimed flags that stayed open M working days, in one message."""
    mine = DeadlineFlag.objects.filter(escalation_claim=token)
    addresses = group_addresses(SUPERVISION_GROUP)
    if not addresses:
        # Said once, on 逾期一览 (unescalated_flags), and in the scan's summary line.
        result.unescalated += mine.update(escalation_claim="")
        return
    flags = list(mine.select_related("department").order_by("department_id", "due_on", "id"))
    lines = [
        "监察督查：",
        "",
        f"以下逾期已超过 {escalation_workdays()} 个工作日仍未办结，提请督办：",
    ]
    for flag in flags:
        lines.append(
            f"- {flag.department.full_name}（{flag.side_label}）：{flag.get_deadline_display()}，"
            f"期限 {flag.due_on}，记录 {flag_admin_url(flag)}"
        )
    lines += ["", "盘山县赋权事项登记系统（自动发送）"]
    message = mail.EmailMessage(
        subject=f"【逾期督办】{len(flags)} 项工作逾期超过 {escalation_workdays()} 个工作日",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    )
    try:
        message.send()
    except Exception:
        logger.exception("向监察督查发送升级督办失败")
        mine.update(escalation_claim="")
        return
    ids = [flag.pk for flag in flags]
    mine.update(escalated_at=now, escalated_to="，".join(addresses)[:500])
    record_flag_history(DeadlineFlag.objects.filter(pk__in=ids), "~")
    result.escalated += len(flags)


def unreachable_departments(department=None):
    """The departments that owe open flags but have no contact e-mail: their flags reach no one
    until the reform office records an address (shown on 逾期一览, mailed to 县编委办). With
    `department`, only those owing flags its staff reach (either side of the flagged record)."""
    flags = within_reach(
        DeadlineFlag.objects.open(), department, "county_department", "city_department"
    )
    return (
        Department.objects.without_contact_email()
        .filter(Exists(flags.filter(department=OuterRef("pk"))))
        .order_by("level", "sort_order", "id")
    )


def tell_reform_office(departments, today):
    """Tell 县编委办 which departments' flags could not be sent: they have no contact address."""
    # No log line per scan: 逾期一览 names these departments (15a's log-noise rule).
    addresses = group_addresses(REFORM_OFFICE_GROUP)
    if not addresses:
        return
    body = "\n".join(
        [
            "县编委办：",
            "",
            f"{today} 的逾期检查中，以下部门未登记联系人邮箱，逾期通知未能送达：",
            *[f"- {department.full_name}" for department in departments],
            "",
            "请在“部门”中补充联系人邮箱，或另行通知。",
            "",
            "盘山县赋权事项登记系统（自动发送）",
        ]
    )
    try:
        mail.EmailMessage(
            subject=f"【逾期通知未送达】{len(departments)} 个部门无联系人邮箱",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=addresses,
        ).send()
    except Exception:
        logger.exception("向县编委办发送未送达部门清单失败")


def record_admin_url(content_type_id, object_id, changelists=None):
    """The record's admin page; `changelists` caches the reversed lists across calls."""
    changelists = {} if changelists is None else changelists
    if content_type_id not in changelists:
        content_type = ContentType.objects.get_for_id(content_type_id)
        changelists[content_type_id] = reverse(
            f"admin:{content_type.app_label}_{content_type.model}_changelist"
        )
    return f"{changelists[content_type_id]}{object_id}/change/"


def flag_admin_url(flag):
    return record_admin_url(flag.content_type_id, flag.object_id)


def flag_message(department, flags):
    """One e-mail listing a department's flags: new ones and reminders."""
    reminder = any(flag.notices_sent for flag in flags)
    lines = [
        f"{department.full_name}：",
        "",
        "以下工作已超过期限，由贵部门办理，请尽快办结：",
    ]
    changelists = {}
    for flag in flags:
        url = record_admin_url(flag.content_type_id, flag.object_id, changelists)
        again = f"（第 {flag.notices_sent + 1} 次通知）" if flag.notices_sent else ""
        lines.append(f"- {flag.get_deadline_display()}，期限 {flag.due_on}{again}，记录 {url}")
    lines += [
        "",
        f"未办结的逾期每 {reminder_workdays()} 个工作日提醒一次，"
        f"超过 {escalation_workdays()} 个工作日报监察督查。",
        "",
        "盘山县赋权事项登记系统（自动发送）",
    ]
    prefix = "【逾期再次提醒】" if reminder else "【逾期提醒】"
    return mail.EmailMessage(
        subject=f"{prefix}{department.short_name}有 {len(flags)} 项工作逾期",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[department.contact_email],
    )
