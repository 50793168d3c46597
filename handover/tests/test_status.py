"""Every transition of an item's derived status, driven by recording the facts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from handover.models import HandoverExclusion, ProvincialPort, StatusRefresh, TrainingPeriod
from handover.status import refresh_item_statuses
from handover.tests.factories import HandoverFactory, of_handover
from items.models import DevolvedItem, ItemStatus, PowerType, ProvincialSystem
from items.tests.factories import DevolvedItemFactory
from seals.models import SealKind, SealStatus
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db

COMPLETED = datetime.date(2016, 9, 30)
SYSTEM_NAME = "辽宁省投资项目在线审批监管平台"


@pytest.fixture
def pair(django_capture_on_commit_callbacks):
    """A handover with a licensing item, a penalty item and an item needing a provincial port."""
    handover = HandoverFactory()
    system = ProvincialSystem.objects.create(name=SYSTEM_NAME)
    common = of_handover(handover)
    with django_capture_on_commit_callbacks(execute=True):
        items = {
            "licensing": DevolvedItemFactory(power_type=PowerType.LICENSING, **common),
            "penalty": DevolvedItemFactory(power_type=PowerType.PENALTY, **common),
            "ported": DevolvedItemFactory(
                power_type=PowerType.LICENSING, provincial_system=system, **common
            ),
        }
    seals = {
        kind: SealFactory(
            plan=handover.plan,
            holder=handover.county_department,
            issuer=handover.city_department,
            kind=kind,
            name=f"章{kind}",
        )
        for kind in SealKind.values
    }
    return handover, items, seals


def statuses(items):
    return {key: DevolvedItem.objects.get(pk=item.pk).status for key, item in items.items()}


def record(callbacks, action):
    with callbacks(execute=True):
        action()


def enable(seal):
    seal.status = SealStatus.ENABLED
    seal.save()


def complete(handover):
    handover.completed_on = COMPLETED
    handover.signed_by = "县编委办 赵六"
    handover.save()


def test_new_items_are_not_handed_over(pair):
    _, items, _ = pair
    assert set(statuses(items).values()) == {ItemStatus.NOT_HANDED_OVER}


def test_completed_handover_without_enabled_seals_keeps_the_old_procedure(
    pair, django_capture_on_commit_callbacks
):
    handover, items, _ = pair
    record(django_capture_on_commit_callbacks, lambda: complete(handover))
    assert set(statuses(items).values()) == {ItemStatus.NOT_HANDED_OVER}


def test_enabled_seals_before_completion_keep_the_old_procedure(
    pair, django_capture_on_commit_callbacks
):
    _, items, seals = pair
    for seal in seals.values():
        record(django_capture_on_commit_callbacks, lambda seal=seal: enable(seal))
    assert set(statuses(items).values()) == {ItemStatus.NOT_HANDED_OVER}


def test_from_not_handed_over_to_exercised(pair, django_capture_on_commit_callbacks):
    handover, items, seals = pair
    callbacks = django_capture_on_commit_callbacks
    record(callbacks, lambda: complete(handover))
    record(callbacks, lambda: enable(seals[SealKind.APPROVAL]))
    # Only the kind whose seal is enabled moves on.
    assert statuses(items) == {
        "licensing": ItemStatus.IN_TRAINING,
        "penalty": ItemStatus.NOT_HANDED_OVER,
        "ported": ItemStatus.IN_TRAINING,
    }
    record(callbacks, lambda: enable(seals[SealKind.NON_APPROVAL]))
    # Completing the handover opened the training period; the city department sets its length.
    training = TrainingPeriod.objects.get(handover=handover)
    assert (training.starts_on, training.months) == (COMPLETED, handover.plan.training_months)
    training.months = 2
    record(callbacks, training.save)
    assert set(statuses(items).values()) == {ItemStatus.IN_TRAINING}

    training.confirmed_on = datetime.date(2016, 11, 30)
    training.confirmed_by = "县人社局 钱七"
    record(callbacks, training.save)
    # The item that needs a provincial system waits for its port.
    assert statuses(items) == {
        "licensing": ItemStatus.EXERCISED,
        "penalty": ItemStatus.EXERCISED,
        "ported": ItemStatus.IN_TRAINING,
    }
    port = ProvincialPort(
        county_department=handover.county_department,
        system=ProvincialSystem.objects.get(name=SYSTEM_NAME),
    )
    record(callbacks, port.save)
    assert statuses(items)["ported"] == ItemStatus.IN_TRAINING
    port.opened_on = datetime.date(2016, 12, 5)
    record(callbacks, port.save)
    assert set(statuses(items).values()) == {ItemStatus.EXERCISED}
    # Each change of status is in the item's history.
    licensing = DevolvedItem.objects.get(pk=items["licensing"].pk)
    assert list(licensing.history.values_list("status", flat=True)[:3]) == [
        ItemStatus.EXERCISED,
        ItemStatus.IN_TRAINING,
        ItemStatus.NOT_HANDED_OVER,
    ]


def test_excluded_item_stays_with_the_city(pair, django_capture_on_commit_callbacks):
    handover, items, seals = pair
    callbacks = django_capture_on_commit_callbacks
    exclusion = HandoverExclusion(handover=handover, item=items["penalty"], reason="涉密，暂缓移交")
    record(callbacks, exclusion.save)
    record(callbacks, lambda: complete(handover))
    for seal in seals.values():
        record(callbacks, lambda seal=seal: enable(seal))
    assert statuses(items)["penalty"] == ItemStatus.NOT_HANDED_OVER
    assert statuses(items)["licensing"] == ItemStatus.IN_TRAINING


def test_retired_item_stays_retired(pair, django_capture_on_commit_callbacks):
    handover, items, seals = pair
    callbacks = django_capture_on_commit_callbacks
    record(callbacks, lambda: items["licensing"].retire(datetime.date(2017, 1, 1)))
    record(callbacks, lambda: complete(handover))
    record(callbacks, lambda: enable(seals[SealKind.APPROVAL]))
    assert statuses(items)["licensing"] == ItemStatus.RETIRED


def queries_to_refresh_pair(count):
    """Queries to refresh `count` items of a completed, seal-enabled pair, all of which change."""
    handover = HandoverFactory(completed=True)
    common = of_handover(handover)
    DevolvedItemFactory.create_batch(count, **common)
    SealFactory(
        plan=handover.plan,
        holder=handover.county_department,
        issuer=handover.city_department,
        status=SealStatus.ENABLED,
    )
    items = DevolvedItem.objects.filter(county_department=handover.county_department)
    with CaptureQueriesContext(connection) as captured:
        assert refresh_item_statuses(items) == count
    assert set(items.values_list("status", flat=True)) == {ItemStatus.IN_TRAINING}
    return len(captured)


def test_refresh_runs_a_fixed_number_of_queries():
    # 25 rows still fit one history INSERT batch on SQLite (999 parameters, some 35 columns);
    # beyond, SQLite splits it.
    assert queries_to_refresh_pair(3) == queries_to_refresh_pair(25)


def test_the_daily_scan_brings_statuses_written_in_bulk_up_to_date():
    from handover.deadlines import scan_deadlines

    handover = HandoverFactory(completed=True)
    SealFactory(
        plan=handover.plan,
        holder=handover.county_department,
        issuer=handover.city_department,
        status=SealStatus.ENABLED,
    )
    # As an import writes: in bulk, without signals.
    (item,) = DevolvedItem.objects.bulk_create([DevolvedItemFactory.build(**of_handover(handover))])
    assert DevolvedItem.objects.get(pk=item.pk).status == ItemStatus.NOT_HANDED_OVER
    assert scan_deadlines(datetime.date(2016, 10, 10)).statuses_changed == 1
    assert DevolvedItem.objects.get(pk=item.pk).status == ItemStatus.IN_TRAINING


def test_imported_items_take_their_pairs_status_at_once(django_capture_on_commit_callbacks):
    from devolution.tests.sheets import xlsx_bytes
    from items.tabular import ITEM_HEADERS
    from items.tests.publishing import imported

    handover = HandoverFactory(completed=True)
    county, city = handover.county_department, handover.city_department
    SealFactory(plan=handover.plan, holder=county, issuer=city, status=SealStatus.ENABLED)
    row = [
        1,
        "导入的许可事项",
        "",
        "行政许可",
        "IMP-0001",
        city.short_name,
        county.short_name,
        "",
        "",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        # The import drafts an adjustment; its publication lists the item (rule 8).
        _, result = imported(
            xlsx_bytes([ITEM_HEADERS[:-1], row]),
            "新事项.xlsx",
            "items",
            plan_doc_number=handover.plan.doc_number,
        )
    assert result.ok and len(result.new) == 1
    assert DevolvedItem.objects.get(code="IMP-0001").status == ItemStatus.IN_TRAINING


@pytest.mark.django_db
def test_the_item_keeps_its_handover_completion_date_for_the_stamping_rules():
    from handover.status import refresh_item_statuses
    from handover.tests.factories import HandoverFactory, of_handover
    from items.tests.factories import DevolvedItemFactory

    handover = HandoverFactory()
    item = DevolvedItemFactory(**of_handover(handover))
    refresh_item_statuses()
    item.refresh_from_db()
    assert item.handed_over_on is None
    handover.completed_on, handover.signed_by = datetime.date(2016, 10, 20), "张三"
    handover.save()
    refresh_item_statuses()
    item.refresh_from_db()
    assert item.handed_over_on == datetime.date(2016, 10, 20)


# The daily scan's refresh: only what changed since the last one ---------------------------


def test_the_scan_refreshes_an_item_whose_input_changed_without_its_own_refresh():
    from handover.deadlines import scan_deadlines

    handover = HandoverFactory()
    item = DevolvedItemFactory(**of_handover(handover), power_type=PowerType.PENALTY)
    SealFactory(
        plan=handover.plan,
        holder=handover.county_department,
        kind=SealKind.NON_APPROVAL,
        status=SealStatus.ENABLED,
    )
    scan_deadlines(datetime.date(2016, 10, 9))  # the first scan: every item
    # Saved with its history, but its own refresh (after commit) never ran, as when the
    # process died between the two.
    handover.completed_on, handover.signed_by = COMPLETED, "张三"
    handover.save()
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_HANDED_OVER
    scan_deadlines(datetime.date(2016, 10, 10))
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRAINING


def test_a_scan_with_nothing_new_reads_no_item_whatever_the_plan_size(monkeypatch):
    from handover import status
    from handover.status import refresh_changed_statuses

    derived = []
    real = status.derive_status
    monkeypatch.setattr(status, "derive_status", lambda *a, **k: derived.append(1) or real(*a, **k))

    def quiet_refresh():
        with CaptureQueriesContext(connection) as queries:
            refresh_changed_statuses()
        return len(queries)

    def made_long_ago(count):
        DevolvedItemFactory.create_batch(count, plan=handover.plan)
        DevolvedItem.history.update(history_date=timezone.now() - datetime.timedelta(hours=2))

    handover = HandoverFactory()
    made_long_ago(3)
    refresh_changed_statuses()  # the first: every item
    assert derived
    derived.clear()
    few = quiet_refresh()
    made_long_ago(30)
    assert quiet_refresh() == few
    assert derived == []  # no status was recomputed


def test_a_status_refresh_names_its_time_in_beijing_time():
    refreshed = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)
    assert str(StatusRefresh(refreshed_at=refreshed)) == "2026-12-02 00:30"
