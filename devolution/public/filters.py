"""The one place that turns the public site's query string into a queryset.

The HTML lists, the .xlsx/.csv downloads and the JSON API all call these functions, so a
download or an API page holds exactly what the list with the same URL shows.
"""

from django import forms
from django.db.models import Q

from devolution.models import Department
from items.models import (
    CancelledApproval,
    DevolvedItem,
    ItemKind,
    ItemStatus,
    PowerType,
    power_types_of_kind,
)

PAGE_SIZE = 20
# Beyond any list the registry will hold (20 million rows); a page number is clamped to it
# before it becomes an OFFSET.
MAX_PAGE = 1_000_000
Q_MAX_LENGTH = 100


def _any_choice(choices):
    return [("", "全部"), *choices]


class ItemFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=Q_MAX_LENGTH, strip=True)
    department = forms.TypedChoiceField(
        label="承接部门",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "没有这个承接部门。"},
    )
    power_type = forms.ChoiceField(
        label="权力类型", required=False, choices=_any_choice(PowerType.choices)
    )
    kind = forms.ChoiceField(
        label="事项类别", required=False, choices=_any_choice(ItemKind.choices)
    )
    status = forms.ChoiceField(
        label="办理状态", required=False, choices=_any_choice(ItemStatus.choices)
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


class CancelledFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=Q_MAX_LENGTH, strip=True)


def keyword_q(q, fields):
    """Substring match on every field; on PostgreSQL each is served by a pg_trgm GIN index."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__contains": q})
    return condition


def filter_items(params):
    """(form, queryset) for the devolved items the query string asks for.

    Invalid values are reported on the form and ignored, so a bad link still shows a list.
    Without a status filter retired items are left out; `status=retired` shows them.
    """
    form = ItemFilterForm(params)
    form.is_valid()
    data = form.cleaned_data
    items = DevolvedItem.objects.select_related(
        "city_department", "county_department", "provincial_system"
    )
    if q := data.get("q"):
        condition = keyword_q(q, ["name", "sub_item", "legal_basis"])
        # Item codes are letters and digits: a Chinese keyword cannot match one, so its index
        # is not consulted for it.
        if q.isascii():
            condition |= keyword_q(q, ["code"]) | keyword_q(q.upper(), ["code"])
        items = items.filter(condition)
    if department := data.get("department"):
        items = items.filter(county_department_id=department)
    if power_type := data.get("power_type"):
        items = items.filter(power_type=power_type)
    if kind := data.get("kind"):
        items = items.filter(power_type__in=power_types_of_kind(kind))
    if status := data.get("status"):
        items = items.filter(status=status)
    else:
        items = items.current()
    return form, items.order_by("plan_id", "sequence", "id")


def filter_cancelled(params):
    form = CancelledFilterForm(params)
    form.is_valid()
    cancelled = CancelledApproval.objects.current().select_related("original_department")
    if q := form.cleaned_data.get("q"):
        cancelled = cancelled.filter(keyword_q(q, ["name", "sub_item", "legal_basis", "reason"]))
    return form, cancelled.order_by("plan_id", "sequence", "id")


def is_search(form):
    return bool(getattr(form, "cleaned_data", {}).get("q"))


def active_filters(form):
    """The valid, non-empty filters, as a query string fragment for pagination and downloads."""
    return {
        name: value
        for name, value in getattr(form, "cleaned_data", {}).items()
        if value and name not in form.errors
    }
