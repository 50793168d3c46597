"""The reform's progress per receiving department, for the reform office and supervision."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from devolution.models import Department
from items.models import DevolvedItem, ItemStatus
from seals.models import Seal, SealStatus

from .models import DeadlineFlag, ProvincialPort

TAKEN_OVER = [ItemStatus.IN_TRAINING, ItemStatus.EXERCISED]


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


def _counts_by(queryset, key, **counts):
    return {row.pop(key): row for row in queryset.values(key).annotate(**counts).order_by()}


def department_progress(department=None):
    """One row per county department, plus a totals row; a fixed number of queries.

    For a county department, only its own row. For a city department, a row per county
    department it gives to, counting only what it gives: the items it devolved, the seals it
    issued, the ports it arranges, the flags it owes; the county's stamps are not its to see.
    """
    mine, items_given, seals_given, ports_given, flags_given = {}, {}, {}, {}, {}
    giving = department is not None and department.level == Department.Level.CITY
    if giving:
        items_given = {"city_department": department}
        seals_given = {"issuer": department}
        ports_given = {"city_department": department}
        flags_given = {"city_department": department}
        mine = {"pk__in": DevolvedItem.objects.filter(**items_given).values("county_department")}
    elif department is not None:
        mine = {"pk": department.pk}
    items = _counts_by(
        DevolvedItem.objects.current().filter(**items_given),
        "county_department",
        items=Count("pk"),
        not_handed_over=Count("pk", filter=Q(status=ItemStatus.NOT_HANDED_OVER)),
        in_training=Count("pk", filter=Q(status=ItemStatus.IN_TRAINING)),
        exercised=Count("pk", filter=Q(status=ItemStatus.EXERCISED)),
    )
    seals = _counts_by(
        Seal.objects.exclude(status=SealStatus.SEALED_AWAY).filter(**seals_given),
        "holder",
        seals=Count("pk"),
        seals_enabled=Count("pk", filter=Q(status=SealStatus.ENABLED)),
    )
    ports = _counts_by(
        ProvincialPort.objects.filter(**ports_given),
        "county_department",
        ports=Count("pk"),
        ports_open=Count("pk", filter=Q(opened_on__isnull=False)),
    )
    flags = _counts_by(
        DeadlineFlag.objects.filter(resolved_on__isnull=True, **flags_given),
        "county_department",
        open_flags=Count("pk"),
    )
    never_stamped = {}
    for item in [] if giving else unused_items(department):
        never_stamped.setdefault(item.county_department_id, []).append(item)

    rows = []
    total = DepartmentProgress(department=None)
    for county in Department.objects.filter(level=Department.Level.COUNTY, **mine):
        row = DepartmentProgress(
            department=county,
            never_stamped=never_stamped.get(county.pk, []),
            **items.get(county.pk, {}),
            **seals.get(county.pk, {}),
            **ports.get(county.pk, {}),
            **flags.get(county.pk, {}),
        )
        rows.append(row)
        for name in (
            "items",
            "not_handed_over",
            "in_training",
            "exercised",
            "seals",
            "seals_enabled",
            "ports",
            "ports_open",
            "open_flags",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.never_stamped.extend(row.never_stamped)
    return rows, total


def unused_items(department=None):
    """Items the county has taken over but never stamped: a question for the next round."""
    items = DevolvedItem.objects.filter(status__in=TAKEN_OVER, seal_usages__isnull=True)
    if department is not None:
        items = items.filter(county_department=department)
    return items.select_related("county_department").order_by(
        "county_department__sort_order", "sequence", "pk"
    )
