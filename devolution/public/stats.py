"""The figures the public site shows: counts and the reform's progress, each a fixed number of
aggregate queries whatever the registry's size."""

from django.db.models import Count, Q
from django.urls import reverse

from devolution.models import Department
from handover.models import DeadlineFlag, Handover
from items.models import CancelledApproval, DevolvedItem, ItemStatus, PowerType
from seals.models import Seal, SealStatus

from .charts import Progress, bar_chart


def current_items():
    return DevolvedItem.objects.exclude(status=ItemStatus.RETIRED)


def power_type_chart(items):
    counts = dict(items.order_by().values_list("power_type").annotate(n=Count("id")))
    return bar_chart(
        "按权力类型统计",
        [
            (label, counts.get(value, 0), f"{reverse('public:items')}?power_type={value}")
            for value, label in PowerType.choices
        ],
    )


def status_chart(items):
    counts = dict(items.order_by().values_list("status").annotate(n=Count("id")))
    return bar_chart(
        "按办理状态统计",
        [
            (label, counts.get(value, 0), f"{reverse('public:items')}?status={value}")
            for value, label in ItemStatus.choices
            if value != ItemStatus.RETIRED
        ],
    )


def department_chart():
    departments = Department.objects.filter(level=Department.Level.COUNTY).annotate(
        n=Count("devolved_items", filter=~Q(devolved_items__status=ItemStatus.RETIRED))
    )
    return bar_chart(
        "按承接部门统计",
        [
            (d.short_name, d.n, reverse("public:department", args=[d.pk]))
            for d in departments.order_by("-n", "sort_order", "id")
        ],
    )


def progress(handovers, seals, flags):
    """Handovers complete, seals enabled, open overdue flags: three aggregate queries."""
    handover_counts = handovers.aggregate(
        total=Count("id"), done=Count("id", filter=Q(completed_on__isnull=False))
    )
    seal_counts = seals.exclude(status=SealStatus.SEALED_AWAY).aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=SealStatus.ENABLED))
    )
    open_flags = flags.filter(resolved_on__isnull=True).count()
    return {
        "bars": [
            Progress("权力交接已完成", handover_counts["done"], handover_counts["total"]),
            Progress("专用分章已启用", seal_counts["done"], seal_counts["total"]),
        ],
        "open_flags": open_flags,
    }


def registry_progress():
    return progress(Handover.objects.all(), Seal.objects.all(), DeadlineFlag.objects.all())


def department_progress(department):
    return progress(
        Handover.objects.filter(county_department=department),
        Seal.objects.filter(holder=department),
        DeadlineFlag.objects.filter(department=department),
    )


def home_figures():
    items = current_items()
    return {
        "cancelled_count": CancelledApproval.objects.current().count(),
        "devolved_count": items.count(),
        "exercised_count": items.filter(status=ItemStatus.EXERCISED).count(),
        "department_count": Department.objects.filter(level=Department.Level.COUNTY).count(),
        "power_type_chart": power_type_chart(items),
        "status_chart": status_chart(items),
        "department_chart": department_chart(),
        "progress": registry_progress(),
    }
