"""Keep each item's stored status in step with the facts it is derived from."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from devolution.exchange.signals import import_committed
from items.models import DevolvedItem, ItemKind, power_types_of_kind
from seals.models import ApprovalTransfer, Seal

from .models import Handover, HandoverExclusion, ProvincialPort, TrainingPeriod, start_training
from .status import refresh_item_statuses


def refresh_after_commit(items):
    # After commit, so a rolled-back change never leaves a status behind.
    transaction.on_commit(lambda: refresh_item_statuses(items))


@receiver(post_save, sender=Handover)
def handover_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        # Every door that records a completion (admin, import, command) opens the training.
        start_training(instance)
        refresh_after_commit(DevolvedItem.objects.of_handover(instance))


@receiver(post_save, sender=TrainingPeriod)
def training_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_after_commit(DevolvedItem.objects.of_handover(instance.handover))


@receiver(post_save, sender=HandoverExclusion)
def exclusion_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_after_commit(DevolvedItem.objects.filter(pk=instance.item_id))


@receiver(post_save, sender=ProvincialPort)
def port_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_after_commit(
            DevolvedItem.objects.filter(
                county_department=instance.county_department_id,
                provincial_system=instance.system_name,
            )
        )


@receiver(post_save, sender=Seal)
def seal_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        items = DevolvedItem.objects.filter(
            plan=instance.plan_id, power_type__in=power_types_of_kind(instance.kind)
        )
        if instance.county_wide:
            # The bureau's seal: the approval items of every department that moved to it.
            items = items.filter(city_department__approval_transfer__isnull=False)
        else:
            items = items.filter(county_department=instance.holder_id)
        refresh_after_commit(items)


@receiver(post_save, sender=ApprovalTransfer)
def approval_transfer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_after_commit(
            DevolvedItem.objects.filter(
                city_department=instance.city_department_id,
                power_type__in=power_types_of_kind(ItemKind.APPROVAL),
            )
        )


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
        refresh_item_statuses(DevolvedItem.objects.filter(plan=record.plan_id))


@receiver(post_save, sender=DevolvedItem)
def item_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A new item, or one moved to another department or power type, takes its pair's status.
    if not raw and update_fields != frozenset({"status"}):
        refresh_after_commit(DevolvedItem.objects.filter(pk=instance.pk))
