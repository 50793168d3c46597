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


# What is counted: (records, the field naming their county department, the field naming the
# city department that gives them, {count: aggregate}).
COUNTS = {
    "items": (
        lambda: DevolvedItem.objects.current(),
        "county_department",
        "city_department",
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
        "city_department",
        {"handovers": count(), "handovers_done": count(completed_on__isnull=False)},
    ),
    "seals": (
        lambda: Seal.objects.live(),
        "holder",
        "issuer",
        {"seals": count(), "seals_enabled": count(status=SealStatus.ENABLED)},
    ),
    "ports": (
        ProvincialPort.objects.all,
        "county_department",
        "city_department",
        {"ports": count(), "ports_open": count(opened_on__isnull=False)},
    ),
    # A county department's flags are those about it, whichever side owes the work; each
    # side's share is counted too, so that a page can say which side is late.
    "flags": (
        lambda: DeadlineFlag.objects.open(),
        "county_department",
        "city_department",
        {
            "open_flags": count(),
            "late_city": count(department__level=Department.Level.CITY),
            "late_county": count(department__level=Department.Level.COUNTY),
        },
    ),
}


def progress_counts(department=None, of=tuple(COUNTS), given_by=None):
    """{county department id: {count: n}} for the counts named in `of` (all by default), of
    every county department or only `department`'s, and with `given_by` only what that city
    department gives; one grouped query per entry of COUNTS."""
    counts = {}
    for name in of:
        records, key, city_key, aggregates = COUNTS[name]
        queryset = records()
        if department is not None:
            queryset = queryset.filter(**{key: department})
        if given_by is not None:
            queryset = queryset.filter(**{city_key: given_by})
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
    late_city: int = 0
    late_county: int = 0
    never_stamped: list = field(default_factory=list)

    @property
    def handed_over(self):
        return self.in_training + self.exercised

    def add(self, other):
        for counted in fields(self)[1:-1]:
            setattr(self, counted.name, getattr(self, counted.name) + getattr(other, counted.name))
        self.never_stamped.extend(other.never_stamped)


def department_progress(department=None):
    """One row per county department, plus a totals row; a fixed number of queries.

    For a county department, only its own row. For a city department, a row per county
    department it gives to, counting only what it gives: the items it devolved, the seals it
    issued, the ports it arranges, the flags about them; the county's stamps are not its to see.
    """
    of = ("items", "seals", "ports", "flags")
    never_stamped = {}
    if department is not None and department.level == Department.Level.CITY:
        counts = progress_counts(of=of, given_by=department)
        mine = {
            "pk__in": DevolvedItem.objects.filter(city_department=department).values(
                "county_department"
            )
        }
    else:
        counts = progress_counts(department, of=of)
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
