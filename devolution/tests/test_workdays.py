"""The official working-day calendar: chinesecalendar, staff overrides, unknown years."""

import datetime
import functools
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devolution import workdays
from devolution.tests.factories import HolidayFactory

D = datetime.date


def test_fifteen_working_days_after_the_notice_is_the_saturday_after_national_day():
    # Mid-Autumn 9-15..17 off, Sunday 9-18 worked, National Day 10-1..7 off, Saturday 10-8 worked.
    calendar = workdays.WorkdayCalendar(overrides={})
    assert calendar.add_workdays(D(2016, 9, 9), 15) == D(2016, 10, 8)
    # And the next working day is Sunday 10-09, the second make-up day.
    assert calendar.add_workdays(D(2016, 10, 8), 1) == D(2016, 10, 9)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2016, 9, 14), True),
        (D(2016, 9, 15), False),  # 中秋节
        (D(2016, 9, 17), False),  # Saturday, in the holiday
        (D(2016, 9, 18), True),  # Sunday, make-up working day
        (D(2016, 10, 3), False),  # 国庆节
        (D(2016, 10, 8), True),  # Saturday, make-up working day
        (D(2016, 10, 9), True),  # Sunday, make-up working day too
        (D(2016, 10, 10), True),
        (D(2016, 10, 15), False),  # an ordinary Saturday
    ],
)
def test_is_workday_around_mid_autumn_and_national_day_2016(day, expected):
    assert workdays.WorkdayCalendar(overrides={}).is_workday(day) is expected


def test_counting_across_a_year_boundary():
    calendar = workdays.WorkdayCalendar(overrides={})
    # 2017-01-01 is a Sunday and 01-02 its 元旦 holiday.
    assert calendar.add_workdays(D(2016, 12, 30), 1) == D(2017, 1, 3)
    assert calendar.workdays_between(D(2016, 12, 30), D(2017, 1, 3)) == 1
    assert calendar.workdays_between(D(2017, 1, 3), D(2016, 12, 30)) == -1
    assert calendar.workdays_between(D(2016, 10, 8), D(2016, 10, 8)) == 0


def test_workdays_between_is_the_inverse_of_add_workdays():
    calendar = workdays.WorkdayCalendar(overrides={})
    start = D(2016, 9, 9)
    for n in range(0, 40):
        assert calendar.workdays_between(start, calendar.add_workdays(start, n)) == n


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        workdays.WorkdayCalendar(overrides={}).add_workdays(D(2016, 9, 9), -1)


@pytest.mark.django_db
def test_holiday_rows_override_the_package():
    # Staff declare the make-up Sunday 10-09 off and the ordinary Sunday 10-16 worked.
    assert workdays.add_workdays(D(2016, 10, 8), 1) == D(2016, 10, 9)
    HolidayFactory(date=D(2016, 10, 9), is_workday=False, name="临时放假")
    HolidayFactory(date=D(2016, 10, 16), is_workday=True, name="调休上班")
    assert workdays.is_workday(D(2016, 10, 9)) is False
    assert workdays.is_workday(D(2016, 10, 16)) is True
    assert workdays.add_workdays(D(2016, 10, 8), 1) == D(2016, 10, 10)
    assert workdays.workdays_between(D(2016, 10, 14), D(2016, 10, 17)) == 2


@pytest.mark.django_db
def test_an_unknown_year_falls_back_to_monday_to_friday_with_a_warning(caplog):
    calendar = workdays.WorkdayCalendar()
    assert 2099 not in workdays.PACKAGE_YEARS
    with caplog.at_level(logging.WARNING, logger="devolution.workdays"):
        # 2099-01-01 is a Thursday: no 元旦 known, so a working day.
        assert calendar.is_workday(D(2099, 1, 1)) is True
        assert calendar.is_workday(D(2099, 1, 3)) is False  # Saturday
        assert calendar.add_workdays(D(2099, 1, 2), 1) == D(2099, 1, 5)
    warnings = [record for record in caplog.records if "2099" in record.getMessage()]
    assert len(warnings) == 1  # once per year and calendar, not once per day
    assert calendar.uncovered_years(range(2098, 2100)) == [2098, 2099]


@pytest.mark.django_db
def test_entering_an_unknown_years_holidays_covers_it():
    HolidayFactory(date=D(2099, 1, 1), is_workday=False, name="元旦")
    calendar = workdays.WorkdayCalendar()
    assert calendar.uncovered_years([2016, 2099]) == []
    assert calendar.is_workday(D(2099, 1, 1)) is False
    assert calendar.add_workdays(D(2098, 12, 31), 1) == D(2099, 1, 2)


@pytest.mark.django_db
def test_a_shared_calendar_reads_the_overrides_once(django_assert_num_queries):
    with django_assert_num_queries(1), workdays.shared_calendar():
        for n in range(50):
            workdays.add_workdays(D(2016, 9, 9), n)
        workdays.workdays_between(D(2016, 1, 1), D(2027, 12, 31))
        workdays.uncovered_years(range(2016, 2030))


def test_add_months_keeps_the_end_of_the_month():
    assert workdays.add_months(D(2016, 10, 8), 3) == D(2017, 1, 8)
    assert workdays.add_months(D(2016, 1, 31), 1) == D(2016, 2, 29)


# O(1) counting: the precomputed table against a day-by-day count -----------------------------

OVERRIDES = {
    D(2016, 10, 9): False,
    D(2016, 10, 16): True,
    D(2030, 1, 1): False,  # a year the package does not know, entered by staff
    D(2030, 1, 5): True,
}


@functools.cache
def package_day(day):
    import chinese_calendar

    return chinese_calendar.is_workday(day)


def naive_is_workday(day, overrides):
    """The rule, one day at a time, as the calendar counted before it was precomputed."""
    if day in overrides:
        return overrides[day]
    if day.year in workdays.PACKAGE_YEARS:
        return package_day(day)
    return day.weekday() < 5


def naive_between(a, b, overrides):
    sign, (a, b) = (1, (a, b)) if a <= b else (-1, (b, a))
    days = (a + datetime.timedelta(days=i) for i in range(1, (b - a).days + 1))
    return sign * sum(naive_is_workday(day, overrides) for day in days)


def naive_add(start, n, overrides):
    day = start
    while n:
        day += datetime.timedelta(days=1)
        n -= naive_is_workday(day, overrides)
    return day


DATES = st.dates(min_value=D(2000, 1, 1), max_value=D(2034, 12, 31))


@settings(max_examples=120, deadline=None)
@given(DATES, DATES, st.booleans())
def test_workdays_between_equals_a_day_by_day_count(a, b, with_overrides):
    overrides = OVERRIDES if with_overrides else {}
    calendar = workdays.WorkdayCalendar(overrides=dict(overrides))
    assert calendar.workdays_between(a, b) == naive_between(a, b, overrides)


@settings(max_examples=120, deadline=None)
@given(DATES, st.integers(min_value=0, max_value=3000), st.booleans())
def test_add_workdays_equals_a_day_by_day_walk(start, n, with_overrides):
    overrides = OVERRIDES if with_overrides else {}
    calendar = workdays.WorkdayCalendar(overrides=dict(overrides))
    day = calendar.add_workdays(start, n)
    assert day == naive_add(start, n, overrides)
    assert calendar.workdays_between(start, day) == n


def test_ten_years_cost_what_ten_days_cost(monkeypatch):
    """After the table is built, counting looks nothing up day by day: not the package, not the
    calendar's own is_workday."""
    calendar = workdays.WorkdayCalendar(overrides={})
    calendar.add_workdays(D(2016, 9, 9), 1)  # builds (or reuses) the table
    looked_up = []
    monkeypatch.setattr("chinese_calendar.is_workday", lambda day: looked_up.append(day) or True)
    monkeypatch.setattr(
        workdays.WorkdayTable, "is_workday", lambda self, ordinal: looked_up.append(ordinal)
    )
    for span in (10, 3653):
        end = D(2016, 9, 9) + datetime.timedelta(days=span)
        calendar.workdays_between(D(2016, 9, 9), end)
        calendar.add_workdays(D(2016, 9, 9), span)
        calendar.workdays_between(D(2016, 9, 9), end + datetime.timedelta(days=365 * 20))
    assert looked_up == []


@pytest.mark.django_db
def test_changing_a_holiday_changes_the_next_calendars_counts():
    before = workdays.WorkdayCalendar().workdays_between(D(2016, 10, 14), D(2016, 10, 17))
    HolidayFactory(date=D(2016, 10, 17), is_workday=False, name="临时放假")
    after = workdays.WorkdayCalendar().workdays_between(D(2016, 10, 14), D(2016, 10, 17))
    assert (before, after) == (1, 0)


def test_unknown_years_in_a_long_span_are_each_named_once(caplog):
    calendar = workdays.WorkdayCalendar(overrides={})
    with caplog.at_level(logging.WARNING, logger="devolution.workdays"):
        calendar.workdays_between(D(2026, 6, 1), D(2029, 6, 1))
        calendar.add_workdays(D(2026, 6, 1), 800)
    years = sorted(
        year
        for record in caplog.records
        for year in (2027, 2028, 2029)
        if str(year) in record.getMessage()
    )
    assert years == [2027, 2028, 2029]


def test_the_package_table_says_what_the_package_says_for_every_day_of_its_years():
    import chinese_calendar

    from devolution.workdays import PACKAGE_YEARS, package_flags

    first, flags = package_flags()
    for ordinal in range(first, first + len(flags)):
        day = datetime.date.fromordinal(ordinal)
        if day.year in PACKAGE_YEARS:
            assert flags[ordinal - first] == chinese_calendar.is_workday(day), day
