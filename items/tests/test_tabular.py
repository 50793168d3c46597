import io

import pytest
from openpyxl import load_workbook

from devolution.exchange.writing import escape_formula, iter_csv, write_xlsx
from items.tabular import ITEM_HEADERS, item_row
from items.tests.factories import DevolvedItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=1+1", "+86", "-2", "@SUM(A1)"])
def test_formula_like_text_is_escaped(value):
    assert escape_formula(value) == "'" + value


def test_ordinary_values_pass_unchanged():
    assert [escape_formula(v) for v in ["县人社局", "", 3, None]] == ["县人社局", "", 3, None]


def test_xlsx_round_trip_keeps_codes_as_text_and_escapes_formulas():
    item = DevolvedItemFactory(code="0010XK0021", name='=HYPERLINK("x")', sub_item="")
    stream = io.BytesIO()
    write_xlsx(ITEM_HEADERS, [item_row(item)], stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ITEM_HEADERS
    assert rows[1][4] == "0010XK0021"
    assert rows[1][1] == '\'=HYPERLINK("x")'
    assert rows[1][6] == item.county_department.short_name


def test_csv_starts_with_a_bom_and_has_the_annex_headers():
    item = DevolvedItemFactory(legal_basis="第一条\n第二条")
    text = "".join(iter_csv(ITEM_HEADERS, [item_row(item)]))
    assert text.startswith("\ufeff序号,事项名称")
    assert '"第一条\n第二条"' in text
