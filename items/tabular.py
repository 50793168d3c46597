"""The annexes as operators' tables: their column headers and one row per record. The writers
are devolution/exchange/writing.py."""

# The columns of the published annexes, in their order; items add their derived status last,
# which an import reads past (the status is never imported, it is derived).
ITEM_STATUS_HEADER = "状态"
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
    "status",
]


def item_rows(items, chunk_size=2000):
    """The annex rows of a queryset of devolved items (its filters and order), streamed."""
    from devolution.models import Department

    from .models import ItemStatus, PowerType

    names = dict(Department.objects.values_list("pk", "short_name"))
    power_types, statuses = dict(PowerType.choices), dict(ItemStatus.choices)
    rows = items.values_list(*ITEM_ROW_COLUMNS).iterator(chunk_size=chunk_size)
    for sequence, name, sub_item, power, code, city, county, basis, note, status in rows:
        yield [
            sequence,
            name,
            sub_item,
            power_types.get(power, power),
            code,
            names[city],
            names[county],
            basis,
            note,
            statuses.get(status, status),
        ]


def item_row(item):
    """One devolved item as an annex row (the same columns as `item_rows`)."""
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
        item.get_status_display(),
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
