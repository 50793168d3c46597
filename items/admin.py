import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from devolution.admin import NoDeleteMixin, RegistryRecordAdmin, ScopedAdmin, truncated_column
from devolution.edit_conflicts import EditConflictAdminMixin
from devolution.exchange.admin import ExchangeAdminMixin
from devolution.exchange.errors import ExchangeError
from devolution.models import Department

from .adjustments import (
    FIELD_LABELS,
    accept_changes,
    add_change,
    approve,
    draft,
    field_changes,
    publish,
    reject,
    revise_change,
    submit,
    version_in_force,
    withdraw,
)
from .annex import draft_from_annex
from .models import (
    NATIONAL_CODE_FIELDS,
    Adjustment,
    AdjustmentChange,
    AdjustmentStep,
    CancelledApproval,
    ChangeKind,
    DevolvedItem,
    ItemKind,
    ListVersion,
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


def proposal_action(kind, description):
    """An admin action that drafts an adjustment of the selected items (rule 8: the list
    changes only by a published adjustment); the draft then goes to review."""

    @admin.action(description=description, permissions=["propose"])
    def action(modeladmin, request, queryset):
        try:
            adjustment = draft(f"{ChangeKind(kind).label}{queryset.count()}个事项", request.user)
            for item in queryset.current():
                add_change(adjustment, kind, item=item)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                modeladmin.message_user(request, message, messages.ERROR)
            return None
        url = reverse("admin:items_adjustment_change", args=[adjustment.pk])
        modeladmin.message_user(
            request,
            format_html('已起草<a href="{}">{}</a>，提交审核并公布后生效。', url, adjustment),
            messages.SUCCESS,
        )
        return None

    action.__name__ = f"propose_{kind}"
    return action


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
    # What a clerk needs at 1366 px: the name (with its sub-item) takes the room left, the
    # departments and status are cut at a few characters, the whole text on hover; the kind is
    # in the filters (it follows the power type), the annex's 序号 on the item's page.
    list_display = [
        "code",
        "item_name",
        "power_type",
        "city_department_column",
        "county_department_column",
        "status_column",
        "illustrative_column",
    ]
    list_display_links = ["code", "item_name"]
    item_name = truncated_column(str, "事项名称（子项）", ordering="name", fill=True)
    city_department_column = truncated_column(
        lambda item: item.city_department, "市直赋权部门", ordering="city_department"
    )
    county_department_column = truncated_column(
        lambda item: item.county_department, "县承接部门", ordering="county_department"
    )
    # "未交接（暂按原程序办理）" shows as 未交接; the parenthesis is in the title.
    status_column = truncated_column(
        lambda item: item.get_status_display(),
        "状态",
        ordering="status",
        short=lambda label: label.split("（")[0],
    )
    list_filter = [
        ("county_department", admin.RelatedOnlyFieldListFilter),
        "power_type",
        KindFilter,
        "status",
        "illustrative",
        "plan",
    ]
    list_select_related = ["city_department", "county_department"]
    search_fields = ["name", "sub_item", "code", "implementation_code", "legal_basis"]
    autocomplete_fields = ["plan", "city_department", "county_department", "provincial_system"]
    readonly_fields = ["kind", "status", "retired_on", "listed_from", "listed_until"]
    fieldsets = [
        (None, {"fields": ["plan", "sequence", "code", "name", "sub_item"]}),
        ("全国统一编码与赋权方式", {"fields": list(NATIONAL_CODE_FIELDS)}),
        (
            "权力",
            {"fields": ["power_type", "kind", "city_department", "county_department"]},
        ),
        (
            "依据与说明",
            {"fields": ["legal_basis", "provincial_system", "note", "illustrative"]},
        ),
        ("状态", {"fields": ["status", "retired_on", "listed_from", "listed_until"]}),
    ]
    actions = [
        proposal_action(ChangeKind.WITHDRAW, "起草动态调整：收回所选事项"),
        proposal_action(ChangeKind.RETIRE, "起草动态调整：退出所选事项"),
    ]

    def has_propose_permission(self, request):
        return request.user.has_perm("items.add_adjustment")

    @admin.display(description="示例", boolean=True, ordering="illustrative")
    def illustrative_column(self, item):
        return item.illustrative

    def get_list_filter(self, request):
        return [ListAsOfFilter, *super().get_list_filter(request)]

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


class ListAsOfFilter(admin.SimpleListFilter):
    """清单日期: the list as in force on a date (any YYYY-MM-DD in the URL, or a version)."""

    title = "清单日期"
    parameter_name = "as_of"

    def lookups(self, request, model_admin):
        return [
            (version.effective_on.isoformat(), f"{version.effective_on}（版本{version.number}）")
            for version in ListVersion.objects.order_by("-number")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            raise IncorrectLookupParameters("清单日期应为 YYYY-MM-DD。") from None
        return queryset.as_of(version_in_force(day))


@admin.register(ListVersion)
class ListVersionAdmin(admin.ModelAdmin):
    """Versions are made by publishing an adjustment, never by hand."""

    list_display = ["number", "doc_number", "title", "effective_on", "published_at", "published_by"]
    list_display_links = ["number", "doc_number"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdjustmentChangeInline(admin.TabularInline):
    model = AdjustmentChange
    fk_name = "adjustment"
    extra = 0
    fields = ["kind", "item", "values", "told", "linked", "note", "accepted"]
    readonly_fields = ["told"]

    @admin.display(description="变动内容")
    def told(self, change):
        if change.pk is None:
            return "—"
        if change.kind == ChangeKind.ADD:
            return change.item_name
        if not hasattr(self, "departments"):  # once per page (an inline serves one request)
            self.departments = dict(Department.objects.values_list("pk", "short_name"))
        fields = field_changes(change, self.departments)
        return "；".join(f"{f['field']}：{f['old']} → {f['new']}" for f in fields) or "—"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "values" in formset.form.base_fields:
            formset.form.base_fields["values"].help_text = "字段名：" + "，".join(
                f"{name}={label}" for name, label in FIELD_LABELS.items()
            )
        return formset

    autocomplete_fields = ["item"]
    raw_id_fields = ["linked"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Adjustment.Status.DRAFT:
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Adjustment.Status.DRAFT
            and super().has_add_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False


class AdjustmentStepInline(admin.TabularInline):
    model = AdjustmentStep
    extra = 0
    fields = ["action", "by", "at", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AdjustmentStepForm(forms.Form):
    action = forms.ChoiceField(label="办理", choices=[])
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    doc_number = forms.CharField(label="文号（公布时填写）", required=False, max_length=100)
    effective_on = forms.DateField(label="生效日期（公布时填写）", required=False)
    accept_all = forms.BooleanField(
        label="确认全部待确认的变动（如导入附件时缺少的事项）", required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = choices


class AnnexUploadForm(forms.Form):
    upload = forms.FileField(label="附件文件（.xlsx、.xls 或 .csv）")


# The steps the workflow page offers from each status: (action, label).
STEPS_FROM = {
    Adjustment.Status.DRAFT: [("submit", "提交审核"), ("withdraw", "撤回草稿")],
    Adjustment.Status.SUBMITTED: [
        ("approve", "审核通过"),
        ("reject", "退回"),
        ("accept", "仅确认变动"),
        ("withdraw", "撤回"),
    ],
    Adjustment.Status.APPROVED: [("publish", "公布")],
    Adjustment.Status.REJECTED: [("withdraw", "撤回")],
}


@admin.register(Adjustment)
class AdjustmentAdmin(ScopedAdmin):
    department_field = "department"
    city_department_field = "department"
    list_display = ["id", "title", "department", "status", "created_by", "created_at", "version"]
    list_display_links = ["id", "title"]
    list_filter = ["status"]
    list_select_related = ["department", "created_by", "version"]
    search_fields = ["title", "reason"]
    fields = [
        "title",
        "reason",
        "workflow",
        "department",
        "status",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "version",
    ]
    readonly_fields = fields[2:]
    inlines = [AdjustmentChangeInline, AdjustmentStepInline]
    change_list_template = "admin/items/adjustment/change_list.html"

    @admin.display(description="办理")
    def workflow(self, adjustment):
        if adjustment.pk is None or adjustment.status not in STEPS_FROM:
            return "—"
        url = reverse("admin:items_adjustment_step", args=[adjustment.pk])
        return format_html('<a class="button" href="{}">提交、审核、公布……</a>', url)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Adjustment.Status.DRAFT:
            return self.fields
        return self.readonly_fields

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("items.review_adjustment"):
            extra_context["annex_url"] = reverse("admin:items_adjustment_import_annex")
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        created = draft(obj.title, request.user, reason=obj.reason)
        obj.pk, obj.created_by, obj.created_at = created.pk, created.created_by, created.created_at
        obj.department, obj._state.adding = created.department, False

    def save_formset(self, request, form, formset, change):
        if formset.model is not AdjustmentChange:
            return super().save_formset(request, form, formset, change)
        changes = formset.save(commit=False)
        edited = {f.instance.pk: f.changed_data for f in formset.forms if f.instance.pk}
        for change_row in changes:
            try:
                if change_row.pk is not None:
                    if set(edited.get(change_row.pk, [])) - {"values", "accepted"}:
                        raise ValidationError("已加入的变动只能修改新值或是否确认。")
                    if "values" in edited.get(change_row.pk, []):
                        revise_change(change_row, change_row.values)
                    else:
                        accept_changes(
                            form.instance,
                            AdjustmentChange.objects.filter(pk=change_row.pk),
                            change_row.accepted,
                        )
                    continue
                add_change(
                    form.instance,
                    change_row.kind,
                    item=change_row.item,
                    values=change_row.values,
                    note=change_row.note,
                    linked=change_row.linked,
                    accepted=change_row.accepted,
                )
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", [str(error)]):
                    self.message_user(request, f"变动未加入：{message}", messages.ERROR)

    def get_urls(self):
        return [
            path(
                "import-annex/",
                self.admin_site.admin_view(self.annex_view),
                name="items_adjustment_import_annex",
            ),
            path(
                "<int:pk>/step/",
                self.admin_site.admin_view(self.step_view),
                name="items_adjustment_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk):
        """The workflow page: submit, approve or reject (another person), publish."""
        adjustment = self.get_object(request, str(pk))
        if adjustment is None or not self.has_view_permission(request, adjustment):
            raise PermissionDenied
        choices = STEPS_FROM.get(adjustment.status, [])
        form = AdjustmentStepForm(request.POST or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                self.take_step(request, adjustment, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", [str(error)]):
                    form.add_error(None, message)
            else:
                return redirect("admin:items_adjustment_change", adjustment.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"办理：{adjustment}",
            "opts": self.model._meta,
            "adjustment": adjustment,
            "changes": adjustment.changes.select_related("item"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/items/adjustment/step.html", context)

    def annex_view(self, request):
        """整表导入附件: the whole annex becomes a draft (items/annex.py); the office's only."""
        if not request.user.has_perm("items.review_adjustment"):
            raise PermissionDenied
        form = AnnexUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["upload"]
            try:
                adjustment = draft_from_annex(upload.read(), upload.name, request.user)
            except (ValidationError, ExchangeError) as error:
                for message in getattr(error, "messages", [str(error)])[:50]:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    "已生成调整草稿：请逐项或全部确认附件中没有的事项是否收回或退出，再提交审核。",
                    messages.SUCCESS,
                )
                return redirect("admin:items_adjustment_change", adjustment.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "整表导入附件，生成动态调整草稿",
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/items/adjustment/import_annex.html", context)

    def take_step(self, request, adjustment, data):
        by, note, action = request.user, data["note"], data["action"]
        if data["accept_all"]:
            accept_changes(adjustment, adjustment.changes.filter(accepted=False))
        if action == "submit":
            submit(adjustment, by, note)
        elif action == "approve":
            approve(adjustment, by, note)
        elif action == "reject":
            reject(adjustment, by, note)
        elif action == "withdraw":
            withdraw(adjustment, by, note)
        elif action == "publish":
            if data["effective_on"] is None:
                raise ValidationError("公布须填写生效日期。")
            version = publish(adjustment, by, data["doc_number"], data["effective_on"])
            self.message_user(request, f"已公布为{version}。", messages.SUCCESS)
            return
        self.message_user(request, "已办理。", messages.SUCCESS)
