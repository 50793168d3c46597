"""Writers for .xlsx, .xls and .csv. The .xlsx and .csv writers stream in constant memory; every
spreadsheet export (the admin's, the export command's, the public site's downloads) writes
through here. The public JSON API does not: it is not a spreadsheet."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from .errors import ExchangeError

# A spreadsheet treats a cell starting with one of these as a formula. Excel and WPS also take
# the full-width and small equals and plus signs (＝ ﹦ ＋ ﹢) typed with a Chinese input method,
# and the minus and at signs likewise.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "﹦", "＋", "﹢", "－", "﹣", "＠", "﹫")
# The .xls format stops here (65,536 rows including the header).
XLS_MAX_ROWS = 65535
# In .xlsx text "_x0041_" means "A"; a literal one is written with its underscore escaped.
XLSX_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")

# The escape: one apostrophe in front, which a spreadsheet shows as text and does not run.
ESCAPE = "'"


def escape_formula(value):
    """Neutralise a text cell that a spreadsheet would run as a formula (CSV/formula injection).

    Text that itself starts with the apostrophe is escaped too, so `unescape_formula` can tell
    our escape from the text's own apostrophe and every string comes back exactly.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, ESCAPE)):
        return ESCAPE + value
    return value


def unescape_formula(value):
    """Undo `escape_formula`: the exact inverse for every string it escaped. A cell with one
    apostrophe before ordinary text (typed by hand, not exported) is kept as it is."""
    if value[:1] == ESCAPE and value[1:].startswith((*FORMULA_PREFIXES, ESCAPE)):
        return value[1:]
    return value


# Column widths (in characters) for the long texts of the annexes; other columns fit their header.
WIDE_COLUMNS = {"事项名称": 40, "子项名称": 30, "实施依据": 60, "取消理由": 40, "备注": 30}


def column_width(header):
    return WIDE_COLUMNS.get(header, max(10, 2 * len(header) + 4))


def write_xlsx(headers, rows, target, sheet_title="登记表"):
    """Write rows to an .xlsx file or stream with openpyxl's write-only mode (constant memory),
    the header row frozen and the columns sized for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(header)
    sheet.append(headers)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(target)


def _text_cell(sheet, value):
    """openpyxl already stores a str as text (codes like "0010XK0021" keep their zeros), except
    one starting with "=" (a formula: escaped here) or spelling an error code ("#N/A"), which
    alone pays for an explicit text cell. A literal "_xHHHH_" gets its underscore escaped, or
    a reader would decode it."""
    if not isinstance(value, str):
        return value
    value = escape_formula(value)
    if "_x" in value:
        value = XLSX_ESCAPE_LIKE.sub(r"_x005F_\1", value)
    if value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xls(headers, rows, target, sheet_title="登记表"):
    """Write rows to a legacy .xls (xlwt); the format holds at most 65,535 data rows."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(sheet_title)
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    for index, row in enumerate(rows, start=1):
        if index > XLS_MAX_ROWS:
            raise ExchangeError(
                f".xls 格式最多容纳 {XLS_MAX_ROWS} 行，本次导出超出，请改用 .xlsx 或 .csv。"
            )
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(index, column, escape_formula(value))
    workbook.save(target)


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
