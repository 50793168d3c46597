from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, DepartmentStaff, Holiday, Plan


class NoDeleteMixin:
    """Registry records are retired or closed, never deleted: the admin offers no delete."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class RegistryRecordAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Admin for a record whose every change is kept in its history."""

    list_per_page = 50
    show_full_result_count = False


@admin.register(Plan)
class PlanAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = [
        "doc_number",
        "title",
        "issued_on",
        "published_on",
        "parent_doc_number",
    ]
    search_fields = ["doc_number", "title"]
    date_hierarchy = "issued_on"


@admin.register(Department)
class DepartmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["short_name", "full_name", "level", "counterpart", "contact_email"]
    list_filter = ["level"]
    list_select_related = ["counterpart"]
    search_fields = ["full_name", "short_name"]
    autocomplete_fields = ["counterpart"]
    readonly_fields = ["prefixed_short_name"]

    @admin.display(description="带县市前缀的简称")
    def prefixed_short_name(self, department):
        return department.prefixed_short_name


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_filter = [("department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "department__short_name", "department__full_name"]
    autocomplete_fields = ["user", "department"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    """Official holidays and make-up working days for years chinesecalendar does not know yet."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
