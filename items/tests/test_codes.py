"""National item codes and the mode of devolution: read from annex cells (two codes in one cell
included), carried by the exports, absent from old files without harm."""

import pytest

from devolution.exchange.engine import import_file
from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from devolution.tests.sheets import xlsx_bytes
from items.exchange import split_codes
from items.models import DevolutionMode, DevolvedItem
from items.tabular import ITEM_HEADERS, ITEM_ILLUSTRATIVE_HEADER, item_rows
from items.tests.factories import DevolvedItemFactory
from items.tests.publishing import imported

pytestmark = pytest.mark.django_db

MAIN = "11210000MB1234567X4" + "0" * 20 + "2100000000001"  # leading zeros are kept
SUB = "11210000MB1234567X4" + "0" * 20 + "210000000000100001"
TWO_CODES = f"{MAIN} / 子项 {SUB}"


@pytest.fixture
def county():
    return CountyDepartmentFactory(full_name="盘山县人力资源和社会保障局", short_name="县人社局")


def test_a_cell_of_two_codes_is_read_into_both_fields():
    assert len(TWO_CODES) >= 100
    assert split_codes(TWO_CODES) == (MAIN, SUB)
    assert split_codes("001234") == ("001234", "")
    # Not the two-code form: kept whole.
    assert split_codes("0012/34") == ("0012/34", "")


def test_a_100_character_two_code_cell_imports(county):
    PlanFactory()
    headers = ["事项名称", "权力类型", "承接部门", "实施编码", "基本编码", "赋权方式", "行使层级"]
    row = ["长编码事项", "行政许可", "县人社局", TWO_CODES, "000123456789", "委托", "县级"]
    _, result = imported(xlsx_bytes([headers, row]), "附件.xlsx", "items")
    assert not result.errors
    item = DevolvedItem.objects.get(name="长编码事项")
    assert (item.implementation_code, item.sub_item_code) == (MAIN, SUB)
    assert item.basic_code == "000123456789"
    assert item.devolution_mode == DevolutionMode.ENTRUSTED and item.exercise_level == "县级"


def test_an_old_file_without_the_code_columns_still_imports(county):
    PlanFactory()
    headers = ["序号", "事项名称", "权力类型", "事项编码", "承接部门"]
    _, result = imported(
        xlsx_bytes([headers, [1, "老文件事项", "行政许可", "PJ-1", "县人社局"]]), "a.xlsx", "items"
    )
    assert not result.errors
    assert DevolvedItem.objects.get(code="PJ-1").implementation_code == ""


def test_an_unknown_mode_of_devolution_is_refused_in_chinese(county):
    PlanFactory()
    headers = ["事项名称", "权力类型", "承接部门", "赋权方式"]
    _, result = import_file(
        xlsx_bytes([headers, ["事项", "行政许可", "县人社局", "转让"]]), "a.xlsx", "items"
    )
    assert result.errors == [(2, "赋权方式“转让”无法识别，可选：下放、委托。")]
    assert not DevolvedItem.objects.exists()


def test_every_exported_row_of_an_illustrative_item_carries_the_mark(county):

    DevolvedItemFactory(county_department=county, illustrative=True, implementation_code=MAIN)
    DevolvedItemFactory(county_department=county, illustrative=False)
    rows = [
        dict(zip(ITEM_HEADERS, row, strict=True))
        for row in item_rows(DevolvedItem.objects.order_by("pk"))
    ]
    assert [row[ITEM_ILLUSTRATIVE_HEADER] for row in rows] == ["示例数据", ""]
    assert rows[0]["实施编码"] == MAIN
