"""The two annexes: the cancelled approval items and the devolved items.

Neither is ever deleted: a record leaves the registry by being retired, and its history stays.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, FilteredRelation, Q, When
from simple_history.models import HistoricalRecords

from devolution.models import Department, KeptQuerySet, KeptRecord, Plan, department_field
from devolution.moments import local_minute


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
    # Left the list by a published adjustment (动态调整).
    WITHDRAWN = "withdrawn", "已收回（回到市直部门）"
    CANCELLED = "cancelled", "已取消"


# The statuses of an item no longer in force; each has a retirement date (退出日期).
LEFT_STATUSES = (ItemStatus.RETIRED, ItemStatus.WITHDRAWN, ItemStatus.CANCELLED)


# The statuses of an item whose handover is complete: the county stamps it with its own seal.
HANDED_OVER_STATUSES = (ItemStatus.IN_TRAINING, ItemStatus.EXERCISED)


HANDOVER_FIELDS = ("plan", "city_department", "county_department")


def handover_key(record):
    """What ties an item to its handover (`record` is either): its plan and department pair."""
    return {name: getattr(record, f"{name}_id") for name in HANDOVER_FIELDS}


# The version the seeded 2016 annexes make (the plan's own notice); see ListVersion.
FIRST_VERSION = 1
FIRST_VERSION_FIELDS = {
    "number": FIRST_VERSION,
    "doc_number": "盘县政办发〔2016〕109号",
    "title": "盘锦市赋予盘山县市级同等行政职权工作实施方案（附件1、附件2）",
    "effective_on": datetime.date(2016, 9, 9),
}


class DevolutionMode(models.TextChoices):
    """赋权方式: who answers legally differs."""

    DEVOLVED = "devolved", "下放"
    ENTRUSTED = "entrusted", "委托"


class ListVersionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The version in force on `day` (the last one effective by then), or None."""
        return self.filter(effective_on__lte=day).order_by("-number").first()

    def latest_number(self):
        return self.aggregate(latest=models.Max("number"))["latest"] or FIRST_VERSION


class ListVersion(models.Model):
    """清单版本: one published state of the cancelled and devolved lists. The seeded 2016
    annexes are version 1; every published adjustment makes the next. A version stores no copy
    of the list: items carry the versions they are listed in, and an item an adjustment changed
    keeps its earlier public fields in ItemRevision rows."""

    number = models.PositiveIntegerField("版本号", unique=True)
    doc_number = models.CharField("文号", max_length=100)
    title = models.CharField("标题", max_length=300)
    effective_on = models.DateField("生效日期")
    published_at = models.DateTimeField("公布时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="list_version_number_positive",
                violation_error_message="目录版本号至少为 1。",
            ),
        ]

    def __str__(self):
        return f"版本{self.number}（{self.doc_number}）"


class RegistryRecordQuerySet(KeptQuerySet):
    # The past version a queryset reads (as_of), kept through further filters; None: current.
    list_version = None

    def _clone(self):
        clone = super()._clone()
        clone.list_version = self.list_version
        return clone

    def current(self):
        """The records in force: not retired."""
        return self.filter(retired_on__isnull=True)

    def listed_in(self, number):
        """The records the list of version `number` holds (their current fields)."""
        return self.filter(listed_from__lte=number).filter(
            Q(listed_until__isnull=True) | Q(listed_until__gt=number)
        )

    def as_of(self, number, latest=None):
        """The list as version `number` published it. The latest version (`latest`, if the
        caller read it already) is the current list; a past one is one indexed query (see
        past_list)."""
        if latest is None:
            latest = ListVersion.objects.latest_number()
        if number >= latest:
            return self.current().filter(listed_from__lte=number)
        return self.past_list(number)

    def past_list(self, number):
        """The list of past version `number`, each record with the public fields it had then:
        a record changed since carries them from its revision (ItemRevision,
        CancelledRevision), read by a LEFT JOIN on (record, valid_until); the fields come back
        as `at_<field>` annotations, and model instances (not values()) have them written onto
        their own fields."""
        past = self.annotate(
            past=FilteredRelation(
                "revisions",
                condition=Q(revisions__valid_from__lte=number, revisions__valid_until__gt=number),
            )
        ).filter(listed_from__lte=number)
        # Unchanged since `number`: the row itself, if still listed; otherwise the revision.
        past = past.filter(
            Q(state_from__lte=number, listed_until__isnull=True) | Q(past__listed=True)
        )
        annotations = {
            f"at_{name}": Case(
                When(state_from__gt=number, then=F(f"past__{attname}")), default=F(attname)
            )
            for name, attname in self.model.versioned_attnames.items()
        }
        past = past.annotate(**annotations)
        past._iterable_class = PastStateIterable
        past.list_version = number
        return past

    def field_as_read(self, name):
        """The name to filter a public field by: the field itself on the current list, its
        `at_` annotation (the wording of that version) on a past one."""
        if self.list_version is not None:
            return f"at_{name}"
        return self.model.versioned_attnames[name]


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
    # The versions of the list the record is in: from listed_from while listed_until is empty,
    # or up to (not including) listed_until. Numbers, not keys: a version is read by number.
    # Not indexed: nearly every record is in version 1, and an index on it draws the planner
    # away from the list's own order.
    listed_from = models.PositiveIntegerField("列入版本", default=FIRST_VERSION, editable=False)
    listed_until = models.PositiveIntegerField("移出版本", null=True, blank=True, editable=False)

    objects = RegistryRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name}（{self.sub_item}）" if self.sub_item else self.name

    @property
    def is_retired(self):
        return self.retired_on is not None


class CancelledApproval(AnnexEntry):
    """附件1: an approval item the reform cancelled outright."""

    original_department = models.ForeignKey(
        Department,
        verbose_name="原实施部门",
        on_delete=models.PROTECT,
        related_name="cancelled_approvals",
    )
    reason = models.TextField("取消理由/处理方式", blank=True)
    # The version from which the row's own public fields are the published ones; before it
    # (and from listed_from) they are in the entry's CancelledRevision rows.
    state_from = models.PositiveIntegerField("现状自版本", default=FIRST_VERSION, editable=False)
    history = HistoricalRecords(verbose_name="取消事项历史")

    class Meta:
        verbose_name = "取消的行政审批事项"
        verbose_name_plural = "取消的行政审批事项"
        ordering = ["plan", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name", "sub_item", "original_department"],
                name="cancelled_identity_unique_in_plan",
                violation_error_message="本方案中已有名称、子项和原实施部门都相同的取消事项。",
            ),
        ]


class DevolvedItem(AnnexEntry):
    """附件2: a city-level power the county exercises on the city's behalf."""

    # Codes are text: leading zeros and inner spaces are part of them. No code a government
    # publishes is refused for its length.
    code = models.CharField("事项编码", max_length=200, blank=True)
    basic_code = models.CharField("基本编码", max_length=200, blank=True)
    implementation_code = models.CharField("实施编码", max_length=200, blank=True)
    handling_code = models.CharField("业务办理项编码", max_length=200, blank=True)
    sub_item_code = models.CharField("子项编码", max_length=200, blank=True)
    exercise_level = models.CharField("行使层级", max_length=50, blank=True)
    devolution_mode = models.CharField(
        "赋权方式", max_length=20, choices=DevolutionMode.choices, blank=True
    )
    power_type = models.CharField("权力类型", max_length=20, choices=PowerType.choices)
    city_department = department_field(
        Department.Level.CITY, "市直赋权部门", "devolved_items_given"
    )
    county_department = department_field(Department.Level.COUNTY, "县承接部门", "devolved_items")
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
    # The version from which the row's own public fields are the published ones; before it
    # (and from listed_from) they are in the item's ItemRevision rows.
    state_from = models.PositiveIntegerField("现状自版本", default=FIRST_VERSION, editable=False)
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
                violation_error_message="本方案中已有相同编码的事项。",
            ),
            models.UniqueConstraint(
                fields=["plan", "name", "sub_item", "county_department"],
                condition=Q(code=""),
                name="item_identity_unique_without_code",
                violation_error_message="本方案中已有名称、子项和县承接部门都相同的无编码事项。",
            ),
            models.CheckConstraint(
                condition=Q(power_type__in=PowerType.values),
                name="item_power_type_valid",
                violation_error_message="权力类型无效。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values),
                name="item_status_valid",
                violation_error_message="事项状态无效。",
            ),
            # Retired (or withdrawn, cancelled) and the date go together, so neither can be
            # half-recorded.
            models.CheckConstraint(
                condition=Q(status__in=LEFT_STATUSES, retired_on__isnull=False)
                | (~Q(status__in=LEFT_STATUSES) & Q(retired_on__isnull=True)),
                name="item_retired_has_date",
                violation_error_message="“已退出”的事项须填写退出日期；其他状态的事项不能填写退出日期。",
            ),
            models.CheckConstraint(
                condition=Q(devolution_mode__in=["", *DevolutionMode.values]),
                name="item_devolution_mode_valid",
                violation_error_message="下放方式只能是下放或委托。",
            ),
            models.CheckConstraint(
                condition=~Q(city_department=models.F("county_department")),
                name="item_departments_differ",
                violation_error_message="市直赋权部门和县承接部门不能是同一个部门。",
            ),
        ]
        indexes = [
            models.Index(fields=["county_department", "power_type"], name="item_dept_type_idx"),
            # The lists' order: a page of the list is read off this index, not sorted.
            models.Index(fields=["plan", "sequence", "id"], name="item_list_order_idx"),
        ]

    @property
    def kind(self):
        return kind_of(self.power_type)

    def get_kind_display(self):
        return self.kind.label

    def retire(self, on, status=ItemStatus.RETIRED):
        """Take the item out of force on `on` (退出, or 收回 with WITHDRAWN); the row and its
        history stay. False if it was out already."""
        if self.is_retired:
            return False
        self.status, self.retired_on = status, on
        self.save()
        return True


# The national service-item codes and the mode of devolution, as annexes publish them.
NATIONAL_CODE_FIELDS = (
    "basic_code",
    "implementation_code",
    "handling_code",
    "sub_item_code",
    "exercise_level",
    "devolution_mode",
)
# The public fields a list version fixes: an adjustment may change them, and a past version
# shows them as they were (ItemRevision keeps each earlier state).
VERSIONED_FIELDS = (
    "sequence",
    "code",
    "name",
    "sub_item",
    *NATIONAL_CODE_FIELDS,
    "power_type",
    "city_department",
    "county_department",
    "legal_basis",
    "note",
    "provincial_system",
    "illustrative",
)
VERSIONED_ATTNAMES = {name: DevolvedItem._meta.get_field(name).attname for name in VERSIONED_FIELDS}
DevolvedItem.versioned_attnames = VERSIONED_ATTNAMES
# The cancelled list's (附件1) public fields a version fixes: an adjustment adds an entry,
# corrects its wording or takes it off; a past version shows each as it was then.
CANCELLED_VERSIONED_FIELDS = (
    "sequence",
    "name",
    "sub_item",
    "original_department",
    "legal_basis",
    "reason",
    "note",
    "illustrative",
)
CANCELLED_VERSIONED_ATTNAMES = {
    name: CancelledApproval._meta.get_field(name).attname for name in CANCELLED_VERSIONED_FIELDS
}
CancelledApproval.versioned_attnames = CANCELLED_VERSIONED_ATTNAMES


class PastStateIterable(models.query.ModelIterable):
    """Records of a past version: each instance gets the public fields it had then."""

    def __iter__(self):
        attnames = self.queryset.model.versioned_attnames
        for record in super().__iter__():
            for name, attname in attnames.items():
                setattr(record, attname, getattr(record, f"at_{name}"))
            yield record


def revision_field(name, model=DevolvedItem):
    """A copy of a record's field for its revisions (relations without a reverse accessor)."""
    field = model._meta.get_field(name)
    if field.is_relation:
        return models.ForeignKey(
            field.remote_field.model,
            verbose_name=field.verbose_name,
            on_delete=models.PROTECT,
            null=field.null,
            blank=field.blank,
            related_name="+",
        )
    _, _, args, kwargs = field.deconstruct()
    kwargs.pop("db_index", None)
    return type(field)(*args, **kwargs)


class VersionRange(models.Model):
    """The versions [valid_from, valid_until) a revision's fields held over, and whether the
    record was on the list then."""

    valid_from = models.PositiveIntegerField("自版本")
    valid_until = models.PositiveIntegerField("至版本（不含）")
    listed = models.BooleanField("在清单中", default=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name}（版本{self.valid_from}至{self.valid_until}）"

    @staticmethod
    def constraints_of(record, label, prefix=""):
        """A revision table's rules: its range goes forward, and a record has one revision
        ending at each version. `record`: the field naming the record, `label` its name."""
        return [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name=f"{prefix}revision_range_forward",
                violation_error_message="至版本必须晚于自版本。",
            ),
            models.UniqueConstraint(
                fields=[record, "valid_until"],
                name=f"{prefix}revision_end_unique",
                violation_error_message=f"该{label}已有一条同一截止版本的版本记录。",
            ),
        ]


class ItemRevision(VersionRange):
    """An item's public fields over the versions [valid_from, valid_until), written by the
    adjustment that ended them. An item never adjusted has none: version 1 is its own row."""

    item = models.ForeignKey(
        DevolvedItem, verbose_name="赋权事项", on_delete=models.PROTECT, related_name="revisions"
    )
    locals().update({name: revision_field(name) for name in VERSIONED_FIELDS})

    class Meta:
        verbose_name = "事项版本记录"
        verbose_name_plural = "事项版本记录"
        constraints = VersionRange.constraints_of("item", "事项")


class CancelledRevision(VersionRange):
    """A cancelled entry's public fields over the versions [valid_from, valid_until), written
    by the adjustment that ended them (its wording corrected, or the entry taken off)."""

    entry = models.ForeignKey(
        CancelledApproval,
        verbose_name="取消事项",
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    locals().update(
        {name: revision_field(name, CancelledApproval) for name in CANCELLED_VERSIONED_FIELDS}
    )

    class Meta:
        verbose_name = "取消事项版本记录"
        verbose_name_plural = "取消事项版本记录"
        constraints = VersionRange.constraints_of("entry", "取消事项", prefix="cancelled_")


class AdjustmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Adjustment.Status.PUBLISHED)


class Adjustment(models.Model):
    """动态调整: a reviewed change set to the lists. Drafted by the reform office, or proposed
    by a department for its own items; approved by someone other than its author; published
    with its 文号 and effective date as the next ListVersion (items/adjustments.py). Nothing
    public changes before publication; a rejected or withdrawn draft is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已审核通过"
        REJECTED = "rejected", "已退回"
        PUBLISHED = "published", "已公布"
        WITHDRAWN = "withdrawn", "已撤回"

    title = models.CharField("调整事由", max_length=300)
    reason = models.TextField("说明", blank=True)
    # The proposing department; empty for the reform office's own drafts.
    department = models.ForeignKey(
        Department,
        verbose_name="提出部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("起草时间", editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    version = models.OneToOneField(
        ListVersion,
        verbose_name="公布版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="adjustment",
    )
    # The annex import the draft came from, if any.
    source_import = models.ForeignKey(
        "devolution.ImportRecord",
        verbose_name="来源导入",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        # The import records' list links a drafted import to its draft by this name.
        related_name="drafted_adjustments",
    )

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        verbose_name = "动态调整"
        verbose_name_plural = "动态调整"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_adjustment", "可审核动态调整"),
            ("publish_adjustment", "可公布动态调整"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "approved",
                        "rejected",
                        "published",
                        "withdrawn",
                    ]
                ),
                name="adjustment_status_valid",
                violation_error_message="调整状态无效。",
            ),
            # Rule 8: reviewed by someone other than its author.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("created_by")),
                name="adjustment_reviewer_not_author",
                violation_error_message="审核人不能是调整的起草人。",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"]) | Q(reviewed_by__isnull=False),
                name="adjustment_approved_has_reviewer",
                violation_error_message="已批准或已发布的调整必须有审核人。",
            ),
            models.CheckConstraint(
                condition=Q(status="published", version__isnull=False)
                | (~Q(status="published") & Q(version__isnull=True)),
                name="adjustment_published_has_version",
                violation_error_message="已发布的调整必须对应一个目录版本；未发布的不能对应。",
            ),
        ]

    def __str__(self):
        return f"动态调整 #{self.pk}：{self.title}"


class ChangeKind(models.TextChoices):
    ADD = "add", "新增"
    CHANGE = "change", "变更"
    MERGE = "merge", "合并（并入新事项）"
    SPLIT = "split", "拆分（拆为新事项）"
    WITHDRAW = "withdraw", "收回"
    CANCEL = "cancel", "取消"
    RETIRE = "retire", "退出"
    REDEVOLVE = "redevolve", "重新下放"


# The kinds that take an item off the list, and the status each leaves it in.
LEAVING_KINDS = {
    ChangeKind.MERGE: ItemStatus.RETIRED,
    ChangeKind.SPLIT: ItemStatus.RETIRED,
    ChangeKind.WITHDRAW: ItemStatus.WITHDRAWN,
    ChangeKind.CANCEL: ItemStatus.CANCELLED,
    ChangeKind.RETIRE: ItemStatus.RETIRED,
}


class AdjustmentChange(models.Model):
    """One change of an adjustment, about one item. An added item (ADD) exists only from
    publication, when `item` is set to it; a merge is one MERGE per source item, linked to the
    ADD of the merged item; a split is a SPLIT of the source with its parts' ADDs linked to it.
    A change of the cancelled list (附件1, `annex` CANCELLED) adds an entry (ADD: `cancelled`
    is set to it at publication), corrects an entry's wording (CHANGE) or takes it off (RETIRE).
    A change the reviewer has not accepted yet (an annex's missing row) is not `accepted`
    and publication passes over it."""

    class Annex(models.TextChoices):
        DEVOLVED = "devolved", "赋权事项清单（附件2）"
        CANCELLED = "cancelled", "取消事项清单（附件1）"

    adjustment = models.ForeignKey(
        Adjustment, verbose_name="动态调整", on_delete=models.PROTECT, related_name="changes"
    )
    annex = models.CharField(
        "清单", max_length=20, choices=Annex.choices, default=Annex.DEVOLVED, editable=False
    )
    kind = models.CharField("变动类型", max_length=20, choices=ChangeKind.choices)
    item = models.ForeignKey(
        DevolvedItem,
        verbose_name="事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    # ADD: the new item's fields; CHANGE: the changed fields' new values (keys and raw values,
    # e.g. a department's id). `previous` holds the old values, filled when it is drafted.
    # A change of the cancelled list (附件1): the entry it changes or takes off (the entry it
    # added, once published).
    cancelled = models.ForeignKey(
        CancelledApproval,
        verbose_name="取消事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    values = models.JSONField("新值", default=dict, blank=True)
    previous = models.JSONField("原值", default=dict, blank=True)
    linked = models.ForeignKey(
        "self",
        verbose_name="关联变动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_changes",
    )
    note = models.TextField("理由", blank=True)
    accepted = models.BooleanField("已确认", default=True)

    class Meta:
        verbose_name = "调整变动"
        verbose_name_plural = "调整变动"
        ordering = ["adjustment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values),
                name="adjustment_change_kind_valid",
                violation_error_message="调整类型无效。",
            ),
            models.UniqueConstraint(
                fields=["adjustment", "item"],
                condition=Q(item__isnull=False) & ~Q(kind="add"),
                name="adjustment_change_one_per_item",
                violation_error_message="同一调整中一个事项只能有一条变更。",
            ),
            models.UniqueConstraint(
                fields=["adjustment", "cancelled"],
                condition=Q(cancelled__isnull=False),
                name="adjustment_change_one_per_cancelled",
                violation_error_message="同一调整中一个取消事项只能有一条变更。",
            ),
            # The cancelled list's entries are added, changed or taken off (退出), never with
            # an item; an item's change names no cancelled entry.
            models.CheckConstraint(
                condition=Q(annex="devolved", cancelled__isnull=True)
                | Q(annex="cancelled", item__isnull=True, kind__in=["add", "change", "retire"]),
                name="adjustment_change_cancelled_kinds",
                violation_error_message="取消事项清单的变动只能是新增、变更或退出，且不对应赋权事项。",
            ),
            models.CheckConstraint(
                condition=Q(annex__in=["devolved", "cancelled"]),
                name="adjustment_change_annex_valid",
                violation_error_message="清单无效。",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.item_name}"

    @property
    def of_cancelled(self):
        return self.annex == self.Annex.CANCELLED

    @property
    def item_name(self):
        if self.of_cancelled:
            if self.cancelled_id and self.kind != ChangeKind.ADD:
                return f"{self.cancelled}（取消事项清单）"
            return f"{self._named(self.values)}（取消事项清单）"
        if self.item_id and self.kind != ChangeKind.ADD:
            return str(self.item)
        return self._named(self.values)

    @staticmethod
    def _named(values):
        name, sub_item = values.get("name", ""), values.get("sub_item", "")
        return f"{name}（{sub_item}）" if sub_item else name


class AdjustmentStep(models.Model):
    """The log of an adjustment: who did what, when, with what note."""

    class Action(models.TextChoices):
        DRAFT = "draft", "起草"
        SUBMIT = "submit", "提交审核"
        APPROVE = "approve", "审核通过"
        REJECT = "reject", "退回"
        WITHDRAW = "withdraw", "撤回草稿"
        PUBLISH = "publish", "公布"

    adjustment = models.ForeignKey(
        Adjustment, verbose_name="动态调整", on_delete=models.PROTECT, related_name="steps"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间")
    note = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "调整步骤"
        verbose_name_plural = "调整步骤"
        ordering = ["adjustment", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=["draft", "submit", "approve", "reject", "withdraw", "publish"]
                ),
                name="adjustment_step_action_valid",
                violation_error_message="调整步骤无效。",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {local_minute(self.at)}"
