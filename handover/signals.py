"""Keep each item's stored status in step with the facts it is derived from."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from devolution.exchange.signals import import_committed
from items.models import DevolvedItem
from items.signals import list_published

from .models import Handover, start_training
from .status import ITEMS_MOVED_BY, refresh_changed_statuses, refresh_item_statuses


def refresh_after_commit(items):
    # After commit, so a rolled-back change never leaves a status behind.
    transaction.on_commit(lambda: refresh_item_statuses(items))


@receiver(post_save)
def input_saved(sender, instance, raw=False, **kwargs):
    items_moved = ITEMS_MOVED_BY.get(sender)
    if items_moved is None or raw:
        return
    if sender is Handover:
        # Every door that records a completion (admin, import, command) opens the training.
        start_training(instance)
    refresh_after_commit(items_moved(instance))


@receiver(import_committed)
def import_committed_refresh(sender, table, record, pks=None, **kwargs):
    # Imports write in bulk, without post_save: imported items and handovers (completion
    # dates) and seals take effect on the statuses here. An item import changes only the items
    # it wrote, so only those are refreshed: its cost follows the file, not the plan.
    if table == "items" and pks is not None:
        for start in range(0, len(pks), 5000):
            refresh_item_statuses(DevolvedItem.objects.filter(pk__in=pks[start : start + 5000]))
    elif table in {"items", "handovers", "seals"}:
        if table == "handovers":
            # A completion imported in bulk opens its training period, as one saved does.
            for handover in Handover.objects.filter(
                plan=record.plan_id, completed_on__isnull=False, training__isnull=True
            ).select_related("plan"):
                start_training(handover)
        # The import wrote history rows for what it changed: the items those move, not the plan.
        refresh_changed_statuses(since=record.created_at)


@receiver(post_save, sender=DevolvedItem)
def item_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A new item, or one moved to another department or power type, takes its pair's status.
    if not raw and update_fields != frozenset({"status"}):
        refresh_after_commit(DevolvedItem.objects.filter(pk=instance.pk))


@receiver(list_published)
def list_published_refresh(sender, adjustment, **kwargs):
    # A published adjustment adds, changes (departments) and re-devolves items in bulk.
    refresh_after_commit(DevolvedItem.objects.filter(changes__adjustment=adjustment))
