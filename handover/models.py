"""The safeguards that make a devolved power real: handover, training, provincial ports,
forwarded documents, and the flags raised when any of them misses its deadline."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from devolution import workdays
from devolution.models import Department, Plan, PlanDueDate, department_field
from devolution.moments import local_minute
from items.models import DevolvedItem, ProvincialSystem, handover_key

# The notice: training lasts 1–3 months; beyond that only through recorded extensions.
TRAINING_MONTHS_MIN = 1
TRAINING_MONTHS_MAX = 3


class Handover(PlanDueDate):
    """权力交接 between one city department and one county department, for one plan."""

    due_date_field = "due_on"

    plan = models.ForeignKey(Plan, verbose_name="实施方案", on_delete=models.PROTECT)
    city_department = department_field(Department.Level.CITY, "市直赋权部门", "handovers_given")
    county_department = department_field(
        Department.Level.COUNTY, "县承接部门", "handovers_received"
    )
    due_on = models.DateField("交接期限", null=True, blank=True, db_index=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    signed_by = models.CharField("签字人", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)

    history = HistoricalRecords(verbose_name="交接历史")

    class Meta:
        verbose_name = "权力交接"
        verbose_name_plural = "权力交接"
        ordering = ["plan", "county_department__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "city_department", "county_department"],
                name="handover_one_per_department_pair",
                violation_error_message="本方案中这两个部门之间已有一条权力交接记录。",
            ),
            # A completion is only recorded with the person who signed it.
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(signed_by=""),
                name="handover_completion_signed",
                violation_error_message="登记完成日期时必须填写签字人。",
            ),
        ]

    def __str__(self):
        return f"{self.city_department} → {self.county_department}"


class HandoverExclusion(models.Model):
    """An item of the department pair deliberately left out of a handover, with the reason."""

    handover = models.ForeignKey(
        Handover,
        verbose_name="交接",
        on_delete=models.PROTECT,
        related_name="exclusions",
    )
    item = models.ForeignKey(DevolvedItem, verbose_name="事项", on_delete=models.PROTECT)
    reason = models.TextField("未移交原因")

    history = HistoricalRecords(verbose_name="未移交事项历史")

    class Meta:
        verbose_name = "未移交事项"
        verbose_name_plural = "未移交事项"
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "item"],
                name="exclusion_once_per_item",
                violation_error_message="该事项已登记为本次交接的未移交事项。",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="exclusion_reason_given",
                violation_error_message="必须填写未移交原因。",
            ),
        ]

    def __str__(self):
        return f"{self.handover}：{self.item}"

    def clean(self):
        if handover_key(self.item) != handover_key(self.handover):
            raise ValidationError({"item": "该事项不属于本次交接的市直部门和县承接部门。"})


class TrainingPeriod(models.Model):
    """培训指导期: from the handover's completion, 1–3 months plus recorded extensions."""

    handover = models.OneToOneField(
        Handover, verbose_name="交接", on_delete=models.PROTECT, related_name="training"
    )
    starts_on = models.DateField("开始日期")
    months = models.PositiveSmallIntegerField("期限（月）", default=TRAINING_MONTHS_MIN)
    ends_on = models.DateField("结束日期", null=True, blank=True, db_index=True)
    confirmed_on = models.DateField(
        "确认可独立行使日期",
        null=True,
        blank=True,
        help_text="县承接部门确认“接得住”的日期。",
    )
    confirmed_by = models.CharField("确认人", max_length=100, blank=True)

    history = HistoricalRecords(verbose_name="培训指导期历史")

    class Meta:
        verbose_name = "培训指导期"
        verbose_name_plural = "培训指导期"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=TRAINING_MONTHS_MIN, months__lte=TRAINING_MONTHS_MAX),
                name="training_months_between_1_and_3",
                violation_error_message="培训指导期须为 1—3 个月。",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | ~Q(confirmed_by=""),
                name="training_confirmation_signed",
                violation_error_message="登记确认日期时必须填写确认人。",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gte=models.F("starts_on")),
                name="training_confirmed_after_start",
                violation_error_message="确认日期不能早于培训指导期开始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.handover} 培训指导期"

    def save(self, *args, **kwargs):
        self.ends_on = self.compute_ends_on()
        super().save(*args, **kwargs)

    def clean(self):
        # The notice: training follows the handover, from the day it was completed.
        completed_on = self.handover.completed_on if self.handover_id else None
        if completed_on is None:
            raise ValidationError({"handover": "交接尚未完成，不能开始培训指导期。"})
        if self.starts_on and self.starts_on < completed_on:
            raise ValidationError(
                {"starts_on": f"培训指导期从交接完成之日（{completed_on}）开始，不能更早。"}
            )
        if self.confirmed_on and self.starts_on and self.confirmed_on < self.starts_on:
            raise ValidationError(
                {
                    "confirmed_on": f"确认日期不能早于培训指导期开始日期（{self.starts_on}）："
                    "培训尚未开始，不能确认可独立行使。"
                }
            )

    def compute_ends_on(self):
        extended = self.extensions.aggregate(total=Sum("months"))["total"] if self.pk else None
        return workdays.add_months(self.starts_on, self.months + (extended or 0))


def start_training(handover):
    """The notice (四(四)): a completed handover opens its training period that day, with the
    plan's default length; from then on the city department (or the reform office) sets its
    length and extensions. Returns the new period, or None if there is none to open."""
    if handover.completed_on is None or TrainingPeriod.objects.filter(handover=handover).exists():
        return None
    return TrainingPeriod.objects.create(
        handover=handover, starts_on=handover.completed_on, months=handover.plan.training_months
    )


class TrainingExtension(models.Model):
    """An extension of a training period; it needs a length and a reason."""

    period = models.ForeignKey(
        TrainingPeriod,
        verbose_name="培训指导期",
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    months = models.PositiveSmallIntegerField("延长（月）")
    reason = models.TextField("延长原因")
    recorded_on = models.DateField("登记日期")

    history = HistoricalRecords(verbose_name="延长历史")

    class Meta:
        verbose_name = "培训指导期延长"
        verbose_name_plural = "培训指导期延长"
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1),
                name="extension_months_positive",
                violation_error_message="延长至少 1 个月。",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="extension_reason_given",
                violation_error_message="必须填写延长原因。",
            ),
        ]

    def __str__(self):
        return f"延长{self.months}个月"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.period.save()  # moves the period's end, with a history row saying so


class TrainingAssistance(models.Model):
    """代办/帮办: the city department handles a specialised item for the county during training."""

    class Mode(models.TextChoices):
        ACTING = "acting", "代办"
        ASSISTING = "assisting", "帮办"

    period = models.ForeignKey(
        TrainingPeriod,
        verbose_name="培训指导期",
        on_delete=models.PROTECT,
        related_name="assistances",
    )
    item = models.ForeignKey(DevolvedItem, verbose_name="事项", on_delete=models.PROTECT)
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    history = HistoricalRecords(verbose_name="代办/帮办历史")

    class Meta:
        verbose_name = "代办/帮办"
        verbose_name_plural = "代办/帮办"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assistance_ends_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["acting", "assisting"]),
                name="assistance_mode_valid",
                violation_error_message="方式只能是代办或帮办。",
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()}：{self.item}"

    def clean(self):
        """The notice (四(四)): 代办/帮办 is the city department's help during the training
        period, for the items of that handover only."""
        if not self.period_id or not self.item_id:
            return
        period, item = self.period, self.item
        handover = period.handover
        if handover_key(item) != handover_key(handover):
            raise ValidationError(
                {"item": f"「{item}」不属于本次交接（{handover}），不能代办/帮办。"}
            )
        errors = {}
        if self.starts_on and self.starts_on < period.starts_on:
            errors["starts_on"] = f"代办/帮办须在培训指导期内（{period.starts_on}起）。"
        last = self.ends_on or self.starts_on
        if last and period.ends_on and last > period.ends_on:
            errors["ends_on" if self.ends_on else "starts_on"] = (
                f"代办/帮办须在培训指导期内（至{period.ends_on}止）。"
            )
        if errors:
            raise ValidationError(errors)


class ProvincialPort(models.Model):
    """开设端口: access to a provincial system opened for a county department."""

    county_department = department_field(Department.Level.COUNTY, "县承接部门", "provincial_ports")
    # The notice (四(三)): the city department coordinates its provincial counterpart to open
    # the port; it owes the work. Null only on ports recorded before this was kept.
    city_department = department_field(
        Department.Level.CITY,
        "市直协调部门",
        "provincial_ports_arranged",
        null=True,
        help_text="负责协调省直对口部门开设端口的市直部门。",
    )
    system = models.ForeignKey(
        ProvincialSystem,
        verbose_name="省级系统",
        on_delete=models.PROTECT,
        related_name="ports",
    )
    requested_on = models.DateField("申请日期", null=True, blank=True)
    # The notice sets ports no deadline; the reform office may set one, and then a port still
    # closed after it is the arranging city department's flag.
    due_on = models.DateField("开通期限", null=True, blank=True, db_index=True)
    opened_on = models.DateField("开通日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    history = HistoricalRecords(verbose_name="端口历史")

    class Meta:
        verbose_name = "省级系统端口"
        verbose_name_plural = "省级系统端口"
        ordering = ["county_department__sort_order", "system__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_department", "system"],
                name="port_one_per_system",
                violation_error_message="该县承接部门已有这一省级系统的端口记录。",
            ),
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True)
                | Q(requested_on__isnull=True)
                | Q(opened_on__gte=models.F("requested_on")),
                name="port_opened_after_requested",
                violation_error_message="开通日期不能早于申请日期。",
            ),
        ]

    def __str__(self):
        return f"{self.county_department} · {self.system}"

    def clean(self):
        """The city department arranges the port for a county department it gave items to
        (notice 四(三)), whoever records it: the admin's picker offers only those, this holds
        for every door."""
        if not self.city_department_id or not self.county_department_id:
            return
        gave = DevolvedItem.objects.filter(
            city_department=self.city_department_id, county_department=self.county_department_id
        )
        if not gave.exists():
            raise ValidationError(
                {
                    "county_department": f"{self.city_department}未向{self.county_department}"
                    "赋予事项，不能为其协调开设端口。"
                }
            )


class ForwardedDocument(models.Model):
    """文件阅览: a provincial document the city passed on to the county, and its feedback."""

    reference = models.CharField("文号", max_length=100)
    title = models.CharField("标题", max_length=300)
    forwarded_by = department_field(
        Department.Level.CITY,
        "转发部门",
        "documents_forwarded",
        null=True,
        blank=True,
        help_text="留空表示由市政府办公室转发。",
    )
    responsible_department = department_field(
        Department.Level.COUNTY, "县落实部门", "documents_received"
    )
    # The notice (四(二)): the city passes provincial documents on "as the document says"; a
    # document received but not yet passed on owes its forwarding by the due date, when set.
    received_on = models.DateField("市收到日期", null=True, blank=True)
    forward_due_on = models.DateField(
        "转发期限",
        null=True,
        blank=True,
        db_index=True,
        help_text="按文件要求应转发至县的期限；逾期未转发的，由转发部门负责。",
    )
    passed_on = models.DateField("转发日期", null=True, blank=True, help_text="尚未转发的留空。")
    # 保密: the title is shown only to the departments that forward and receive the document
    # and to the reform office; everywhere else the document is named by its reference.
    classified = models.BooleanField("保密", default=False)
    feedback_required = models.TextField("需反馈内容", blank=True)
    feedback_due_on = models.DateField("反馈期限", null=True, blank=True, db_index=True)
    feedback_sent_on = models.DateField("反馈日期", null=True, blank=True)
    feedback_content = models.TextField("反馈内容", blank=True)
    feedback_to = models.CharField(
        "反馈对象",
        max_length=200,
        blank=True,
        help_text="通知四(二)：落实情况反馈至市政府及市直相关部门，如“市政府办公室、市民政局”。",
    )

    history = HistoricalRecords(verbose_name="转发文件历史")

    class Meta:
        verbose_name = "转发文件"
        verbose_name_plural = "转发文件"
        ordering = [models.F("passed_on").desc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True)
                | (
                    (
                        Q(forward_due_on__isnull=True)
                        | Q(forward_due_on__gte=models.F("received_on"))
                    )
                    & (Q(passed_on__isnull=True) | Q(passed_on__gte=models.F("received_on")))
                ),
                name="document_forwarded_after_received",
                violation_error_message="转发期限和转发日期不能早于收文日期。",
            ),
            # Nothing can be fed back on a document the county has not been passed yet.
            models.CheckConstraint(
                condition=Q(feedback_sent_on__isnull=True) | Q(passed_on__isnull=False),
                name="document_feedback_after_forwarding",
                violation_error_message="文件转发后才能登记反馈日期。",
            ),
            models.CheckConstraint(
                condition=Q(feedback_due_on__isnull=True)
                | Q(feedback_due_on__gte=models.F("passed_on")),
                name="document_feedback_due_after_passed",
                violation_error_message="反馈期限不能早于转发日期。",
            ),
            # Feedback is recorded with what was said and to whom.
            models.CheckConstraint(
                condition=Q(feedback_sent_on__isnull=True)
                | (~Q(feedback_content="") & ~Q(feedback_to="")),
                name="document_feedback_complete",
                violation_error_message="登记反馈日期时必须填写反馈内容和反馈对象。",
            ),
            models.CheckConstraint(
                condition=Q(feedback_sent_on__isnull=True)
                | Q(feedback_sent_on__gte=models.F("passed_on")),
                name="document_feedback_after_passed",
                violation_error_message="反馈日期不能早于转发日期。",
            ),
        ]

    def __str__(self):
        if self.classified:
            return f"{self.reference}（保密文件）"
        return f"{self.reference} {self.title}"

    def clean(self):
        errors = {}
        if self.received_on:
            if self.passed_on and self.passed_on < self.received_on:
                errors["passed_on"] = f"转发日期不能早于市收到日期（{self.received_on}）。"
            if self.forward_due_on and self.forward_due_on < self.received_on:
                errors["forward_due_on"] = f"转发期限不能早于市收到日期（{self.received_on}）。"
        if self.feedback_sent_on is not None and self.passed_on is None:
            errors["feedback_sent_on"] = "文件尚未转发至县，不能登记反馈。"
        elif self.feedback_sent_on is not None:
            if not self.feedback_content.strip():
                errors["feedback_content"] = "登记反馈日期时须填写反馈内容。"
            if not self.feedback_to.strip():
                errors["feedback_to"] = "登记反馈日期时须填写反馈对象。"
            if self.passed_on and self.feedback_sent_on < self.passed_on:
                errors["feedback_sent_on"] = f"反馈日期不能早于转发日期（{self.passed_on}）。"
        if errors:
            raise ValidationError(errors)


class DeadlineFlagQuerySet(models.QuerySet):
    def open(self):
        """The flags not yet resolved: the work is still overdue."""
        return self.filter(resolved_on__isnull=True)


class DeadlineFlag(models.Model):
    """A missed deadline, found by the daily scan and resolved when the work is done."""

    class Deadline(models.TextChoices):
        HANDOVER = "handover", "权力交接逾期"
        SEAL_DELIVERY = "seal_delivery", "专用分章送达逾期"
        TRAINING_END = "training_end", "培训指导期到期未确认"
        PORT_OPENING = "port_opening", "省级端口开通逾期"
        DOCUMENT_FORWARDING = "document_forwarding", "文件转发逾期"
        DOCUMENT_FEEDBACK = "document_feedback", "文件反馈逾期"

    deadline = models.CharField("逾期类别", max_length=30, choices=Deadline.choices)
    content_type = models.ForeignKey(ContentType, verbose_name="记录类别", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField("记录编号")
    record = GenericForeignKey("content_type", "object_id")
    # The party that owes the work (DESIGN "Who owes what"): a city department for the seals,
    # handovers, training and ports it gives, the county department for its feedback.
    department = models.ForeignKey(
        Department,
        verbose_name="责任方",
        on_delete=models.PROTECT,
        related_name="deadline_flags",
    )
    # The two sides of the record, whoever owes: each side's staff see the flag.
    county_department = models.ForeignKey(
        Department,
        verbose_name="县承接部门",
        on_delete=models.PROTECT,
        null=True,
        related_name="deadline_flags_received",
    )
    city_department = models.ForeignKey(
        Department,
        verbose_name="市直部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_flags_given",
        help_text="留空：市政府办公室转发的文件。",
    )
    due_on = models.DateField("期限")
    found_on = models.DateField("发现日期")
    resolved_on = models.DateField("解除日期", null=True, blank=True)
    # What was actually sent (handover/notices.py): set only after the mail server took the
    # message, with its recipient; a flag that could not be sent shows why instead.
    notified_at = models.DateTimeField("首次通知时间", null=True, blank=True)
    notified_to = models.CharField("通知对象", max_length=254, blank=True, db_default="")
    last_notified_at = models.DateTimeField("最近通知时间", null=True, blank=True)
    notices_sent = models.PositiveSmallIntegerField("已发通知次数", db_default=0)
    next_notice_on = models.DateField("下次提醒日期", null=True, blank=True)
    escalated_at = models.DateTimeField("升级督办时间", null=True, blank=True)
    escalated_to = models.CharField("督办通知对象", max_length=500, blank=True, db_default="")
    # The scan that has claimed the next notice or the escalation and is sending it. Database
    # defaults on these columns: the scan opens flags with an INSERT … SELECT that names only
    # the flag's facts.
    notice_claim = models.CharField(max_length=32, blank=True, editable=False, db_default="")
    escalation_claim = models.CharField(max_length=32, blank=True, editable=False, db_default="")

    objects = DeadlineFlagQuerySet.as_manager()
    # The scan writes flags in bulk and records their history itself (deadlines.py).
    history = HistoricalRecords(verbose_name="逾期记录历史")

    class Meta:
        verbose_name = "逾期记录"
        verbose_name_plural = "逾期记录"
        ordering = ["resolved_on", "due_on", "id"]
        constraints = [
            # Concurrent scans cannot open the same deadline twice.
            models.UniqueConstraint(
                fields=["deadline", "content_type", "object_id"],
                condition=Q(resolved_on__isnull=True),
                name="flag_one_open_per_deadline",
                violation_error_message="这一期限已有一条未解除的逾期记录。",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("found_on")),
                name="flag_resolved_after_found",
                violation_error_message="解除日期不能早于发现日期。",
            ),
            models.CheckConstraint(
                condition=Q(found_on__gt=models.F("due_on")),
                name="flag_found_after_due",
                violation_error_message="发现日期必须晚于期限。",
            ),
            # Rule 9: a notice that was not sent is never shown as sent, and a sent one names
            # its recipient.
            models.CheckConstraint(
                condition=Q(notices_sent=0, notified_at__isnull=True)
                | (Q(notices_sent__gt=0, notified_at__isnull=False) & ~Q(notified_to="")),
                name="flag_notified_only_when_sent",
                violation_error_message="只有通知确已发出才能登记通知时间，且必须写明通知对象。",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | ~Q(escalated_to=""),
                name="flag_escalated_names_recipients",
                violation_error_message="登记升级督办时间时必须写明督办通知对象。",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "resolved_on"], name="flag_department_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_deadline_display()}：{self.department}（期限 {self.due_on}）"

    @property
    def owed_by_city(self):
        """Whether the city side owes the work (else the county side)."""
        return self.department.level == Department.Level.CITY

    @property
    def notice_state(self):
        """已通知 with its recipient, or why no notice went out (reads `department`)."""
        return notice_state(self.notified_at, self.notices_sent, self.notified_to, self.department)

    @property
    def side_label(self):
        return "市直部门" if self.owed_by_city else "县承接部门"


def notice_state(notified_at, notices_sent, notified_to, department):
    """A flag's 通知情况 from its columns and its responsible department: 已通知 with the
    recipient, or why no notice went out. 逾期一览 calls it on plain values."""
    if notified_at is not None:
        times = f"，共 {notices_sent} 次" if notices_sent > 1 else ""
        return f"已通知：{notified_to}{times}"
    if not department.contact_email:
        return "未通知：无联系人邮箱"
    return "待通知"


class StatusRefresh(models.Model):
    """When the daily scan last brought the item statuses up to date. The next scan refreshes
    only the items whose inputs have changed (have history rows) since (handover/status.py)."""

    refreshed_at = models.DateTimeField("刷新时间")

    class Meta:
        verbose_name = "状态刷新记录"
        verbose_name_plural = "状态刷新记录"

    def __str__(self):
        return local_minute(self.refreshed_at)
