"""The two annexes as import/export tables: devolved items (附件2) and cancelled approvals (附件1),
with the operators' columns of items/tabular.py."""

import re

from django.db.models import Q

from devolution.exchange.engine import (
    Table,
    department_cell,
    int_cell,
    register,
    shown_only,
)
from devolution.exchange.errors import RowError
from devolution.exchange.reading import match_key, single_line
from devolution.models import Department, within_reach

from .annex import draft_cancelled_from_preview, draft_from_preview
from .models import (
    CANCELLED_VERSIONED_FIELDS,
    POWER_TYPE_SPELLINGS,
    VERSIONED_FIELDS,
    CancelledApproval,
    DevolutionMode,
    DevolvedItem,
    PowerType,
    ProvincialSystem,
)
from .tabular import (
    CANCELLED_HEADERS,
    ITEM_HEADERS,
    ITEM_ILLUSTRATIVE_HEADER,
    ITEM_STATUS_HEADER,
    cancelled_row,
    item_rows,
)

# A 子项名称 written as "无" means the item has no sub-item.
NO_SUB_ITEM = {"", "无", "-", "—", "/"}
# A note in this form names the provincial system the item needs (see fixtures/build_fixtures.py).
PROVINCIAL_SYSTEM_PREFIX = "涉及省级系统："
# Values per lookup query: under SQLite's 999 parameters.
LOOKUP_CHUNK = 900
POWER_TYPE_BY_KEY = {
    **{match_key(text): value for text, value in POWER_TYPE_SPELLINGS.items()},
    **{match_key(label): value for value, label in PowerType.choices},
}


# The code columns, and the field each fills. A cell may hold a main item's code and its
# sub-item's together, as annexes print them: "主项编码 / 子项 子项编码".
CODE_COLUMNS = {
    "事项编码": "code",
    "基本编码": "basic_code",
    "实施编码": "implementation_code",
    "业务办理项编码": "handling_code",
}
TWO_CODES = re.compile(r"^(?P<main>[^/／]+?)\s*[/／]\s*子项\s*[:：]?\s*(?P<sub>\S.*)$")
DEVOLUTION_MODE_BY_KEY = {match_key(label): value for value, label in DevolutionMode.choices}


def split_codes(text):
    """(main code, sub-item code) of a code cell; a cell of one code gives (code, "")."""
    text = single_line(text)
    found = TWO_CODES.match(text)
    if found is None:
        return text, ""
    return found["main"].strip(), found["sub"].strip()


def code_values(cells):
    """The code fields a row gives (only the columns the file has), and 行使层级, 赋权方式."""
    values = {}
    for header, name in CODE_COLUMNS.items():
        if header not in cells:
            continue
        values[name], sub_code = split_codes(cells[header])
        if sub_code and not values.get("sub_item_code"):
            values["sub_item_code"] = sub_code
    if cells.get("子项编码"):
        values["sub_item_code"] = single_line(cells["子项编码"])
    if "行使层级" in cells:
        values["exercise_level"] = single_line(cells["行使层级"])
    if cells.get("赋权方式"):
        mode = DEVOLUTION_MODE_BY_KEY.get(match_key(cells["赋权方式"]))
        if mode is None:
            raise RowError(
                f"赋权方式“{cells['赋权方式']}”无法识别，可选：{'、'.join(DevolutionMode.labels)}。"
            )
        values["devolution_mode"] = mode
    return values


def sub_item_of(cells):
    text = single_line(cells.get("子项名称", ""))
    return "" if match_key(text) in NO_SUB_ITEM else text


def power_type_of(cells):
    text = cells.get("权力类型", "")
    if not text:
        raise RowError("“权力类型”不能为空。")
    value = POWER_TYPE_BY_KEY.get(match_key(text))
    if value is None:
        raise RowError(f"权力类型“{text}”无法识别，可选：{'、'.join(PowerType.labels)}。")
    return value


@register
class DevolvedItemTable(Table):
    name = "items"
    department_field = "county_department"
    city_department_field = "city_department"
    label = "赋权事项"
    model = DevolvedItem
    headers = ITEM_HEADERS
    header_spec = {
        "序号": (False, ["编号"]),
        "事项名称": (True, ["项目名称", "权力事项名称", "职权名称"]),
        "子项名称": (False, ["子项", "子项目名称"]),
        "权力类型": (True, ["职权类型", "权力类别"]),
        "事项编码": (False, ["编码", "权力编码", "职权编码"]),
        "市直部门": (False, ["市直赋权部门", "原实施部门"]),
        "承接部门": (True, ["县承接部门", "行使主体/实施部门", "实施部门", "行使主体"]),
        "实施依据": (False, ["设定依据", "法律依据"]),
        "备注": (False, []),
        "基本编码": (False, ["事项基本编码"]),
        "实施编码": (False, ["事项实施编码", "实施清单编码"]),
        "业务办理项编码": (False, ["办理项编码", "业务办理项"]),
        "子项编码": (False, []),
        "行使层级": (False, ["层级"]),
        "赋权方式": (False, ["权力来源", "下放方式"]),
        # Exported for reading: the mark of an illustrative row and the status (derived by the
        # handover app), so an import never sets them.
        ITEM_ILLUSTRATIVE_HEADER: (False, []),
        ITEM_STATUS_HEADER: (False, []),
    }
    preview_columns = [
        ("county_department", "承接部门"),
        ("city_department", "市直部门"),
        ("power_type", "权力类型"),
        ("code", "事项编码"),
    ]
    # The fields a list version fixes but the 示例数据 mark, which no row sets (a whole annex
    # clears it: items/annex.py).
    fields = [name for name in VERSIONED_FIELDS if name != "illustrative"]

    # Rule 8: an import of items is a proposal, the draft of an adjustment (items/annex.py).
    drafts_adjustment = True

    def draft(self, result, record, user, progress=None):
        return draft_from_preview(result, record, user, whole_list=False, progress=progress)

    def redevolves(self, result):
        """Whether an unchanged row names an item off the list (it is devolved again)."""
        return any(
            outcome.instance.listed_until is not None or outcome.instance.is_retired
            for outcome in result.unchanged
        )

    def prepare(self, plan):
        context = super().prepare(plan)
        context["systems"] = {match_key(s.name): s for s in ProvincialSystem.objects.all()}
        return context

    def existing_records(self, context, rows):
        # Only the items the file names: by code (as written, or in normalised form), or for
        # rows without a code by name. A plan of 300,000 items costs an import of 1,000 rows
        # what a plan of 300 does.
        codes, names = set(), set()
        for values in rows:
            if values["code"]:
                codes.update((values["code"], match_key(values["code"])))
            else:
                names.update((values["name"], match_key(values["name"])))
        queryset = self.existing_queryset(context)
        for field, wanted in (("code", codes), ("name", names)):
            wanted = sorted(wanted)
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                # The unique indexes are partial (code empty or not): stating the condition
                # lets the database use them instead of scanning the plan.
                yield from queryset.filter(
                    Q(code__in=chunk) & ~Q(code="")
                    if field == "code"
                    else Q(name__in=chunk, code="")
                )

    def identity(self, values):
        # Matches the database: (plan, code) when there is a code, else name + sub-item +
        # county department.
        code = values["code"]
        if code:
            return ("code", match_key(code))
        return (
            "name",
            match_key(values["name"]),
            match_key(values["sub_item"]),
            values["county_department"].pk,
        )

    def identity_label(self, values):
        label = values["name"] + (f"（{values['sub_item']}）" if values["sub_item"] else "")
        return f"{values['code']} {label}".strip()

    def parse(self, cells, context):
        county = department_cell(cells, "承接部门", context, Department.Level.COUNTY)
        city = department_cell(cells, "市直部门", context, Department.Level.CITY, required=False)
        if city is None:
            # A blank 市直部门 means the county department's counterpart.
            city = county.counterpart
            if city is None:
                raise RowError(f"“市直部门”为空，而{county}没有登记市直对口部门。")
        values = {
            "code": "",
            **code_values(cells),
            "name": single_line(cells["事项名称"]),
            "sub_item": sub_item_of(cells),
            "power_type": power_type_of(cells),
            "city_department": city,
            "county_department": county,
        }
        for header, name in (("序号", "sequence"), ("实施依据", "legal_basis"), ("备注", "note")):
            if header in cells:
                values[name] = int_cell(cells, header) if name == "sequence" else cells[header]
        note = values.get("note", "")
        if note.startswith(PROVINCIAL_SYSTEM_PREFIX):
            values["provincial_system"] = provincial_system_of(note, context)
        return values

    def export_queryset(self, plan):
        return DevolvedItem.objects.filter(plan=plan)

    def export_rows(self, plan, department=None, shown=None):
        # The rows the clerk's side reaches: the county's items, or those the city devolved.
        items = within_reach(
            self.export_queryset(plan),
            department,
            self.department_field,
            self.city_department_field,
        )
        return item_rows(shown_only(items, shown))


@register
class CancelledApprovalTable(Table):
    name = "cancelled"
    department_field = "original_department"
    city_department_field = "original_department__counterpart"
    label = "取消的行政审批事项"
    model = CancelledApproval
    headers = CANCELLED_HEADERS
    header_spec = {
        "序号": (False, ["编号"]),
        "事项名称": (True, ["项目名称"]),
        "子项名称": (False, ["子项"]),
        "原实施部门": (True, ["实施部门", "原审批部门", "部门"]),
        "实施依据": (False, ["设定依据"]),
        "取消理由": (False, ["取消理由/处理方式", "处理方式", "取消原因"]),
        "备注": (False, []),
    }
    fields = [name for name in CANCELLED_VERSIONED_FIELDS if name != "illustrative"]
    identity_fields = ["name", "sub_item", "original_department"]
    preview_columns = [("original_department", "原实施部门")]

    # Rule 8: an import of the cancelled list is a proposal too, the draft of an adjustment.
    drafts_adjustment = True

    def draft(self, result, record, user, progress=None):
        return draft_cancelled_from_preview(result, record, user, progress=progress)

    def identity_label(self, values):
        label = values["name"] + (f"（{values['sub_item']}）" if values["sub_item"] else "")
        return f"{label} · {values['original_department']}"

    def parse(self, cells, context):
        values = {
            "name": single_line(cells["事项名称"]),
            "sub_item": sub_item_of(cells),
            "original_department": department_cell(cells, "原实施部门", context),
        }
        optional = (
            ("序号", "sequence"),
            ("实施依据", "legal_basis"),
            ("取消理由", "reason"),
            ("备注", "note"),
        )
        for header, name in optional:
            if header in cells:
                values[name] = int_cell(cells, header) if name == "sequence" else cells[header]
        return values

    def export_queryset(self, plan):
        return CancelledApproval.objects.filter(plan=plan).select_related("original_department")

    def export_row(self, cancelled):
        return cancelled_row(cancelled)


def provincial_system_of(note, context):
    """The system a 备注 "涉及省级系统：…" names, from the registered list (no new spelling)."""
    name = single_line(note[len(PROVINCIAL_SYSTEM_PREFIX) :])
    system = context["systems"].get(match_key(name))
    if system is None:
        raise RowError(f"备注中的省级系统“{name}”未登记：请先在“省级业务系统”中增加，或改正名称。")
    return system
