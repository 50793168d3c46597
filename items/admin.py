from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from devolution.admin import NoDeleteMixin, RegistryRecordAdmin
from devolution.edit_conflicts import EditConflictAdminMixin
from devolution.exchange.admin import ExchangeAdminMixin

from .models import (
    CancelledApproval,
    DevolvedItem,
    ItemKind,
    ProvincialSystem,
    power_types_of_kind,
)


class KindFilter(admin.SimpleListFilter):
    """审批类/非审批类, derived from the power type."""

    title = "事项类别"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return ItemKind.choices

    def queryset(self, request, queryset):
        if self.value() in ItemKind.values:
            return queryset.filter(power_type__in=power_types_of_kind(self.value()))
        return queryset


# The inlines other apps show on an item's page (seals: its stamps), so that items, which the
# other apps build on, imports none of them.
ITEM_PAGE_INLINES = []


def item_page_inline(inline):
    """Class decorator: show `inline` on every item's admin page."""
    ITEM_PAGE_INLINES.append(inline)
    return inline


@admin.action(description="退出所选事项（保留记录和历史）", permissions=["change"])
def retire_selected(modeladmin, request, queryset):
    today = timezone.localdate()
    retired = sum(record.retire(today) for record in queryset.current())
    modeladmin.message_user(request, f"已退出 {retired} 条事项。", messages.SUCCESS)


@admin.register(ProvincialSystem)
class ProvincialSystemAdmin(EditConflictAdminMixin, NoDeleteMixin, SimpleHistoryAdmin):
    """The list items and ports choose their provincial system from; the reform office keeps it."""

    list_display = ["name", "item_count", "port_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                item_count=Count("items", distinct=True), port_count=Count("ports", distinct=True)
            )
        )

    @admin.display(description="事项数", ordering="item_count")
    def item_count(self, system):
        return system.item_count

    @admin.display(description="已登记端口数", ordering="port_count")
    def port_count(self, system):
        return system.port_count


@admin.register(DevolvedItem)
class DevolvedItemAdmin(ExchangeAdminMixin, RegistryRecordAdmin):
    exchange_table = "items"
    department_field = "county_department"
    # The city department that devolved the item reads it (its role grants no change).
    city_department_field = "city_department"
    read_only_for_department_staff = (
        "plan",
        "code",
        "power_type",
        "city_department",
        "county_department",
        "provincial_system",
        "illustrative",
    )
    list_display = [
        "sequence",
        "code",
        "name",
        "sub_item",
        "power_type",
        "kind",
        "city_department",
        "county_department",
        "status",
        "illustrative",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        ("county_department", admin.RelatedOnlyFieldListFilter),
        "power_type",
        KindFilter,
        "status",
        "illustrative",
        "plan",
    ]
    list_select_related = ["city_department", "county_department"]
    search_fields = ["name", "sub_item", "code", "legal_basis"]
    autocomplete_fields = ["plan", "city_department", "county_department", "provincial_system"]
    readonly_fields = ["kind", "status", "retired_on"]
    fieldsets = [
        (None, {"fields": ["plan", "sequence", "code", "name", "sub_item"]}),
        (
            "权力",
            {"fields": ["power_type", "kind", "city_department", "county_department"]},
        ),
        (
            "依据与说明",
            {"fields": ["legal_basis", "provincial_system", "note", "illustrative"]},
        ),
        ("状态", {"fields": ["status", "retired_on"]}),
    ]
    actions = [retire_selected]

    @admin.display(description="事项类别")
    def kind(self, item):
        return item.get_kind_display()

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *ITEM_PAGE_INLINES]


@admin.register(CancelledApproval)
class CancelledApprovalAdmin(ExchangeAdminMixin, RegistryRecordAdmin):
    exchange_table = "cancelled"
    department_field = "original_department"
    city_department_field = "original_department__counterpart"
    read_only_for_department_staff = ("plan", "original_department", "illustrative")
    list_display = [
        "sequence",
        "name",
        "sub_item",
        "original_department",
        "reason",
        "illustrative",
        "retired_on",
    ]
    list_display_links = ["name"]
    list_filter = [
        ("original_department", admin.RelatedOnlyFieldListFilter),
        "illustrative",
        "plan",
    ]
    list_select_related = ["original_department"]
    search_fields = ["name", "sub_item", "legal_basis", "reason"]
    autocomplete_fields = ["plan", "original_department"]
    readonly_fields = ["retired_on"]
    actions = [retire_selected]
