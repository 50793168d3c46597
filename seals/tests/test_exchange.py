"""Seals as a table: round trip, new seals, and a status that only custody steps may move."""

import io

import pytest

from devolution.exchange.engine import export, import_file
from devolution.tests.sheets import xlsx_bytes
from seals.exchange import SealTable
from seals.models import Seal, SealStatus

pytestmark = pytest.mark.django_db


def seals_state():
    return list(Seal.objects.order_by("pk").values()), Seal.history.count()


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_seals_export_and_import_back_unchanged(registry, fmt):
    stream = io.BytesIO()
    export("seals", fmt, stream)
    before = seals_state()
    _, result = import_file(stream.getvalue(), f"s.{fmt}", "seals")
    assert result.ok and len(result.unchanged) == Seal.objects.count() > 0
    assert seals_state() == before


def test_a_new_seal_is_created_engraved_and_a_note_updated(registry):
    seal = Seal.objects.select_related("issuer", "holder").first()
    Seal.objects.filter(holder__short_name="县民政局", kind="approval").update(
        status=SealStatus.SEALED_AWAY
    )
    rows = [
        SealTable.headers,
        [
            seal.name,
            seal.get_kind_display(),
            seal.issuer.full_name,
            seal.holder.short_name,
            "已刻制",
            "已核对印模",
        ],
        ["盘锦市民政局行政审批专用章(5)", "行政审批专用章", "市民政局", "盘山县民政局", "", ""],
    ]
    _, result = import_file(xlsx_bytes(rows), "s.xlsx", "seals")
    assert result.ok, result.errors
    assert (len(result.new), len(result.changed)) == (1, 1)
    seal.refresh_from_db()
    assert seal.note == "已核对印模"
    new = Seal.objects.get(name="盘锦市民政局行政审批专用章(5)")
    assert new.status == SealStatus.ENGRAVED and new.holder.short_name == "县民政局"
    # Written in bulk, yet with its derived delivery deadline.
    assert new.delivery_due_on == new.plan.handover_due_on()


def test_an_import_cannot_move_a_seal_to_another_holder(registry):
    seal = Seal.objects.select_related("issuer", "holder").first()
    rows = [
        SealTable.headers,
        [seal.name, seal.get_kind_display(), seal.issuer.short_name, "县民政局", "已刻制", ""],
    ]
    before = seals_state()
    _, result = import_file(xlsx_bytes(rows), "s.xlsx", "seals")
    assert "不能通过导入修改" in result.errors[0][1]
    assert seals_state() == before


def test_an_import_cannot_move_a_seals_status(registry):
    seal = Seal.objects.select_related("issuer", "holder").first()
    rows = [
        SealTable.headers,
        [
            seal.name,
            seal.get_kind_display(),
            seal.issuer.short_name,
            seal.holder.short_name,
            "已启用",
            "",
        ],
        ["新印章(9)", "非审批类事项办理专用章", "市行政审批局", "县民政局", "已启用", ""],
    ]
    before = seals_state()
    _, result = import_file(xlsx_bytes(rows), "s.xlsx", "seals")
    assert [number for number, _ in result.errors] == [2, 3]
    assert "不能通过导入修改" in result.errors[0][1]
    assert "只能以“已刻制”状态导入" in result.errors[1][1]
    assert seals_state() == before


def test_a_seal_held_by_a_city_department_is_refused(registry):
    rows = [SealTable.headers, ["新印章(9)", "行政审批专用章", "市民政局", "市民政局", "", ""]]
    _, result = import_file(xlsx_bytes(rows), "s.xlsx", "seals")
    assert result.errors == [(2, "“保管使用部门”中的“市民政局”不是县级部门。")]


def test_a_second_live_seal_of_a_kind_is_refused(registry):
    seal = Seal.objects.select_related("issuer", "holder").first()
    rows = [
        SealTable.headers,
        [
            "另一枚(5)",
            seal.get_kind_display(),
            seal.issuer.short_name,
            seal.holder.short_name,
            "",
            "",
        ],
    ]
    before = seals_state()
    _, result = import_file(xlsx_bytes(rows), "s.xlsx", "seals")
    assert result.errors == [(2, "该刻制部门已为该部门刻制了同类在用印章，须先收回封存旧章。")]
    assert seals_state() == before
