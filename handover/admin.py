from django.contrib import admin
from django.urls import path

from devolution.admin import RegistryRecordAdmin, ScopedAdmin
from devolution.exchange.admin import ExchangeAdminMixin

from . import views
from .models import (
    DeadlineFlag,
    ForwardedDocument,
    Handover,
    HandoverExclusion,
    ProvincialPort,
    TrainingAssistance,
    TrainingExtension,
    TrainingPeriod,
)


class HandoverExclusionInline(admin.TabularInline):
    model = HandoverExclusion
    extra = 0
    can_delete = False
    autocomplete_fields = ["item"]


@admin.register(Handover)
class HandoverAdmin(ExchangeAdminMixin, RegistryRecordAdmin):
    exchange_kind = "handovers"
    department_field = "county_department"
    list_display = [
        "city_department",
        "county_department",
        "due_on",
        "completed_on",
        "signed_by",
        "plan",
    ]
    list_filter = [("county_department", admin.RelatedOnlyFieldListFilter), "plan"]
    list_select_related = ["city_department", "county_department", "plan"]
    search_fields = [
        "city_department__short_name",
        "city_department__full_name",
        "county_department__short_name",
        "county_department__full_name",
    ]
    autocomplete_fields = ["plan", "city_department", "county_department"]
    readonly_fields = ["due_on"]
    inlines = [HandoverExclusionInline]

    def get_urls(self):
        dashboard = path(
            "progress/", self.admin_site.admin_view(views.progress), name="handover_progress"
        )
        return [dashboard, *super().get_urls()]


class TrainingExtensionInline(admin.TabularInline):
    model = TrainingExtension
    extra = 0
    can_delete = False


class TrainingAssistanceInline(admin.TabularInline):
    model = TrainingAssistance
    extra = 0
    can_delete = False
    autocomplete_fields = ["item"]


@admin.register(TrainingPeriod)
class TrainingPeriodAdmin(RegistryRecordAdmin):
    department_field = "handover__county_department"
    list_display = [
        "handover",
        "starts_on",
        "months",
        "ends_on",
        "confirmed_on",
        "confirmed_by",
    ]
    list_filter = [("handover__county_department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["handover__city_department", "handover__county_department"]
    search_fields = [
        "handover__county_department__short_name",
        "handover__city_department__short_name",
    ]
    autocomplete_fields = ["handover"]
    readonly_fields = ["ends_on"]
    inlines = [TrainingExtensionInline, TrainingAssistanceInline]


@admin.register(ProvincialPort)
class ProvincialPortAdmin(ScopedAdmin):
    department_field = "county_department"
    list_display = ["county_department", "system_name", "requested_on", "opened_on"]
    list_filter = [("county_department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["county_department"]
    search_fields = ["system_name", "county_department__short_name"]
    autocomplete_fields = ["county_department"]


@admin.register(ForwardedDocument)
class ForwardedDocumentAdmin(ScopedAdmin):
    department_field = "responsible_department"
    list_display = [
        "reference",
        "title",
        "forwarded_by",
        "responsible_department",
        "passed_on",
        "feedback_due_on",
        "feedback_sent_on",
    ]
    list_filter = [("responsible_department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["forwarded_by", "responsible_department"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["forwarded_by", "responsible_department"]


@admin.register(DeadlineFlag)
class DeadlineFlagAdmin(ScopedAdmin):
    department_field = "department"
    list_display = [
        "kind",
        "department",
        "due_on",
        "found_on",
        "resolved_on",
        "content_type",
    ]
    list_filter = [
        "kind",
        ("department", admin.RelatedOnlyFieldListFilter),
        "resolved_on",
    ]
    list_select_related = ["department", "content_type"]
    search_fields = ["department__short_name", "department__full_name"]
    readonly_fields = [
        "kind",
        "content_type",
        "object_id",
        "department",
        "due_on",
        "found_on",
        "resolved_on",
    ]

    def has_add_permission(self, request):
        # Flags are raised by the deadline scan, never typed in.
        return False
