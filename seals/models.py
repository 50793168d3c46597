"""The special seals (专用分章), their custody, and the stamping register (用印登记).

"谁盖章谁负责": every stamp names its seal, item, document and the person who stamped.
"""

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from devolution.models import Department, Plan
from items.models import DevolvedItem, ItemKind


class SealKind(models.TextChoices):
    APPROVAL = ItemKind.APPROVAL.value, "行政审批专用章"
    NON_APPROVAL = ItemKind.NON_APPROVAL.value, "非审批类事项办理专用章"


class SealStatus(models.TextChoices):
    """The custody steps, in the only order they may happen."""

    ENGRAVED = "engraved", "已刻制"
    DELIVERED = "delivered", "已送达县政府"
    DISTRIBUTED = "distributed", "已分送承接部门"
    ENABLED = "enabled", "已启用"
    SEALED_AWAY = "sealed_away", "已收回封存"


class Seal(models.Model):
    """A seal the city engraved for the county: "XX部门行政审批专用章(4)" and the like."""

    plan = models.ForeignKey(Plan, verbose_name="适用批次", on_delete=models.PROTECT)
    name = models.CharField("印章名称", max_length=200)
    kind = models.CharField("印章类别", max_length=20, choices=SealKind.choices)
    issuer = models.ForeignKey(
        Department,
        verbose_name="刻制部门",
        on_delete=models.PROTECT,
        related_name="seals_issued",
        limit_choices_to={"level": Department.Level.CITY},
    )
    # A seal has one holder at a time: the county department that keeps and uses it.
    holder = models.ForeignKey(
        Department,
        verbose_name="保管使用部门",
        on_delete=models.PROTECT,
        related_name="seals_held",
        limit_choices_to={"level": Department.Level.COUNTY},
    )
    status = models.CharField(
        "状态", max_length=20, choices=SealStatus.choices, default=SealStatus.ENGRAVED
    )
    delivery_due_on = models.DateField("送达期限", null=True, blank=True, db_index=True)
    note = models.TextField("备注", blank=True)

    history = HistoricalRecords(verbose_name="印章历史")

    class Meta:
        verbose_name = "专用分章"
        verbose_name_plural = "专用分章"
        ordering = ["plan", "issuer__sort_order", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="seal_name_unique_in_plan"),
            # One live seal of a kind per issuer and holder; a sealed-away one may be replaced.
            models.UniqueConstraint(
                fields=["plan", "issuer", "holder", "kind"],
                condition=~Q(status="sealed_away"),
                name="seal_one_live_per_holder_and_kind",
            ),
            models.CheckConstraint(condition=Q(kind__in=SealKind.values), name="seal_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=SealStatus.values), name="seal_status_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The notice: seals reach the county within 15 working days, like the handover.
        self.delivery_due_on = self.plan.handover_due_on()
        super().save(*args, **kwargs)


@receiver(post_save, sender=Plan)
def recompute_seal_delivery_due_dates(sender, instance, raw=False, **kwargs):
    """A corrected issue date moves every seal-delivery deadline of the plan."""
    if raw:
        return
    due_on = instance.handover_due_on()
    stale = list(Seal.objects.filter(plan=instance).exclude(delivery_due_on=due_on))
    for seal in stale:
        seal.delivery_due_on = due_on
    bulk_update_with_history(stale, Seal, ["delivery_due_on"])


class SealCustodyEvent(models.Model):
    """One step of a seal's custody: who did it, when, and a note."""

    seal = models.ForeignKey(
        Seal,
        verbose_name="印章",
        on_delete=models.PROTECT,
        related_name="custody_events",
    )
    step = models.CharField("环节", max_length=20, choices=SealStatus.choices)
    happened_on = models.DateField("日期")
    person = models.CharField("经办人", max_length=100)
    note = models.TextField("备注", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "印章流转记录"
        verbose_name_plural = "印章流转记录"
        ordering = ["seal", "happened_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seal", "step"], name="custody_step_once_per_seal"),
            models.CheckConstraint(
                condition=Q(step__in=SealStatus.values), name="custody_step_valid"
            ),
        ]

    def __str__(self):
        return f"{self.seal} {self.get_step_display()} {self.happened_on}"


class SealUsage(models.Model):
    """One stamp in the register: which seal, which item, what document, who stamped."""

    class Route(models.TextChoices):
        CITY = "city", "本市办结（加盖专用分章即视为办结）"
        PROVINCE = "province", "报省办结（经市直对口部门直接上报）"

    seal = models.ForeignKey(
        Seal, verbose_name="印章", on_delete=models.PROTECT, related_name="usages"
    )
    item = models.ForeignKey(
        DevolvedItem,
        verbose_name="事项",
        on_delete=models.PROTECT,
        related_name="seal_usages",
    )
    stamped_on = models.DateField("用印日期")
    document_reference = models.CharField("文件/材料编号", max_length=200)
    applicant = models.CharField("申请人", max_length=200)
    stamped_by = models.CharField("盖章人", max_length=100)
    route = models.CharField("办结途径", max_length=10, choices=Route.choices, default=Route.CITY)
    note = models.TextField("备注", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="用印历史")

    class Meta:
        verbose_name = "用印登记"
        verbose_name_plural = "用印登记"
        ordering = ["-stamped_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(route__in=["city", "province"]), name="usage_route_valid"
            ),
            models.CheckConstraint(
                condition=~Q(document_reference="") & ~Q(stamped_by=""),
                name="usage_document_and_stamper_given",
            ),
        ]
        indexes = [models.Index(fields=["seal", "stamped_on"], name="usage_seal_date_idx")]

    def __str__(self):
        return f"{self.seal} → {self.item}（{self.stamped_on}）"
