"""Handovers as an import/export table: one row per city → county department pair."""

from devolution.exchange.engine import Table, date_cell, department_cell, register
from devolution.exchange.errors import RowError
from devolution.models import Department

from .models import Handover


@register
class HandoverTable(Table):
    name = "handovers"
    department_field = "county_department"
    city_department_field = "city_department"
    label = "权力交接"
    model = Handover
    headers = ["市直部门", "承接部门", "交接期限", "完成日期", "签字人", "备注"]
    header_spec = {
        "市直部门": (True, ["市直赋权部门"]),
        "承接部门": (True, ["县承接部门"]),
        "交接期限": (False, []),
        "完成日期": (False, ["交接日期"]),
        "签字人": (False, []),
        "备注": (False, []),
    }
    # 交接期限 is exported for reading; it is derived from the plan, so an import reads past it.
    fields = ["city_department", "county_department", "completed_on", "signed_by", "note"]
    identity_fields = ["city_department", "county_department"]
    preview_columns = [("city_department", "市直部门"), ("county_department", "承接部门")]

    def parse(self, cells, context):
        values = {
            "city_department": department_cell(cells, "市直部门", context, Department.Level.CITY),
            "county_department": department_cell(
                cells, "承接部门", context, Department.Level.COUNTY
            ),
        }
        if "完成日期" in cells:
            values["completed_on"] = date_cell(cells, "完成日期")
        for header, name in (("签字人", "signed_by"), ("备注", "note")):
            if header in cells:
                values[name] = cells[header]
        if values.get("completed_on") and not values.get("signed_by"):
            raise RowError("填写了“完成日期”，必须同时填写“签字人”。")
        return values

    def export_queryset(self, plan):
        return Handover.objects.filter(plan=plan).select_related(
            "city_department", "county_department"
        )

    def export_row(self, handover):
        return [
            handover.city_department.short_name,
            handover.county_department.short_name,
            handover.due_on.isoformat() if handover.due_on else "",
            handover.completed_on.isoformat() if handover.completed_on else "",
            handover.signed_by,
            handover.note,
        ]
