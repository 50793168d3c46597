from django import template
from django.utils import timezone

from devolution import workdays
from handover.deadlines import deadline_years

register = template.Library()


def year_runs(years):
    """[2016, 2027, 2028, 2029] → "2016、2027–2029"."""
    runs = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@register.simple_tag
def uncovered_calendar_years():
    """The years the deadlines touch that neither chinesecalendar nor a Holiday row covers."""
    return year_runs(workdays.uncovered_years(deadline_years(timezone.localdate())))
