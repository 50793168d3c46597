from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from devolution.admin import NoDeleteMixin, RegistryRecordAdmin
from devolution.exchange.admin import ExchangeAdminMixin

from . import services
from .evidence import EVIDENCE_FIELDS
from .models import EvaluationRound, ItemEvaluation
from .services import ASSESSMENT_FIELDS, COMMENT_FIELDS, VERDICT_FIELDS


class EvaluationRoundForm(forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = ["title", "period_from", "period_to"]

    def clean(self):
        cleaned = super().clean()
        period_to = cleaned.get("period_to")
        refusal = services.period_refusal(period_to, timezone.localdate())
        if refusal:
            self.add_error("period_to", refusal)
        return cleaned


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """A round is the whole county's, like the plan: not a department's record. Its report and
    export show each user only the evaluations the ItemEvaluation admin lets them reach."""

    form = EvaluationRoundForm
    list_display = [
        "title",
        "period_from",
        "period_to",
        "status",
        "opened_on",
        "opened_by",
        "closed_on",
        "report_link",
    ]
    list_filter = ["status"]
    list_select_related = ["opened_by", "closed_by"]
    search_fields = ["title"]
    actions = ["close_selected", "refresh_selected"]
    readonly_fields = [
        "status",
        "opened_on",
        "opened_by",
        "closed_on",
        "closed_by",
        "evidence_computed_at",
        "adjustment_reference",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The period decides the evidence; it is fixed once the round is open.
            fields += ["title", "period_from", "period_to"]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on an existing round is edited here; closing is an action
        opened = services.open_round(
            obj.title, obj.period_from, obj.period_to, request.user, timezone.localdate()
        )
        obj.__dict__.update({k: v for k, v in opened.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # the round has no related forms; its evaluations are made by open_round

    @admin.display(description="评估报告")
    def report_link(self, evaluation_round):
        url = reverse("admin:evaluation_evaluationround_report", args=[evaluation_round.pk])
        return format_html('<a href="{}">查看报告</a>', url)

    @admin.action(description="结束所选评估，生成清单调整草案", permissions=["change"])
    def close_selected(self, request, queryset):
        for evaluation_round in queryset:
            try:
                draft = services.close_round(evaluation_round, request.user, timezone.localdate())
            except ValidationError as error:
                self.message_user(
                    request, f"{evaluation_round}：{'；'.join(error.messages)}", messages.ERROR
                )
                continue
            note = f"已生成调整草案：{draft}" if draft else "没有调整或收回的建议"
            self.message_user(request, f"{evaluation_round} 已结束，{note}。", messages.SUCCESS)

    @admin.action(description="重新计算所选评估的证据", permissions=["change"])
    def refresh_selected(self, request, queryset):
        for evaluation_round in queryset:
            try:
                services.refresh_evidence(evaluation_round, request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{evaluation_round}：{'；'.join(error.messages)}", messages.ERROR
                )
                continue
            self.message_user(request, f"{evaluation_round} 的证据已重新计算。", messages.SUCCESS)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:round_id>/report/",
                wrap(self.report_view),
                name="evaluation_evaluationround_report",
            ),
            path(
                "<int:round_id>/export/",
                wrap(self.export_view),
                name="evaluation_evaluationround_export",
            ),
            *super().get_urls(),
        ]

    def _round_and_evaluations(self, request, round_id):
        evaluation_round = get_object_or_404(EvaluationRound, pk=round_id)
        if not self.has_view_permission(request, evaluation_round):
            raise PermissionDenied
        # The evaluations the user reaches: a department's staff, only their own.
        evaluation_admin = self.admin_site._registry[ItemEvaluation]
        evaluations = evaluation_admin.get_queryset(request).filter(round=evaluation_round)
        return evaluation_round, evaluations

    def report_view(self, request, round_id):
        from .views import round_report

        evaluation_round, evaluations = self._round_and_evaluations(request, round_id)
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        return round_report(request, evaluation_round, evaluations, context)

    def export_view(self, request, round_id):
        from .views import round_export

        if not request.user.has_perm("devolution.export_registry"):
            raise PermissionDenied
        evaluation_round, evaluations = self._round_and_evaluations(request, round_id)
        return round_export(evaluation_round, evaluations)


class UseFilter(admin.SimpleListFilter):
    title = "期间使用情况"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [
            ("never", "期间从未使用"),
            ("acting_only", "仅由市直部门代办"),
            ("stamped", "期间有用印"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.never_used()
        if self.value() == "acting_only":
            return queryset.used_only_through_acting()
        if self.value() == "stamped":
            return queryset.filter(stamps_count__gt=0)
        return queryset


# The evidence as stored, then the figures derived from it and the imported case volume.
EVIDENCE_FIELDS_SHOWN = [
    *EVIDENCE_FIELDS,
    "days_since_last_stamp",
    "days_since_devolution",
    "case_volume",
]


@admin.register(ItemEvaluation)
class ItemEvaluationAdmin(ExchangeAdminMixin, RegistryRecordAdmin):
    exchange_table = "case_volumes"
    department_field = "county_department"
    # A city department's staff reach the evaluations of the items it gave.
    city_department_field = "city_department"
    list_display = [
        "item",
        "county_department",
        "city_department",
        "stamps_count",
        "last_stamp_on",
        "acting_count",
        "case_volume",
        "open_flags_count",
        "capacity",
        "recommendation",
        "round",
    ]
    list_filter = [
        "round",
        "recommendation",
        "capacity",
        UseFilter,
        "item__power_type",
        ("county_department", admin.RelatedOnlyFieldListFilter),
        ("city_department", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["item", "county_department", "city_department", "round"]
    search_fields = ["item__name", "item__code", "item__sub_item"]
    actions = ["keep_selected"]
    fieldsets = [
        (None, {"fields": ["round", "item", "county_department", "city_department"]}),
        ("登记系统证据（自动计算）", {"fields": EVIDENCE_FIELDS_SHOWN}),
        ("县承接部门自评", {"fields": [*ASSESSMENT_FIELDS, "assessed_by", "assessed_at"]}),
        ("市直部门意见", {"fields": [*COMMENT_FIELDS, "commented_by", "commented_at"]}),
        ("县编委办评估建议", {"fields": [*VERDICT_FIELDS, "recommended_by", "recommended_at"]}),
    ]

    def has_add_permission(self, request):
        return False  # evaluations are made by opening a round, one per current item

    def get_readonly_fields(self, request, obj=None):
        everything = [name for _, options in self.fieldsets for name in options["fields"]]
        if obj is None or not obj.round.is_open:
            return everything
        answerable = set(services.answerable_fields(request.user))
        return [name for name in everything if name not in answerable]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and not obj.round.is_open:
            return False
        return allowed and bool(services.answerable_fields(request.user))

    def save_model(self, request, obj, form, change):
        services.save_answers(obj, request.user, form.changed_data)

    @admin.action(description="对所选未提建议的事项建议“保留”", permissions=["recommend"])
    def keep_selected(self, request, queryset):
        kept = services.recommend_keep(queryset, request.user)
        self.message_user(request, f"已对 {kept} 个事项建议保留。", messages.SUCCESS)

    def has_recommend_permission(self, request):
        return request.user.has_perm("evaluation.recommend_itemevaluation")

    @admin.display(description="末次用印至期末天数")
    def days_since_last_stamp(self, evaluation):
        return evaluation.days_since_last_stamp

    @admin.display(description="交接完成至期末天数")
    def days_since_devolution(self, evaluation):
        return evaluation.days_since_devolution
