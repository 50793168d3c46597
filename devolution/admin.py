from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import admin_chinese, workdays
from .edit_conflicts import EditConflictAdminMixin
from .exchange.admin import ExchangeAdminMixin
from .exchange.engine import TABLES
from .models import (
    Department,
    DepartmentStaff,
    Holiday,
    ImportRecord,
    Plan,
    department_of,
    reach_paths,
    within_reach,
)


def truncated_column(text_of, description, ordering=None, fill=False, short=None):
    """A changelist column whose long text is cut with an ellipsis (admin.css, `.truncate`),
    the whole text in its title, shown on hover. A `fill` column (the name) takes the room the
    others leave; the others are cut at a few characters. `short` may shorten the text shown
    (the title keeps it whole)."""

    css = "truncate fill" if fill else "truncate"

    @admin.display(description=description, ordering=ordering)
    def column(self, record):
        text = str(text_of(record) or "")
        if not text:
            return "-"
        shown = short(text) if short else text
        return format_html('<span class="{}" title="{}">{}</span>', css, text, shown)

    return column


class NoDeleteMixin:
    """Registry records are retired or closed, never deleted: the admin offers no delete."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class DepartmentScopedMixin:
    """Confines a department's staff to their own department's records, by every admin path.

    `department_field` is the lookup from the model to the county department that receives a
    record (e.g. "county_department", "holder", "handover__county_department");
    `city_department_field` the lookup to the city department that gives it ("issuer",
    "city_department"), or None when city departments' staff reach no such record. Either may be
    a tuple of lookups, any of which reaches. Lists, search, autocomplete and exports read
    `get_queryset`; object pages and history check the object; foreign-key choices come from
    the related admin's own scoped queryset, so a clerk can neither pick nor post another
    department's record.
    """

    department_field = None
    city_department_field = None
    # Records every county department reads (a Q), such as the seal the whole county uses.
    county_wide = None
    # Facts a department's own staff may read but not change: they are set by the other side,
    # the reform office or the annex, and rules (seal kinds, deadlines, status) rest on them.
    read_only_for_department_staff = ()
    read_only_for_city_staff = ()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        department = self.confined_department(request)
        # On an existing record; a new one gets its choices from the scoped querysets instead.
        if obj is not None and department is not None:
            fixed = (
                self.read_only_for_city_staff
                if department.level == Department.Level.CITY
                else self.read_only_for_department_staff
            )
            fields += [f for f in fixed if f not in fields]
        return fields

    def confined_department(self, request):
        scoped = self.department_field or self.city_department_field
        return department_of(request.user) if scoped else None

    def get_queryset(self, request):
        return within_reach(
            super().get_queryset(request),
            self.confined_department(request),
            self.department_field,
            self.city_department_field,
            self.county_wide,
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.confined_department(request) is not None:
            # Guessing another department's id is refused outright, not redirected.
            field = from_field or self.model._meta.pk.attname
            try:
                if self.model._default_manager.filter(**{field: object_id}).exists():
                    raise PermissionDenied
            except (ValueError, ValidationError):
                pass
        return obj

    def is_within_reach(self, request, obj):
        department = self.confined_department(request)
        if department is None or obj is None:
            return True
        paths = reach_paths(department, self.department_field, self.city_department_field)
        if any(department_id_of(obj, path) == department.pk for path in paths):
            return True
        return (
            self.county_wide is not None
            and department.level == Department.Level.COUNTY
            and self.model._default_manager.filter(self.county_wide, pk=obj.pk).exists()
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.is_within_reach(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_within_reach(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, DepartmentScopedMixin) and "queryset" not in kwargs:
            kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def department_id_of(obj, path):
    """Follow a "handover__county_department" style path on an instance to a department id
    ("pk" when the instance is the department itself)."""
    if path == "pk":
        return obj.pk
    *relations, last = path.split("__")
    for name in relations:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class RegistryRecordAdmin(
    EditConflictAdminMixin, DepartmentScopedMixin, NoDeleteMixin, SimpleHistoryAdmin
):
    """Admin for a record whose every change is kept in its history; a save made on a page
    opened before someone else's change is refused (edit_conflicts)."""

    list_per_page = 50
    show_full_result_count = False


class ScopedAdmin(DepartmentScopedMixin, NoDeleteMixin, admin.ModelAdmin):
    """Admin for a department's record that keeps no history of its own."""


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
class DepartmentAdmin(ExchangeAdminMixin, DepartmentScopedMixin, NoDeleteMixin, admin.ModelAdmin):
    exchange_table = "departments"
    list_display = [
        "short_name",
        "full_name",
        "level",
        "counterpart",
        "names_confirmed",
        "is_approval_bureau",
        "founded_on",
        "contact_email",
    ]
    list_filter = ["level", "names_confirmed", "is_approval_bureau"]
    actions = ["confirm_names"]
    list_select_related = ["counterpart"]
    search_fields = ["full_name", "short_name"]
    autocomplete_fields = ["counterpart"]
    readonly_fields = ["prefixed_short_name"]
    department_field = city_department_field = "pk"
    read_only_for_department_staff = read_only_for_city_staff = (
        "full_name",
        "short_name",
        "level",
        "counterpart",
        "names_confirmed",
        "is_approval_bureau",
        "founded_on",
        "sort_order",
    )

    @admin.action(
        description="确认所选部门的全称和对口部门（去掉“待核实”）", permissions=["confirm"]
    )
    def confirm_names(self, request, queryset):
        confirmed = queryset.filter(names_confirmed=False).update(names_confirmed=True)
        self.message_user(request, f"已确认 {confirmed} 个部门的全称和对口部门。")

    def has_confirm_permission(self, request):
        # The reform office's to confirm: a department's own staff cannot vouch for the facts.
        return department_of(request.user) is None and self.has_change_permission(request)

    def get_queryset(self, request):
        # Staff see their own department and the departments of the other side they deal with.
        queryset = super(DepartmentScopedMixin, self).get_queryset(request)
        return queryset.visible_to(self.confined_department(request))

    def is_within_reach(self, request, obj):
        # Reading reaches the other side's departments too; changing only their own (below).
        department = self.confined_department(request)
        return super().is_within_reach(request, obj) or obj.level != department.level

    def has_change_permission(self, request, obj=None):
        # Staff may read the city departments but change only their own.
        department = self.confined_department(request)
        if department is not None and obj is not None and obj.pk != department.pk:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="带县市前缀的简称")
    def prefixed_short_name(self, department):
        return department.prefixed_short_name


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    department_field = city_department_field = "department"
    list_display = ["user", "department"]
    list_filter = [("department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "department__short_name", "department__full_name"]
    autocomplete_fields = ["user", "department"]


class ImportTableFilter(admin.SimpleListFilter):
    title = "类别"
    parameter_name = "table"

    def lookups(self, request, model_admin):
        return [(name, table.label) for name, table in TABLES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(table=self.value()) if self.value() else queryset


@admin.register(ImportRecord)
class ImportRecordAdmin(ScopedAdmin):
    """Every import, read-only: who, when, which file, what it found and whether it was written."""

    # A department's staff see the imports made by their department's staff.
    department_field = city_department_field = "user__department_staff__department"

    list_display = [
        "created_at",
        "table_label",
        "file_name",
        "user",
        "status_column",
        "rows",
        "new_count",
        "changed_count",
        "unchanged_count",
        "error_count",
    ]
    list_filter = [ImportTableFilter, "status"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    exclude = ["upload"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # An import of a table that changes only by a reviewed adjustment (rule 8) names the
        # draft it made (Adjustment.source_import), read with the page in one more query.
        return super().get_queryset(request).prefetch_related("drafted_adjustments")

    @admin.display(description="状态", ordering="status")
    def status_column(self, record):
        """已生成草稿, linking to the draft, until it is published (then 已导入)."""
        drafted = list(record.drafted_adjustments.all())
        if record.status != ImportRecord.Status.DRAFTED or not drafted:
            return record.get_status_display()
        adjustment = drafted[0]
        url = reverse(
            f"admin:{adjustment._meta.app_label}_{adjustment._meta.model_name}_change",
            args=[adjustment.pk],
        )
        return format_html(
            '{}：<a href="{}">{}</a>（{}）',
            record.get_status_display(),
            url,
            f"#{adjustment.pk}",
            adjustment.get_status_display(),
        )

    @admin.display(description="类别", ordering="table")
    def table_label(self, record):
        # The record keeps the table's code name ("items"); the clerk reads its label.
        table = TABLES.get(record.table)
        return table.label if table else record.table


@admin.register(Holiday)
class HolidayAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Official holidays and make-up working days for years chinesecalendar does not know yet."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"


# Third-party screens (users, groups, django-axes) with their English parts in Chinese.
admin_chinese.register(admin.site)
