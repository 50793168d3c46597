"""严格监督管理: accountability that supervision records against departments that lag behind."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from devolution.models import Department
from handover.models import DeadlineFlag


class Accountability(models.Model):
    class Measure(models.TextChoices):
        CORRECTION = "correction", "责令纠正"
        INTERVIEW = "interview", "约谈"
        NOTICE = "notice", "通报批评"
        ACCOUNTABILITY = "accountability", "严肃问责"

    department = models.ForeignKey(
        Department,
        verbose_name="被问责部门",
        on_delete=models.PROTECT,
        related_name="accountabilities",
    )
    flags = models.ManyToManyField(
        DeadlineFlag, verbose_name="相关逾期记录", blank=True, related_name="accountabilities"
    )
    measure = models.CharField("处理方式", max_length=20, choices=Measure.choices)
    persons = models.CharField("责任人员", max_length=200, blank=True)
    findings = models.TextField("问题与依据")
    decided_on = models.DateField("决定日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
    )

    history = HistoricalRecords(verbose_name="问责历史")

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__in=["correction", "interview", "notice", "accountability"]),
                name="accountability_measure_valid",
                violation_error_message="处理方式无效。",
            ),
            models.CheckConstraint(
                condition=~Q(findings=""),
                name="accountability_findings_given",
                violation_error_message="必须填写问题与依据。",
            ),
        ]

    def __str__(self):
        return f"{self.department} {self.get_measure_display()}（{self.decided_on}）"
