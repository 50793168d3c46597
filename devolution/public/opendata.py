"""The open-data package: a Frictionless Data Package (datapackage.json) whose Table Schemas
describe the CSV downloads: field types, enums, required and unique."""

from django.urls import reverse

from items.models import DevolutionMode, ItemStatus, PowerType

# The item CSV's columns: (type, constraints). Names are the CSV's own headers.
ITEM_FIELDS = {
    "序号": ("integer", {}),
    "事项名称": ("string", {"required": True}),
    "子项名称": ("string", {}),
    "权力类型": ("string", {"required": True, "enum": list(PowerType.labels)}),
    "事项编码": ("string", {}),
    "市直部门": ("string", {"required": True}),
    "承接部门": ("string", {"required": True}),
    "实施依据": ("string", {}),
    "备注": ("string", {}),
    "基本编码": ("string", {}),
    "实施编码": ("string", {}),
    "业务办理项编码": ("string", {}),
    "子项编码": ("string", {}),
    "行使层级": ("string", {}),
    "赋权方式": ("string", {"enum": ["", *DevolutionMode.labels]}),
    "示例数据": ("string", {"enum": ["", "示例数据"]}),
    "状态": ("string", {"required": True, "enum": list(ItemStatus.labels)}),
}
HISTORY_FIELDS = {
    "版本号": ("integer", {"required": True}),
    "文号": ("string", {"required": True}),
    "生效日期": ("date", {"required": True}),
    "变动类型": ("string", {"required": True}),
    "事项ID": ("integer", {}),
    "事项名称": ("string", {"required": True}),
    "字段": ("string", {}),
    "原值": ("string", {}),
    "新值": ("string", {}),
    "理由": ("string", {}),
}


def schema(fields):
    return {
        "fields": [
            {"name": name, "type": kind, **({"constraints": c} if c else {})}
            for name, (kind, c) in fields.items()
        ],
        "missingValues": [""],
    }


def datapackage(request):
    def url(name):
        return request.build_absolute_uri(reverse(name))

    return {
        "profile": "tabular-data-package",
        "name": "panshan-devolution-registry",
        "title": "盘山县赋权事项清单",
        "description": "盘锦市赋予盘山县的市级行政职权事项及其历次动态调整。加 ?as_of=YYYY-MM-DD 或"
        " ?version=N 可下载任一已公布版本的清单。",
        "homepage": url("public:home"),
        "licenses": [{"name": "公开政务信息", "title": "依法公开的政务信息"}],
        "resources": [
            {
                "name": "devolved-items",
                "title": "赋权事项（现行清单）",
                "path": url("public:items-csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "profile": "tabular-data-resource",
                "schema": schema(ITEM_FIELDS),
            },
            {
                "name": "list-history",
                "title": "清单变更历史（全部版本）",
                "path": url("public:history-csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "profile": "tabular-data-resource",
                "schema": schema(HISTORY_FIELDS),
            },
        ],
    }
