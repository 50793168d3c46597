from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import workdays
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


class DeadlineFilter(admin.SimpleListFilter):
    """逾期 / 3个工作日内到期 / 已完成, for an admin using DeadlineAdminMixin."""

    title = "期限"
    parameter_name = "deadline"
    SOON_WORKDAYS = 3

    def lookups(self, request, model_admin):
        return [
            ("overdue", "逾期"),
            ("due_soon", f"{self.SOON_WORKDAYS}个工作日内到期"),
            ("done", "已完成"),
        ]

    def queryset(self, request, queryset):
        field, done = self.model_admin_deadline
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.exclude(done).filter(**{f"{field}__lt": today})
        if self.value() == "due_soon":
            until = workdays.add_workdays(today, self.SOON_WORKDAYS)
            return queryset.exclude(done).filter(**{f"{field}__range": (today, until)})
        if self.value() == "done":
            return queryset.filter(done)
        return queryset


class DeadlineAdminMixin:
    """Shows a record's derived due date with its working days overdue, and filters by them.

    Set `deadline_field` (the due date) and `deadline_done` (a Q: the work is done). The page
    shares one working-day calendar, so the column costs no query per row.
    """

    deadline_field = None
    deadline_done = None

    def get_list_filter(self, request):
        deadline = (self.deadline_field, self.deadline_done)
        bound = type("BoundDeadlineFilter", (DeadlineFilter,), {"model_admin_deadline": deadline})
        return [bound, *super().get_list_filter(request)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(deadline_is_done=ExpressionWrapper(self.deadline_done, BooleanField()))
        )

    def changelist_view(self, request, extra_context=None):
        with workdays.shared_calendar():
            response = super().changelist_view(request, extra_context)
            # The rows are rendered here, while the shared calendar is current.
            if hasattr(response, "render"):
                response.render()
        return response

    @admin.display(description="逾期（工作日）")
    def days_overdue(self, record):
        due_on = getattr(record, self.deadline_field)
        today = timezone.localdate()
        if due_on is None or record.deadline_is_done or due_on >= today:
            return "-"
        return workdays.workdays_between(due_on, today)


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
