"""Writers for .xlsx, .xls and .csv. The .xlsx and .csv writers stream in constant memory; every
export (admin, commands, the public downloads) writes through here."""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

from .errors import ExchangeError

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The .xls format stops here (65,536 rows including the header).
XLS_MAX_ROWS = 65535


def escape_formula(value):
    """Neutralise a text cell that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo `escape_formula`, so that an export imports back unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def write_xlsx(headers, rows, target, sheet_title="登记表"):
    """Write rows to an .xlsx file or stream with openpyxl's write-only mode (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(headers)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(target)


def _text_cell(sheet, value):
    """openpyxl already stores a str as text (codes like "0010XK0021" keep their zeros), except
    one starting with "=" (a formula: escaped here) or spelling an error code ("#N/A"), which
    alone pays for an explicit text cell."""
    if not isinstance(value, str):
        return value
    value = escape_formula(value)
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
