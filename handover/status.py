"""An item's status, derived from the facts the registry records, never typed in.

- 未交接: the pair's handover is not complete, the item was left out of it, or the seal its kind
  needs is not enabled yet: the city's existing procedure still applies (notice, 五(三)).
- 已交接·培训指导期: handed over with its seal enabled, but the county department has not yet
  been confirmed able to exercise it alone (接得住), or the provincial port it needs is not open.
- 县已独立行使: all of the above done.
- 已退出 (已收回, 已取消): off the list; only a published adjustment brings an item back.

The result is stored on DevolvedItem.status so that the seals app, the public site and the
exports read it without importing this app. `refresh_item_statuses` is the one function that
writes it; signals in this app call it whenever one of its inputs changes.
"""

import datetime
import functools
import operator

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from items.models import (
    LEFT_STATUSES,
    DevolvedItem,
    ItemKind,
    ItemStatus,
    handover_key,
    kind_of,
    power_types_of_kind,
)
from items.signals import item_statuses_changed
from seals.models import ApprovalTransfer, Seal

from .models import (
    Handover,
    HandoverExclusion,
    ProvincialPort,
    StatusRefresh,
    TrainingPeriod,
)


def derive_status(item, handover, excluded, seal_enabled, port_open, seal_changed=False):
    """The status of one item given the facts about it (pure; no queries). `seal_changed`: the
    seal the item needs is a new one (its department's approval power moved to the bureau)."""
    if item.is_retired:
        # 已退出, or the way an adjustment took it off the list (已收回, 已取消).
        return item.status if item.status in LEFT_STATUSES else ItemStatus.RETIRED
    if handover is None or handover.completed_on is None or excluded:
        return ItemStatus.NOT_HANDED_OVER
    if not seal_enabled:
        return ItemStatus.AWAITING_SEAL if seal_changed else ItemStatus.NOT_HANDED_OVER
    training = getattr(handover, "training", None)
    confirmed = training is not None and training.confirmed_on is not None
    if confirmed and port_open:
        return ItemStatus.EXERCISED
    return ItemStatus.IN_TRAINING


def refresh_item_statuses(items=None):
    """Recompute and store the status of `items` (a queryset; all items by default).

    A fixed number of queries whatever the number of items; only changed rows are written,
    each with a history entry. Returns the number of items whose status changed.
    """
    queryset = items if items is not None else DevolvedItem.objects.all()
    items = list(queryset.order_by("pk"))
    if not items:
        return 0
    plans = {item.plan_id for item in items}
    county_departments = {item.county_department_id for item in items}

    handovers = {
        tuple(handover_key(h).values()): h
        for h in Handover.objects.filter(
            plan__in=plans, county_department__in=county_departments
        ).select_related("training")
    }
    excluded = set(
        # A subquery, not a list of every item's key: SQLite refuses more than 999 (or
        # 32,766) parameters, and the daily scan passes every item.
        HandoverExclusion.objects.filter(item__in=queryset.order_by().values("pk")).values_list(
            "item_id", flat=True
        )
    )
    enabled_seals = set(
        Seal.objects.enabled()
        .filter(plan__in=plans, holder__in=county_departments)
        .values_list("plan_id", "holder_id", "kind")
    )
    # The departments whose approval power moved to the bureau: their approval items need the
    # county-wide bureau seal instead of their own.
    transferred = set(ApprovalTransfer.objects.values_list("city_department_id", flat=True))
    county_wide_enabled = set(
        Seal.objects.enabled()
        .filter(plan__in=plans, county_wide=True)
        .values_list("plan_id", "kind")
    )
    open_ports = set(
        ProvincialPort.objects.filter(
            county_department__in=county_departments, opened_on__isnull=False
        ).values_list("county_department_id", "system_id")
    )

    changed = []
    for item in items:
        handover = handovers.get(tuple(handover_key(item).values()))
        kind = kind_of(item.power_type)
        seal_changed = kind == ItemKind.APPROVAL and item.city_department_id in transferred
        if seal_changed:
            seal_enabled = (item.plan_id, kind) in county_wide_enabled
        else:
            seal_enabled = (item.plan_id, item.county_department_id, kind) in enabled_seals
        status = derive_status(
            item,
            handover,
            excluded=item.pk in excluded,
            seal_enabled=seal_enabled,
            seal_changed=seal_changed,
            port_open=item.provincial_system_id is None
            or (item.county_department_id, item.provincial_system_id) in open_ports,
        )
        handed_over_on = (
            handover.completed_on if handover is not None and item.pk not in excluded else None
        )
        if status in LEFT_STATUSES:
            handed_over_on = item.handed_over_on
        if (status, handed_over_on) != (item.status, item.handed_over_on):
            item.status, item.handed_over_on = status, handed_over_on
            changed.append(item)
    if changed:
        bulk_update_with_history(
            changed,
            DevolvedItem,
            ["status", "handed_over_on"],
            batch_size=500,
            default_change_reason="状态更新",
        )
        item_statuses_changed.send(DevolvedItem, item_ids=[item.pk for item in changed])
    return len(changed)


def items_of_seal(seal):
    items = DevolvedItem.objects.filter(
        plan=seal.plan_id, power_type__in=power_types_of_kind(seal.kind)
    )
    if seal.county_wide:
        # The bureau's seal: the approval items of every department that moved to it.
        return items.filter(city_department__approval_transfer__isnull=False)
    return items.filter(county_department=seal.holder_id)


# The items whose status a record of each input may move (the signals and the scan use it).
ITEMS_MOVED_BY = {
    DevolvedItem: lambda item: DevolvedItem.objects.filter(pk=item.pk),
    Handover: lambda handover: DevolvedItem.objects.of_handover(handover),
    TrainingPeriod: lambda period: DevolvedItem.objects.of_handover(period.handover),
    HandoverExclusion: lambda exclusion: DevolvedItem.objects.filter(pk=exclusion.item_id),
    ProvincialPort: lambda port: DevolvedItem.objects.filter(
        county_department=port.county_department_id, provincial_system=port.system_id
    ),
    Seal: items_of_seal,
    ApprovalTransfer: lambda transfer: DevolvedItem.objects.filter(
        city_department=transfer.city_department_id,
        power_type__in=power_types_of_kind(ItemKind.APPROVAL),
    ),
}

# A change saved just before a refresh may commit just after it reads the history: each
# refresh looks this far back past the last one (re-deriving a few statuses costs nothing).
REFRESH_OVERLAP = datetime.timedelta(minutes=10)


def items_changed_since(since):
    """The items whose status inputs have history rows after `since`, as querysets (one per
    a few hundred changed records); none at all when nothing changed. One query per input
    table, plus what the changed records' items take to find."""
    moved = []
    for model, items_moved in ITEMS_MOVED_BY.items():
        for row in model.history.filter(history_date__gt=since).order_by("history_id").iterator():
            # The record as that history row recorded it (also its state before a move).
            moved.append(items_moved(row.instance))
    for start in range(0, len(moved), 200):
        yield functools.reduce(operator.or_, moved[start : start + 200])


def refresh_changed_statuses(since=None):
    """Bring the statuses up to date, touching only the items whose inputs changed after
    `since`; returns how many items' status changed. Every door that changes an input keeps
    its history (DESIGN rule 6), so the history tables say what changed.

    Without `since` (the daily scan): since the last such refresh, which this one then
    records; the first ever refreshes every item."""
    started = timezone.now()  # before reading: what changes from now on is the next one's
    if since is not None:
        return sum(refresh_item_statuses(items) for items in items_changed_since(since))
    with transaction.atomic():
        last = StatusRefresh.objects.select_for_update().order_by("-pk").first()
        if last is None:
            changed = refresh_item_statuses()
            last = StatusRefresh(refreshed_at=started)
        else:
            changed = sum(
                refresh_item_statuses(items)
                for items in items_changed_since(last.refreshed_at - REFRESH_OVERLAP)
            )
            last.refreshed_at = started
        last.save()
    return changed


def last_scanned_at():
    """When the daily scan (or 立即检查逾期) last ran, None if it never has: 逾期一览 says so,
    since an empty list before the first scan does not mean that nothing is late."""
    return StatusRefresh.objects.order_by("-pk").values_list("refreshed_at", flat=True).first()
