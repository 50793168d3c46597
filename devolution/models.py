"""The reform's backbone: the plan (the notice itself) and the departments it names.

This module imports no other app of the project; every other app depends on it.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from . import workdays
from .moments import local_minute


class Plan(models.Model):
    """One devolution notice (实施方案 / 批次). Seals are valid only for their own plan's items."""

    doc_number = models.CharField("文号", max_length=100, unique=True)
    title = models.CharField("标题", max_length=300)
    issued_on = models.DateField("印发日期")
    published_on = models.DateField("发布日期", null=True, blank=True)
    parent_doc_number = models.CharField("依据文件", max_length=100, blank=True)
    text = models.TextField("通知全文", blank=True)
    # The notice (四(四)): the city department sets a training period of 1–3 months after the
    # handover; this is the length each period starts with until the city department changes it.
    training_months = models.PositiveSmallIntegerField(
        "培训指导期默认月数",
        default=3,
        help_text="交接完成后自动设置的培训指导期长度（1—3个月），市直赋权部门可调整。",
    )

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=models.F("issued_on")),
                name="plan_published_not_before_issued",
                violation_error_message="发布日期不能早于印发日期。",
            ),
            models.CheckConstraint(
                condition=Q(training_months__gte=1, training_months__lte=3),
                name="plan_training_months_between_1_and_3",
                violation_error_message="培训指导期默认月数须为 1—3 个月。",
            ),
        ]

    def __str__(self):
        return self.doc_number

    def handover_due_on(self, calendar=None):
        """The date the handovers and seal deliveries of this plan are due."""
        return workdays.handover_due_on(self.issued_on, calendar)


class KeptRecord:
    """A registry record leaves by a recorded step (`kept_instead`), never by deletion: delete()
    refuses in Chinese, on the record and (KeptQuerySet) on its querysets, whatever the door."""

    kept_instead = "请办理退出"

    @classmethod
    def deletion_refused(cls, records):
        message = (
            f"{cls._meta.verbose_name}是登记记录，不能删除：{cls.kept_instead}，记录和历史保留。"
        )
        return models.ProtectedError(message, records)

    def delete(self, *args, **kwargs):
        raise self.deletion_refused([self])


class KeptQuerySet(models.QuerySet):
    def delete(self):
        raise self.model.deletion_refused(list(self[:20]))


class PlanDueDate(models.Model):
    """A record whose deadline is derived from its plan's: save(), the imports (bulk writes) and
    a change of the plan or the calendar all set it through `assign_due_date`."""

    due_date_field = ""
    due_date_related = ()  # what derived_due_date reads, fetched with the records

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.assign_due_date()
        super().save(*args, **kwargs)

    def derived_due_date(self, handover_due_on):
        return handover_due_on

    def assign_due_date(self, handover_due_on=None):
        if handover_due_on is None:
            handover_due_on = self.plan.handover_due_on()
        setattr(self, self.due_date_field, self.derived_due_date(handover_due_on))

    @classmethod
    def recompute_due_dates(cls, plan):
        """Bring the plan's records to its current deadline; only changed rows are written, each
        with a history row."""
        handover_due_on, stale = plan.handover_due_on(), []
        for record in cls._default_manager.filter(plan=plan).select_related(*cls.due_date_related):
            before = getattr(record, cls.due_date_field)
            record.assign_due_date(handover_due_on)
            if getattr(record, cls.due_date_field) != before:
                stale.append(record)
        bulk_update_with_history(stale, cls, [cls.due_date_field])


def recompute_due_dates(plan):
    """The plan's issue date or the holiday calendar changed: every derived deadline follows."""
    for model in apps.get_models():
        if issubclass(model, PlanDueDate):
            model.recompute_due_dates(plan)


class Holiday(models.Model):
    """An official day off or make-up working day, entered by staff; overrides chinesecalendar."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "类型", choices=[(False, "放假"), (True, "调休上班")], default=False
    )
    name = models.CharField("名称", max_length=50, help_text="如：国庆节、春节调休。")

    history = HistoricalRecords(verbose_name="节假日调整历史")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.name}（{self.get_is_workday_display()}）"


class DepartmentQuerySet(models.QuerySet):
    def without_contact_email(self):
        """Departments the registry cannot e-mail: no contact address is recorded."""
        return self.filter(contact_email="")

    def name_map(self):
        """Every way of writing each department (full, short, prefixed short), compared in
        normalised form, to its department; built once per import instead of a query a row."""
        from devolution.exchange.reading import match_key

        names = {}
        for department in self:
            for variant in department.name_variants:
                names[match_key(variant)] = department
        return names

    def visible_to(self, department):
        """The departments a department's staff read: their own and every department of the
        other level (the county departments a city department gives to, the city departments
        a county department receives from), never another department of their own level."""
        if department is None:
            return self
        return self.filter(Q(pk=department.pk) | ~Q(level=department.level))


class Department(models.Model):
    """A county receiving department (承接部门) or a city department (市直部门).

    People write a department three ways: 盘山县人力资源和社会保障局, 县人社局 or 盘山县人社局
    (and for the city 盘锦市民政局 / 市民政局); `name_variants` gives all of them.
    """

    class Level(models.TextChoices):
        COUNTY = "county", "县级"
        CITY = "city", "市级"

    # The prefix the notice drops from short names ("县人社局" is "盘山县人社局").
    LEVEL_PREFIXES = {Level.COUNTY: ("县", "盘山县"), Level.CITY: ("市", "盘锦市")}

    full_name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, unique=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    counterpart = models.ForeignKey(
        "self",
        verbose_name="市直对口部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="county_counterparts",
        limit_choices_to={"level": Level.CITY},
    )
    contact_email = models.EmailField("联系人邮箱", blank=True)
    # 盘锦市行政审批局: once it engraves its approval seal for the county, the departments'
    # approval seals are recalled and the county stamps approval items with the bureau's seal.
    is_approval_bureau = models.BooleanField(
        "市行政审批局",
        default=False,
        help_text="刻制“盘锦市行政审批局审批专用章(X)”的市级审批局，全市只有一个。",
    )
    # 盘锦市行政审批局 did not exist when the notice was issued ("待市行政审批局成立后"): nothing
    # is recorded for a department before it was founded.
    founded_on = models.DateField(
        "成立日期",
        null=True,
        blank=True,
        help_text="新设部门（如市行政审批局）的成立日期；成立之前不能为其登记任何记录。",
    )
    # The notice gives short names only: the full names and city counterparts in the fixtures
    # are inferred, and are shown as 待核实 until someone confirms them in the admin.
    names_confirmed = models.BooleanField(
        "全称和对口部门已核实",
        default=False,
        help_text="通知只列简称；全称和市直对口部门系推断，核实后勾选。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["level", "sort_order", "id"]
        # Held by the reform office, supervision and operators (and superusers); everybody else
        # is confined to the one department DepartmentStaff ties them to.
        permissions = [("reach_all_departments", "可查看和办理所有部门的记录")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["county", "city"]),
                name="department_level_valid",
                violation_error_message="部门层级只能是县级或市级。",
            ),
            # Only a county department has a city counterpart.
            models.CheckConstraint(
                condition=Q(level="county") | Q(counterpart__isnull=True),
                name="department_only_county_has_counterpart",
                violation_error_message="只有县级部门才能填写市直对口部门。",
            ),
            models.UniqueConstraint(
                fields=["is_approval_bureau"],
                condition=Q(is_approval_bureau=True),
                name="department_one_approval_bureau",
                violation_error_message="已有一个部门被设为行政审批局，只能设一个。",
            ),
            models.CheckConstraint(
                condition=Q(is_approval_bureau=False) | Q(level="city"),
                name="department_approval_bureau_is_city",
                violation_error_message="行政审批局必须是市级部门。",
            ),
        ]

    def __str__(self):
        return self.short_name

    UNCONFIRMED = "（待核实）"

    @property
    def full_name_shown(self):
        """The full name as pages show it: marked 待核实 while it is only inferred."""
        return self.full_name if self.names_confirmed else f"{self.full_name}{self.UNCONFIRMED}"

    @property
    def prefixed_short_name(self):
        short_prefix, long_prefix = self.LEVEL_PREFIXES.get(self.level, ("", ""))
        if short_prefix and self.short_name.startswith(short_prefix):
            return long_prefix + self.short_name[len(short_prefix) :]
        return self.short_name

    def founding_refusal(self, on, what):
        """Why `what` cannot be recorded for this department on `on` (before it was founded),
        in Chinese; None if it can."""
        if self.founded_on is not None and on is not None and on < self.founded_on:
            return f"{self}于{self.founded_on}成立，不能登记此前（{on}）的{what}。"
        return None

    @property
    def name_variants(self):
        """Every way an annex or a clerk may write this department's name."""
        return {self.full_name, self.short_name, self.prefixed_short_name}


def department_field(level, verbose_name, related_name, **options):
    """A protected foreign key to a department of `level` (city or county): the admin offers
    only those."""
    return models.ForeignKey(
        Department,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"level": level},
        **options,
    )


class DepartmentStaff(models.Model):
    """Ties a login to the one department whose records it may reach.

    A user without this link (a superuser, the reform office, supervision) is not tied to a
    department; what such a user may do is decided by their groups and permissions.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="department_staff",
    )
    department = models.ForeignKey(
        Department, verbose_name="所属部门", on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = "部门人员"
        verbose_name_plural = "部门人员"

    def __str__(self):
        return f"{self.user} · {self.department}"


def approval_bureau():
    """盘锦市行政审批局, or None while the registry does not know it."""
    return Department.objects.filter(is_approval_bureau=True).first()


class NoDepartmentTie(PermissionDenied):
    """A login that must be tied to a department (部门人员) and is not: its 403 page says so."""


def department_of(user):
    """The department a user is confined to, or None if the user reaches every department.

    A 部门人员 link always confines, whatever the user's groups (an operator of one department
    imports only its rows). Without a link, only the right to reach every department opens all
    of them; anyone else reaches nothing (PermissionDenied), so a clerk whose link was
    forgotten sees no records rather than every department's.
    """
    staff = getattr(user, "department_staff", None) if user.is_authenticated else None
    if staff is not None:
        return staff.department
    if user.is_authenticated and user.has_perm("devolution.reach_all_departments"):
        return None
    raise NoDepartmentTie("该账号尚未关联所属部门，请联系县编委办。")


def reach_paths(department, county_path, city_path):
    """The lookups from a record to the department whose staff reach it, for `department`'s
    side: a county department reaches what it receives (`county_path`), a city department what
    it gives (`city_path`). Each path is a string or a tuple of strings (any of them reaches);
    an empty tuple means that side reaches no such record."""
    path = city_path if department.level == Department.Level.CITY else county_path
    if not path:
        return ()
    return (path,) if isinstance(path, str) else tuple(path)


def within_reach(queryset, department, county_path, city_path, county_wide=None):
    """`queryset` confined to the records `department`'s staff reach (all of it for None).
    `county_wide` (a Q) adds the records every county department shares, such as the seal the
    whole county uses."""
    if department is None:
        return queryset
    paths = reach_paths(department, county_path, city_path)
    shared = county_wide if county_wide is not None and department.level == "county" else None
    if not paths and shared is None:
        return queryset.none()
    condition = shared if shared is not None else Q(pk__in=[])
    for path in paths:
        condition |= Q(**{path: department})
    return queryset.filter(condition)


class ImportRecord(models.Model):
    """One import of an operator's file: who, when, what file, what it found and what it wrote.

    The upload is kept in file storage (MEDIA_ROOT) until the import is confirmed, so that
    confirming re-reads and validates the very file that was previewed, whichever web process
    answers; it is removed on confirmation, or after REGISTRY_IMPORT_UPLOAD_RETENTION_HOURS by
    `purge_import_uploads` (a daily Celery task and a command).
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "已预览"
        # A table that changes only through a reviewed adjustment (rule 8): the import made
        # a draft, and the list changes when the draft is published (then 已导入).
        DRAFTED = "drafted", "已生成草稿"
        COMMITTED = "committed", "已导入"
        REFUSED = "refused", "已拒绝"

    table = models.CharField("类别", max_length=30)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件摘要", max_length=64)
    upload = models.FileField("上传文件", upload_to="imports/%Y/%m/", blank=True, editable=False)
    plan = models.ForeignKey(
        Plan, verbose_name="实施方案", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registry_imports",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    rows = models.PositiveIntegerField("行数", default=0)
    new_count = models.PositiveIntegerField("新增", default=0)
    changed_count = models.PositiveIntegerField("修改", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    error_count = models.PositiveIntegerField("错误", default=0)
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]
        # Importing and exporting are rights of their own, not implied by editing records.
        permissions = [
            ("import_registry", "可以从 Excel 导入登记数据"),
            ("export_registry", "可以导出登记数据"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "drafted", "committed", "refused"]),
                name="import_status_valid",
                violation_error_message="导入状态无效。",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["drafted", "committed"])
                | Q(committed_at__isnull=False, error_count=0),
                name="import_committed_without_errors",
                violation_error_message="有错误的导入不能确认导入，确认导入须记录导入时间。",
            ),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.table}，{local_minute(self.created_at)}）"

    @property
    def change_reason(self):
        return f"导入记录 #{self.pk}：{self.file_name}"[:100]


@receiver(post_save, sender=Plan)
def plan_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        recompute_due_dates(instance)


@receiver([post_save, post_delete], sender=Holiday)
def calendar_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        for plan in Plan.objects.all():
            recompute_due_dates(plan)
