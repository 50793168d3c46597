"""Handovers as a table: round trip, recording completions, refusing unsigned ones."""

import datetime
import io

import pytest

from devolution.exchange.engine import export, import_file
from devolution.tests.sheets import csv_bytes, xls_bytes
from handover.exchange import HandoverTable
from handover.models import Handover

pytestmark = pytest.mark.django_db


def handovers_state():
    return list(Handover.objects.order_by("pk").values()), Handover.history.count()


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_handovers_export_and_import_back_unchanged(registry, fmt):
    Handover.objects.filter(pk=1).update(completed_on=datetime.date(2016, 9, 28), signed_by="张三")
    stream = io.BytesIO()
    export("handovers", fmt, stream)
    before = handovers_state()
    _, result = import_file(stream.getvalue(), f"h.{fmt}", "handovers")
    assert result.ok and len(result.unchanged) == Handover.objects.count() == 29
    assert handovers_state() == before


def test_a_completion_is_recorded_with_history(registry):
    handover = Handover.objects.select_related("city_department", "county_department").first()
    rows = [
        HandoverTable.headers,
        [
            handover.city_department.full_name,
            handover.county_department.short_name,
            "",
            "2016年9月28日",
            "李四",
            "",
        ],
    ]
    _, result = import_file(xls_bytes(rows), "h.xls", "handovers")
    assert result.ok and len(result.changed) == 1
    assert ("完成日期", "（空）", "2016-09-28") in result.changed[0].diff
    handover.refresh_from_db()
    assert (handover.completed_on, handover.signed_by) == (datetime.date(2016, 9, 28), "李四")
    assert handover.history.first().history_change_reason.startswith("导入记录 #")


@pytest.mark.parametrize(
    ("completed", "signer", "message"),
    [
        ("2016-09-28", "", "必须同时填写“签字人”"),
        ("九月", "李四", "“完成日期”应为日期"),
    ],
)
def test_bad_handover_rows_are_refused(registry, completed, signer, message):
    rows = [HandoverTable.headers, ["市民政局", "县民政局", "", completed, signer, ""]]
    before = handovers_state()
    _, result = import_file(csv_bytes(rows), "h.csv", "handovers")
    assert len(result.errors) == 1 and message in result.errors[0][1]
    assert handovers_state() == before


def test_the_due_date_is_derived_never_imported(registry):
    handover = Handover.objects.select_related("city_department", "county_department").first()
    rows = [
        HandoverTable.headers,
        [
            handover.city_department.full_name,
            handover.county_department.short_name,
            "2030年1月1日",  # typed into 交接期限: read past
            "",
            "",
            "",
        ],
    ]
    _, result = import_file(csv_bytes(rows), "h.csv", "handovers")
    assert result.ok and len(result.unchanged) == 1
    handover.refresh_from_db()
    assert handover.due_on == handover.plan.handover_due_on() == datetime.date(2016, 10, 8)
