"""The reform's backbone: the plan (the notice itself) and the departments it names.

This module imports no other app of the project; every other app depends on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import workdays


class Plan(models.Model):
    """One devolution notice (实施方案 / 批次). Seals are valid only for their own plan's items."""

    doc_number = models.CharField("文号", max_length=100, unique=True)
    title = models.CharField("标题", max_length=300)
    issued_on = models.DateField("印发日期")
    published_on = models.DateField("发布日期", null=True, blank=True)
    parent_doc_number = models.CharField("依据文件", max_length=100, blank=True)
    text = models.TextField("通知全文", blank=True)

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=models.F("issued_on")),
                name="plan_published_not_before_issued",
            ),
        ]

    # The notice: handover and seal delivery within 15 working days of the plan's issue.
    HANDOVER_WORKDAYS = 15

    def __str__(self):
        return self.doc_number

    def handover_due_on(self, calendar=None):
        """The date the handovers and seal deliveries of this plan are due."""
        calendar = calendar or workdays.current_calendar()
        return calendar.add_workdays(self.issued_on, self.HANDOVER_WORKDAYS)


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
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["level", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["county", "city"]),
                name="department_level_valid",
            ),
            # Only a county department has a city counterpart.
            models.CheckConstraint(
                condition=Q(level="county") | Q(counterpart__isnull=True),
                name="department_only_county_has_counterpart",
            ),
        ]

    def __str__(self):
        return self.short_name

    @property
    def prefixed_short_name(self):
        short_prefix, long_prefix = self.LEVEL_PREFIXES.get(self.level, ("", ""))
        if short_prefix and self.short_name.startswith(short_prefix):
            return long_prefix + self.short_name[len(short_prefix) :]
        return self.short_name

    @property
    def name_variants(self):
        """Every way an annex or a clerk may write this department's name."""
        return {self.full_name, self.short_name, self.prefixed_short_name}


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


def department_of(user):
    """The department a user is confined to, or None if the user is not tied to one."""
    staff = getattr(user, "department_staff", None) if user.is_authenticated else None
    return staff.department if staff else None
