"""The one place that turns the public site's query string into a queryset.

The HTML lists, the .xlsx/.csv downloads and the JSON API all call these functions, so a
download or an API page holds exactly what the list with the same URL shows.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from devolution.models import Department
from items.adjustments import version_in_force
from items.models import (
    CancelledApproval,
    DevolvedItem,
    ItemKind,
    ItemStatus,
    ListVersion,
    PowerType,
    power_types_of_kind,
)
from items.search import count_matches, keyword_q, search_items

from . import stats

PAGE_SIZE = 20
# Beyond any list the registry will hold (20 million rows); a page number is clamped to it
# before it becomes an OFFSET.
MAX_PAGE = 1_000_000
Q_MAX_LENGTH = 100


def _any_choice(choices):
    return [("", "全部"), *choices]


class PlainSelect(forms.Select):
    """A <select> written in Python: the template engine's per-option include made the filter
    form most of a list page's rendering time. Same elements and attributes as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (choice, " selected" if str(choice) in chosen else "", label)
                for choice, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, attributes, options)


class ListVersionFields(forms.Form):
    """Which published list to read: the one in force on a date, or a version by number (its
    permalink); the current list by default."""

    as_of = forms.DateField(
        label="清单日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"},
    )
    version = forms.IntegerField(
        label="清单版本",
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={"invalid": "版本号应为整数。", "min_value": "版本号从1开始。"},
    )

    @cached_property
    def latest_version(self):
        """The latest published version's number, read once per form (a request's)."""
        return ListVersion.objects.latest_number()

    def clean_version(self):
        # A version not yet published would otherwise show today's list as if it were it.
        number = self.cleaned_data.get("version")
        if number is None:
            return number
        latest = self.latest_version
        if number > latest:
            raise forms.ValidationError(f"没有版本{number}：目前最新为版本{latest}。")
        return number


def version_asked(form):
    """The version number the query string asks for, or None for the current list."""
    data = getattr(form, "cleaned_data", {})
    if data.get("version"):
        return data["version"]
    if data.get("as_of"):
        return version_in_force(data["as_of"])
    return None


class ItemFilterForm(ListVersionFields):
    # The version fields last: they come after the filters in a form and in its URLs.
    field_order = ["q", "department", "power_type", "kind", "status"]
    q = forms.CharField(label="关键词", required=False, max_length=Q_MAX_LENGTH, strip=True)
    department = forms.TypedChoiceField(
        label="承接部门",
        required=False,
        widget=PlainSelect,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "没有这个承接部门。"},
    )
    power_type = forms.ChoiceField(
        label="权力类型", required=False, choices=_any_choice(PowerType.choices), widget=PlainSelect
    )
    kind = forms.ChoiceField(
        label="事项类别", required=False, choices=_any_choice(ItemKind.choices), widget=PlainSelect
    )
    status = forms.ChoiceField(
        label="办理状态",
        required=False,
        choices=_any_choice(ItemStatus.choices),
        widget=PlainSelect,
    )

    def __init__(self, data=None):
        super().__init__(data, auto_id="filter-%s", use_required_attribute=False)
        # One query serves both validating and rendering the department choice.
        self.fields["department"].choices = [
            ("", "全部"),
            *Department.objects.filter(level=Department.Level.COUNTY).values_list(
                "pk", "full_name"
            ),
        ]


class CancelledFilterForm(ListVersionFields):
    field_order = ["q"]
    q = forms.CharField(label="关键词", required=False, max_length=Q_MAX_LENGTH, strip=True)


def filter_items(params, index=True):
    """(form, queryset) for the devolved items the query string asks for.

    Invalid values are reported on the form and ignored, so a bad link still shows a list.
    Without a status filter retired items are left out; `status=retired` shows them. With
    `as_of` (or `version`) the list is that version's, each item with its fields as then; a
    keyword and the filters match what that version said. `index`: see
    items.search.search_items.
    """
    form = ItemFilterForm(params)
    form.is_valid()
    return form, listed_items(form, index=index)


def listed_items(form, index=True):
    """The list filter_items gives for a validated form."""
    items = DevolvedItem.objects.select_related("city_department", "county_department")
    items = _filtered_items(form, items)
    if q := form.cleaned_data.get("q"):
        items = search_items(items, q, index=index)
    return items.order_by("plan_id", "sequence", "id")


def count_items(request, form, cap, related=()):
    """(n, items): how many items filter_items' list holds for `form`, counted up to `cap` + 1,
    and that list read the cheapest way for what the count learned (None: as it is): a keyword
    search is counted as suits how common its keyword is, and its pages read with the gram
    index or without it (items.search.count_matches); the current list filtered by department,
    power type or kind is summed from the per-revision counts (stats.current_item_counts).
    `related`: the list's extra select_related."""
    data = form.cleaned_data
    if q := data.get("q"):
        items = _filtered_items(form, DevolvedItem.objects.all())
        n, index = count_matches(items, q, cap)
        return n, listed_items(form, index=index).select_related(*related)
    if version_asked(form) is None and not data.get("status"):
        kinds = power_types_of_kind(data["kind"]) if data.get("kind") else None
        counted = sum(
            n
            for (department, power_type, _), n in stats.current_item_counts(request).items()
            if data.get("department") in (None, department)
            and data.get("power_type") in ("", None, power_type)
            and (kinds is None or power_type in kinds)
        )
        return min(counted, cap + 1), None
    return _filtered_items(form, DevolvedItem.objects.all()).order_by()[: cap + 1].count(), None


def _filtered_items(form, items):
    """`items` narrowed by every filter of the (validated) form but its keyword."""
    data = form.cleaned_data
    number = version_asked(form)
    if number is not None:
        items = items.as_of(number, form.latest_version)
    # A past version is filtered by what it said then (its department, type, wording).
    field = items.field_as_read
    if department := data.get("department"):
        items = items.filter(**{field("county_department"): department})
    if power_type := data.get("power_type"):
        items = items.filter(**{field("power_type"): power_type})
    if kind := data.get("kind"):
        items = items.filter(**{f"{field('power_type')}__in": power_types_of_kind(kind)})
    if status := data.get("status"):
        items = items.filter(status=status)
    elif number is None:
        items = items.current()
    return items


def filter_cancelled(params):
    form = CancelledFilterForm(params)
    form.is_valid()
    number = version_asked(form)
    cancelled = (
        CancelledApproval.objects.current()
        if number is None
        else CancelledApproval.objects.as_of(number, form.latest_version)
    ).select_related("original_department")
    if q := form.cleaned_data.get("q"):
        # A past version is searched in the wording it published.
        fields = [cancelled.field_as_read(f) for f in ("name", "sub_item", "legal_basis", "reason")]
        cancelled = cancelled.filter(keyword_q(q, fields))
    return form, cancelled.order_by("plan_id", "sequence", "id")


def is_search(form):
    return bool(getattr(form, "cleaned_data", {}).get("q"))


def active_filters(form):
    """The valid, non-empty filters, as a query string fragment for pagination and downloads."""
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in getattr(form, "cleaned_data", {}).items()
        if value and name not in form.errors
    }
