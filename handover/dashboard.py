"""The reform's progress per receiving department: the one count the reform office's dashboard
and the public site both read."""

from dataclasses import dataclass, field, fields

from django.db.models import Count, Q

from devolution.models import Department
from items.models import DevolvedItem, ItemStatus
from seals.models import Seal, SealStatus

from .models import DeadlineFlag, Handover, ProvincialPort


def count(**condition):
    return Count("pk", filter=Q(**condition)) if condition else Count("pk")


# What is counted: (records, the field naming their department, {count: aggregate}).
COUNTS = {
    "items": (
        lambda: DevolvedItem.objects.current(),
        "county_department",
        {
            "items": count(),
            "not_handed_over": count(status=ItemStatus.NOT_HANDED_OVER),
            "in_training": count(status=ItemStatus.IN_TRAINING),
            "exercised": count(status=ItemStatus.EXERCISED),
        },
    ),
    "handovers": (
        Handover.objects.all,
        "county_department",
        {"handovers": count(), "handovers_done": count(completed_on__isnull=False)},
    ),
    "seals": (
        lambda: Seal.objects.live(),
        "holder",
        {"seals": count(), "seals_enabled": count(status=SealStatus.ENABLED)},
    ),
    "ports": (
        ProvincialPort.objects.all,
        "county_department",
        {"ports": count(), "ports_open": count(opened_on__isnull=False)},
    ),
    "flags": (lambda: DeadlineFlag.objects.open(), "department", {"open_flags": count()}),
}


def progress_counts(department=None, of=tuple(COUNTS)):
    """{department id: {count: n}} for the counts named in `of` (all by default), of every
    department or only `department`'s; one grouped query per entry of COUNTS."""
    counts = {}
    for name in of:
        records, key, aggregates = COUNTS[name]
        queryset = records()
        if department is not None:
            queryset = queryset.filter(**{key: department})
        for row in queryset.values(key).annotate(**aggregates).order_by():
            counts.setdefault(row.pop(key), {}).update(row)
    return counts


@dataclass
class DepartmentProgress:
    department: Department | None
    items: int = 0
    not_handed_over: int = 0
    in_training: int = 0
    exercised: int = 0
    seals: int = 0
    seals_enabled: int = 0
    ports: int = 0
    ports_open: int = 0
    open_flags: int = 0
    never_stamped: list = field(default_factory=list)

    @property
    def handed_over(self):
        return self.in_training + self.exercised

    def add(self, other):
        for counted in fields(self)[1:-1]:
            setattr(self, counted.name, getattr(self, counted.name) + getattr(other, counted.name))
        self.never_stamped.extend(other.never_stamped)


def department_progress(department=None):
    """One row per county department (only `department`'s, when given), plus a totals row; a
    fixed number of queries."""
    counts = progress_counts(department, of=("items", "seals", "ports", "flags"))
    never_stamped = {}
    for item in unused_items(department):
        never_stamped.setdefault(item.county_department_id, []).append(item)
    mine = {} if department is None else {"pk": department.pk}
    rows = []
    total = DepartmentProgress(department=None)
    for county in Department.objects.filter(level=Department.Level.COUNTY, **mine):
        row = DepartmentProgress(
            department=county,
            never_stamped=never_stamped.get(county.pk, []),
            **counts.get(county.pk, {}),
        )
        rows.append(row)
        total.add(row)
    return rows, total


def unused_items(department=None):
    """Items the county has taken over but never stamped: a question for the next round."""
    items = DevolvedItem.objects.handed_over().filter(seal_usages__isnull=True)
    if department is not None:
        items = items.filter(county_department=department)
    return items.select_related("county_department").order_by(
        "county_department__sort_order", "sequence", "pk"
    )
