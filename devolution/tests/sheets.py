"""Real spreadsheet files for the exchange tests: .xlsx (openpyxl), .xls (xlwt), .csv."""

import csv
import io

import xlwt
from openpyxl import Workbook


def xlsx_bytes(rows, title=None):
    """An .xlsx with an optional merged title row above the header, as annexes are published."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        width = max(len(row) for row in rows)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xls_bytes(rows, title=None):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("附件")
    offset = 0
    if title:
        width = max(len(row) for row in rows)
        sheet.write_merge(0, 0, 0, width - 1, title)
        offset = 2
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(index + offset, column, value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows, encoding="utf-8", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding)


def read_csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))
