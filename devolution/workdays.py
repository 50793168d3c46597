"""The official working-day calendar (工作日) the notice's deadlines are counted in.

Public holidays are off and make-up working days (调休, often a Saturday or Sunday) are on, as
the `chinesecalendar` package knows them. Staff enter a year the package does not know yet (or
correct one) as `Holiday` rows, which override the package. A year neither knows falls back to
Monday–Friday, with a logged warning, so a deadline is never left uncomputed.

A `WorkdayCalendar` reads the overrides with one query and keeps them for its lifetime; wrap a
page or a scan in `shared_calendar()` so that every computation in it uses the same one.
"""

import contextvars
import datetime
import logging
from contextlib import contextmanager

import chinese_calendar
from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS
from dateutil.relativedelta import relativedelta

logger = logging.getLogger(__name__)

# The notice: the handovers and the seal deliveries are due 15 working days after its issue.
HANDOVER_WORKDAYS = 15

PACKAGE_YEARS = frozenset(day.year for day in PACKAGE_HOLIDAYS)
ONE_DAY = datetime.timedelta(days=1)


class WorkdayCalendar:
    """The calendar with the staff's overrides, read once.

    `overrides` maps a date to True (a working day) or False (a day off); when it is None the
    overrides are read from the Holiday table on first use.
    """

    def __init__(self, overrides=None):
        self._overrides = overrides
        self._warned = set()

    @property
    def overrides(self):
        if self._overrides is None:
            from .models import Holiday  # the module is also used outside Django (fixtures)

            self._overrides = dict(Holiday.objects.values_list("date", "is_workday"))
        return self._overrides

    def covered_years(self):
        return PACKAGE_YEARS | {day.year for day in self.overrides}

    def uncovered_years(self, years):
        return sorted(set(years) - self.covered_years())

    def is_workday(self, day):
        override = self.overrides.get(day)
        if override is not None:
            return override
        if day.year in PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        if day.year not in self._warned and day.year not in self.covered_years():
            self._warned.add(day.year)
            logger.warning(
                "%s 年的法定节假日尚未登记，按周一至周五计算工作日；请在后台“节假日调整”中录入。",
                day.year,
            )
        return day.weekday() < 5

    def add_workdays(self, start, n):
        """The n-th working day after `start`, counting from the next day (n=0 is `start`)."""
        if n < 0:
            raise ValueError("工作日数不能为负数。")
        day = start
        while n:
            day += ONE_DAY
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, a, b):
        """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
        if b < a:
            return -self.workdays_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


_current = contextvars.ContextVar("workday_calendar", default=None)


@contextmanager
def shared_calendar():
    """Every computation inside uses one calendar, so the overrides are read once."""
    calendar = _current.get()
    if calendar is not None:
        yield calendar
        return
    calendar = WorkdayCalendar()
    token = _current.set(calendar)
    try:
        yield calendar
    finally:
        _current.reset(token)


def current_calendar():
    return _current.get() or WorkdayCalendar()


def is_workday(day):
    return current_calendar().is_workday(day)


def add_workdays(start, n):
    return current_calendar().add_workdays(start, n)


def workdays_between(a, b):
    return current_calendar().workdays_between(a, b)


def uncovered_years(years):
    return current_calendar().uncovered_years(years)


def handover_due_on(issued_on, calendar=None):
    """The day a plan issued on `issued_on` has its handovers and seal deliveries due."""
    return (calendar or current_calendar()).add_workdays(issued_on, HANDOVER_WORKDAYS)


def add_months(start, months):
    """`months` calendar months after `start`; the 31st becomes the month's last day."""
    return start + relativedelta(months=months)
