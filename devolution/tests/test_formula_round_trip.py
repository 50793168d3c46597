"""An export re-imports to exactly the stored value, for every string (formula escaping included).

Property tests over random strings, through the real writers (.xlsx, .xls, .csv) and the real
reader the imports use.
"""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devolution.exchange.reading import clean_text, read_table
from devolution.exchange.writing import (
    FORMULA_PREFIXES,
    escape_formula,
    iter_csv,
    unescape_formula,
    write_xls,
    write_xlsx,
)

# Pieces a random string is most likely to break on: our escape, every formula prefix (the
# full-width ones too), line breaks, and the _xHHHH_ escapes of the .xlsx format.
TRICKY = st.sampled_from(
    ["'", "''", "\n", "\t", " ", "\u3000", "_x000D_", "_x0041_", *FORMULA_PREFIXES]
)
# Any character a stored value may hold: everything but surrogates and control characters other
# than line feed and tab (a spreadsheet cannot hold those).
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t")
ANY_TEXT = st.lists(st.text(CHARACTERS, max_size=8) | TRICKY, max_size=6).map("".join)
# What the registry stores: what an import or an admin form leaves (no surrounding spaces,
# line breaks as \n).
STORED = ANY_TEXT.map(lambda text: text.replace("\r", "").strip(" \t\n\u3000\ufeff"))
HEADERS = ["序号", "事项名称"]
SPEC = {"序号": (True, []), "事项名称": (False, [])}


@settings(deadline=None)
@given(ANY_TEXT)
def test_unescape_is_the_exact_inverse_of_escape(text):
    assert unescape_formula(escape_formula(text)) == text


@settings(deadline=None)
@given(st.sampled_from(FORMULA_PREFIXES), ANY_TEXT)
def test_every_formula_prefix_is_neutralised(prefix, rest):
    assert escape_formula(prefix + rest).startswith("'" + prefix)


def test_full_width_equals_signs_are_neutralised():
    assert escape_formula("＝HYPERLINK(1)") == "'＝HYPERLINK(1)"
    assert escape_formula("﹦1+1") == "'﹦1+1"


def test_text_that_really_starts_with_an_apostrophe_and_a_sign_comes_back():
    for stored in ["'=1+1", "'+86", "'-2", "'@SUM", "''=x", "'"]:
        assert clean_text(escape_formula(stored)) == stored


def round_trip(writer, values):
    rows = [[str(index), value] for index, value in enumerate(values, start=1)]
    if writer is iter_csv:
        data = "".join(iter_csv(HEADERS, rows)).encode("utf-8")
    else:
        target = io.BytesIO()
        writer(HEADERS, rows, target)
        data = target.getvalue()
    table = read_table(data, SPEC)
    read = {int(cells["序号"]): cells["事项名称"] for _, cells in table.rows}
    return [read[index] for index in range(1, len(values) + 1)]


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(STORED, min_size=1, max_size=20))
def test_xlsx_export_imports_back_exactly(values):
    assert round_trip(write_xlsx, values) == values


@PROPERTY
@given(st.lists(STORED, min_size=1, max_size=20))
def test_csv_export_imports_back_exactly(values):
    assert round_trip(iter_csv, values) == values


@PROPERTY
@given(st.lists(STORED, min_size=1, max_size=20))
def test_xls_export_imports_back_exactly(values):
    assert round_trip(write_xls, values) == values
