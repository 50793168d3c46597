from django import template
from django.utils import timezone

from devolution import workdays
from handover.deadlines import deadline_years

register = template.Library()


@register.simple_tag
def uncovered_calendar_years():
    """The years the deadlines touch that neither chinesecalendar nor a Holiday row covers."""
    return workdays.uncovered_years(deadline_years(timezone.localdate()))
