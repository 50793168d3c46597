"""A round's report: per department and per power type, the items never used in the period, the
items used only through 代办, the recommendations by kind; stamps per month per department.
Each table is one grouped query, whatever the number of items."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from items.models import PowerType
from seals.models import SealUsage

from .models import NEVER_USED, USED_ONLY_THROUGH_ACTING, Recommendation

COUNTS = {
    "items": Count("pk"),
    "never_used": Count("pk", filter=NEVER_USED),
    "acting_only": Count("pk", filter=USED_ONLY_THROUGH_ACTING),
    "keep": Count("pk", filter=Q(recommendation=Recommendation.KEEP)),
    "adjust": Count("pk", filter=Q(recommendation=Recommendation.ADJUST)),
    "withdraw": Count("pk", filter=Q(recommendation=Recommendation.WITHDRAW)),
    "pending": Count("pk", filter=Q(recommendation="")),
}


@dataclass
class ReportRow:
    label: str
    items: int = 0
    never_used: int = 0
    acting_only: int = 0
    keep: int = 0
    adjust: int = 0
    withdraw: int = 0
    pending: int = 0


def _rows(evaluations, group_by, label_of):
    grouped = evaluations.order_by().values(*group_by).annotate(**COUNTS).order_by(*group_by)
    return [
        ReportRow(label=label_of(row), **{name: row[name] for name in COUNTS}) for row in grouped
    ]


def by_department(evaluations):
    return _rows(
        evaluations,
        ["county_department__sort_order", "county_department__short_name"],
        lambda row: row["county_department__short_name"],
    )


def by_power_type(evaluations):
    labels = dict(PowerType.choices)
    return _rows(
        evaluations, ["item__power_type"], lambda row: labels.get(row["item__power_type"], "")
    )


def totals(evaluations):
    row = evaluations.order_by().aggregate(**COUNTS)
    return ReportRow(label="合计", **row)


def months_of(period_from, period_to):
    months, day = [], period_from.replace(day=1)
    while day <= period_to:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class MonthGrid:
    """Stamps per month (columns) per department (rows), for an inline SVG heat map."""

    months: list
    rows: list  # [(department label, [count per month])]
    largest: int = 0
    cells: list = field(default_factory=list)


def stamps_per_month(evaluation_round, evaluations):
    """One grouped query over the stamps of the evaluated items within the period."""
    stamps = (
        SealUsage.objects.filter(
            item__evaluations__in=evaluations,
            stamped_on__range=(evaluation_round.period_from, evaluation_round.period_to),
        )
        .annotate(month=TruncMonth("stamped_on"))
        .order_by()
        .values(
            "item__evaluations__county_department__sort_order",
            "item__evaluations__county_department__short_name",
            "month",
        )
        .annotate(stamps=Count("pk"))
    )
    months = months_of(evaluation_round.period_from, evaluation_round.period_to)
    counts = {}
    for row in stamps:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        department = (
            row["item__evaluations__county_department__sort_order"],
            row["item__evaluations__county_department__short_name"],
        )
        counts.setdefault(department, {})[month] = row["stamps"]
    # In the departments' own order, as in the tables above.
    rows = [
        (name, [per_month.get(month, 0) for month in months])
        for (_, name), per_month in sorted(counts.items())
    ]
    largest = max((value for _, values in rows for value in values), default=0)
    return MonthGrid(months=months, rows=rows, largest=largest)


def withdrawals(evaluations):
    """The items recommended for withdrawal (收回), for the report and the public summary."""
    return (
        evaluations.filter(recommendation=Recommendation.WITHDRAW)
        .select_related("item", "county_department", "city_department")
        .order_by("county_department__sort_order", "item__sequence", "item_id")
    )
