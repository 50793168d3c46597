"""The two annexes: the cancelled approval items and the devolved items.

Neither is ever deleted: a record leaves the registry by being retired, and its history stays.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from devolution.models import Department, KeptQuerySet, KeptRecord, Plan


class PowerType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    ADJUDICATION = "adjudication", "行政裁决"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    OTHER = "other", "其他行政权力"


# Other ways the ten power types are written in notices and annexes; each is read as the
# standard type and shown with its standard label. The notice itself writes 行政确定.
POWER_TYPE_SPELLINGS = {
    "行政确定": PowerType.CONFIRMATION,
    "确认": PowerType.CONFIRMATION,
    "确定": PowerType.CONFIRMATION,
    "行政审批": PowerType.LICENSING,
    "许可": PowerType.LICENSING,
    "审批": PowerType.LICENSING,
    "处罚": PowerType.PENALTY,
    "强制": PowerType.COERCION,
    "行政强制措施": PowerType.COERCION,
    "行政强制执行": PowerType.COERCION,
    "征收": PowerType.LEVY,
    "行政征收征用": PowerType.LEVY,
    "行政征用": PowerType.LEVY,
    "给付": PowerType.BENEFIT,
    "裁决": PowerType.ADJUDICATION,
    "检查": PowerType.INSPECTION,
    "行政监督检查": PowerType.INSPECTION,
    "奖励": PowerType.REWARD,
    "其他": PowerType.OTHER,
    "其它": PowerType.OTHER,
    "其它行政权力": PowerType.OTHER,
    "其他权力": PowerType.OTHER,
    "其他职权": PowerType.OTHER,
}


class ItemKind(models.TextChoices):
    """审批类 / 非审批类: derived from the power type, never stored."""

    APPROVAL = "approval", "审批类"
    NON_APPROVAL = "non_approval", "非审批类"


APPROVAL_POWER_TYPES = frozenset({PowerType.LICENSING})


def kind_of(power_type):
    return ItemKind.APPROVAL if power_type in APPROVAL_POWER_TYPES else ItemKind.NON_APPROVAL


def power_types_of_kind(kind):
    """The power types of one kind, for filtering a queryset by kind."""
    return [value for value in PowerType.values if kind_of(value) == kind]


class ItemStatus(models.TextChoices):
    """Where an item stands; derived by the handover app from the facts, never typed in."""

    NOT_HANDED_OVER = "not_handed_over", "未交接（暂按原程序办理）"
    # A completed handover never goes back to 未交接 over a seal change: the item waits for the
    # new seal (the bureau's, after its department's approval power moved) to be enabled.
    AWAITING_SEAL = "awaiting_seal", "已交接·待启用新印章（暂按原程序办理）"
    IN_TRAINING = "in_training", "已交接·培训指导期"
    EXERCISED = "exercised", "县已独立行使"
    RETIRED = "retired", "已退出"


# The statuses of an item whose handover is complete: the county stamps it with its own seal.
HANDED_OVER_STATUSES = (ItemStatus.IN_TRAINING, ItemStatus.EXERCISED)


HANDOVER_FIELDS = ("plan", "city_department", "county_department")


def handover_key(record):
    """What ties an item to its handover (`record` is either): its plan and department pair."""
    return {name: getattr(record, f"{name}_id") for name in HANDOVER_FIELDS}


class RegistryRecordQuerySet(KeptQuerySet):
    def current(self):
        """The records in force: not retired."""
        return self.filter(retired_on__isnull=True)


class DevolvedItemQuerySet(RegistryRecordQuerySet):
    def handed_over(self):
        return self.filter(status__in=HANDED_OVER_STATUSES)

    def of_handover(self, handover):
        """The items a handover hands over: its plan's items of its department pair."""
        return self.filter(**handover_key(handover))


class ProvincialSystem(KeptRecord, models.Model):
    """A provincial business system (省级业务系统) some devolved items are handled in: until the
    county department's port to it is open, the county cannot exercise them alone (notice 四(三)).
    Items and ports both name a system from this list, so matching never depends on spelling."""

    kept_instead = "系统名称可以修改，已引用的系统不能删除"

    name = models.CharField("系统名称", max_length=200, unique=True)
    note = models.TextField("备注", blank=True)

    history = HistoricalRecords(verbose_name="省级业务系统历史")

    class Meta:
        verbose_name = "省级业务系统"
        verbose_name_plural = "省级业务系统"
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnnexEntry(KeptRecord, models.Model):
    """What both annexes' rows share. A row leaves the registry by retirement, never by deletion."""

    plan = models.ForeignKey(Plan, verbose_name="实施方案", on_delete=models.PROTECT)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    name = models.CharField("事项名称", max_length=300)
    sub_item = models.CharField("子项名称", max_length=300, blank=True)
    legal_basis = models.TextField("实施依据", blank=True)
    note = models.TextField("备注", blank=True)
    illustrative = models.BooleanField(
        "示例数据", default=False, help_text="真实附件导入前的示例条目，公开时须注明。"
    )
    retired_on = models.DateField("退出日期", null=True, blank=True)

    objects = RegistryRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name

    @property
    def is_retired(self):
        return self.retired_on is not None

    def retire(self, on):
        """Take the record out of force on `on`; the row and its history stay."""
        if self.is_retired:
            return False
        self.retired_on = on
        self.save()
        return True


class CancelledApproval(AnnexEntry):
    """附件1: an approval item the reform cancelled outright."""

    original_department = models.ForeignKey(
        Department,
        verbose_name="原实施部门",
        on_delete=models.PROTECT,
        related_name="cancelled_approvals",
    )
    reason = models.TextField("取消理由/处理方式", blank=True)
    history = HistoricalRecords(verbose_name="取消事项历史")

    class Meta:
        verbose_name = "取消的行政审批事项"
        verbose_name_plural = "取消的行政审批事项"
        ordering = ["plan", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name", "sub_item", "original_department"],
                name="cancelled_identity_unique_in_plan",
            ),
        ]


class DevolvedItem(AnnexEntry):
    """附件2: a city-level power the county exercises on the city's behalf."""

    # Codes are text: leading zeros and inner spaces are part of them.
    code = models.CharField("事项编码", max_length=64, blank=True)
    power_type = models.CharField("权力类型", max_length=20, choices=PowerType.choices)
    city_department = models.ForeignKey(
        Department,
        verbose_name="市直赋权部门",
        on_delete=models.PROTECT,
        related_name="devolved_items_given",
        limit_choices_to={"level": Department.Level.CITY},
    )
    county_department = models.ForeignKey(
        Department,
        verbose_name="县承接部门",
        on_delete=models.PROTECT,
        related_name="devolved_items",
        limit_choices_to={"level": Department.Level.COUNTY},
    )
    provincial_system = models.ForeignKey(
        ProvincialSystem,
        verbose_name="所需省级系统",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        help_text="需在省级系统办理的事项，端口开通前县不能独立行使。",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.NOT_HANDED_OVER,
        editable=False,
        db_index=True,
    )
    # The day the item's handover was completed, while it is handed over: written with the
    # status by handover's refresh, so that the stamping rules read it without that app.
    handed_over_on = models.DateField("交接完成日期", null=True, blank=True, editable=False)
    history = HistoricalRecords(verbose_name="赋权事项历史")

    objects = DevolvedItemQuerySet.as_manager()

    class Meta:
        verbose_name = "赋权事项"
        verbose_name_plural = "赋权事项"
        ordering = ["plan", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="item_code_unique_in_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "name", "sub_item", "county_department"],
                condition=Q(code=""),
                name="item_identity_unique_without_code",
            ),
            models.CheckConstraint(
                condition=Q(power_type__in=PowerType.values),
                name="item_power_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values),
                name="item_status_valid",
            ),
            # Retired and retirement date go together, so neither can be half-recorded.
            models.CheckConstraint(
                condition=Q(status=ItemStatus.RETIRED, retired_on__isnull=False)
                | (~Q(status=ItemStatus.RETIRED) & Q(retired_on__isnull=True)),
                name="item_retired_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(city_department=models.F("county_department")),
                name="item_departments_differ",
            ),
        ]
        indexes = [
            models.Index(fields=["county_department", "power_type"], name="item_dept_type_idx"),
        ]

    @property
    def kind(self):
        return kind_of(self.power_type)

    def get_kind_display(self):
        return self.kind.label

    def retire(self, on):
        self.status = ItemStatus.RETIRED
        return super().retire(on)
