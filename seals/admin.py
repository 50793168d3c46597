from django.contrib import admin
from django.db.models import Q

from devolution.admin import DeadlineAdminMixin, NoDeleteMixin, RegistryRecordAdmin

from .models import Seal, SealCustodyEvent, SealStatus, SealUsage


class SealCustodyEventInline(admin.TabularInline):
    model = SealCustodyEvent
    extra = 0
    can_delete = False
    readonly_fields = ["recorded_at"]


@admin.register(Seal)
class SealAdmin(DeadlineAdminMixin, RegistryRecordAdmin):
    deadline_field = "delivery_due_on"
    deadline_done = ~Q(status=SealStatus.ENGRAVED)
    list_display = [
        "name",
        "kind",
        "issuer",
        "holder",
        "status",
        "delivery_due_on",
        "days_overdue",
        "plan",
    ]
    list_filter = [
        ("holder", admin.RelatedOnlyFieldListFilter),
        ("issuer", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
    ]
    list_select_related = ["issuer", "holder", "plan"]
    search_fields = ["name", "issuer__short_name", "holder__short_name"]
    autocomplete_fields = ["plan", "issuer", "holder"]
    readonly_fields = ["delivery_due_on"]
    inlines = [SealCustodyEventInline]


@admin.register(SealCustodyEvent)
class SealCustodyEventAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["seal", "step", "happened_on", "person", "recorded_at"]
    list_filter = ["step"]
    list_select_related = ["seal"]
    search_fields = ["seal__name", "person", "note"]
    autocomplete_fields = ["seal"]
    date_hierarchy = "happened_on"


@admin.register(SealUsage)
class SealUsageAdmin(RegistryRecordAdmin):
    list_display = [
        "stamped_on",
        "seal",
        "item",
        "document_reference",
        "applicant",
        "stamped_by",
        "route",
    ]
    list_filter = [
        ("seal__holder", admin.RelatedOnlyFieldListFilter),
        "route",
        "seal__kind",
    ]
    list_select_related = ["seal", "item"]
    search_fields = [
        "document_reference",
        "applicant",
        "stamped_by",
        "item__name",
        "seal__name",
    ]
    autocomplete_fields = ["seal", "item"]
    date_hierarchy = "stamped_on"
