"""The registry as operators' tables: their column headers, one row per record, and writers for
.xlsx and .csv that stream in constant memory. The admin export, the export command and the
public site's downloads all write through here."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# The columns of the published annexes, in their order.
ITEM_HEADERS = [
    "序号",
    "事项名称",
    "子项名称",
    "权力类型",
    "事项编码",
    "市直部门",
    "承接部门",
    "实施依据",
    "备注",
]
CANCELLED_HEADERS = ["序号", "事项名称", "子项名称", "原实施部门", "实施依据", "取消理由", "备注"]

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Neutralise a text cell that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def item_row(item):
    """One devolved item as an annex row; needs city_department and county_department loaded."""
    return [
        item.sequence,
        item.name,
        item.sub_item,
        item.get_power_type_display(),
        item.code,
        item.city_department.short_name,
        item.county_department.short_name,
        item.legal_basis,
        item.note,
    ]


def cancelled_row(cancelled):
    return [
        cancelled.sequence,
        cancelled.name,
        cancelled.sub_item,
        cancelled.original_department.short_name,
        cancelled.legal_basis,
        cancelled.reason,
        cancelled.note,
    ]


def write_xlsx(headers, rows, target, sheet_title="登记表"):
    """Write rows to an .xlsx file or stream with openpyxl's write-only mode (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(headers)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(target)


def _text_cell(sheet, value):
    value = escape_formula(value)
    if isinstance(value, str):
        # Store text as text so codes like "0010XK0021" keep their leading zeros.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def iter_csv(headers, rows):
    """Yield CSV text chunks, UTF-8 with a BOM so that Chinese Excel opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(value) for value in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
