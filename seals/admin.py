from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from devolution.admin import DeadlineAdminMixin, RegistryRecordAdmin, ScopedAdmin, truncated_column
from devolution.exchange.admin import ExchangeAdminMixin
from devolution.models import department_of
from items.admin import item_page_inline
from items.models import ItemKind

from .forms import (
    ApprovalTransferForm,
    BureauSealForm,
    CustodyStepForm,
    SealCustodyEventForm,
    SealUsageForm,
)
from .models import ApprovalTransfer, Seal, SealCustodyEvent, SealStatus, SealUsage
from .reports import stamping_report
from .services import (
    advance_seal,
    advance_seals,
    engrave_bureau_seal,
    steps_recorded_by,
    transfer_approval_power,
)


def custody_step_action(step):
    def action(modeladmin, request, queryset):
        return modeladmin.record_step(request, queryset, step)

    action.__name__ = f"record_{step.value}"
    return admin.action(
        description=f"登记“{step.label}”（填写日期和经办人）", permissions=["change"]
    )(action)


class ReadOnlyInline(admin.TabularInline):
    """Rows recorded elsewhere (by the custody actions, in the register), shown, never edited."""

    extra = 0
    can_delete = False
    related = ()

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SealCustodyEventInline(ReadOnlyInline):
    """The seal's whole custody history."""

    model = SealCustodyEvent
    fields = ["step", "happened_on", "person", "note", "recorded_at"]
    ordering = ["happened_on", "id"]
    related = ["seal"]


class EnablementFilter(admin.SimpleListFilter):
    title = "启用情况"
    parameter_name = "enablement"

    def lookups(self, request, model_admin):
        return [
            ("not_yet", "尚未启用"),
            ("enabled", "已启用"),
            ("sealed_away", "已收回封存"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "not_yet":
            return queryset.not_yet_enabled()
        if self.value() in ("enabled", "sealed_away"):
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Seal)
class SealAdmin(ExchangeAdminMixin, DeadlineAdminMixin, RegistryRecordAdmin):
    exchange_table = "seals"
    department_field = "holder"
    city_department_field = "issuer"
    # The bureau's seal serves the whole county: every county department reads it.
    county_wide = Q(county_wide=True)
    change_list_template = "admin/seals/seal/change_list.html"
    deadline_field = "delivery_due_on"
    deadline_done = ~Q(status=SealStatus.ENGRAVED)
    # At 1366 px the name takes the room left (it names the issuer), the kind is shown short,
    # departments and status are cut at a few characters, the whole text on hover; the issuer
    # and the plan are in the filters and on the seal's page.
    list_display = [
        "seal_name",
        "short_kind",
        "holder_column",
        "status_column",
        "stamp_count",
        "delivery_due_on",
        "days_overdue",
    ]
    list_display_links = ["seal_name"]
    seal_name = truncated_column(str, "印章名称", ordering="name", fill=True)
    holder_column = truncated_column(lambda seal: seal.holder, "保管使用部门", ordering="holder")
    status_column = truncated_column(
        lambda seal: seal.get_status_display(), "状态", ordering="status"
    )

    @admin.display(description="类别", ordering="kind")
    def short_kind(self, seal):
        return ItemKind(seal.kind).label

    list_filter = [
        EnablementFilter,
        ("holder", admin.RelatedOnlyFieldListFilter),
        ("issuer", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
    ]
    list_select_related = ["issuer", "holder", "plan"]
    search_fields = ["name", "issuer__short_name", "holder__short_name"]
    autocomplete_fields = ["plan", "issuer", "holder"]
    fields = ["plan", "name", "kind", "issuer", "holder", "status", "delivery_due_on", "note"]
    inlines = [SealCustodyEventInline]
    actions = [
        custody_step_action(step)
        for step in [
            SealStatus.ENGRAVED,
            SealStatus.DELIVERED,
            SealStatus.DISTRIBUTED,
            SealStatus.ENABLED,
            SealStatus.SEALED_AWAY,
        ]
    ]

    def has_change_permission(self, request, obj=None):
        # The county-wide seal is the reform office's to keep, not one department's.
        if obj is not None and obj.county_wide and department_of(request.user) is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_actions(self, request):
        # A department's staff are offered only the custody steps of their side.
        actions = super().get_actions(request)
        steps = steps_recorded_by(department_of(request.user))
        for step in SealStatus:
            if step not in steps:
                actions.pop(f"record_{step.value}", None)
        return actions

    def get_queryset(self, request):
        # The aggregate drops the model's default ordering; pages and autocomplete need one.
        return (
            super()
            .get_queryset(request)
            .annotate(stamp_count=Count("usages"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description="用印次数", ordering="stamp_count")
    def stamp_count(self, seal):
        return seal.stamp_count

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the custody steps; what a seal is never changes.
        if obj is None:
            return ["status", "delivery_due_on"]
        return ["plan", "name", "kind", "issuer", "holder", "status", "delivery_due_on"]

    def changelist_view(self, request, extra_context=None):
        may_switch = department_of(request.user) is None and self.has_change_permission(request)
        extra_context = {**(extra_context or {}), "may_switch_to_bureau": may_switch}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Recording a stamp offers only seals that can stamp.
        if request.GET.get("model_name") == "sealusage" and request.GET.get("field_name") == "seal":
            queryset = queryset.enabled()
        return queryset, may_have_duplicates

    def record_step(self, request, queryset, step):
        """The intermediate page of a custody action: a date and a person for every selected
        seal; the whole batch is recorded, or none of it."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if step not in steps_recorded_by(department_of(request.user)):
            raise PermissionDenied
        if department_of(request.user) is not None:
            queryset = queryset.filter(county_wide=False)
        seals = list(queryset.select_related("holder").order_by("pk"))
        form = CustodyStepForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                advance_seals(seals, step, data["happened_on"], data["person"], data["note"])
            except ValidationError as error:
                for refusal in error.messages:
                    self.message_user(request, refusal, messages.ERROR)
                self.message_user(
                    request,
                    f"未登记任何“{step.label}”：请只选择可以进入该环节的印章。",
                    messages.WARNING,
                )
                return None
            self.message_user(
                request, f"已为 {len(seals)} 枚印章登记“{step.label}”。", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"登记“{step.label}”",
            "opts": self.model._meta,
            "seals": seals,
            "form": form,
            "action_name": request.POST.get("action"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/seals/seal/custody_step.html", context)

    def get_urls(self):
        return [
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="seals_seal_report",
            ),
            path(
                "approval-bureau/",
                self.admin_site.admin_view(self.approval_bureau_view),
                name="seals_seal_approval_bureau",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """用印统计 (seals/reports.py) over the seals this user reaches."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "用印统计",
            "opts": self.model._meta,
            **stamping_report(
                self.get_queryset(request), timezone.localdate(), department_of(request.user)
            ),
        }
        return TemplateResponse(request, "admin/seals/seal/report.html", context)

    def approval_bureau_view(self, request):
        """盘锦市行政审批局: its county-wide approval seal, and the city departments whose
        approval power moved to it, each on its own date; the reform office's step."""
        if department_of(request.user) is not None or not self.has_change_permission(request):
            raise PermissionDenied
        posted = request.POST.get("step") if request.method == "POST" else None
        seal_form = BureauSealForm(request.POST if posted == "seal" else None, prefix="seal")
        transfer_form = ApprovalTransferForm(
            request.POST if posted == "transfer" else None, prefix="transfer"
        )
        form = {"seal": seal_form, "transfer": transfer_form}.get(posted)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if posted == "seal":
                    seal = engrave_bureau_seal(
                        data["plan"],
                        data["happened_on"],
                        data["person"],
                        data["number"],
                        data["note"],
                    )
                    done = f"已登记「{seal}」（县统一使用）。"
                else:
                    departments = list(data["city_departments"])
                    sealed = transfer_approval_power(
                        departments, data["happened_on"], data["person"], data["note"]
                    )
                    names = "、".join(str(d) for d in departments)
                    done = f"已登记{names}审批权划转，收回封存其审批专用章 {len(sealed)} 枚。"
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:seals_seal_approval_bureau")
        context = {
            **self.admin_site.each_context(request),
            "title": "市行政审批局审批专用章与审批权划转",
            "opts": self.model._meta,
            "seal_form": seal_form,
            "transfer_form": transfer_form,
            "transfers": ApprovalTransfer.objects.select_related("city_department"),
            "bureau_seals": Seal.objects.filter(county_wide=True).select_related("plan"),
            "media": self.media + seal_form.media,
        }
        return TemplateResponse(request, "admin/seals/seal/approval_bureau.html", context)


@admin.register(SealCustodyEvent)
class SealCustodyEventAdmin(ScopedAdmin):
    """Custody steps are added through advance_seal, like the actions on the seals; a recorded
    step is never edited."""

    department_field = "seal__holder"
    city_department_field = "seal__issuer"
    form = SealCustodyEventForm
    list_display = ["seal", "step", "happened_on", "person", "recorded_at"]
    list_filter = ["step"]
    list_select_related = ["seal"]
    search_fields = ["seal__name", "person", "note"]
    autocomplete_fields = ["seal"]
    date_hierarchy = "happened_on"

    def has_change_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"department": department_of(request.user)})

    def save_model(self, request, obj, form, change):
        event = advance_seal(obj.seal, obj.step, obj.happened_on, obj.person, obj.note)
        obj.pk, obj.recorded_at = event.pk, event.recorded_at
        obj._state.adding = False


@admin.register(SealUsage)
class SealUsageAdmin(RegistryRecordAdmin):
    # The stamps are the county department's own (with its own seal or the county-wide one; the
    # rules make the item's department the seal's holder): a city department reaches none.
    department_field = "item__county_department"
    form = SealUsageForm
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Any seal and item may be posted: the form and the stamping rules then refuse what is
        # not the clerk's in Chinese, naming the rule, instead of a bare "invalid choice". The
        # autocomplete widgets still offer only the clerk's own.
        if db_field.name in ("seal", "item"):
            kwargs.setdefault("queryset", db_field.related_model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"department": department_of(request.user)})


@item_page_inline
class ItemSealUsageInline(ReadOnlyInline):
    """An item's stamps on its own page."""

    model = SealUsage
    verbose_name_plural = "用印记录"
    fields = ["stamped_on", "seal", "document_reference", "applicant", "stamped_by", "route"]
    ordering = ["-stamped_on", "-id"]
    related = ["seal", "item"]
