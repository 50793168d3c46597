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
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateField, Exists, F, Max, Min, OuterRef, Q, Value

from devolution import workdays
from devolution.models import Department, within_reach
from seals.models import Seal, SealStatus

from .flag_history import insert_select, record_flag_history
from .models import (
    DeadlineFlag,
    ForwardedDocument,
    Handover,
    ProvincialPort,
    TrainingPeriod,
    notice_state,
)
from .notices import record_admin_url, send_notices
from .status import refresh_changed_statuses

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deadline:
    name: str  # a DeadlineFlag.Deadline
    model: type
    due_field: str  # an indexed date field on the model
    department_field: str  # the path to the party that owes the work (DESIGN "Who owes what")
    pending: Q  # the work is not done yet
    label_departments: tuple = ()  # the paths to the departments the record's str() reads
    label_related: tuple = ()  # other relations its str() reads, fetched with the records
    county_field: str = ""  # the path to the county department concerned
    city_field: str = ""  # the path to the city department concerned

    def records(self):
        return self.model._default_manager.order_by()

    def overdue(self, today):
        """The records whose deadline passed before `today` with the work still undone."""
        return self.records().filter(self.pending, **{f"{self.due_field}__lt": today})

    def content_type(self):
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    def labels(self, ids, departments):
        """{pk: str(record)} of the records `ids`, in one query: the departments their str()
        reads are taken from `departments` ({pk: Department}) rather than fetched again with
        every record."""
        paths = [path.split("__") for path in self.label_departments]
        records = self.records()
        via = ({"__".join(path[:-1]) for path in paths} - {""}) | set(self.label_related)
        if via:  # (select_related() without names would follow every foreign key)
            records = records.select_related(*via)
        records = records.in_bulk(ids)
        for record in records.values():
            for *steps, name in paths:
                owner = record
                for step in steps:
                    owner = getattr(owner, step)
                field = owner._meta.get_field(name)
                department = departments.get(getattr(owner, field.attname))
                if department is not None:
                    field.set_cached_value(owner, department)
        return {pk: str(record) for pk, record in records.items()}


DEADLINES = [
    # The city department hands over; the county department receives and signs (五(三)).
    Deadline(
        DeadlineFlag.Deadline.HANDOVER,
        Handover,
        "due_on",
        "city_department",
        Q(completed_on__isnull=True),
        label_departments=("city_department", "county_department"),
        county_field="county_department",
        city_field="city_department",
    ),
    # The seal's issuer engraves and delivers it to the county government (四(一), 五(三)).
    Deadline(
        DeadlineFlag.Deadline.SEAL_DELIVERY,
        Seal,
        "delivery_due_on",
        "issuer",
        Q(status=SealStatus.ENGRAVED),
        county_field="holder",
        city_field="issuer",
    ),
    # The city department runs the training and closes it with the county (四(四)).
    Deadline(
        DeadlineFlag.Deadline.TRAINING_END,
        TrainingPeriod,
        "ends_on",
        "handover__city_department",
        Q(confirmed_on__isnull=True),
        label_departments=("handover__city_department", "handover__county_department"),
        county_field="handover__county_department",
        city_field="handover__city_department",
    ),
    # The city department coordinates the provincial counterpart to open the port (四(三)).
    Deadline(
        DeadlineFlag.Deadline.PORT_OPENING,
        ProvincialPort,
        "due_on",
        "city_department",
        Q(opened_on__isnull=True, city_department__isnull=False),
        label_departments=("county_department",),
        label_related=("system",),
        county_field="county_department",
        city_field="city_department",
    ),
    # The city department passes the provincial document on as the document says (四(二)); a
    # document the city government office forwards (no department) is nobody's flag here.
    Deadline(
        DeadlineFlag.Deadline.DOCUMENT_FORWARDING,
        ForwardedDocument,
        "forward_due_on",
        "forwarded_by",
        Q(passed_on__isnull=True, forwarded_by__isnull=False),
        county_field="responsible_department",
        city_field="forwarded_by",
    ),
    # The county department feeds back on the document it was forwarded (四(二)).
    Deadline(
        DeadlineFlag.Deadline.DOCUMENT_FEEDBACK,
        ForwardedDocument,
        "feedback_due_on",
        "responsible_department",
        Q(feedback_sent_on__isnull=True, passed_on__isnull=False),
        county_field="responsible_department",
        city_field="forwarded_by",
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
    notified: int = 0  # flags whose notice was actually sent
    escalated: int = 0
    statuses_changed: int = 0
    unreachable: list = field(default_factory=list)  # departments without a contact address
    unescalated: int = 0  # due for escalation, but no 监察督查 login has an address

    def __str__(self):
        text = (
            f"新增逾期 {self.opened} 条，解除 {self.resolved} 条，通知 {self.notified} 条，"
            f"升级督办 {self.escalated} 条"
        )
        if self.unreachable:
            text += f"；未能通知（无联系人邮箱）：{'、'.join(self.unreachable)}"
        if self.unescalated:
            text += f"；未能升级督办（监察督查无邮箱）{self.unescalated} 条"
        return text


def open_flags(deadline, today):
    """Flag every overdue record of one deadline that has no open flag yet; returns how many."""
    content_type = deadline.content_type()
    columns = {
        "deadline": Value(str(deadline.name)),
        "content_type": Value(content_type.pk),
        "object_id": F("pk"),
        "department": F(f"{deadline.department_field}__pk"),
        "county_department": F(f"{deadline.county_field}__pk"),
        "city_department": F(f"{deadline.city_field}__pk"),
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


def scan_deadlines(today):
    """Open the flags of deadlines missed as of `today`, resolve the ones whose work is done,
    and notify the responsible departments of the new ones."""
    result = ScanResult()
    # Item statuses follow their inputs through signals and imports; the daily scan catches
    # what those missed (a refresh lost with its process), from the inputs' history since the
    # last scan: a scan with nothing new reads no item.
    result.statuses_changed = refresh_changed_statuses()
    for deadline in DEADLINES:
        with transaction.atomic():
            result.resolved += resolve_flags(deadline, today)
            result.opened += open_flags(deadline, today)
    notices = send_notices(today)
    result.notified, result.escalated = notices.notified, notices.escalated
    result.unreachable = [department.short_name for department in notices.unreachable]
    result.unescalated = notices.unescalated
    logger.info("逾期检查 %s：%s", today, result)
    return result


@dataclass
class OverdueRow:
    """One open flag as 逾期一览 shows it: plain values, no model instances, since the page
    lists every open flag (thousands at province scale)."""

    record: str  # the flagged record's own str(), "" if it is gone
    object_id: int
    url: str
    county_department: str
    due_on: object
    found_on: object
    days_overdue: int
    notice_state: str
    escalated: bool


FLAG_COLUMNS = (
    "deadline",
    "content_type_id",
    "object_id",
    "department_id",
    "county_department_id",
    "due_on",
    "found_on",
    "notified_at",
    "notices_sent",
    "notified_to",
    "escalated_at",
)


def open_flags_by_department(today, department=None, side=None):
    """The open flags as [(side label, [(department, [(deadline label, [OverdueRow, …]), …]),
    …]), …]: the city side (the departments that give) first, then the county side, each grouped
    by the party that owes the work, departments in their usual order and each deadline's flags
    oldest first. With `department`, only the flags its staff reach; with `side` ("city" or
    "county"), only the flags that side owes.

    A fixed number of queries whatever the number of flags: the flags (as values), the
    departments they name, then the flagged records of each deadline in one query (for their
    labels). Nothing per flag but a dictionary look-up."""
    flags = within_reach(
        DeadlineFlag.objects.open(),
        department,
        "county_department",
        "city_department",
    )
    if side in Department.Level.values:
        flags = flags.filter(department__level=side)
    flags = list(
        flags.order_by(
            "department__level",
            "department__sort_order",
            "department_id",
            "deadline",
            "due_on",
            "id",
        ).values_list(*FLAG_COLUMNS)
    )
    # Every department, once: a few dozen rows, named by thousands of flags and records.
    departments = Department.objects.in_bulk() if flags else {}
    labels = {}
    for name in {flag[0] for flag in flags}:
        deadline = DEADLINE_BY_NAME.get(name)
        if deadline is not None:
            ids = [flag[2] for flag in flags if flag[0] == name]
            labels[name] = deadline.labels(ids, departments)
    deadline_labels = dict(DeadlineFlag.Deadline.choices)
    changelists = {}
    grouped = {Department.Level.CITY: {}, Department.Level.COUNTY: {}}
    for name, content_type_id, object_id, owner_id, county_id, due_on, found_on, *notice in flags:
        owner = departments[owner_id]
        county = departments.get(county_id)
        notified_at, notices_sent, notified_to, escalated_at = notice
        row = OverdueRow(
            record=labels.get(name, {}).get(object_id, ""),
            object_id=object_id,
            url=record_admin_url(content_type_id, object_id, changelists),
            county_department=county.full_name if county else "",
            due_on=due_on,
            found_on=found_on,
            days_overdue=workdays.workdays_between(due_on, today),
            notice_state=notice_state(notified_at, notices_sent, notified_to, owner),
            escalated=escalated_at is not None,
        )
        deadlines = grouped[owner.level].setdefault(owner, {})
        deadlines.setdefault(deadline_labels.get(name, name), []).append(row)
    return [
        (
            SIDE_LABELS[level],
            [(dept, list(deadlines.items())) for dept, deadlines in departments.items()],
        )
        for level, departments in grouped.items()
        if departments
    ]


SIDE_LABELS = {
    Department.Level.CITY: "市直部门（赋权方）逾期",
    Department.Level.COUNTY: "县承接部门（承接方）逾期",
}
