"""Importing and exporting the annexes: identity, matching, the preview, all-or-nothing, history,
the commands and the admin flow."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from devolution.exchange import bulk
from devolution.exchange.engine import confirm_import, export, import_file, start_import
from devolution.exchange.errors import ExchangeError
from devolution.models import ImportRecord, Plan
from devolution.tests.factories import CountyDepartmentFactory, PlanFactory, UserFactory
from devolution.tests.sheets import csv_bytes, read_csv_rows, xls_bytes, xlsx_bytes
from items.models import Adjustment, CancelledApproval, DevolvedItem, PowerType, ProvincialSystem
from items.tabular import ITEM_HEADERS
from items.tests.factories import DevolvedItemFactory, ProvincialSystemFactory
from items.tests.publishing import confirmed, imported, office_member, publish_draft

pytestmark = pytest.mark.django_db

ANNEX = Path(__file__).resolve().parents[2] / "fixtures" / "annex"
TITLE = "附件2\n盘锦市赋予盘山县市级行政职权事项目录"


def registry_state():
    """Everything an import could write: the records and their history."""
    return (
        list(DevolvedItem.objects.order_by("pk").values()),
        list(CancelledApproval.objects.order_by("pk").values()),
        DevolvedItem.history.count(),
        CancelledApproval.history.count(),
    )


def exported(table, fmt):
    stream = io.BytesIO()
    export(table, fmt, stream)
    return stream.getvalue()


@pytest.fixture
def county():
    return CountyDepartmentFactory(full_name="盘山县人力资源和社会保障局", short_name="县人社局")


@pytest.fixture
def plan():
    return PlanFactory()


def item_file(*rows, title=None, fmt="xlsx"):
    build = {"xlsx": xlsx_bytes, "xls": xls_bytes, "csv": csv_bytes}[fmt]
    return (
        build([ITEM_HEADERS, *rows], title=title) if fmt != "csv" else build([ITEM_HEADERS, *rows])
    )


# --- the illustrative annexes against the fixtures --------------------------------------------


@pytest.mark.parametrize(
    ("name", "table"), [("devolved_items.csv", "items"), ("cancelled_approvals.csv", "cancelled")]
)
def test_the_annex_csvs_load_into_the_fixtures_with_no_change(registry, name, table):
    before = registry_state()
    call_command("import_registry", str(ANNEX / name), table=table, stdout=io.StringIO())
    assert registry_state() == before
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.COMMITTED
    assert record.unchanged_count == record.rows > 0
    assert record.new_count == record.changed_count == 0


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize(
    ("name", "table"), [("devolved_items.csv", "items"), ("cancelled_approvals.csv", "cancelled")]
)
def test_the_annexes_as_workbooks_with_a_merged_title_change_nothing(registry, name, table, fmt):
    rows = read_csv_rows(ANNEX / name)
    # Wrapped header cells, as Chinese Excel saves them ("事项\n名称").
    rows[0] = [f"{header[:2]}\n{header[2:]}" for header in rows[0]]
    data = (xlsx_bytes if fmt == "xlsx" else xls_bytes)(rows, title=TITLE)
    before = registry_state()
    _, result = import_file(data, f"附件.{fmt}", table)
    assert result.ok, result.errors[:3]
    assert (len(result.new), len(result.changed)) == (0, 0)
    assert len(result.unchanged) == len(rows) - 1
    assert registry_state() == before


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize("table", ["items", "cancelled"])
def test_an_export_imports_back_unchanged(registry, table, fmt):
    DevolvedItem.objects.filter(pk=1).update(name='=HYPERLINK("x")', code="0021 A")
    before = registry_state()
    _, result = import_file(exported(table, fmt), f"export.{fmt}", table)
    assert result.ok and not result.new and not result.changed
    assert registry_state() == before


def test_an_export_escapes_formulas(registry):
    DevolvedItem.objects.filter(pk=1).update(name="=1+1")
    sheet = load_workbook(io.BytesIO(exported("items", "xlsx")), read_only=True).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=1+1" in names


def test_a_provincial_system_is_chosen_from_the_list_never_made_from_a_typed_name(plan, county):
    ProvincialSystemFactory(name="辽宁省社会保险信息管理系统")
    row = [
        1,
        "事项甲",
        "",
        "行政许可",
        "",
        "",
        "县人社局",
        "",
        "涉及省级系统：辽宁省社会保险信息管理系统",
    ]
    typo = [2, "事项乙", "", "行政许可", "", "", "县人社局", "", "涉及省级系统：辽宁省社保系统"]
    county.counterpart.short_name = "市测试局0"
    county.counterpart.save()
    _, result = import_file(
        item_file(row, typo, title=TITLE),
        "附件2.xlsx",
        "items",
        user=UserFactory(is_superuser=True),
    )
    assert not result.ok
    assert result.errors == [
        (5, "备注中的省级系统“辽宁省社保系统”未登记：请先在“省级业务系统”中增加，或改正名称。")
    ]
    assert not DevolvedItem.objects.exists() and ProvincialSystem.objects.count() == 1
    _, result = imported(
        item_file(row, title=TITLE), "附件2.xlsx", "items", user=UserFactory(is_superuser=True)
    )
    assert result.ok, result.errors
    assert DevolvedItem.objects.get().provincial_system.name == "辽宁省社会保险信息管理系统"


# --- identity and matching -----------------------------------------------------------------


def test_new_items_are_created_with_history_naming_the_user_and_the_import(plan, county):
    user = UserFactory(is_superuser=True)  # an operator who reaches every department
    ProvincialSystemFactory(name="社保")
    data = item_file(
        [1, "职业技能鉴定机构设立审批", "无", "行政许可", "0021", "", "盘山县人社局", "依据", ""],
        [
            2,
            "对用人单位的处罚",
            "",
            "行政处罚",
            "",
            "市测试局0",
            "县人社局",
            "",
            "涉及省级系统：社保",
        ],
        title=TITLE,
    )
    county.counterpart.short_name = "市测试局0"
    county.counterpart.save()
    record, result = import_file(data, "附件2.xlsx", "items", user=user)
    assert result.ok, result.errors
    # Rule 8: the import is a draft adjustment, by the importing user, naming the import.
    drafted = result.drafted
    assert (drafted.created_by, drafted.source_import) == (user, record)
    assert not DevolvedItem.objects.exists()
    version = publish_draft(drafted)
    first, second = DevolvedItem.objects.order_by("sequence")
    assert (first.code, first.sub_item, first.county_department) == ("0021", "", county)
    # A blank 市直部门 is the county department's counterpart.
    assert first.city_department == county.counterpart
    assert second.power_type == PowerType.PENALTY and second.provincial_system.name == "社保"
    history = DevolvedItem.history.filter(id=first.pk).get()
    assert history.history_user == version.published_by
    assert history.history_change_reason == f"{version.doc_number}（版本{version.number}）"
    assert (record.new_count, record.user, record.plan) == (2, user, plan)


def test_a_changed_row_is_previewed_with_its_diff_then_updated_with_history(plan, county):
    item = DevolvedItemFactory(plan=plan, county_department=county, code="0021", note="旧备注")
    row = [item.sequence, item.name, "", "行政许可", "0021", "", "县人社局", item.legal_basis]
    _, result = import_file(item_file([*row, "新备注"]), "a.xlsx", "items", dry_run=True)
    assert len(result.changed) == 1
    assert result.changed[0].diff == [("备注", "旧备注", "新备注")]
    item.refresh_from_db()
    assert item.note == "旧备注"

    imported(item_file([*row, "新备注"]), "a.xlsx", "items")
    item.refresh_from_db()
    assert item.note == "新备注"
    assert item.history.count() == 2
    # The same file again changes nothing, in another format too.
    _, again = imported(item_file([*row, "新备注"], fmt="csv"), "a.csv", "items")
    assert (len(again.changed), len(again.unchanged)) == (0, 1) and again.drafted is None
    assert item.history.count() == 2


def test_an_item_without_code_is_identified_by_name_sub_item_and_county_department(plan, county):
    item = DevolvedItemFactory(
        plan=plan, county_department=county, code="", name="事项甲", sub_item="子项一"
    )
    row = [1, "事项甲", "子项一", "行政许可", "", "", "盘山县人力资源和社会保障局", "新依据", ""]
    _, result = imported(item_file(row), "a.xlsx", "items")
    assert (len(result.new), len(result.changed)) == (0, 1)
    item.refresh_from_db()
    assert item.legal_basis == "新依据"


def test_names_are_matched_after_normalising_width_and_spaces(plan, county):
    DevolvedItemFactory(plan=plan, county_department=county, code="", name="事项(甲)")
    row = [1, " 事项（甲） ", "", "行政许可", "", "", "县 人社局", "", ""]
    _, result = import_file(item_file(row), "a.xlsx", "items", dry_run=True)
    assert not result.new and len(result.changed) + len(result.unchanged) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_hard_line_breaks_in_names_are_folded_and_legal_basis_keeps_them(plan, county, fmt):
    """An annex cell that wraps inside a name is stored as one line and found by search."""
    row = [
        1,
        "对在村庄、\n集镇规划区 \n 内进行建设的审批",
        "乡村建设\r\n规划许可",
        "行政许可",
        "",
        "",
        "盘山县人力资源和\n社会保障局",
        "《城乡规划法》第四十一条；\n《行政许可法》第十二条",
        "",
    ]
    english = [2, "ISO\n9001 认证", "", "行政许可", "", "", "县人社局", "", ""]
    _, result = imported(item_file(row, english, fmt=fmt), f"a.{fmt}", "items")
    assert result.ok, result.errors
    item = DevolvedItem.objects.get(sequence=1)
    assert item.name == "对在村庄、集镇规划区内进行建设的审批"
    assert item.sub_item == "乡村建设规划许可"
    assert item.county_department == county
    assert item.legal_basis == "《城乡规划法》第四十一条；\n《行政许可法》第十二条"
    assert DevolvedItem.objects.get(sequence=2).name == "ISO 9001 认证"
    assert DevolvedItem.objects.filter(name__contains="集镇规划区内").exists()


def test_a_cancelled_approval_name_is_folded_too(plan):
    department = CountyDepartmentFactory(short_name="县民政局", full_name="盘山县民政局")
    rows = [
        ["序号", "事项名称", "子项名称", "原实施部门", "实施依据", "取消理由", "备注"],
        [1, "社会团体\n成立登记", "子\n项", "县民\n政局", "依据一；\n依据二", "", ""],
    ]
    _, result = imported(xlsx_bytes(rows), "c.xlsx", "cancelled")
    assert result.ok, result.errors
    entry = CancelledApproval.objects.get()
    assert (entry.name, entry.sub_item) == ("社会团体成立登记", "子项")
    assert entry.original_department == department
    assert entry.legal_basis == "依据一；\n依据二"


# --- bad rows: reported with row numbers, nothing written -------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([1, "事项", "", "行政许可", "", "", "县不存在局", "", ""], "部门“县不存在局”不存在"),
        ([1, "事项", "", "行政审查", "", "", "县人社局", "", ""], "权力类型“行政审查”无法识别"),
        ([1, "事项", "", "", "", "", "县人社局", "", ""], "“权力类型”不能为空"),
        ([1, "", "", "行政许可", "", "", "县人社局", "", ""], "事项名称"),
        (["一", "事项", "", "行政许可", "", "", "县人社局", "", ""], "“序号”应为整数"),
        ([1, "事项", "", "行政许可", "C" * 201, "", "县人社局", "", ""], "事项编码"),
    ],
    ids=["department", "power-type", "blank-type", "blank-name", "sequence", "long-code"],
)
def test_a_bad_row_is_reported_and_nothing_is_written(plan, county, row, message):
    good = [2, "好事项", "", "行政许可", "", "", "县人社局", "", ""]
    before = registry_state()
    _, result = import_file(item_file(good, row, title=TITLE), "a.xlsx", "items")
    assert [number for number, _ in result.errors] == [5]
    assert message in result.errors[0][1]
    assert registry_state() == before
    assert ImportRecord.objects.get().status == ImportRecord.Status.REFUSED


def test_duplicate_identities_in_one_file_are_refused(plan, county):
    rows = [
        [1, "事项", "", "行政许可", "0021", "", "县人社局", "", ""],
        [2, "另一事项", "", "行政许可", "0021", "", "县人社局", "", ""],
        [3, "无码事项", "无", "行政处罚", "", "", "县人社局", "", ""],
        [4, "无码事项", "", "行政处罚", "", "", "盘山县人社局", "", ""],
    ]
    before = registry_state()
    _, result = import_file(item_file(*rows), "a.xlsx", "items")
    assert [number for number, _ in result.errors] == [3, 5]
    assert "与第 2 行是同一条记录" in result.errors[0][1]
    assert registry_state() == before


def test_the_command_exits_non_zero_and_prints_the_row_errors(plan, county, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(item_file([1, "事项", "", "行政许可", "", "", "县不存在局", "", ""]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_registry", str(path), table="items", stderr=errors)
    assert "第 2 行：“承接部门”中的部门“县不存在局”不存在" in errors.getvalue()
    assert not DevolvedItem.objects.exists()


def test_the_command_refuses_a_file_that_is_not_a_spreadsheet(plan, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(CommandError, match="不是表格文件"):
        call_command("import_registry", str(path), table="items")
    assert not DevolvedItem.objects.exists()


def test_the_dry_run_command_writes_nothing(plan, county, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(item_file([1, "事项", "", "行政许可", "", "", "县人社局", "", ""], fmt="csv"))
    out = io.StringIO()
    call_command("import_registry", str(path), table="items", dry_run=True, stdout=out)
    assert "新增 1" in out.getvalue() and "预览" in out.getvalue()
    assert not DevolvedItem.objects.exists()


def test_export_command_writes_each_format(registry, tmp_path):
    for fmt in ("xlsx", "xls", "csv"):
        out = tmp_path / f"items.{fmt}"
        call_command("export_registry", str(out), table="items", format=fmt, stdout=io.StringIO())
        _, result = import_file(out.read_bytes(), out.name, "items", dry_run=True)
        assert len(result.unchanged) == DevolvedItem.objects.count()


def test_confirming_validates_again_against_the_registry_as_it_is_now(plan, county):
    rows = [[1, "丙", "", "行政许可", "", "", "县人社局", "", ""]]
    record, result = start_import(item_file(*rows), "a.xlsx", "items", office_member("o"))
    assert len(result.new) == 1
    # Someone enters the same item by hand between the preview and the confirmation.
    DevolvedItemFactory(plan=plan, county_department=county, code="", name="丙", sub_item="")
    again = confirmed(record)
    assert (len(again.new), len(again.changed)) == (0, 1)
    assert DevolvedItem.objects.filter(name="丙").count() == 1
    with pytest.raises(ExchangeError, match="不能再次确认"):
        confirm_import(record)


# --- the admin -----------------------------------------------------------------------------


def test_admin_upload_preview_confirm(admin_client_logged_in, plan, county):
    item = DevolvedItemFactory(plan=plan, county_department=county, code="0021", note="旧")
    rows = [
        [item.sequence, item.name, "", "行政许可", "0021", "", "县人社局", item.legal_basis, "新"],
        [9, "新事项", "", "行政处罚", "", "", "县人社局", "", ""],
    ]
    url = reverse("admin:items_devolveditem_import")
    assert admin_client_logged_in.get(url).status_code == 200
    upload = io.BytesIO(item_file(*rows, title=TITLE))
    upload.name = "附件2.xlsx"
    page = admin_client_logged_in.post(url, {"file": upload, "plan": plan.doc_number})
    content = page.content.decode()
    assert "新增 1，修改 1，未变 0，错误 0" in content
    assert "确认导入" in content and "旧" in content
    assert DevolvedItem.objects.count() == 1
    record = ImportRecord.objects.get()
    confirm = reverse("admin:items_devolveditem_import_confirm", args=[record.pk])
    response = admin_client_logged_in.post(confirm)
    # Rule 8: the confirmed file is a draft adjustment; the list is unchanged until published.
    drafted = Adjustment.objects.get()
    assert response.url == reverse("admin:items_adjustment_change", args=[drafted.pk])
    assert DevolvedItem.objects.count() == 1
    assert drafted.created_by.username == "root" and drafted.source_import == record
    # Confirming twice drafts nothing more.
    admin_client_logged_in.post(confirm)
    assert Adjustment.objects.count() == 1
    publish_draft(drafted)
    assert DevolvedItem.objects.count() == 2
    item.refresh_from_db()
    assert item.note == "新"


def preview_rows(content, table_id):
    """The cells of each body row of one of the preview's tables."""
    import re

    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', content, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_admin_preview_shows_what_each_row_matched(admin_client_logged_in, plan, county):
    """The operator checks the departments a row's names matched (the blank 市直部门 is the
    county department's counterpart), its power type and code before confirming."""
    city = county.counterpart
    kept = DevolvedItemFactory(plan=plan, county_department=county, city_department=city)
    rows = [
        [1, "新事项", "", "行政处罚", "PJ-CF-9", "", "盘山县人社局", "", ""],
        [
            kept.sequence,
            kept.name,
            kept.sub_item,
            kept.get_power_type_display(),
            kept.code,
            city.full_name,
            county.short_name,
            kept.legal_basis,
            kept.note,
        ],
    ]
    upload = io.BytesIO(item_file(*rows))
    upload.name = "附件2.xlsx"
    page = admin_client_logged_in.post(reverse("admin:items_devolveditem_import"), {"file": upload})
    content = page.content.decode()
    assert "新增 1，修改 0，未变 1" in content, content
    headers = "<th>承接部门</th><th>市直部门</th><th>权力类型</th><th>事项编码</th>"
    assert headers in content
    matched = [county.full_name + "（县人社局）", f"{city.full_name}（{city.short_name}）"]
    assert preview_rows(content, "import-new") == [
        ["2", "PJ-CF-9 新事项", *matched, "行政处罚", "PJ-CF-9"]
    ]
    [unchanged] = preview_rows(content, "import-unchanged")
    assert unchanged[2:] == [*matched, kept.get_power_type_display(), kept.code or "（空）"]


def test_admin_preview_lists_errors_and_offers_no_confirm(admin_client_logged_in, plan, county):
    upload = io.BytesIO(item_file([1, "事项", "", "行政许可", "", "", "县外局", "", ""]))
    upload.name = "bad.xlsx"
    page = admin_client_logged_in.post(reverse("admin:items_devolveditem_import"), {"file": upload})
    content = page.content.decode()
    assert "部门“县外局”不存在" in content and "确认导入" not in content
    assert not DevolvedItem.objects.exists()


def test_admin_refuses_an_upload_over_the_cap(admin_client_logged_in, plan, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 1024 * 1024
    upload = io.BytesIO(b"x" * (1024 * 1024 + 1))
    upload.name = "big.csv"
    page = admin_client_logged_in.post(reverse("admin:items_devolveditem_import"), {"file": upload})
    assert "超过 1 MB 的上限" in page.content.decode()
    record = ImportRecord.objects.get()
    assert (record.status, record.file_name, record.table) == ("refused", "big.csv", "items")
    assert "超过 1 MB 的上限" in record.message and record.user.username == "root"
    assert len(record.sha256) == 64 and not record.upload
    assert not DevolvedItem.objects.exists()


def test_an_upload_whose_file_name_the_server_drops_is_recorded(admin_client_logged_in, plan):
    """Django discards a file part named ".." on arrival; the attempt is still recorded."""
    upload = io.BytesIO(item_file([1, "事项", "", "行政许可", "", "", "县人社局", "", ""]))
    upload.name = ".."
    page = admin_client_logged_in.post(reverse("admin:items_devolveditem_import"), {"file": upload})
    assert "文件名无效" in page.content.decode()
    record = ImportRecord.objects.get()
    assert record.status == "refused" and "文件名无效" in record.message


def test_an_import_naming_an_unknown_plan_is_recorded(plan, county):
    row = [1, "事项", "", "行政许可", "", "", "县人社局", "", ""]
    with pytest.raises(ExchangeError, match="找不到实施方案"):
        import_file(item_file(row), "a.xlsx", "items", plan_doc_number="无此文号")
    record = ImportRecord.objects.get()
    assert record.status == "refused" and "找不到实施方案" in record.message


CSV_TEXT = "序号,事项名称,子项名称,权力类型,事项编码,市直部门,承接部门,实施依据,备注\r\n"
CSV_ROW = '1,"事项甲,,行政许可,,,县人社局,,\r\n2,事项乙,,行政许可,,,县人社局,,\r\n'
HTML_XLS = (
    "<html><head><meta charset='utf-8'></head><body><table><tr><td>序号</td><td>事项名称</td>"
    "</tr><tr><td>1</td><td>事项</td></tr></table></body></html>"
).encode()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "unicode.txt",
            (CSV_TEXT + "1,事项,,行政许可,,,县人社局,,\r\n").encode("utf-16"),
            "UTF-16",
        ),
        (
            "tabs.csv",
            (CSV_TEXT + "1,事项,,行政许可,,,县人社局,,\r\n").replace(",", "\t").encode("utf-16-le"),
            "UTF-16",
        ),
        ("quote.csv", (CSV_TEXT + CSV_ROW).encode("utf-8"), "第 2 行有一个没有闭合的双引号"),
        ("web.xls", HTML_XLS, "网页（HTML）表格"),
        ("web2.xls", b"\xef\xbb\xbf\r\n  <TABLE><TR><TD>1</TD></TR></TABLE>", "网页（HTML）表格"),
    ],
    ids=["utf-16-bom", "utf-16-le-no-bom", "unclosed-quote", "html-as-xls", "html-bom"],
)
def test_a_misleading_file_gets_the_reason_that_is_really_wrong(
    admin_client_logged_in, plan, county, name, data, reason
):
    upload = io.BytesIO(data)
    upload.name = name
    page = admin_client_logged_in.post(reverse("admin:items_devolveditem_import"), {"file": upload})
    html = page.content.decode()
    assert reason in html
    for misleading in ("不是表格文件", "承接部门”不能为空", "找不到表头"):
        assert misleading not in html
    record = ImportRecord.objects.get()
    assert record.status == "refused" and reason in record.message
    assert not DevolvedItem.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "xls"])
def test_admin_export_streams_and_imports_back(admin_client_logged_in, registry, fmt):
    response = admin_client_logged_in.get(
        reverse("admin:items_devolveditem_export"), {"format": fmt}
    )
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    _, result = import_file(data, f"e.{fmt}", "items", dry_run=True)
    assert len(result.unchanged) == DevolvedItem.objects.count() == 308


def test_the_admin_export_holds_exactly_what_the_list_shows(admin_client_logged_in, registry):
    listed = admin_client_logged_in.get(
        reverse("admin:items_devolveditem_changelist"), {"q": "食品", "power_type": "licensing"}
    )
    page = listed.content.decode()
    # The list's export links carry its search and filters.
    assert "export/?power_type=licensing&amp;q=%E9%A3%9F%E5%93%81&amp;format=xlsx" in page
    # The admin searches names, sub-items, codes and legal basis.
    wanted = DevolvedItem.objects.filter(
        Q(name__contains="食品") | Q(sub_item__contains="食品") | Q(legal_basis__contains="食品"),
        power_type="licensing",
    )
    assert 0 < wanted.count() < DevolvedItem.objects.count()
    response = admin_client_logged_in.get(
        reverse("admin:items_devolveditem_export"),
        {"q": "食品", "power_type": "licensing", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(wanted.values_list("name", flat=True))
    # Frozen header row, columns sized for reading.
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 40 and sheet.column_dimensions["H"].width == 60
    # A filter the list does not know is a Chinese 400, not the whole registry.
    response = admin_client_logged_in.get(
        reverse("admin:items_devolveditem_export"), {"format": "csv", "no_such_field": "1"}
    )
    assert response.status_code == 400 and "导出条件无效" in response.content.decode()


def test_admin_import_needs_change_permission(client, plan):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("admin:items_devolveditem_import")).status_code == 403


def test_plans_are_chosen_by_document_number(plan, county):
    other = PlanFactory(doc_number="盘县政办发〔2017〕1号")
    row = [1, "事项", "", "行政许可", "", "", "县人社局", "", ""]
    imported(item_file(row), "a.xlsx", "items", plan_doc_number=plan.doc_number)
    assert DevolvedItem.objects.get().plan == plan
    with pytest.raises(ExchangeError, match="找不到实施方案"):
        import_file(item_file(row), "a.xlsx", "items", plan_doc_number="无此文号")
    assert Plan.objects.count() == 2 and other.pk


def _encrypted(data):
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data)).encrypt("secret", out)
    return out.getvalue()


def _bomb(data):
    import zipfile

    workbook = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in workbook.infolist():
            archive.writestr(member, workbook.read(member))
        archive.writestr("xl/media/padding.bin", b"\x00" * (4 * 1024 * 1024))
    return out.getvalue()


GOOD_ROW = [1, "事项", "", "行政许可", "", "", "县人社局", "", ""]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: b"", "文件是空的"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是表格文件"),
        (lambda: item_file(GOOD_ROW)[:300], "文件已损坏"),
        (lambda: _encrypted(item_file(GOOD_ROW)), "密码保护"),
        (lambda: _bomb(item_file(GOOD_ROW)), "压缩炸弹"),
        (lambda: xlsx_bytes([["序号", "事项名称"], [1, "事项"]]), "缺少列"),
        (lambda: xlsx_bytes([[*ITEM_HEADERS, "经办人"], GOOD_ROW]), "无法识别的列：经办人"),
        (lambda: item_file([1, "事" * 200, "", "行政许可", "", "", "县人社局", "", ""]), "字符"),
    ],
    ids=["empty", "png", "corrupt", "password", "zip-bomb", "missing", "unknown", "long-cell"],
)
def test_every_bad_file_is_refused_with_a_reason_and_writes_nothing(
    registry, settings, build, message
):
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    settings.REGISTRY_IMPORT_MAX_CELL_CHARS = 100
    before = registry_state()
    with pytest.raises(ExchangeError, match=message):
        import_file(build(), "bad.xlsx", "items")
    assert registry_state() == before
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.REFUSED and message in record.message


def test_the_export_shows_the_derived_status_and_an_import_never_sets_it(registry):
    rows = list(load_workbook(io.BytesIO(exported("items", "xlsx"))).active.values)
    assert rows[0][-1] == "状态"
    assert {row[-1] for row in rows[1:]} == {"未交接（暂按原程序办理）"}
    # Someone types a status into the sheet: the import reads past it.
    edited = [list(row) for row in rows]
    for row in edited[1:]:
        row[-1] = "县已独立行使"
    before = registry_state()
    _, result = import_file(xlsx_bytes(edited), "改了状态.xlsx", "items")
    assert result.ok and not result.changed
    assert registry_state() == before


def test_the_notices_spellings_of_the_power_types_are_read_as_the_standard_ones(plan, county):
    user = UserFactory(is_superuser=True)
    data = item_file(
        [1, "某确认事项", "", "行政确定", "0031", "", "县人社局", "", ""],
        [2, "某处罚事项", "", "处罚", "0032", "", "县人社局", "", ""],
        [3, "某其他事项", "", "其它行政权力", "0033", "", "县人社局", "", ""],
        title=TITLE,
    )
    _record, result = imported(data, "附件2.xlsx", "items", user=user)
    assert result.ok, result.errors
    items = DevolvedItem.objects.order_by("sequence")
    assert [item.power_type for item in items] == [
        PowerType.CONFIRMATION,
        PowerType.PENALTY,
        PowerType.OTHER,
    ]
    assert items[0].get_power_type_display() == "行政确认"  # shown with the standard label


def test_bulk_history_rows_copy_the_rows_as_written(plan, county):
    """devolution.exchange.bulk copies an import's history rows from the rows themselves (by
    the database): each holds its item's every tracked field, as simple-history's would."""
    user = UserFactory()
    items = [
        DevolvedItemFactory.build(
            plan=plan, county_department=county, legal_basis=f"《法》第{n}条\n第二款"
        )
        for n in range(3)
    ]
    bulk.create(DevolvedItem, items)
    bulk.create_history(DevolvedItem, items, "+", user, "导入")
    items[0].note = "改后"
    DevolvedItem.objects.bulk_update(items[:1], ["note"])
    bulk.create_history(DevolvedItem, items[:1], "~", user, "再导入")

    tracked = [field.attname for field in DevolvedItem.history.model.tracked_fields]
    for item in DevolvedItem.objects.filter(pk__in=[i.pk for i in items]).values(*tracked):
        rows = DevolvedItem.history.filter(id=item["id"]).order_by("history_id")
        expected = [("+", "导入")] + ([("~", "再导入")] if item["id"] == items[0].pk else [])
        assert [(r.history_type, r.history_change_reason) for r in rows] == expected
        assert all(row.history_user == user for row in rows)
        assert rows.values(*tracked).last() == item
    assert DevolvedItem.history.get(id=items[0].pk, history_type="+").note == ""
