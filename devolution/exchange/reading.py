"""Reading an operator's file into rows: .xls, .xlsx and .csv (UTF-8 with or without a BOM, or
GB18030), whatever its name says. The header row may sit below title rows; cells are returned
as text, codes kept exactly (a numeric cell 21 is "21", never "21.0").

Every refusal is an ExchangeError with a Chinese message; nothing here touches the database.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from .errors import ExchangeError
from .writing import unescape_formula

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted .xlsx is an OLE container holding this stream instead of a zip.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 20
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")


def limit(name):
    return getattr(settings, name, DEFAULT_LIMITS[name])


DEFAULT_LIMITS = {
    "REGISTRY_IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES": 300 * 1024 * 1024,
    "REGISTRY_IMPORT_MAX_ROWS": 200_000,
    "REGISTRY_IMPORT_MAX_CELL_CHARS": 5000,
}


def match_key(value):
    """The form in which names are compared: NFKC (full-width letters and punctuation become
    half-width), no spaces anywhere."""
    return "".join(unicodedata.normalize("NFKC", value).split())


def clean_text(value):
    """A cell as stored: text, line breaks as \\n, no surrounding spaces, our own formula escape
    undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return unescape_formula(text.strip(" \t\n\u3000\ufeff"))


# A hard line break with the spaces around it, as a cell that wraps inside a name holds it.
LINE_BREAK = re.compile(r"[ \t\u3000]*\n[ \t\u3000]*")
WORD_CHARACTER = re.compile(r"[A-Za-z0-9]")


def single_line(text):
    """A name, sub-item or department cell as one line: a line break (and the spaces around it)
    inside the cell is dropped, since the annex wraps "对在村庄、\n集镇规划区\n内" only to fit its
    column; between two Latin letters or digits it becomes one space. Legal bases keep theirs."""

    def join(match):
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        both_words = WORD_CHARACTER.match(before) and WORD_CHARACTER.match(after)
        return " " if both_words else ""

    return LINE_BREAK.sub(join, text)


@dataclass
class Table:
    """The data rows under the header, each a dict by canonical header, with its sheet row."""

    headers: list
    rows: list = field(default_factory=list)  # [(row_number, {header: text})]


def read_table(data, header_spec):
    """Read `data` (bytes) into a Table whose columns are `header_spec`'s canonical headers.

    header_spec: {canonical header: (required, [accepted spellings])}.
    """
    max_bytes = limit("REGISTRY_IMPORT_MAX_BYTES")
    if not data:
        raise ExchangeError("文件是空的。")
    if len(data) > max_bytes:
        raise ExchangeError(f"文件超过 {max_bytes // (1024 * 1024)} MB 的上限。")
    if data.startswith(OLE_MAGIC):
        raw_rows = _read_ole(data)
    elif data.startswith(ZIP_MAGIC):
        raw_rows = _read_xlsx(data)
    elif data.startswith(NOT_SPREADSHEET_MAGIC):
        raise ExchangeError("不是表格文件：请上传 .xls、.xlsx 或 .csv 文件。")
    elif data.startswith(UTF16_BOMS) or _looks_utf16(data[:4096]):
        raise ExchangeError(
            "文件是 UTF-16 编码的文本（Excel 另存为“Unicode 文本”的格式），无法导入：请在 Excel 中"
            "另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。"
        )
    elif _looks_like_markup(data):
        raise ExchangeError(_markup_reason(data))
    elif b"\x00" in data[:8192]:
        raise ExchangeError("不是表格文件：请上传 .xls、.xlsx 或 .csv 文件。")
    else:
        raw_rows = _read_csv(data)
    return _tabulate(raw_rows, header_spec)


def _looks_utf16(head):
    """UTF-16 text without a BOM: NUL bytes that decode, as UTF-16, into lines of cells."""
    if b"\x00" not in head:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
        if "\x00" not in text and "\n" in text and ("," in text or "\t" in text):
            return True
    return False


def _looks_like_markup(data):
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<")


def _markup_reason(data):
    """What a web page or XML file saved with a spreadsheet's name really is."""
    head = data[:65536].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return (
            "文件是“XML 电子表格 2003”格式，只是扩展名像表格文件：请在 Excel 中打开后另存为 .xlsx "
            "再导入。"
        )
    if b"<table" in head or b"<html" in head or b"<!doctype html" in head:
        return (
            "文件实际是网页（HTML）表格，只是扩展名为 .xls（常见于从网站导出的表格）：请在 Excel 中"
            "打开后另存为 .xlsx 再导入。"
        )
    return "文件是网页或 XML 文本，不是表格文件：请上传 .xls、.xlsx 或 .csv 文件。"


def _read_ole(data):
    if ENCRYPTED_STREAM in data:
        raise ExchangeError("文件设有密码保护，请先在 Excel 中取消密码后再导入。")
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise ExchangeError("文件设有密码保护，请先在 Excel 中取消密码后再导入。") from error
        raise ExchangeError("文件已损坏，无法读取（.xls）。") from error
    except Exception as error:  # xlrd raises many kinds on a damaged file
        raise ExchangeError("文件已损坏，无法读取（.xls）。") from error
    date_cell = xlrd.XL_CELL_DATE

    def rows():
        for index in range(sheet.nrows):
            values = []
            for cell in sheet.row(index):
                if cell.ctype == date_cell:
                    values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    values.append(cell.value)
            yield values

    return rows()


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ExchangeError("文件已损坏，无法读取（.xlsx）。") from error
    declared = sum(member.file_size for member in members)
    if declared > limit("REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES"):
        raise ExchangeError("文件解压后体积异常巨大（疑似压缩炸弹），已拒绝。")
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise ExchangeError("不是 Excel 表格文件：压缩包中没有工作簿。")
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return sheet.iter_rows()
    except Exception as error:  # calamine's errors are of several kinds
        raise ExchangeError("文件已损坏，无法读取（.xlsx）。") from error


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ExchangeError("无法识别文件编码：CSV 须为 UTF-8 或 GB18030。")
    rows, reader, lines_read = [], csv.reader(io.StringIO(text, newline=""), strict=True), 0
    try:
        for row in reader:
            rows.append(row)
            lines_read = reader.line_num
        return rows
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            # A quote opened and never closed swallows the rest of the file into one cell.
            start = lines_read + 1
            raise ExchangeError(
                f"CSV 第 {start} 行有一个没有闭合的双引号：从那里到文件末尾都会被读成一个单元格。"
                '请检查该行的引号（单元格内的双引号要写成两个“""”）后再导入。'
            ) from error
    # Other irregular quoting ("ab"c) is read as a spreadsheet program reads it.
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ExchangeError(f"CSV 格式错误：{error}") from error


def _tabulate(raw_rows, header_spec):
    max_rows = limit("REGISTRY_IMPORT_MAX_ROWS")
    max_chars = limit("REGISTRY_IMPORT_MAX_CELL_CHARS")
    spelling = {}
    for canonical, (_required, spellings) in header_spec.items():
        for name in [canonical, *spellings]:
            spelling[match_key(name)] = canonical
    required = [name for name, (is_required, _) in header_spec.items() if is_required]

    raw_rows = iter(raw_rows)
    best = (None, [], 0)  # (columns, missing, row number) of the likeliest header row
    columns = None
    row_number = 0
    try:
        for row_number, raw in enumerate(raw_rows, start=1):
            if row_number > HEADER_SEARCH_ROWS:
                break
            keys = [match_key(clean_text(value)) for value in raw]
            found = {spelling[key] for key in keys if key in spelling}
            if not found:
                continue
            missing = [name for name in required if name not in found]
            if not missing:
                columns = keys
                break
            if best[0] is None or len(missing) < len(best[1]):
                best = (keys, missing, row_number)
    except Exception as error:
        raise ExchangeError("文件已损坏，无法读取。") from error
    if columns is None:
        if best[0] is None:
            raise ExchangeError("找不到表头：前 20 行中没有“序号、事项名称”等列名。")
        raise ExchangeError(f"第 {best[2]} 行的表头缺少列：{'、'.join(best[1])}。")

    header_row = row_number
    unknown = [key for key in columns if key and key not in spelling]
    if unknown:
        raise ExchangeError(f"第 {header_row} 行有无法识别的列：{'、'.join(unknown)}。")
    positions = {}
    for index, key in enumerate(columns):
        if key:
            canonical = spelling[key]
            if canonical in positions:
                raise ExchangeError(f"第 {header_row} 行的列“{canonical}”出现了两次。")
            positions[canonical] = index

    table = Table(headers=list(positions))
    try:
        for row_number, raw in enumerate(raw_rows, start=header_row + 1):
            cells = {
                name: clean_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()
            }
            if not any(cells.values()):
                continue
            for name, text in cells.items():
                if len(text) > max_chars:
                    raise ExchangeError(
                        f"第 {row_number} 行“{name}”超过 {max_chars} 个字符的上限。"
                    )
            if len(table.rows) >= max_rows:
                raise ExchangeError(f"文件超过 {max_rows} 行的上限，请分批导入。")
            table.rows.append((row_number, cells))
    except ExchangeError:
        raise
    except Exception as error:
        raise ExchangeError("文件已损坏，无法读取。") from error
    return table
