"""Due dates are derived from their inputs, stored, and follow the inputs when they change."""

import datetime

import pytest

from devolution import workdays
from devolution.models import Plan
from handover.models import Handover, TrainingExtension
from handover.tests.factories import HandoverFactory, TrainingPeriodFactory
from seals.models import Seal
from seals.tests.factories import SealFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_handover_and_seal_delivery_are_due_fifteen_working_days_after_the_plan():
    handover = HandoverFactory(plan__issued_on=D(2016, 9, 9))
    seal = SealFactory(plan=handover.plan, holder=handover.county_department)
    assert handover.due_on == D(2016, 10, 8)
    assert seal.delivery_due_on == D(2016, 10, 8)
    handover.refresh_from_db()
    assert handover.due_on == D(2016, 10, 8)


def test_a_corrected_issue_date_moves_the_plans_deadlines_with_history():
    handover = HandoverFactory(plan__issued_on=D(2016, 9, 9))
    seal = SealFactory(plan=handover.plan, holder=handover.county_department)
    plan = handover.plan
    plan.issued_on, plan.published_on = D(2016, 9, 12), D(2016, 9, 13)
    plan.save()
    handover.refresh_from_db()
    seal.refresh_from_db()
    expected = workdays.add_workdays(D(2016, 9, 12), workdays.HANDOVER_WORKDAYS)
    assert expected == D(2016, 10, 9)
    assert handover.due_on == seal.delivery_due_on == expected
    assert handover.history.first().due_on == expected
    assert seal.history.first().delivery_due_on == expected


def test_training_ends_months_after_its_start_plus_extensions():
    period = TrainingPeriodFactory(starts_on=D(2016, 10, 31), months=3)
    assert period.ends_on == D(2017, 1, 31)
    TrainingExtension.objects.create(
        period=period, months=1, reason="专业性强，需延长", recorded_on=D(2017, 1, 20)
    )
    period.refresh_from_db()
    assert period.ends_on == D(2017, 2, 28)
    period.months = 1
    period.save()
    assert period.ends_on == D(2016, 12, 31)
    assert period.history.first().ends_on == D(2016, 12, 31)


def test_the_fixtures_store_the_deadlines_the_calendar_computes(registry):
    plan = Plan.objects.get()
    due_on = plan.handover_due_on()
    assert due_on == D(2016, 10, 8)
    assert set(Handover.objects.values_list("due_on", flat=True)) == {due_on}
    assert set(Seal.objects.values_list("delivery_due_on", flat=True)) == {due_on}


def test_entering_a_years_holidays_moves_the_deadlines_counted_through_it():
    from devolution.models import Holiday
    from devolution.tests.factories import PlanFactory
    from handover.tests.factories import HandoverFactory
    from seals.tests.factories import SealFactory

    # 2027 is beyond chinesecalendar: Monday to Friday until its holidays are entered.
    plan = PlanFactory(issued_on=datetime.date(2027, 1, 4), published_on=None)
    handover = HandoverFactory(plan=plan)
    seal = SealFactory(plan=plan)
    assert handover.due_on == seal.delivery_due_on == datetime.date(2027, 1, 25)
    holiday = Holiday.objects.create(date=datetime.date(2027, 1, 5), is_workday=False, name="假日")
    handover.refresh_from_db()
    seal.refresh_from_db()
    assert handover.due_on == seal.delivery_due_on == datetime.date(2027, 1, 26)
    holiday.delete()
    handover.refresh_from_db()
    assert handover.due_on == datetime.date(2027, 1, 25)
