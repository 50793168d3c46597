"""The special seals (专用分章), their custody, and the stamping register (用印登记).

"谁盖章谁负责": every stamp names its seal, item, document and the person who stamped.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from devolution.models import (
    Department,
    KeptQuerySet,
    KeptRecord,
    Plan,
    PlanDueDate,
    department_field,
)
from items.models import HANDED_OVER_STATUSES, DevolvedItem, ItemKind, ItemStatus


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


# The states before use: the seal is on its way to the department that will use it.
NOT_YET_ENABLED = (SealStatus.ENGRAVED, SealStatus.DELIVERED, SealStatus.DISTRIBUTED)
# Every state but the last: a seal in one of these still exists for use or on its way to use.
LIVE_STATUSES = (*NOT_YET_ENABLED, SealStatus.ENABLED)


class SealQuerySet(KeptQuerySet):
    def live(self):
        """The seals not sealed away: in use or on their way to use."""
        return self.filter(status__in=LIVE_STATUSES)

    def enabled(self):
        return self.filter(status=SealStatus.ENABLED)

    def not_yet_enabled(self):
        """The seals on their way to the department that will use them."""
        return self.filter(status__in=NOT_YET_ENABLED)


class Seal(KeptRecord, PlanDueDate):
    """A seal the city engraved for the county: "XX部门行政审批专用章(4)" and the like."""

    kept_instead = "不再使用的印章请登记“收回封存”"
    due_date_field = "delivery_due_on"
    due_date_related = ("issuer",)

    plan = models.ForeignKey(Plan, verbose_name="适用批次", on_delete=models.PROTECT)
    name = models.CharField("印章名称", max_length=200)
    kind = models.CharField("印章类别", max_length=20, choices=SealKind.choices)
    issuer = department_field(Department.Level.CITY, "刻制部门", "seals_issued")
    # A seal has one holder at a time: the county department that keeps and uses it; or none,
    # for the bureau's seal that the whole county uses ("县统一使用", notice 四(一)).
    holder = department_field(
        Department.Level.COUNTY, "保管使用部门", "seals_held", null=True, blank=True
    )
    county_wide = models.BooleanField(
        "县统一使用",
        default=False,
        help_text="市行政审批局审批专用章：全县统一使用，用于审批权已划转部门的审批事项。",
    )
    status = models.CharField(
        "状态", max_length=20, choices=SealStatus.choices, default=SealStatus.ENGRAVED
    )
    delivery_due_on = models.DateField("送达期限", null=True, blank=True, db_index=True)
    note = models.TextField("备注", blank=True)

    history = HistoricalRecords(verbose_name="印章历史")

    objects = SealQuerySet.as_manager()

    class Meta:
        verbose_name = "专用分章"
        verbose_name_plural = "专用分章"
        ordering = ["plan", "issuer__sort_order", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="seal_name_unique_in_plan",
                violation_error_message="本方案中已有同名的印章。",
            ),
            # One live seal of a kind per issuer and holder; a sealed-away one may be replaced.
            models.UniqueConstraint(
                fields=["plan", "issuer", "holder", "kind"],
                condition=~Q(status="sealed_away"),
                name="seal_one_live_per_holder_and_kind",
                violation_error_message="该部门已持有同一发章部门发放的同类在用印章，请先收回封存旧章。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SealKind.values),
                name="seal_kind_valid",
                violation_error_message="印章类别无效。",
            ),
            models.CheckConstraint(
                condition=Q(county_wide=True, holder__isnull=True)
                | Q(county_wide=False, holder__isnull=False),
                name="seal_county_wide_has_no_holder",
                violation_error_message="全县通用的印章不填持章部门；其他印章必须填写持章部门。",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(county_wide=True) & ~Q(status="sealed_away"),
                name="seal_one_live_county_wide",
                violation_error_message="已有一枚在用的同类全县通用印章，请先收回封存旧章。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SealStatus.values),
                name="seal_status_valid",
                violation_error_message="印章状态无效。",
            ),
        ]

    def __str__(self):
        return self.name

    def derived_due_date(self, handover_due_on):
        # The notice: the departments' seals reach the county within 15 working days, like the
        # handover. The approval bureau's seal comes later, when the bureau exists; the notice
        # sets it no deadline.
        return None if self.is_bureau_seal else handover_due_on

    @property
    def is_bureau_seal(self):
        """A "盘锦市行政审批局审批专用章(X)" rather than a department's own seal."""
        return self.issuer.is_approval_bureau


class ApprovalTransfer(models.Model):
    """审批权划转: a city department's approval power moved to 盘锦市行政审批局, on its own date.

    From that day its departmental approval seals are recalled and sealed away, and the county
    stamps its approval items with the bureau's county-wide seal; the other departments keep
    their own seals."""

    city_department = models.OneToOneField(
        Department,
        verbose_name="市直部门",
        on_delete=models.PROTECT,
        related_name="approval_transfer",
        limit_choices_to={"level": Department.Level.CITY, "is_approval_bureau": False},
    )
    transferred_on = models.DateField("划转日期")
    person = models.CharField("经办人", max_length=100)
    note = models.TextField("备注", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="审批权划转历史")

    class Meta:
        verbose_name = "审批权划转"
        verbose_name_plural = "审批权划转"
        ordering = ["transferred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=""),
                name="transfer_person_given",
                violation_error_message="必须填写经办人。",
            ),
        ]

    def __str__(self):
        return f"{self.city_department} 审批权于{self.transferred_on}划转市行政审批局"


def transferred_on(city_department_id):
    """The day the city department's approval power moved to the bureau, or None."""
    return (
        ApprovalTransfer.objects.filter(city_department_id=city_department_id)
        .values_list("transferred_on", flat=True)
        .first()
    )


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
            models.UniqueConstraint(
                fields=["seal", "step"],
                name="custody_step_once_per_seal",
                violation_error_message="该印章已登记过这一环节。",
            ),
            models.CheckConstraint(
                condition=Q(step__in=SealStatus.values),
                name="custody_step_valid",
                violation_error_message="环节无效。",
            ),
        ]

    def __str__(self):
        return f"{self.seal} {self.get_step_display()} {self.happened_on}"


class SealUsage(KeptRecord, models.Model):
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
    # Rule 5: a matter finished at provincial level goes to the city counterpart, which forwards
    # it without re-examination; the register keeps who forwarded it and when.
    forwarded_by = department_field(
        Department.Level.CITY,
        "转报的市直对口部门",
        "stamps_forwarded",
        null=True,
        blank=True,
        help_text="报省办结时必填：经哪个市直部门直接上报。",
    )
    forwarded_on = models.DateField("转报日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="用印历史")

    objects = KeptQuerySet.as_manager()
    kept_instead = "登记有误请更正该记录"

    class Meta:
        verbose_name = "用印登记"
        verbose_name_plural = "用印登记"
        ordering = ["-stamped_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(route__in=["city", "province"]),
                name="usage_route_valid",
                violation_error_message="办结途径只能是本市办结或报省办结。",
            ),
            models.CheckConstraint(
                condition=~Q(document_reference="") & ~Q(stamped_by=""),
                name="usage_document_and_stamper_given",
                violation_error_message="必须填写文件/材料编号和盖章人。",
            ),
            models.CheckConstraint(
                condition=Q(
                    route="province", forwarded_by__isnull=False, forwarded_on__isnull=False
                )
                | Q(route="city", forwarded_by__isnull=True, forwarded_on__isnull=True),
                name="usage_province_route_forwarded",
                violation_error_message="报省办结的须填写转报的市直对口部门和转报日期；本市办结的不填。",
            ),
            models.CheckConstraint(
                condition=Q(forwarded_on__isnull=True)
                | Q(forwarded_on__gte=models.F("stamped_on")),
                name="usage_forwarded_after_stamped",
                violation_error_message="转报日期不能早于用印日期。",
            ),
        ]
        indexes = [models.Index(fields=["seal", "stamped_on"], name="usage_seal_date_idx")]

    def __str__(self):
        return f"{self.seal} → {self.item}（{self.stamped_on}）"

    def save(self, *args, **kwargs):
        """Every code path that records a stamp goes through the stamping rules."""
        with transaction.atomic():
            if self.seal_id is not None:
                # Lock the seal so that a recall cannot slip between the check and the write,
                # and judge the seal and the item as they are stored now.
                # of=("self",): lock the seal only, not the joined department and plan rows,
                # which every other stamp of the plan reads.
                self.seal = (
                    Seal.objects.select_for_update(of=("self",))
                    .select_related("holder", "issuer", "plan")
                    .get(pk=self.seal_id)
                )
            if self.item_id is not None:
                self.item = DevolvedItem.objects.select_related(
                    "county_department", "city_department", "plan"
                ).get(pk=self.item_id)
            # The seal and item were just read, so their existence needs no second query; the
            # CHECK constraints' conditions are the fields' own blank/choices validation, with
            # Chinese messages, and the database still enforces them.
            self.full_clean(
                exclude=[name for name in ("seal", "item") if getattr(self, f"{name}_id")],
                validate_constraints=False,
            )
            super().save(*args, **kwargs)

    def clean(self):
        if self.seal_id is None or self.item_id is None:
            return  # the missing field has its own error
        if not self._state.adding:
            # A correction to a recorded stamp (a typo in the applicant, say) is not a new stamp:
            # the rules judged it when it was made, and the seal may since have been sealed away.
            stored = (
                SealUsage.objects.filter(pk=self.pk)
                .values("seal_id", "item_id", "stamped_on")
                .first()
            )
            current = {
                "seal_id": self.seal_id,
                "item_id": self.item_id,
                "stamped_on": self.stamped_on,
            }
            if stored == current:
                return
        refusals = stamp_refusals(self.seal, self.item, self.stamped_on, timezone.localdate())
        if refusals:
            raise ValidationError(refusals)

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        errors = {}
        if self.route == self.Route.PROVINCE:
            if self.forwarded_by_id is None:
                errors["forwarded_by"] = "报省办结的事项须填写转报的市直对口部门。"
            if self.forwarded_on is None:
                errors["forwarded_on"] = "报省办结的事项须填写转报日期。"
            item = self.item if self.item_id else None
            if item and self.forwarded_by_id and self.forwarded_by_id != item.city_department_id:
                # Rule 5: the matter goes up through the city department that gave the item.
                errors["forwarded_by"] = (
                    f"转报部门应为该事项的市直赋权部门（{item.city_department}）。"
                )
        elif self.forwarded_by_id is not None or self.forwarded_on is not None:
            errors["route"] = (
                "本市办结的事项不经市直部门转报，请清空转报部门和日期，或改为报省办结。"
            )
        if self.forwarded_on and self.stamped_on and self.forwarded_on < self.stamped_on:
            errors["forwarded_on"] = f"转报日期不能早于用印日期（{self.stamped_on}）。"
        if errors:
            raise ValidationError(errors)


# The stamping rules, by code; every refusal names its rule.
STAMP_RULES = {
    "seal_not_enabled": "印章未启用",
    "enabled_after_stamp": "用印日期早于印章启用日期",
    "future_date": "用印日期晚于登记当日",
    "wrong_holder": "非本部门保管的印章",
    "kind_mismatch": "印章类别与事项类别不符",
    "other_plan": "事项不属于印章适用批次",
    "superseded": "审批专用章已由市行政审批局审批专用章取代",
    "not_transferred": "该事项的审批权未划转市行政审批局",
    "before_founding": "用印日期早于市行政审批局成立日期",
    "handover_incomplete": "事项尚未完成权力交接",
    "before_handover": "用印日期早于事项交接完成日期",
    "wrong_issuer": "印章的刻制部门不是事项的赋权部门",
    "item_retired": "事项已退出",
    "item_withdrawn": "事项已收回市直部门",
}


def stamp_refusal(code, detail):
    return ValidationError(f"{STAMP_RULES[code]}：{detail}", code=code)


def stamp_refusals(seal, item, stamped_on=None, today=None):
    """Why `seal` may not stamp `item` (on `stamped_on`, recorded on `today`): a list of
    ValidationErrors, empty if the stamp is valid. The one place the stamping rules live;
    SealUsage.clean() calls it."""
    refusals = []
    if stamped_on is not None and today is not None and stamped_on > today:
        refusals.append(
            stamp_refusal("future_date", f"不能登记{stamped_on}的用印，今天是{today}。")
        )
    if seal.status != SealStatus.ENABLED:
        refusals.append(
            stamp_refusal(
                "seal_not_enabled",
                f"「{seal}」当前状态为“{seal.get_status_display()}”，只有已启用的印章才能用印。",
            )
        )
    elif stamped_on is not None:
        enabled_on = (
            seal.custody_events.filter(step=SealStatus.ENABLED)
            .order_by()
            .values_list("happened_on", flat=True)
            .first()
        )
        if enabled_on is not None and stamped_on < enabled_on:
            refusals.append(
                stamp_refusal(
                    "enabled_after_stamp",
                    f"「{seal}」于{enabled_on}启用，不能登记{stamped_on}的用印。",
                )
            )
    moved_on = transferred_on(item.city_department_id) if seal.kind == SealKind.APPROVAL else None
    on = stamped_on or today
    if seal.county_wide:
        # The bureau's seal serves the whole county, for exactly the approval items of the
        # departments whose approval power moved to it, from the day it moved.
        if moved_on is None or (on is not None and on < moved_on):
            when = f"于{moved_on}划转" if moved_on else "尚未划转"
            refusals.append(
                stamp_refusal(
                    "not_transferred",
                    f"「{seal}」只用于审批权已划转市行政审批局的市直部门的审批事项；"
                    f"事项「{item}」的赋权部门{item.city_department}的审批权{when}。",
                )
            )
    elif seal.holder_id != item.county_department_id:
        refusals.append(
            stamp_refusal(
                "wrong_holder",
                f"「{seal}」由{seal.holder}保管使用，事项「{item}」的承接部门是"
                f"{item.county_department}，只能加盖本部门保管的印章。",
            )
        )
    if seal.is_bureau_seal and on is not None and seal.issuer.founding_refusal(on, "用印"):
        refusals.append(stamp_refusal("before_founding", seal.issuer.founding_refusal(on, "用印")))
    if not seal.is_bureau_seal and seal.issuer_id != item.city_department_id:
        refusals.append(
            stamp_refusal(
                "wrong_issuer",
                f"「{seal}」由{seal.issuer}刻制，只能加盖{seal.issuer}赋权的事项；"
                f"事项「{item}」由{item.city_department}赋权。",
            )
        )
    if seal.kind != item.kind:
        refusals.append(
            stamp_refusal(
                "kind_mismatch",
                f"「{seal}」是{seal.get_kind_display()}，事项「{item}」为"
                f"{item.get_power_type_display()}（{item.get_kind_display()}），"
                f"应加盖{SealKind(item.kind).label}。",
            )
        )
    if seal.plan_id != item.plan_id:
        refusals.append(
            stamp_refusal(
                "other_plan",
                f"「{seal}」仅适用于{seal.plan}的赋权事项，事项「{item}」属于{item.plan}。",
            )
        )
    if not seal.is_bureau_seal and moved_on is not None and (on is None or on >= moved_on):
        refusals.append(
            stamp_refusal(
                "superseded",
                f"{item.city_department}的审批权已于{moved_on}划转市行政审批局，本县统一使用"
                f"市行政审批局审批专用章，不能再加盖「{seal}」。",
            )
        )
    if (
        stamped_on is not None
        and item.handed_over_on is not None
        and stamped_on < item.handed_over_on
    ):
        refusals.append(
            stamp_refusal(
                "before_handover",
                f"事项「{item}」于{item.handed_over_on}完成交接，不能登记{stamped_on}的用印。",
            )
        )
    if item.is_retired and (on is None or on >= item.retired_on):
        # From the day it left the list (a withdrawal's effective date) on; its earlier stamps
        # stay, and one made before that day may still be recorded.
        code = "item_withdrawn" if item.status == ItemStatus.WITHDRAWN else "item_retired"
        refusals.append(
            stamp_refusal(
                code,
                f"事项「{item}」已于{item.retired_on}{item.get_status_display()}，"
                "自该日起不能用印。",
            )
        )
    elif item.is_retired:
        if item.handed_over_on is None:
            refusals.append(
                stamp_refusal(
                    "handover_incomplete",
                    f"事项「{item}」退出清单前未完成交接，当时仍按原程序办理，不能加盖专用分章。",
                )
            )
    elif item.status not in HANDED_OVER_STATUSES:
        refusals.append(
            stamp_refusal(
                "handover_incomplete",
                f"事项「{item}」当前为“{item.get_status_display()}”，交接完成前仍按原程序"
                "办理，不能加盖专用分章。",
            )
        )
    return refusals
