"""The reform office's figures cost the same number of queries whatever the registry holds:
each is measured on a small registry and again after it has grown."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devolution.public.stats import progress_bars
from devolution.tests.factories import CountyDepartmentFactory
from handover.dashboard import department_progress, progress_counts
from handover.notices import unreachable_departments
from handover.tests.factories import DeadlineFlagFactory, HandoverFactory, ProvincialPortFactory
from items.models import ItemStatus
from items.tests.factories import DevolvedItemFactory
from seals.models import SealKind
from seals.tests.factories import EnabledSealFactory, SealFactory

pytestmark = pytest.mark.django_db


def grow(departments):
    """Per new county department: items (two taken over, never stamped), a handover with an
    open flag on its city department (which has no contact e-mail), seals and a port."""
    for _ in range(departments):
        county = CountyDepartmentFactory()
        handover = HandoverFactory(county_department=county)
        for status in [ItemStatus.NOT_HANDED_OVER, ItemStatus.IN_TRAINING, ItemStatus.EXERCISED]:
            DevolvedItemFactory(plan=handover.plan, county_department=county, status=status)
        DeadlineFlagFactory(record=handover)
        SealFactory(plan=handover.plan, holder=county, issuer=county.counterpart)
        EnabledSealFactory(
            plan=handover.plan,
            holder=county,
            issuer=county.counterpart,
            kind=SealKind.NON_APPROVAL,
            name=f"{county.counterpart.full_name}非审批类事项办理专用章(4)",
        )
        ProvincialPortFactory(county_department=county, opened_on=datetime.date(2016, 11, 1))


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.parametrize(
    "figure, expected",
    [
        (lambda: list(unreachable_departments()), 1),
        # One grouped query per count (items, handovers, seals, ports, flags).
        (progress_counts, 5),
        # Four counts, the county departments, the items never stamped.
        (department_progress, 6),
        # Handovers, seals and flags.
        (progress_bars, 3),
    ],
    ids=["unreachable_departments", "progress_counts", "department_progress", "progress_bars"],
)
def test_the_figure_costs_the_same_queries_as_the_registry_grows(figure, expected):
    grow(1)
    few = queries(figure)
    grow(6)
    assert (few, queries(figure)) == (expected, expected)


def test_the_figures_see_what_grew():
    grow(3)
    assert unreachable_departments().count() == 3
    rows, total = department_progress()
    assert (len(rows), total.items, total.seals, total.seals_enabled) == (3, 9, 6, 3)
    assert (total.ports, total.ports_open, total.open_flags, total.late_city) == (3, 3, 3, 3)
    assert (total.handed_over, len(total.never_stamped)) == (6, 6)
