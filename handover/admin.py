from django.contrib import admin, messages
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from devolution import workdays
from devolution.admin import DeadlineAdminMixin, RegistryRecordAdmin
from devolution.exchange.admin import ExchangeAdminMixin
from devolution.models import Department, department_of

from . import views
from .deadlines import open_flags_by_department, scan_deadlines
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
from .notices import escalation_workdays, supervision_unreachable, unreachable_departments
from .status import last_scanned_at
from .tasks import enqueue_flag_deadlines


class HandoverExclusionInline(admin.TabularInline):
    model = HandoverExclusion
    extra = 0
    can_delete = False
    autocomplete_fields = ["item"]


def check_deadlines(request):
    """Queue a scan; if the queue is unreachable, say so and scan here instead of failing."""
    if enqueue_flag_deadlines():
        messages.success(request, "已提交逾期检查，结果见“逾期一览”。")
        return
    result = scan_deadlines(timezone.localdate())
    messages.warning(request, f"任务队列暂不可用，已直接检查：{result}。")


def may_scan(request):
    """The scan opens flags and e-mails every department: the reform office's to start."""
    return request.user.has_perm("handover.change_deadlineflag")


class ScanPermissionMixin:
    def has_scan_permission(self, request):
        return may_scan(request)


@admin.action(description="立即检查逾期", permissions=["scan"])
def check_deadlines_now(modeladmin, request, queryset):
    check_deadlines(request)


@admin.register(Handover)
class HandoverAdmin(
    ScanPermissionMixin, ExchangeAdminMixin, DeadlineAdminMixin, RegistryRecordAdmin
):
    exchange_table = "handovers"
    department_field = "county_department"
    city_department_field = "city_department"
    deadline_field = "due_on"
    deadline_done = Q(completed_on__isnull=False)
    actions = [check_deadlines_now]
    list_display = [
        "city_department",
        "county_department",
        "due_on",
        "days_overdue",
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
    fields = ["item", "mode", "starts_on", "ends_on", "note"]


@admin.register(TrainingPeriod)
class TrainingPeriodAdmin(ScanPermissionMixin, DeadlineAdminMixin, RegistryRecordAdmin):
    department_field = "handover__county_department"
    city_department_field = "handover__city_department"
    deadline_field = "ends_on"
    deadline_done = Q(confirmed_on__isnull=False)
    actions = [check_deadlines_now]
    list_display = [
        "handover",
        "starts_on",
        "months",
        "ends_on",
        "days_overdue",
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
    # The city department sets the period (四(四)); the county staff it binds confirm that they
    # can exercise the items alone (接得住) — the city cannot declare that for them.
    read_only_for_department_staff = ("handover", "starts_on", "months")
    read_only_for_city_staff = ("handover", "confirmed_on", "confirmed_by")
    inlines = [TrainingExtensionInline, TrainingAssistanceInline]


@admin.register(ProvincialPort)
class ProvincialPortAdmin(RegistryRecordAdmin):
    department_field = "county_department"
    city_department_field = "city_department"
    # A deadline for a port is the reform office's to set (the notice sets none).
    read_only_for_city_staff = read_only_for_department_staff = ("due_on",)
    list_display = [
        "county_department",
        "city_department",
        "system",
        "requested_on",
        "opened_on",
    ]
    list_filter = [
        ("county_department", admin.RelatedOnlyFieldListFilter),
        ("city_department", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["county_department", "city_department", "system"]
    search_fields = ["system__name", "county_department__short_name", "city_department__short_name"]
    autocomplete_fields = ["county_department", "city_department", "system"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        department = self.confined_department(request)
        city = department is not None and department.level == Department.Level.CITY
        if db_field.name == "county_department" and city:
            # A city department arranges ports only for the county departments it gave items.
            kwargs["queryset"] = Department.objects.filter(
                devolved_items__city_department=department
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ForwardedDocument)
class ForwardedDocumentAdmin(RegistryRecordAdmin):
    department_field = "responsible_department"
    city_department_field = "forwarded_by"
    # The county department records its feedback; what was asked and by when is the city's.
    read_only_for_department_staff = (
        "reference",
        "title",
        "classified",
        "forwarded_by",
        "responsible_department",
        "received_on",
        "forward_due_on",
        "passed_on",
        "feedback_required",
        "feedback_due_on",
    )
    read_only_for_city_staff = ("feedback_sent_on", "feedback_content", "feedback_to")
    list_display = [
        "reference",
        "shown_title",
        "classified",
        "forwarded_by",
        "responsible_department",
        "forward_due_on",
        "passed_on",
        "feedback_due_on",
        "feedback_sent_on",
    ]
    list_filter = [("responsible_department", admin.RelatedOnlyFieldListFilter), "classified"]
    list_select_related = ["forwarded_by", "responsible_department"]
    search_fields = ["reference", "title"]

    @admin.display(description="标题")
    def shown_title(self, document):
        # Only those who reach the document see this list; the mark says to keep it close.
        return f"{document.title}（保密）" if document.classified else document.title

    autocomplete_fields = ["forwarded_by", "responsible_department"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        department = self.confined_department(request)
        if department is not None and "forwarded_by" in form.base_fields:
            # A city department records the documents it forwards itself: blank (the city
            # government office) would put the record out of its own reach.
            field = form.base_fields["forwarded_by"]
            field.required, field.initial = True, department.pk
            field.help_text = "本部门转发的文件；市政府办公室转发的由县编委办登记。"
        return form


@admin.register(DeadlineFlag)
class DeadlineFlagAdmin(ScanPermissionMixin, RegistryRecordAdmin):
    # Both sides of the flagged record see it; `department` says which side owes the work.
    department_field = "county_department"
    city_department_field = "city_department"
    actions = [check_deadlines_now]
    change_list_template = "admin/handover/deadlineflag/change_list.html"
    list_display = [
        "deadline",
        "department",
        "county_department",
        "city_department",
        "due_on",
        "found_on",
        "resolved_on",
        "notice_state",
        "escalated_at",
        "content_type",
    ]
    list_filter = [
        "deadline",
        ("department__level", admin.ChoicesFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
        "resolved_on",
    ]
    list_select_related = ["department", "county_department", "city_department", "content_type"]
    search_fields = ["department__short_name", "department__full_name"]
    readonly_fields = [
        "deadline",
        "content_type",
        "object_id",
        "department",
        "county_department",
        "city_department",
        "due_on",
        "found_on",
        "resolved_on",
        "notice_state",
        "notified_at",
        "notified_to",
        "last_notified_at",
        "notices_sent",
        "next_notice_on",
        "escalated_at",
        "escalated_to",
    ]

    def has_add_permission(self, request):
        # Flags are raised by the deadline scan, never typed in.
        return False

    @admin.display(description="通知情况")
    def notice_state(self, flag):
        return flag.notice_state

    def get_urls(self):
        return [
            path(
                "overdue/",
                self.admin_site.admin_view(self.overdue_view),
                name="handover_deadlineflag_overdue",
            ),
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="handover_deadlineflag_check",
            ),
            *super().get_urls(),
        ]

    def overdue_view(self, request):
        """逾期一览 for the reform office: open flags by department and deadline, oldest first."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        today = timezone.localdate()
        own = department_of(request.user)
        with workdays.shared_calendar():
            sides = open_flags_by_department(today, department=own, side=request.GET.get("side"))
        context = {
            "unreachable": list(unreachable_departments(own)),
            # The reform office's to fix; a department's staff are not told of supervision.
            "supervision_unreachable": own is None and supervision_unreachable(today),
            "escalation_workdays": escalation_workdays(),
            **self.admin_site.each_context(request),
            "title": "逾期一览",
            "opts": self.model._meta,
            "sides": sides,
            "side": request.GET.get("side", ""),
            "today": today,
            "scanned_at": last_scanned_at(),
            "can_check": may_scan(request),
        }
        return TemplateResponse(request, "admin/handover/deadlineflag/overdue.html", context)

    def check_view(self, request):
        if request.method == "POST" and may_scan(request):
            check_deadlines(request)
        return redirect(reverse("admin:handover_deadlineflag_overdue"))
