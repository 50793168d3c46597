"""Departments as a table: round trip, new departments, and a clash only the database sees."""

import io

import pytest

from devolution.exchange.engine import export, import_file
from devolution.exchange.errors import ExchangeError
from devolution.models import Department, ImportRecord
from devolution.tests.sheets import xlsx_bytes

pytestmark = pytest.mark.django_db
HEADERS = ["全称", "简称", "层级", "市直对口部门", "联系人邮箱", "排序"]


def departments():
    return list(Department.objects.order_by("pk").values())


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_departments_export_and_import_back_unchanged(registry, fmt):
    stream = io.BytesIO()
    export("departments", fmt, stream)
    before = departments()
    _, result = import_file(stream.getvalue(), f"d.{fmt}", "departments")
    assert result.ok and len(result.unchanged) == 59 and not result.new and not result.changed
    assert departments() == before


def test_a_new_county_department_is_added_with_its_counterpart(registry):
    rows = [HEADERS, ["盘山县测绘局", "县测绘局", "县级", "盘锦市民政局", "", 40]]
    import_file(xlsx_bytes(rows), "d.xlsx", "departments")
    added = Department.objects.get(short_name="县测绘局")
    assert added.counterpart.short_name == "市民政局" and added.level == "county"


def test_a_city_department_cannot_have_a_counterpart(registry):
    rows = [HEADERS, ["盘锦市测绘局", "市测绘局", "市级", "市民政局", "", 40]]
    _, result = import_file(xlsx_bytes(rows), "d.xlsx", "departments")
    assert result.errors == [(2, "只有县级部门才有市直对口部门。")]
    assert not Department.objects.filter(short_name="市测绘局").exists()


def test_a_clash_only_the_database_sees_rolls_back_the_whole_import(registry):
    before = departments()
    rows = [
        HEADERS,
        ["盘山县测绘局", "县测绘局", "县级", "", "", 40],
        # A new full name with the short name of an existing department.
        ["盘山县人力资源局", "县人社局", "县级", "", "", 41],
    ]
    with pytest.raises(ExchangeError, match="未导入任何数据"):
        import_file(xlsx_bytes(rows), "d.xlsx", "departments")
    assert departments() == before
    assert ImportRecord.objects.get().status == ImportRecord.Status.PREVIEWED
