"""The figures the public site shows: counts and the reform's progress, each a fixed number of
aggregate queries whatever the registry's size."""

from django.db.models import Count
from django.urls import reverse

from devolution.models import Department
from handover.dashboard import progress_counts
from items.models import CancelledApproval, DevolvedItem, ItemStatus, PowerType

from . import revision
from .charts import Progress, bar_chart


def item_counts(items):
    """{(county_department_id, power_type, status): n} in one grouped scan of the items."""
    rows = (
        items.order_by()
        .values_list("county_department_id", "power_type", "status")
        .annotate(n=Count("id"))
    )
    return {(department, power_type, status): n for department, power_type, status, n in rows}


def _sum_by(counts, position):
    totals = {}
    for key, n in counts.items():
        totals[key[position]] = totals.get(key[position], 0) + n
    return totals


def _choices_chart(title, counts, position, parameter, choices):
    """A bar per choice of the counts' key at `position`, each to the list filtered by it."""
    totals = _sum_by(counts, position)
    url = reverse("public:items")
    return bar_chart(
        title,
        [(label, totals.get(value, 0), f"{url}?{parameter}={value}") for value, label in choices],
    )


def power_type_chart(counts):
    return _choices_chart("按权力类型统计", counts, 1, "power_type", PowerType.choices)


def status_chart(counts):
    listed = [(value, label) for value, label in ItemStatus.choices if value != ItemStatus.RETIRED]
    return _choices_chart("按办理状态统计", counts, 2, "status", listed)


def department_chart(counts, departments):
    by_department = _sum_by(counts, 0)
    rows = sorted(departments, key=lambda d: (-by_department.get(d.pk, 0), d.sort_order, d.pk))
    return bar_chart(
        "按承接部门统计",
        [
            (d.short_name, by_department.get(d.pk, 0), reverse("public:department", args=[d.pk]))
            for d in rows
        ],
    )


def progress_bars(department=None):
    """Handovers complete, seals enabled and open overdue flags, of the registry or of one
    county department; counted by the reform office's own progress count."""
    totals = {}
    for counts in progress_counts(department, of=("handovers", "seals", "flags")).values():
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + n
    return {
        "bars": [
            Progress("权力交接已完成", totals.get("handovers_done", 0), totals.get("handovers", 0)),
            Progress("专用分章已启用", totals.get("seals_enabled", 0), totals.get("seals", 0)),
        ],
        "open_flags": totals.get("open_flags", 0),
        # Which side is late: the city departments that give, or the county departments.
        "late_city": totals.get("late_city", 0),
        "late_county": totals.get("late_county", 0),
    }


def per_revision(request, name, compute):
    """compute(), kept in the cache under `name` for the data revision `request` reads."""
    key = f"public:{name}:{revision.of_request(request)['token']}"
    value = revision.cache_call("get", key)
    if value is None:
        value = compute()
        revision.cache_call("set", key, value, revision.CACHE_TIMEOUT)
    return value


def home_figures(request):
    """The home page's figures; computed once per data revision and kept in the cache, as
    they aggregate every item."""
    return per_revision(request, "home-figures", lambda: _compute_home_figures(request))


def current_item_counts(request):
    """item_counts of the current list, computed once per data revision and kept in the cache:
    the home page and every department page read it."""
    return per_revision(request, "item-counts", lambda: item_counts(DevolvedItem.objects.current()))


def department_progress_bars(request, department):
    """progress_bars of a county department, once per data revision."""
    return per_revision(
        request, f"progress-bars-{department.pk}", lambda: progress_bars(department)
    )


def _compute_home_figures(request):
    counts = current_item_counts(request)
    departments = list(Department.objects.filter(level=Department.Level.COUNTY))
    return {
        "illustrative": DevolvedItem.objects.filter(illustrative=True).exists()
        or CancelledApproval.objects.filter(illustrative=True).exists(),
        "cancelled_count": CancelledApproval.objects.current().count(),
        "devolved_count": sum(counts.values()),
        "exercised_count": _sum_by(counts, 2).get(ItemStatus.EXERCISED, 0),
        "department_count": len(departments),
        "power_type_chart": power_type_chart(counts),
        "status_chart": status_chart(counts),
        "department_chart": department_chart(counts, departments),
        "progress": progress_bars(),
    }
