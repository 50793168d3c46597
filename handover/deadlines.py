"""The deadline scan: one function, called by the Celery task, the `flag_deadlines` command and
the admin, that opens a flag for every deadline missed as of `today` and resolves the flags whose
work has been done.

Each deadline is one `Deadline` entry; adding a deadline is adding an entry. The scan's queries
are set-based, a fixed number per deadline whatever the number of records: the overdue records are
found with a range query on the indexed due date and turned into flags by a single
INSERT … SELECT. The database's one-open-flag-per-deadline constraint (ON CONFLICT DO NOTHING)
both skips the deadlines already flagged and makes two scans running at once leave the
same flags as one.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Exists, F, Max, Min, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone

from devolution import workdays
from devolution.models import Department
from seals.models import Seal, SealStatus

from .models import DeadlineFlag, ForwardedDocument, Handover, TrainingPeriod
from .status import refresh_item_statuses

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deadline:
    name: str  # a DeadlineFlag.Deadline
    model: type
    due_field: str  # an indexed date field on the model
    department_field: str  # the path to the responsible department
    pending: Q  # the work is not done yet
    label_related: tuple = ()  # what the record's str() reads, fetched with it

    def records(self):
        return self.model._default_manager.order_by()

    def overdue(self, today):
        """The records whose deadline passed before `today` with the work still undone."""
        return self.records().filter(self.pending, **{f"{self.due_field}__lt": today})

    def content_type(self):
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)


DEADLINES = [
    Deadline(
        DeadlineFlag.Deadline.HANDOVER,
        Handover,
        "due_on",
        "county_department",
        Q(completed_on__isnull=True),
        ("city_department", "county_department"),
    ),
    Deadline(
        DeadlineFlag.Deadline.SEAL_DELIVERY,
        Seal,
        "delivery_due_on",
        "holder",
        Q(status=SealStatus.ENGRAVED),
    ),
    Deadline(
        DeadlineFlag.Deadline.TRAINING_END,
        TrainingPeriod,
        "ends_on",
        "handover__county_department",
        Q(confirmed_on__isnull=True),
        ("handover__city_department", "handover__county_department"),
    ),
    Deadline(
        DeadlineFlag.Deadline.DOCUMENT_FEEDBACK,
        ForwardedDocument,
        "feedback_due_on",
        "responsible_department",
        Q(feedback_sent_on__isnull=True),
    ),
]
DEADLINE_BY_NAME = {deadline.name: deadline for deadline in DEADLINES}


def deadline_years(today):
    """The years the registry's deadlines touch: from the earliest due date to today or the
    latest due date, whichever is later. One aggregate query per deadline."""
    first, last = today, today
    for deadline in DEADLINES:
        bounds = deadline.records().aggregate(
            first=Min(deadline.due_field), last=Max(deadline.due_field)
        )
        first = min(first, bounds["first"] or first)
        last = max(last, bounds["last"] or last)
    return range(first.year, last.year + 1)


@dataclass
class ScanResult:
    opened: int = 0
    resolved: int = 0
    notified: int = 0
    statuses_changed: int = 0

    def __str__(self):
        return f"新增逾期 {self.opened} 条，解除 {self.resolved} 条，通知 {self.notified} 条"


def insert_select(model, queryset, columns, suffix=""):
    """INSERT INTO `model` (the keys of `columns`, field names) SELECT their expressions over
    `queryset`: one statement whatever the number of rows. Returns the rows inserted."""
    aliases = {f"insert_{name}": expression for name, expression in columns.items()}
    select_sql, params = queryset.annotate(**aliases).values_list(*aliases).query.sql_with_params()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {select_sql} {suffix}", params
        )
        return max(cursor.rowcount, 0)


def record_flag_history(flags, history_type):
    """A history row for each of `flags`, as the admin shows for every record; one statement."""
    columns = {field.name: F(field.attname) for field in DeadlineFlag._meta.concrete_fields}
    columns |= {
        "history_date": Value(timezone.now(), output_field=DateTimeField()),
        "history_change_reason": Value("逾期检查"),
        "history_type": Value(history_type),
    }
    insert_select(DeadlineFlag.history.model, flags.order_by(), columns)


def open_flags(deadline, today):
    """Flag every overdue record of one deadline that has no open flag yet; returns how many."""
    content_type = deadline.content_type()
    columns = {
        "deadline": Value(str(deadline.name)),
        "content_type": Value(content_type.pk),
        "object_id": F("pk"),
        "department": F(f"{deadline.department_field}__pk"),
        "due_on": F(deadline.due_field),
        "found_on": Value(today, output_field=DateField()),
    }
    # No NOT EXISTS guard against the flags already open: the constraint's index skips them
    # (ON CONFLICT DO NOTHING), whereas an anti-join of the flag table against itself during
    # the INSERT is planned, on a young table, as a scan per row of the rows being inserted.
    # The SELECT always has a WHERE clause, which SQLite needs before an upsert clause.
    opened = insert_select(DeadlineFlag, deadline.overdue(today), columns, "ON CONFLICT DO NOTHING")
    if opened:
        new = DeadlineFlag.objects.filter(
            ~Exists(DeadlineFlag.history.filter(id=OuterRef("pk"))),
            deadline=deadline.name,
            content_type=content_type,
            found_on=today,
        )
        record_flag_history(new, "+")
    return opened


def resolve_flags(deadline, today):
    """Resolve the open flags of one deadline whose record is no longer overdue; returns how
    many."""
    # NOT EXISTS, not NOT IN: PostgreSQL turns NOT IN over a large subquery into a scan of the
    # subquery's rows for every flag.
    still_overdue = deadline.overdue(today).filter(pk=OuterRef("object_id"))
    flags = DeadlineFlag.objects.filter(
        deadline=deadline.name, content_type=deadline.content_type()
    )
    resolved = (
        flags.open().filter(~Exists(still_overdue), found_on__lte=today).update(resolved_on=today)
    )
    if resolved:
        recorded = DeadlineFlag.history.filter(id=OuterRef("pk"), resolved_on=today)
        record_flag_history(flags.filter(~Exists(recorded), resolved_on=today), "~")
    return resolved


def notify_new_flags():
    """E-mail each department's contact its new flags, once per flag; returns flags notified.

    A scan first claims the unnotified flags by stamping them, so a concurrent scan that claims
    after it finds none left to send.
    """
    stamp = timezone.now()
    claimed = DeadlineFlag.objects.open().filter(notified_at__isnull=True).update(notified_at=stamp)
    if not claimed:
        return 0
    record_flag_history(DeadlineFlag.objects.filter(notified_at=stamp), "~")
    # Plain rows, not model instances: the first scan of a large backlog claims many flags.
    rows = (
        DeadlineFlag.objects.filter(notified_at=stamp)
        .order_by("department_id", "due_on", "id")
        .values_list(
            "department__full_name",
            "department__short_name",
            "department__contact_email",
            "deadline",
            "due_on",
            "content_type_id",
            "object_id",
        )
    )
    by_department = {}
    for full_name, short_name, email, *notice in rows:
        by_department.setdefault((full_name, short_name, email), []).append(notice)
    messages, notified = [], 0
    for (full_name, short_name, email), notices in by_department.items():
        if not email:
            # Said once, on 逾期一览 (unreachable_departments), not in the log of every scan.
            continue
        messages.append(flag_email(full_name, short_name, email, notices))
        notified += len(notices)
    if messages:
        with mail.get_connection() as email_connection:
            email_connection.send_messages(messages)
    return notified


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


DEADLINE_LABELS = dict(DeadlineFlag.Deadline.choices)


def flag_email(full_name, short_name, contact_email, notices):
    """One e-mail listing a department's new flags, each (deadline, due_on, content type, id)."""
    lines = [f"{full_name}：", "", "以下事项已超过期限，请尽快办理："]
    changelists = {}
    for deadline, due_on, content_type_id, object_id in notices:
        url = record_admin_url(content_type_id, object_id, changelists)
        lines.append(f"- {DEADLINE_LABELS[deadline]}，期限 {due_on}，记录 {url}")
    lines += ["", "盘山县赋权事项登记系统（自动发送）"]
    return mail.EmailMessage(
        subject=f"【逾期提醒】{short_name}有 {len(notices)} 项工作逾期",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact_email],
    )


def scan_deadlines(today):
    """Open the flags of deadlines missed as of `today`, resolve the ones whose work is done,
    and notify the responsible departments of the new ones."""
    result = ScanResult()
    # Item statuses follow their inputs through signals; imports write in bulk without them, so
    # the daily scan brings every status up to date as well.
    result.statuses_changed = refresh_item_statuses()
    for deadline in DEADLINES:
        with transaction.atomic():
            result.resolved += resolve_flags(deadline, today)
            result.opened += open_flags(deadline, today)
    result.notified = notify_new_flags()
    logger.info("逾期检查 %s：%s", today, result)
    return result


def unreachable_departments(department=None):
    """The departments with open flags but no contact e-mail: their flags reach no one until
    the reform office records an address (shown on 逾期一览)."""
    departments = Department.objects.without_contact_email().filter(
        Exists(DeadlineFlag.objects.open().filter(department=OuterRef("pk")))
    )
    if department is not None:
        departments = departments.filter(pk=department.pk)
    return departments.order_by("level", "sort_order", "id")


@dataclass
class OverdueRow:
    flag: DeadlineFlag
    record: object
    url: str
    days_overdue: int


def open_flags_by_department(today, department=None):
    """The open flags as [(department, [(deadline label, [OverdueRow, …]), …]), …], departments in
    their usual order and each deadline's flags oldest first. A fixed number of queries: the flags,
    then the flagged records of each deadline in one query."""
    flags = DeadlineFlag.objects.open().select_related("department", "content_type")
    if department is not None:
        flags = flags.filter(department=department)
    flags = list(
        flags.order_by(
            "department__level",
            "department__sort_order",
            "department_id",
            "deadline",
            "due_on",
            "id",
        )
    )
    records = {}
    for name in {flag.deadline for flag in flags}:
        deadline = DEADLINE_BY_NAME.get(name)
        if deadline is None:
            continue
        ids = [flag.object_id for flag in flags if flag.deadline == name]
        records[name] = deadline.records().select_related(*deadline.label_related).in_bulk(ids)
    grouped = {}
    for flag in flags:
        row = OverdueRow(
            flag=flag,
            record=records.get(flag.deadline, {}).get(flag.object_id),
            url=flag_admin_url(flag),
            days_overdue=workdays.workdays_between(flag.due_on, today),
        )
        deadlines = grouped.setdefault(flag.department, {})
        deadlines.setdefault(flag.get_deadline_display(), []).append(row)
    return [(dept, list(deadlines.items())) for dept, deadlines in grouped.items()]
