"""放得下·接得住·管得好 评估: periodic reviews of every devolved item.

A round (EvaluationRound) is opened by the reform office for a period under review; opening it
creates one ItemEvaluation per current devolved item and fills in the evidence the registry
already holds (stamps, handover, training, 代办/帮办, flags, accountability). The county
department answers for its items, the city department that gave them comments, and the office
records a recommendation 保留/调整/收回. Closing the round turns its 调整 and 收回 into a draft
adjustment of the list.

This app sits above items, seals, handover and supervision; none of them imports it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from devolution.models import Department
from items.models import DevolvedItem


class EvaluationRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=EvaluationRound.Status.OPEN)

    def closed(self):
        return self.filter(status=EvaluationRound.Status.CLOSED)


class EvaluationRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "评估中"
        CLOSED = "closed", "已结束"

    title = models.CharField("评估名称", max_length=200)
    period_from = models.DateField("评估期间起")
    period_to = models.DateField("评估期间止")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField("开始日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.PROTECT,
        related_name="evaluation_rounds_opened",
    )
    closed_on = models.DateField("结束日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_rounds_closed",
    )
    # What closing the round drafted: the adjustment's identifier in the items app's workflow.
    adjustment_reference = models.CharField("调整草案", max_length=100, blank=True)
    evidence_computed_at = models.DateTimeField("证据计算时间", null=True, blank=True)

    objects = EvaluationRoundQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="评估轮次历史", verbose_name_plural="评估轮次历史")

    class Meta:
        verbose_name = "评估轮次"
        verbose_name_plural = "评估轮次"
        ordering = ["-period_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")),
                name="round_period_in_order",
                violation_error_message="评估期间的起始日期不能晚于截止日期。",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]),
                name="round_status_valid",
                violation_error_message="评估状态无效。",
            ),
            # A closed round says who closed it and when; an open one has neither.
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True, closed_by__isnull=True)
                | Q(status="closed", closed_on__isnull=False, closed_by__isnull=False),
                name="round_closed_with_who_and_when",
                violation_error_message="结束评估须记录结束人和结束日期。",
            ),
            # Case volumes and answers go to "the round under way": there is at most one.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="open"),
                name="round_one_open_at_a_time",
                violation_error_message="已有一轮评估正在进行，请先结束它。",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.period_from}至{self.period_to}）"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Capacity(models.TextChoices):
    """接得住? as the county department answers it."""

    YES = "yes", "接得住"
    PARTLY = "partly", "基本接得住"
    NO = "no", "接不住"


class Recommendation(models.TextChoices):
    KEEP = "keep", "保留"
    ADJUST = "adjust", "调整"
    WITHDRAW = "withdraw", "收回"


# A recommendation that changes the list must say why.
RECOMMENDATIONS_NEEDING_REASON = (Recommendation.ADJUST, Recommendation.WITHDRAW)


# No stamp in the period and no 代办/帮办 either: the power lay unused.
NEVER_USED = Q(stamps_count=0, acting_count=0, assisting_count=0)
# No stamp of the county's own in the period, but the city acted for it (代办).
USED_ONLY_THROUGH_ACTING = Q(stamps_count=0, acting_count__gt=0)


class ItemEvaluationQuerySet(models.QuerySet):
    def never_used(self):
        return self.filter(NEVER_USED)

    def used_only_through_acting(self):
        return self.filter(USED_ONLY_THROUGH_ACTING)

    def unanswered(self):
        return self.filter(recommendation="")


def signer(verbose_name):
    """Who gave one section of an evaluation's answers; set by the service, never typed in."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class ItemEvaluation(models.Model):
    """One devolved item in one round: the registry's evidence, the county department's
    self-assessment, the city department's comment and the reform office's recommendation."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name="评估轮次",
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    item = models.ForeignKey(
        DevolvedItem, verbose_name="事项", on_delete=models.PROTECT, related_name="evaluations"
    )
    # The departments as they were when the round opened: the evaluation is addressed to them
    # even if a later adjustment moves the item.
    county_department = models.ForeignKey(
        Department,
        verbose_name="县承接部门",
        on_delete=models.PROTECT,
        related_name="evaluations_received",
        editable=False,
    )
    city_department = models.ForeignKey(
        Department,
        verbose_name="市直赋权部门",
        on_delete=models.PROTECT,
        related_name="evaluations_given",
        editable=False,
    )

    # Evidence, computed by the registry (evaluation.evidence), never typed in.
    stamps_count = models.PositiveIntegerField("期间用印次数", default=0, editable=False)
    stamps_city_count = models.PositiveIntegerField("本市办结", default=0, editable=False)
    stamps_province_count = models.PositiveIntegerField("报省办结", default=0, editable=False)
    first_stamp_on = models.DateField("期间首次用印", null=True, editable=False)
    last_stamp_on = models.DateField("期间末次用印", null=True, editable=False)
    # The last stamp on or before the period's end, whenever it was: how long the power has
    # lain unused by the period's end.
    latest_stamp_on = models.DateField("截至期末最近用印", null=True, editable=False)
    handed_over_on = models.DateField("交接完成日期", null=True, editable=False)
    handover_due_on = models.DateField("交接期限", null=True, editable=False)
    handover_on_time = models.BooleanField("按期交接", null=True, editable=False)
    training_ends_on = models.DateField("培训指导期结束", null=True, editable=False)
    training_confirmed_on = models.DateField("确认接得住日期", null=True, editable=False)
    training_on_time = models.BooleanField("培训按期结束", null=True, editable=False)
    acting_count = models.PositiveIntegerField("代办次数", default=0, editable=False)
    assisting_count = models.PositiveIntegerField("帮办次数", default=0, editable=False)
    open_flags_count = models.PositiveIntegerField("未解除逾期", default=0, editable=False)
    resolved_flags_count = models.PositiveIntegerField("已解除逾期", default=0, editable=False)
    accountability_count = models.PositiveIntegerField("问责记录", default=0, editable=False)
    # 办件量: kept by the county elsewhere, imported for the round (exchange table "case_volumes").
    case_volume = models.PositiveIntegerField("办件量", null=True, blank=True, editable=False)

    # 接得住? — the county department's self-assessment.
    capacity = models.CharField("接得住？", max_length=10, choices=Capacity.choices, blank=True)
    staffing = models.TextField("人员配备", blank=True)
    training_received = models.TextField("接受培训情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    assessed_by = signer("自评人")
    assessed_at = models.DateTimeField("自评时间", null=True, blank=True, editable=False)

    # The city department that gave the item.
    city_comment = models.TextField("市直部门意见", blank=True)
    commented_by = signer("市直部门意见填写人")
    commented_at = models.DateTimeField("意见时间", null=True, blank=True, editable=False)

    # The reform office's verdict.
    recommendation = models.CharField(
        "评估建议", max_length=10, choices=Recommendation.choices, blank=True
    )
    recommendation_reason = models.TextField("建议理由", blank=True)
    legal_review_note = models.TextField("合法性审查意见", blank=True)
    recommended_by = signer("建议人")
    recommended_at = models.DateTimeField("建议时间", null=True, blank=True, editable=False)

    objects = ItemEvaluationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="事项评估历史", verbose_name_plural="事项评估历史")

    class Meta:
        verbose_name = "事项评估"
        verbose_name_plural = "事项评估"
        ordering = ["round", "county_department__sort_order", "item__sequence", "id"]
        permissions = [
            ("assess_itemevaluation", "可填写本部门事项自评（县承接部门）"),
            ("comment_itemevaluation", "可填写市直部门意见"),
            ("recommend_itemevaluation", "可作出评估建议（县编委办）"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item"],
                name="evaluation_one_per_item_per_round",
                violation_error_message="同一事项在同一轮评估中只能有一条评估记录。",
            ),
            models.CheckConstraint(
                condition=Q(capacity__in=["", *Capacity.values]),
                name="evaluation_capacity_valid",
                violation_error_message="“接得住？”的答案无效。",
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=["", *Recommendation.values]),
                name="evaluation_recommendation_valid",
                violation_error_message="建议无效。",
            ),
            models.CheckConstraint(
                condition=~Q(recommendation__in=RECOMMENDATIONS_NEEDING_REASON)
                | ~Q(recommendation_reason=""),
                name="evaluation_change_has_reason",
                violation_error_message="建议“调整”或“收回”的，必须填写建议理由。",
            ),
            # Every answer says who gave it and when.
            models.CheckConstraint(
                condition=Q(capacity="") | Q(assessed_at__isnull=False, assessed_by__isnull=False),
                name="evaluation_assessment_signed",
                violation_error_message="填写“接得住？”须记录自评人和自评时间。",
            ),
            models.CheckConstraint(
                condition=Q(city_comment="")
                | Q(commented_at__isnull=False, commented_by__isnull=False),
                name="evaluation_comment_signed",
                violation_error_message="填写市直部门意见须记录意见人和意见时间。",
            ),
            models.CheckConstraint(
                condition=Q(recommendation="")
                | Q(recommended_at__isnull=False, recommended_by__isnull=False),
                name="evaluation_recommendation_signed",
                violation_error_message="填写建议须记录建议人和建议时间。",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "county_department"], name="evaluation_round_county"),
            models.Index(fields=["round", "city_department"], name="evaluation_round_city"),
            models.Index(fields=["round", "recommendation"], name="evaluation_round_verdict"),
        ]

    def __str__(self):
        return f"{self.item}（{self.round.title}）"

    @property
    def days_since_devolution(self):
        """Days from the handover's completion (the power came down) to the period's end."""
        return days_until_period_end(self.handed_over_on, self.round)

    @property
    def days_since_last_stamp(self):
        return days_until_period_end(self.latest_stamp_on, self.round)


def days_until_period_end(day, evaluation_round):
    if day is None:
        return None
    return (evaluation_round.period_to - day).days
