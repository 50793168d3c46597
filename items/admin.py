import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from devolution.admin import NoDeleteMixin, RegistryRecordAdmin, ScopedAdmin, truncated_column
from devolution.edit_conflicts import EditConflictAdminMixin
from devolution.exchange.admin import ExchangeAdminMixin
from devolution.exchange.errors import ExchangeError
from devolution.models import Department
from devolution.moments import local_minute

from .adjustments import (
    EFFECTIVE_DATE_REQUIRED,
    FIELD_LABELS,
    STEPS_FROM,
    accept_changes,
    add_cancelled_retirement,
    add_change,
    added_fields,
    approve,
    draft,
    field_changes,
    publish,
    raw_values,
    reject,
    revise_change,
    save_draft_row,
    steps_for,
    submit,
    version_in_force,
    withdraw,
)
from .annex import draft_from_annex
from .models import (
    NATIONAL_CODE_FIELDS,
    VERSIONED_FIELDS,
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
from .search import search_items


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


def tell_drafted(modeladmin, request, adjustment):
    url = reverse("admin:items_adjustment_change", args=[adjustment.pk])
    modeladmin.message_user(
        request,
        format_html('已加入<a href="{}">{}</a>（草稿），提交审核并公布后生效。', url, adjustment),
        messages.SUCCESS,
    )


def tell_refused(modeladmin, request, error):
    for message in getattr(error, "messages", [str(error)]):
        modeladmin.message_user(request, message, messages.ERROR)


def proposal_action(kind, description, add=None):
    """An admin action that drafts an adjustment of the selected records (rule 8: the list
    changes only by a published adjustment); the draft then goes to review. `add(adjustment,
    record)` adds one record's change (by default the item's change of `kind`)."""
    add = add or (lambda adjustment, item: add_change(adjustment, kind, item=item))

    @admin.action(description=description, permissions=["propose"])
    def action(modeladmin, request, queryset):
        try:
            with transaction.atomic():
                records = list(queryset.current())
                adjustment = draft(f"{ChangeKind(kind).label}{len(records)}个事项", request.user)
                for record in records:
                    add(adjustment, record)
        except (ValidationError, PermissionDenied) as error:
            tell_refused(modeladmin, request, error)
            return None
        tell_drafted(modeladmin, request, adjustment)
        return None

    action.__name__ = f"propose_{kind}"
    return action


# The fields a proposal (提出调整) may set: the public fields of a list version. The 示例数据
# mark is the annex import's to clear, not typed in.
PROPOSED_FIELDS = [name for name in VERSIONED_FIELDS if name != "illustrative"]


class DraftChoiceForm(forms.Form):
    """The draft a proposal goes into: one of the user's own, or a new one."""

    adjustment = forms.ModelChoiceField(
        label="加入调整草稿",
        queryset=Adjustment.objects.none(),
        required=False,
        empty_label="新起草一份调整",
    )
    title = forms.CharField(
        label="调整事由（新起草时填写）",
        max_length=300,
        required=False,
        help_text="不填则按变动内容命名。",
    )
    # Not `note`: an item has a field of that name.
    change_note = forms.CharField(
        label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adjustment"].queryset = drafts


class ProposalForm(DraftChoiceForm, forms.ModelForm):
    """提出调整: an item's public fields as proposed, validated as the item would be (codes
    unique, departments differ), and the draft they go into. Saves nothing itself."""

    class Meta:
        model = DevolvedItem
        fields = ["plan", *PROPOSED_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # An item stays in its plan; the field stays on the form (disabled) so that the
            # plan's unique codes are checked.
            self.fields["plan"].disabled = True

    def proposed_values(self):
        """The proposed fields as an adjustment stores them (a department by its id)."""
        values = {}
        for name in PROPOSED_FIELDS:
            value = self.cleaned_data.get(name)
            values[name] = value.pk if hasattr(value, "pk") else value
        if self.instance.pk is None:
            values["plan"] = self.cleaned_data["plan"].pk
        return values


PART_SEPARATORS = ("｜", "|")


class SplitForm(DraftChoiceForm):
    parts_text = forms.CharField(
        label="拆分后的事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个：事项名称｜子项名称｜事项编码（子项名称、编码可空）。其余内容沿用原事项。",
    )

    def parts(self):
        return self.cleaned_data["parts_text"]

    def clean_parts_text(self):
        parts = []
        for line in self.cleaned_data["parts_text"].splitlines():
            if not line.strip():
                continue
            for separator in PART_SEPARATORS:
                line = line.replace(separator, "|")
            name, sub_item, code = ([*line.split("|"), "", ""])[:3]
            if not name.strip():
                raise ValidationError(f"“{line}”没有事项名称。")
            parts.append({"name": name.strip(), "sub_item": sub_item.strip(), "code": code.strip()})
        if len(parts) < 2:
            raise ValidationError("拆分须至少列出两个事项。")
        return parts


class MergeForm(DraftChoiceForm):
    name = forms.CharField(label="合并后的事项名称", max_length=300)
    sub_item = forms.CharField(label="子项名称", max_length=300, required=False)
    code = forms.CharField(label="事项编码", max_length=200, required=False)

    def merged(self):
        return {name: self.cleaned_data[name].strip() for name in ("name", "sub_item", "code")}


# The codes that are one item's own, not its kind's: a new item does not take them over.
ITEM_OWN_CODES = ("code", "implementation_code", "handling_code", "sub_item_code")


def base_values(item):
    """A new item's fields taken from `item` (a split's part, a merge's result): all its
    public fields, in its plan, without its codes (the new item has its own)."""
    values = {**raw_values(item), "plan": item.plan_id}
    values.update(dict.fromkeys(ITEM_OWN_CODES, ""))
    return values


def propose(adjustment, item, form, values):
    """The proposal form's change: a 新增, or a 变更 of `item` (proposed again into the same
    draft: its new values)."""
    note = form.cleaned_data["change_note"]
    if item is None:
        add_change(adjustment, ChangeKind.ADD, values=values, note=note)
        return
    existing = adjustment.changes.filter(item=item, kind=ChangeKind.CHANGE).first()
    if existing is not None:
        revise_change(existing, values)
    else:
        add_change(adjustment, ChangeKind.CHANGE, item=item, values=values, note=note)


def open_drafts(user):
    """The drafts a user may add to: their own, still drafts."""
    return Adjustment.objects.filter(status=Adjustment.Status.DRAFT, created_by=user)


@admin.action(description="起草动态调整：合并所选事项", permissions=["propose"])
def propose_merge(modeladmin, request, queryset):
    """合并: the selected items leave the list, merged into one new item (a 新增 each 合并 is
    linked to); the new item starts from the first one's fields, with the name given."""
    items = list(queryset.current().order_by("sequence", "pk"))
    if len(items) < 2:
        modeladmin.message_user(request, "合并须至少选择两个在清单中的事项。", messages.ERROR)
        return None
    form = MergeForm(
        request.POST if "apply" in request.POST else None,
        drafts=open_drafts(request.user),
        initial={"name": items[0].name},
    )

    def merge(adjustment):
        merged = add_change(
            adjustment,
            ChangeKind.ADD,
            values={**base_values(items[0]), **form.merged()},
            note=form.cleaned_data["change_note"],
        )
        for item in items:
            add_change(adjustment, ChangeKind.MERGE, item=item, linked=merged)

    if form.is_bound and form.is_valid():
        done = modeladmin.drafted(request, form, f"合并{len(items)}个事项", merge)
        if done is not None:
            return done
    return modeladmin.proposal_page(
        request, form, "提出调整：合并事项", None, merge_items=items, action="propose_merge"
    )


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
        proposal_action(ChangeKind.CANCEL, "起草动态调整：取消所选事项"),
        propose_merge,
    ]

    def has_propose_permission(self, request):
        return request.user.has_perm("items.add_adjustment")

    @admin.display(description="示例", boolean=True, ordering="illustrative")
    def illustrative_column(self, item):
        return item.illustrative

    # Rule 8 on this door: an item's public fields are read-only here; 提出调整 puts the
    # proposed values into a draft adjustment, and the list changes when it is published.
    # Adding an item is proposing a 新增.
    def has_add_permission(self, request):
        return self.has_propose_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        return self.propose_view(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields = ["adjust", *fields]
            fields += [name for name in ["plan", *VERSIONED_FIELDS] if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [("清单调整", {"fields": ["adjust"]}), *fieldsets]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page is edited here: no save buttons, and it says so (查看, not 修改).
        extra_context = {
            "title": f"查看 {self.opts.verbose_name}",
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="修改清单内容")
    def adjust(self, item):
        if item.pk is None:
            return "—"
        url = reverse("admin:items_devolveditem_propose", args=[item.pk])
        pending = [
            format_html(
                '<a href="{}">{}</a>（{}）',
                reverse("admin:items_adjustment_change", args=[change.adjustment_id]),
                change.adjustment,
                change.adjustment.get_status_display(),
            )
            for change in item.changes.filter(
                adjustment__status__in=[
                    Adjustment.Status.DRAFT,
                    Adjustment.Status.SUBMITTED,
                    Adjustment.Status.APPROVED,
                ]
            ).select_related("adjustment")
        ]
        split_url = reverse("admin:items_devolveditem_propose_split", args=[item.pk])
        told = format_html(
            '<a class="button" href="{}">提出调整</a> <a class="button" href="{}">提出拆分</a> '
            "事项的公开内容只能通过动态调整修改：起草、由另一人审核、公布后生效。",
            url,
            split_url,
        )
        if pending:
            told += format_html("<br>办理中的调整：{}", format_html("；".join(pending)))
        return told

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/propose/",
                wrap(self.propose_view),
                name="items_devolveditem_propose",
            ),
            path(
                "<int:pk>/propose-split/",
                wrap(self.propose_split_view),
                name="items_devolveditem_propose_split",
            ),
            *super().get_urls(),
        ]

    def proposal_form(self, request, item, data=None, initial=None):
        form_class = forms.modelform_factory(
            DevolvedItem,
            form=ProposalForm,
            fields=ProposalForm.Meta.fields,
            formfield_callback=lambda field, **kw: self.formfield_for_dbfield(
                field, request=request, **kw
            ),
        )
        # A copy of the item: the form's validation writes onto it, and it is never saved.
        instance = DevolvedItem.objects.get(pk=item.pk) if item is not None else None
        return form_class(
            data, instance=instance, initial=initial, drafts=open_drafts(request.user)
        )

    def propose_view(self, request, pk=None):
        """提出调整: an item's proposed fields (or a new item's) go into a draft adjustment."""
        if not self.has_propose_permission(request):
            raise PermissionDenied
        item = None
        if pk is not None:
            item = self.get_object(request, str(pk))
            if item is None or not self.has_view_permission(request, item):
                raise PermissionDenied
        # From a draft's 填写新值 link: into that draft.
        initial = {"adjustment": request.GET["adjustment"]} if "adjustment" in request.GET else None
        form = self.proposal_form(request, item, request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            values = form.proposed_values()
            told = f"变更事项「{item}」" if item is not None else f"新增事项「{values['name']}」"
            done = self.drafted(
                request, form, told, lambda adjustment: propose(adjustment, item, form, values)
            )
            if done is not None:
                return done
        title = f"提出调整：{item}" if item is not None else "提出调整：新增事项"
        return self.proposal_page(request, form, title, item)

    def proposal_page(self, request, form, title, item, **extra):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "item": item,
            "form": form,
            "media": self.media + form.media,
            **extra,
        }
        return TemplateResponse(request, "admin/items/devolveditem/propose.html", context)

    def target_draft(self, request, form, default_title):
        adjustment = form.cleaned_data.get("adjustment")
        if adjustment is not None:
            return adjustment
        return draft(form.cleaned_data.get("title") or default_title, request.user)

    def drafted(self, request, form, default_title, add):
        """`add(adjustment)` the form's changes to the draft it names (or a new one), all or
        nothing; the draft's page, or None with the refusal on the form."""
        try:
            with transaction.atomic():
                adjustment = self.target_draft(request, form, default_title)
                add(adjustment)
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                form.add_error(None, message)
            return None
        tell_drafted(self, request, adjustment)
        return redirect("admin:items_adjustment_change", adjustment.pk)

    def propose_split_view(self, request, pk):
        """拆分: the item leaves the list and its parts join it, each a 新增 linked to the
        split; the parts start from the item's fields with their own names and codes."""
        if not self.has_propose_permission(request):
            raise PermissionDenied
        item = self.get_object(request, str(pk))
        if item is None or not self.has_view_permission(request, item):
            raise PermissionDenied
        form = SplitForm(request.POST or None, drafts=open_drafts(request.user))

        def split(adjustment):
            note = form.cleaned_data["change_note"]
            source = add_change(adjustment, ChangeKind.SPLIT, item=item, note=note)
            for part in form.parts():
                values = {**base_values(item), **part}
                add_change(adjustment, ChangeKind.ADD, values=values, linked=source)

        if request.method == "POST" and form.is_valid():
            done = self.drafted(request, form, f"拆分事项「{item}」", split)
            if done is not None:
                return done
        return self.proposal_page(request, form, f"提出调整：拆分{item}", item, split=True)

    def get_list_filter(self, request):
        return [ListAsOfFilter, *super().get_list_filter(request)]

    def get_search_results(self, request, queryset, search_term):
        """A keyword with 清单日期 searches the wording of that date's version (its
        ItemRevision), as the public site's past-version search does (items.search)."""
        if getattr(queryset, "list_version", None) is None or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return search_items(queryset, search_term.strip()), False

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
    # Rule 8 on this door too: the cancelled list's entries are read here, never edited; an
    # entry joins it by a published 取消 of a devolved item and leaves it by a published 退出.
    actions = [
        proposal_action(
            ChangeKind.RETIRE,
            "起草动态调整：退出所选取消事项",
            add=lambda adjustment, entry: add_cancelled_retirement(adjustment, entry),
        )
    ]

    def has_propose_permission(self, request):
        return request.user.has_perm("items.add_adjustment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
    """The draft's changes, told field by field (事项名称：旧 → 新), never as raw values: a
    change's new values are given on its item's 提出调整 page (the 填写新值 link); here the
    reviewer only accepts or declines a change offered (an annex's missing row)."""

    model = AdjustmentChange
    fk_name = "adjustment"
    extra = 0
    fields = ["kind", "target", "told", "note", "accepted"]
    readonly_fields = ["kind", "target", "told", "note"]
    verbose_name_plural = "变动"

    @admin.display(description="事项")
    def target(self, change):
        return change.item_name

    @admin.display(description="变动内容")
    def told(self, change):
        if change.kind == ChangeKind.ADD:
            fields = [
                f"{FIELD_LABELS[name]}：{value}"
                for name, value in change.values.items()
                if name in ("code", "name", "sub_item") and value
            ]
            return "；".join(fields) or "—"
        if not hasattr(self, "departments"):  # once per page (an inline serves one request)
            self.departments = dict(Department.objects.values_list("pk", "short_name"))
        fields = field_changes(change, self.departments)
        told = format_html_join(
            "；", "{}：{} → {}", ((f["field"], f["old"], f["new"]) for f in fields)
        )
        if change.kind == ChangeKind.CHANGE and change.item_id and self.in_draft:
            url = reverse("admin:items_devolveditem_propose", args=[change.item_id])
            link = format_html(
                '<a href="{}?adjustment={}">{}</a>',
                url,
                change.adjustment_id,
                "修改新值" if fields else "填写新值",
            )
            told = format_html("{} {}", told, link) if fields else link
        return told or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "cancelled")

    def get_formset(self, request, obj=None, **kwargs):
        # Read by `told`, once per page (an inline serves one request).
        self.in_draft = obj is not None and obj.status == Adjustment.Status.DRAFT
        return super().get_formset(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in (
            Adjustment.Status.DRAFT,
            Adjustment.Status.SUBMITTED,
        ):
            return self.fields
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NewAdjustmentChangeInline(admin.TabularInline):
    """Adding to a draft a change without values (收回, 退出, 取消, 重新下放): the item and why."""

    model = AdjustmentChange
    fk_name = "adjustment"
    extra = 0
    fields = ["kind", "item", "note"]
    autocomplete_fields = ["item"]
    verbose_name = "新增变动"
    verbose_name_plural = "新增变动（收回、退出、取消、重新下放；新增和变更请在事项页面提出）"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        kind = formset.form.base_fields["kind"]
        kind.choices = [
            (value, label)
            for value, label in ChangeKind.choices
            if value not in (ChangeKind.ADD, ChangeKind.CHANGE)
        ]
        return formset

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Adjustment.Status.DRAFT
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return False

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
    version_title = forms.CharField(
        label="公开标题（公布时填写）",
        required=False,
        max_length=300,
        help_text="清单变更记录中显示的标题；不填则用调整事由。",
    )
    effective_on = forms.DateField(
        label="生效日期（公布时填写）",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=AdminDateWidget(format="%Y-%m-%d"),
        help_text="格式：YYYY-MM-DD（或点日历选择）；不能晚于今天：公布即生效。",
        error_messages={"invalid": "生效日期格式应为 YYYY-MM-DD。"},
    )
    accept_all = forms.BooleanField(
        label="确认全部待确认的变动（如导入附件时缺少的事项）", required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = choices
        # Only the fields of the steps offered: 文号 and 生效日期 to whoever may publish, the
        # confirming of offered changes to whoever may review.
        actions = {action for action, _ in choices}
        if "publish" not in actions:
            del self.fields["doc_number"], self.fields["effective_on"]
            del self.fields["version_title"]
        if not actions & {"approve", "accept"}:
            del self.fields["accept_all"]

    def clean(self):
        data = super().clean()
        # publish() refuses it too; the form says it beside the box, not above the form.
        if (
            data.get("action") == "publish"
            and data.get("effective_on") is None
            and "effective_on" not in self.errors
        ):
            self.add_error("effective_on", EFFECTIVE_DATE_REQUIRED)
        return data


class AnnexUploadForm(forms.Form):
    upload = forms.FileField(label="附件文件（.xlsx、.xls 或 .csv）")


@admin.register(Adjustment)
class AdjustmentAdmin(ScopedAdmin):
    department_field = "department"
    city_department_field = "department"
    # At 1366 px: the title takes the room left (cut, whole on hover); the rest on one line.
    list_display = [
        "id",
        "title_column",
        "department_column",
        "status",
        "created_by",
        "created_at_column",
        "version",
    ]
    list_display_links = ["id", "title_column"]
    title_column = truncated_column(
        lambda adjustment: adjustment.title, "调整事由", ordering="title", fill=True
    )
    department_column = truncated_column(
        lambda adjustment: adjustment.department or "县编委办", "提出部门", ordering="department"
    )

    @admin.display(description="起草时间", ordering="created_at")
    def created_at_column(self, adjustment):
        return format_html(
            '<span class="nowrap">{}</span>',
            local_minute(adjustment.created_at),
        )

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
    inlines = [AdjustmentChangeInline, NewAdjustmentChangeInline, AdjustmentStepInline]
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
        edited = {f.instance.pk: f.changed_data for f in formset.forms if f.instance.pk}
        for change_row in formset.save(commit=False):
            try:
                save_draft_row(form.instance, change_row, edited.get(change_row.pk, []))
            except (ValidationError, PermissionDenied) as error:
                request.adjustment_refused = True
                for message in getattr(error, "messages", [str(error)]):
                    self.message_user(request, f"变动未加入：{message}", messages.ERROR)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # A refused change is not a success: the page's own 成功修改 is left out then.
        if level == messages.SUCCESS and getattr(request, "adjustment_refused", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

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
        choices = steps_for(adjustment, request.user)
        form = AdjustmentStepForm(request.POST or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                label = dict(choices)[form.cleaned_data["action"]]
                self.take_step(request, adjustment, form.cleaned_data, label)
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
            "changes": self.told_changes(adjustment),
            "finished": adjustment.status not in STEPS_FROM,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/items/adjustment/step.html", context)

    def told_changes(self, adjustment):
        """The adjustment's changes, each with its fields told in Chinese (`change.fields`)."""
        changes = list(adjustment.changes.select_related("item", "cancelled"))
        departments = dict(Department.objects.values_list("pk", "short_name"))
        for change in changes:
            told = added_fields if change.kind == ChangeKind.ADD else field_changes
            change.fields = told(change, departments)
        return changes

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

    def take_step(self, request, adjustment, data, label):
        by, note, action = request.user, data["note"], data["action"]
        if data.get("accept_all"):
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
            version = publish(
                adjustment,
                by,
                data["doc_number"],
                data["effective_on"],
                title=data["version_title"].strip(),
            )
            self.message_user(
                request,
                f"已公布为{version}，{version.effective_on:%Y年%-m月%-d日}起施行。",
                messages.SUCCESS,
            )
            return
        self.message_user(
            request,
            f"已办理“{label}”：调整现为“{adjustment.get_status_display()}”。",
            messages.SUCCESS,
        )
