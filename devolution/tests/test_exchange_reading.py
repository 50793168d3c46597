"""Reading operators' files: formats, encodings, title rows, and every file refused whole."""

import io
import zipfile

import msoffcrypto.format.ooxml
import pytest

from devolution.exchange.errors import ExchangeError
from devolution.exchange.reading import clean_text, match_key, read_table
from devolution.models import Department
from devolution.tests.factories import CountyDepartmentFactory
from devolution.tests.sheets import csv_bytes, xls_bytes, xlsx_bytes

SPEC = {
    "序号": (False, []),
    "事项名称": (True, ["项目名称"]),
    "事项编码": (False, []),
    "备注": (False, []),
}
HEADER = ["序号", "事项名称", "事项编码", "备注"]
ROWS = [HEADER, [1, "企业技术改造项目核准", "0021", "第一行\n第二行"], [2, "节能审查", "PJ 01", ""]]
EXPECTED = [
    (
        None,
        {
            "序号": "1",
            "事项名称": "企业技术改造项目核准",
            "事项编码": "0021",
            "备注": "第一行\n第二行",
        },
    ),
    (None, {"序号": "2", "事项名称": "节能审查", "事项编码": "PJ 01", "备注": ""}),
]


def cells_of(table):
    return [cells for _, cells in table.rows]


@pytest.mark.parametrize(
    "data",
    [
        xlsx_bytes(ROWS),
        xlsx_bytes(ROWS, title="附件2 赋予盘山县市级行政职权事项目录"),
        xls_bytes(ROWS),
        xls_bytes(ROWS, title="附件2 赋予盘山县市级行政职权事项目录"),
        csv_bytes(ROWS),
        csv_bytes(ROWS, bom=True),
        csv_bytes(ROWS, encoding="gb18030"),
    ],
    ids=["xlsx", "xlsx-title", "xls", "xls-title", "csv", "csv-bom", "csv-gb18030"],
)
def test_every_format_reads_to_the_same_rows(data):
    table = read_table(data, SPEC)
    assert cells_of(table) == [cells for _, cells in EXPECTED]
    assert table.headers == HEADER


def test_row_numbers_are_the_sheets_own_below_a_title():
    table = read_table(xlsx_bytes(ROWS, title="标题"), SPEC)
    # Title on row 1, a blank row 2, the header on row 3.
    assert [number for number, _ in table.rows] == [4, 5]


def test_numeric_cells_become_text_without_a_decimal_point():
    rows = [HEADER, [1.0, "事项", 21, ""], [2, "事项乙", 21.5, ""]]
    for data in (xlsx_bytes(rows), xls_bytes(rows)):
        assert [cells["事项编码"] for cells in cells_of(read_table(data, SPEC))] == ["21", "21.5"]


def test_headers_are_matched_after_normalising_spaces_and_width():
    rows = [["序 号", "项目名称\n", "事项编码", "备注"], [1, "事项", "", ""]]
    assert cells_of(read_table(xlsx_bytes(rows), SPEC))[0]["事项名称"] == "事项"


def test_our_own_formula_escape_is_undone():
    assert clean_text("'=SUM(A1)") == "=SUM(A1)"
    assert clean_text("'普通") == "'普通"
    assert clean_text("  县人社局\u3000") == "县人社局"


def test_match_key_folds_full_width_and_spaces():
    assert match_key("盘山县 人社局（试点）") == match_key("盘山县人社局(试点)")
    assert match_key("ＰＪ－01") == match_key("PJ-01")


@pytest.mark.django_db
def test_a_department_is_found_by_every_way_of_writing_it():
    department = CountyDepartmentFactory(
        full_name="盘山县人力资源和社会保障局", short_name="县人社局"
    )
    names = Department.objects.all().name_map()
    for written in ["盘山县人力资源和社会保障局", "县人社局", "盘山县人社局", " 盘山县 人社局 "]:
        assert names[match_key(written)] == department


def refused(data, message, spec=SPEC):
    with pytest.raises(ExchangeError) as caught:
        read_table(data, spec)
    assert message in str(caught.value)


def test_empty_file_is_refused():
    refused(b"", "文件是空的")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"%PDF-1.4 ...", bytes(range(256)) * 10],
    ids=["png", "pdf", "binary"],
)
def test_not_a_spreadsheet_is_refused(data):
    refused(data, "不是表格文件")


def test_a_zip_that_is_not_a_workbook_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    refused(stream.getvalue(), "不是 Excel 表格文件")


def test_corrupt_xlsx_is_refused():
    data = xlsx_bytes(ROWS)
    refused(data[: len(data) // 2], "文件已损坏")


def test_corrupt_xls_is_refused():
    data = xls_bytes(ROWS)
    refused(data[:600] + b"\xff" * 600, "文件已损坏")


def test_password_protected_workbook_is_refused():
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(xlsx_bytes(ROWS))).encrypt("secret", encrypted)
    refused(encrypted.getvalue(), "密码保护")


def test_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS)))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in workbook.infolist():
            archive.writestr(member, workbook.read(member))
        # 8 MB of zeros packs into a few kilobytes: the declared size gives it away.
        archive.writestr("xl/media/padding.bin", b"\x00" * (8 * 1024 * 1024))
    assert len(stream.getvalue()) < 100 * 1024
    refused(stream.getvalue(), "压缩炸弹")


def test_upload_over_the_size_cap_is_refused(settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 1024 * 1024
    refused(csv_bytes(ROWS) + b" " * (1024 * 1024), "上限")


def test_missing_header_is_refused():
    refused(xlsx_bytes([["序号", "备注"], [1, "x"]]), "缺少列：事项名称")


def test_no_header_at_all_is_refused():
    refused(csv_bytes([["甲", "乙"], ["1", "2"]]), "找不到表头")


def test_unknown_header_is_refused():
    refused(xlsx_bytes([[*HEADER, "负责人"], [1, "事项", "", "", "张三"]]), "无法识别的列：负责人")


def test_a_cell_over_the_size_limit_is_refused(settings):
    settings.REGISTRY_IMPORT_MAX_CELL_CHARS = 100
    refused(xlsx_bytes([HEADER, [1, "事" * 101, "", ""]]), "第 2 行“事项名称”超过 100 个字符")


def test_too_many_rows_are_refused(settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 2
    refused(csv_bytes([HEADER, *[[n, f"事项{n}", "", ""] for n in range(3)]]), "行的上限")


def test_undecodable_csv_is_refused():
    refused("序号,事项名称\n".encode() + b"\xff\x80\xff", "无法识别文件编码")
