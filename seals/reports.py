"""用印统计: stamps per seal, per item and per month, the seals not yet enabled and the late
deliveries; one aggregate query per table, whatever the number of stamps."""

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth

from devolution.models import within_reach

from .models import SealStatus, SealUsage
from .services import late_deliveries


def stamping_report(seals, today, department=None):
    """The report over `seals` (a queryset annotated with `stamp_count`) and the stamps of
    `department`'s seals (every department's when None)."""
    # Counts only: a county department's own stamps; a city department's, the stamps made with
    # the seals it issued (it opens no stamp record, but sees how its powers are used, as the
    # per-seal table and the published evaluations show anyway).
    usages = within_reach(
        SealUsage.objects.all(), department, "item__county_department", "seal__issuer"
    )
    report = {
        "per_seal": list(
            seals.filter(stamp_count__gt=0)
            .order_by("-stamp_count", "name")
            .values("pk", "name", "holder__short_name", "status", "stamp_count")
            .annotate(last_stamped_on=Max("usages__stamped_on"))
        ),
        "per_item": list(
            usages.values(
                "item",
                "item__code",
                "item__name",
                "item__sub_item",
                "item__county_department__short_name",
            )
            .annotate(stamps=Count("id"), last_stamped_on=Max("stamped_on"))
            .order_by("-stamps", "item__code")
        ),
        "per_month": list(
            usages.annotate(month=TruncMonth("stamped_on"))
            .values("month")
            .annotate(
                stamps=Count("id"),
                to_province=Count("id", filter=Q(route=SealUsage.Route.PROVINCE)),
            )
            .order_by("month")
        ),
        "not_enabled": list(
            seals.not_yet_enabled()
            .order_by("delivery_due_on", "name")
            .values("pk", "name", "holder__short_name", "status", "delivery_due_on")
        ),
        "late_deliveries": list(
            late_deliveries(today)
            .filter(pk__in=seals.values("pk"))
            .order_by("delivery_due_on", "name")
            .values("pk", "name", "holder__short_name", "delivery_due_on", "delivered_on")
        ),
    }
    # The stamp register's links, for those who may open its records.
    report["stamps_open"] = department is None or department.level == department.Level.COUNTY
    for row in report["per_seal"] + report["not_enabled"]:
        row["status_label"] = SealStatus(row["status"]).label
    return report
