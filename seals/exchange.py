"""Seals as an import/export table. Custody steps are recorded one by one in the admin, so an
import may create a seal (as engraved) and correct its particulars, but never move its status."""

from devolution.exchange.engine import Table, choice_cell, department_cell, register
from devolution.exchange.errors import RowError
from devolution.exchange.reading import single_line
from devolution.models import Department

from .models import Seal, SealKind, SealStatus


@register
class SealTable(Table):
    name = "seals"
    department_field = "holder"
    city_department_field = "issuer"
    label = "专用分章"
    model = Seal
    headers = ["印章名称", "印章类别", "刻制部门", "保管使用部门", "状态", "备注"]
    header_spec = {
        "印章名称": (True, ["名称"]),
        "印章类别": (True, ["类别"]),
        "刻制部门": (True, ["市直部门"]),
        "保管使用部门": (True, ["承接部门", "保管部门"]),
        "状态": (False, []),
        "备注": (False, []),
    }
    fields = ["name", "kind", "issuer", "holder", "status", "note"]
    readonly_fields = ["status", "kind", "issuer", "holder"]
    preview_columns = [("kind", "印章类别"), ("issuer", "刻制部门"), ("holder", "保管使用部门")]
    identity_fields = ["name"]

    def prepare(self, plan):
        live = Seal.objects.live().filter(plan=plan)
        return {
            **super().prepare(plan),
            "live": set(live.values_list("issuer_id", "holder_id", "kind")),
        }

    def parse(self, cells, context):
        values = {
            "name": single_line(cells["印章名称"]),
            "kind": choice_cell(cells, "印章类别", SealKind.choices),
            "issuer": department_cell(cells, "刻制部门", context, Department.Level.CITY),
            "holder": department_cell(cells, "保管使用部门", context, Department.Level.COUNTY),
        }
        if "备注" in cells:
            values["note"] = cells["备注"]
        if cells.get("状态"):
            values["status"] = choice_cell(cells, "状态", SealStatus.choices)
        return values

    def check_new(self, values, context):
        pair = (values["issuer"].pk, values["holder"].pk, values["kind"])
        if pair in context["live"]:
            raise RowError("该刻制部门已为该部门刻制了同类在用印章，须先收回封存旧章。")
        if values.get("status", SealStatus.ENGRAVED) != SealStatus.ENGRAVED:
            raise RowError("新印章只能以“已刻制”状态导入，此后的流转请逐步登记。")

    def export_queryset(self, plan):
        return Seal.objects.filter(plan=plan).select_related("issuer", "holder")

    def export_row(self, seal):
        return [
            seal.name,
            seal.get_kind_display(),
            seal.issuer.short_name,
            seal.holder.short_name,
            seal.get_status_display(),
            seal.note,
        ]
