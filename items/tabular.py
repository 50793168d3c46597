"""The annexes as operators' tables: their column headers and one row per record. The writers
are devolution/exchange/writing.py."""

from .models import NATIONAL_CODE_FIELDS

# The columns of the published annexes, in their order; items add their derived status last,
# which an import reads past (the status is never imported, it is derived).
ITEM_STATUS_HEADER = "状态"
# Every downloaded row of an illustrative item says so (示例数据), not only the file name.
ITEM_ILLUSTRATIVE_HEADER = "示例数据"
ILLUSTRATIVE_MARK = "示例数据"
# The national codes and the mode of devolution; files without them still import.
ITEM_CODE_HEADERS = ["基本编码", "实施编码", "业务办理项编码", "子项编码", "行使层级", "赋权方式"]
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
    *ITEM_CODE_HEADERS,
    ITEM_ILLUSTRATIVE_HEADER,
    ITEM_STATUS_HEADER,
]
CANCELLED_HEADERS = ["序号", "事项名称", "子项名称", "原实施部门", "实施依据", "取消理由", "备注"]


# What an item row reads, straight from the database: no model instance per row, so a
# 300,000-row export costs what writing the values costs.
ITEM_ROW_COLUMNS = [
    "sequence",
    "name",
    "sub_item",
    "power_type",
    "code",
    "city_department_id",
    "county_department_id",
    "legal_basis",
    "note",
    *NATIONAL_CODE_FIELDS,
    "illustrative",
    "status",
]


def item_rows(items, chunk_size=2000):
    """The annex rows of a queryset of devolved items (its filters and order), streamed. A
    past version's queryset (DevolvedItemQuerySet.as_of) gives the fields as they were then."""
    from devolution.models import Department

    names = dict(Department.objects.values_list("pk", "short_name"))
    labels = _choice_labels()
    versioned = getattr(items, "list_version", None) is not None
    columns = [
        f"at_{column.removesuffix('_id')}" if versioned and column not in ("status",) else column
        for column in ITEM_ROW_COLUMNS
    ]
    for values in items.values_list(*columns).iterator(chunk_size=chunk_size):
        yield _row(dict(zip(ITEM_ROW_COLUMNS, values, strict=True)), names, labels)


def _choice_labels():
    from .models import DevolutionMode, ItemStatus, PowerType

    return {
        "power_type": dict(PowerType.choices),
        "devolution_mode": dict(DevolutionMode.choices),
        "status": dict(ItemStatus.choices),
    }


def _row(values, names, labels):
    cells = []
    for column in ITEM_ROW_COLUMNS:
        value = values[column]
        if column in labels:
            value = labels[column].get(value, value)
        elif column.endswith("_department_id"):
            value = names[value]
        elif column == "illustrative":
            value = ILLUSTRATIVE_MARK if value else ""
        cells.append(value)
    return cells


def item_row(item):
    """One devolved item as an annex row (the same columns as `item_rows`)."""
    from devolution.models import Department

    names = dict(
        Department.objects.filter(
            pk__in=[item.city_department_id, item.county_department_id]
        ).values_list("pk", "short_name")
    )
    labels = _choice_labels()
    values = {column: getattr(item, column) for column in ITEM_ROW_COLUMNS}
    return _row(values, names, labels)


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
