"""A round as the evaluation table a county files (.xlsx): title, period and department, the
column groups 基本情况 / 放得下 / 接得住 / 管得好 / 意见与建议, one row per item, and the signature
line. Written in openpyxl's write-only mode: constant memory for any number of rows."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from devolution.exchange.writing import escape_formula

BOOLEAN_TEXT = {True: "是", False: "否", None: ""}


def _date(value):
    return value.isoformat() if value else ""


GROUPS = [
    (
        "基本情况",
        [
            ("序号", lambda e, n: n),
            ("事项编码", lambda e, n: e.item.code),
            ("事项名称", lambda e, n: e.item.name),
            ("子项名称", lambda e, n: e.item.sub_item),
            ("权力类型", lambda e, n: e.item.get_power_type_display()),
            ("县承接部门", lambda e, n: e.county_department.short_name),
            ("市直赋权部门", lambda e, n: e.city_department.short_name),
        ],
    ),
    (
        "放得下",
        [
            ("交接完成日期", lambda e, n: _date(e.handed_over_on)),
            ("按期交接", lambda e, n: BOOLEAN_TEXT[e.handover_on_time]),
            ("培训指导期结束", lambda e, n: _date(e.training_ends_on)),
            ("确认接得住日期", lambda e, n: _date(e.training_confirmed_on)),
            ("培训按期结束", lambda e, n: BOOLEAN_TEXT[e.training_on_time]),
        ],
    ),
    (
        "接得住",
        [
            ("期间用印次数", lambda e, n: e.stamps_count),
            ("本市办结", lambda e, n: e.stamps_city_count),
            ("报省办结", lambda e, n: e.stamps_province_count),
            ("首次用印", lambda e, n: _date(e.first_stamp_on)),
            ("末次用印", lambda e, n: _date(e.last_stamp_on)),
            ("末次用印至期末天数", lambda e, n: e.days_since_last_stamp),
            ("办件量", lambda e, n: e.case_volume),
            ("代办次数", lambda e, n: e.acting_count),
            ("帮办次数", lambda e, n: e.assisting_count),
            ("自评：接得住？", lambda e, n: e.get_capacity_display()),
            ("人员配备", lambda e, n: e.staffing),
            ("接受培训情况", lambda e, n: e.training_received),
            ("存在问题", lambda e, n: e.problems),
        ],
    ),
    (
        "管得好",
        [
            ("未解除逾期", lambda e, n: e.open_flags_count),
            ("已解除逾期", lambda e, n: e.resolved_flags_count),
            ("问责记录", lambda e, n: e.accountability_count),
        ],
    ),
    (
        "意见与建议",
        [
            ("市直部门意见", lambda e, n: e.city_comment),
            ("评估建议", lambda e, n: e.get_recommendation_display()),
            ("建议理由", lambda e, n: e.recommendation_reason),
            ("合法性审查意见", lambda e, n: e.legal_review_note),
        ],
    ),
]
COLUMNS = [column for _, columns in GROUPS for column in columns]
HEADERS = [header for header, _ in COLUMNS]


def evaluation_rows(evaluations):
    """The table's body rows, in filing order."""
    queryset = evaluations.select_related(
        "item", "county_department", "city_department", "round"
    ).order_by("county_department__sort_order", "county_department_id", "item__sequence", "id")
    for number, evaluation in enumerate(queryset.iterator(chunk_size=2000), start=1):
        yield [value(evaluation, number) for _, value in COLUMNS]


def write_round(evaluation_round, evaluations, target, department_label="全部承接部门"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("评估表")
    width = len(COLUMNS)
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def styled(value, font=None, alignment=None):
        cell = WriteOnlyCell(sheet, value=escape_formula(value))
        if font:
            cell.font = font
        if alignment:
            cell.alignment = alignment
        return cell

    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.append(
        [styled("盘山县赋权事项“放得下、接得住、管得好”评估表", Font(bold=True, size=14), centred)]
    )
    sheet.append(
        [
            styled(
                f"评估名称：{evaluation_round.title}　　评估期间：{evaluation_round.period_from}"
                f"至{evaluation_round.period_to}　　填报单位：{department_label}"
            )
        ]
    )
    group_row, column = [], 1
    for title, columns in GROUPS:
        group_row.append(styled(title, bold, centred))
        group_row.extend([None] * (len(columns) - 1))
        sheet.merged_cells.ranges.add(
            f"{get_column_letter(column)}3:{get_column_letter(column + len(columns) - 1)}3"
        )
        column += len(columns)
    sheet.append(group_row)
    sheet.append([styled(header, bold, centred) for header in HEADERS])
    last = get_column_letter(width)
    sheet.merged_cells.ranges.add(f"A1:{last}1")
    sheet.merged_cells.ranges.add(f"A2:{last}2")
    rows = 4
    for row in evaluation_rows(evaluations):
        sheet.append([escape_formula(value) for value in row])
        rows += 1
    sheet.append([])
    sheet.append(["填报单位（盖章）：", None, None, None, "填报人：", None, None, "填报日期："])
    workbook.save(target)
    return rows - 4
