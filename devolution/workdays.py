"""The official working-day calendar (工作日) the notice's deadlines are counted in.

Public holidays are off and make-up working days (调休, often a Saturday or Sunday) are on, as
the `chinesecalendar` package knows them. Staff enter a year the package does not know yet (or
correct one) as `Holiday` rows, which override the package. A year neither knows falls back to
Monday–Friday, with a logged warning, so a deadline is never left uncomputed.

Counting is O(1) in the length of the span: the calendar is precomputed as a running count of
working days over every known day (the package's years and the overrides' years), and outside
those years Monday–Friday is counted by arithmetic. `workdays_between` is two look-ups and
`add_workdays` a bisection, whether the span is 10 days or 10 years. The running counts are
cached per process, keyed by the overrides themselves, so a Holiday change makes a new table.

A `WorkdayCalendar` reads the overrides with one query and keeps them for its lifetime; wrap a
page or a scan in `shared_calendar()` so that every computation in it uses the same one.
"""

import bisect
import contextvars
import datetime
import functools
import itertools
import logging
from array import array
from contextlib import contextmanager

from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS
from chinese_calendar.constants import workdays as PACKAGE_WORKDAYS
from dateutil.relativedelta import relativedelta

logger = logging.getLogger(__name__)

# The notice: the handovers and the seal deliveries are due 15 working days after its issue.
HANDOVER_WORKDAYS = 15

PACKAGE_YEARS = frozenset(day.year for day in PACKAGE_HOLIDAYS)
ONE_DAY = datetime.timedelta(days=1)


def weekdays_through(ordinal):
    """Monday–Friday days from 0001-01-01 (a Monday, ordinal 1) up to `ordinal` inclusive."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def nth_weekday(count):
    """The ordinal of the `count`-th Monday–Friday day from 0001-01-01: inverts the above."""
    weeks, rest = divmod(count - 1, 5)
    return weeks * 7 + rest + 1


@functools.lru_cache(maxsize=1)
def package_flags():
    """(first ordinal, flags): 1 for each working day of the package's years, by ordinal.

    Read from the package's own tables, as its is_workday() does (a make-up working day, or a
    Monday–Friday day that is no holiday), without calling it: it takes the min and max of
    every holiday each time it checks a date, which made this table a second of a fresh
    process's first deadline (the daily scan with nothing new: 1.1 s of 1.5 s)."""
    first = datetime.date(min(PACKAGE_YEARS), 1, 1)
    last = datetime.date(max(PACKAGE_YEARS), 12, 31)
    flags = bytearray()
    day = first
    while day <= last:
        if day.year in PACKAGE_YEARS:
            flags.append(
                day in PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in PACKAGE_HOLIDAYS)
            )
        else:
            flags.append(day.weekday() < 5)
        day += ONE_DAY
    return first.toordinal(), bytes(flags)


class WorkdayTable:
    """Every known day's working-day flag and the running count of working days, for one set
    of overrides; days outside the known years count Monday–Friday."""

    def __init__(self, overrides):
        years = PACKAGE_YEARS | {day.year for day in overrides}
        self.first = datetime.date(min(years), 1, 1).toordinal()
        self.last = datetime.date(max(years), 12, 31).toordinal()
        flags = bytearray((ordinal - 1) % 7 < 5 for ordinal in range(self.first, self.last + 1))
        package_first, package = package_flags()
        offset = package_first - self.first
        flags[offset : offset + len(package)] = package
        for day, is_workday in overrides.items():
            flags[day.toordinal() - self.first] = bool(is_workday)
        self.flags = bytes(flags)
        # running[i]: working days in [first, first + i).
        self.running = array("q", itertools.accumulate(self.flags, initial=0))
        self.total = self.running[-1]

    def is_workday(self, ordinal):
        if self.first <= ordinal <= self.last:
            return bool(self.flags[ordinal - self.first])
        return (ordinal - 1) % 7 < 5

    def count_through(self, ordinal):
        """Working days from the table's first day up to `ordinal` inclusive (negative before
        it), so that working days in (a, b] are count_through(b) - count_through(a)."""
        if ordinal < self.first:
            return weekdays_through(ordinal) - weekdays_through(self.first - 1)
        if ordinal > self.last:
            return self.total + weekdays_through(ordinal) - weekdays_through(self.last)
        return self.running[ordinal - self.first + 1]

    def day_reaching(self, count, after):
        """The first ordinal after `after` whose count_through is `count` (a working day)."""
        if count <= 0:
            return nth_weekday(count + weekdays_through(self.first - 1))
        if count <= self.total:
            low = max(after - self.first + 2, 1)
            return self.first + bisect.bisect_left(self.running, count, lo=low) - 1
        return nth_weekday(count - self.total + weekdays_through(self.last))


@functools.lru_cache(maxsize=8)
def workday_table(overrides):
    """The table for `overrides` (a frozenset of (date, is_workday)); a changed Holiday gives
    a different key, so a stale table is never used."""
    return WorkdayTable(dict(overrides))


class WorkdayCalendar:
    """The calendar with the staff's overrides, read once.

    `overrides` maps a date to True (a working day) or False (a day off); when it is None the
    overrides are read from the Holiday table on first use.
    """

    def __init__(self, overrides=None):
        self._overrides = overrides
        self._table = None
        self._warned = set()

    @property
    def overrides(self):
        if self._overrides is None:
            from .models import Holiday  # the module is also used outside Django (fixtures)

            self._overrides = dict(Holiday.objects.values_list("date", "is_workday"))
        return self._overrides

    @property
    def table(self):
        if self._table is None:
            self._table = workday_table(frozenset(self.overrides.items()))
        return self._table

    def covered_years(self):
        return PACKAGE_YEARS | {day.year for day in self.overrides}

    def uncovered_years(self, years):
        return sorted(set(years) - self.covered_years())

    def _warn_uncovered(self, first_year, last_year):
        """Say once per year and calendar that a span counted Monday–Friday in unknown years;
        a loop over years, never days."""
        for year in self.uncovered_years(range(first_year, last_year + 1)):
            if year not in self._warned:
                self._warned.add(year)
                logger.warning(
                    "%s 年的法定节假日尚未登记，按周一至周五计算工作日；"
                    "请在后台“节假日调整”中录入。",
                    year,
                )

    def is_workday(self, day):
        self._warn_uncovered(day.year, day.year)
        return self.table.is_workday(day.toordinal())

    def add_workdays(self, start, n):
        """The n-th working day after `start`, counting from the next day (n=0 is `start`)."""
        if n < 0:
            raise ValueError("工作日数不能为负数。")
        if n == 0:
            return start
        table, ordinal = self.table, start.toordinal()
        day = datetime.date.fromordinal(
            table.day_reaching(table.count_through(ordinal) + n, ordinal)
        )
        self._warn_uncovered((start + ONE_DAY).year, day.year)
        return day

    def workdays_between(self, a, b):
        """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        self._warn_uncovered((a + ONE_DAY).year, b.year)
        table = self.table
        return table.count_through(b.toordinal()) - table.count_through(a.toordinal())


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
