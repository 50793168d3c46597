"""办件量 (case volumes) as an import/export table: the county keeps its case counts elsewhere and
brings them into the round under way, one row per item, through the same engine as every other
import (preview, all-or-nothing, row-numbered errors)."""

from devolution.exchange.engine import Table, department_cell, int_cell, register
from devolution.exchange.errors import ExchangeError, RowError
from devolution.exchange.reading import match_key
from devolution.models import Department
from items.exchange import sub_item_of

from .models import EvaluationRound, ItemEvaluation

HEADERS = ["事项编码", "事项名称", "子项名称", "承接部门", "办件量"]


def round_under_way():
    evaluation_round = EvaluationRound.objects.open().first()
    if evaluation_round is None:
        raise ExchangeError("当前没有正在进行的评估，办件量只能导入正在进行的评估。")
    return evaluation_round


@register
class CaseVolumeTable(Table):
    name = "case_volumes"
    label = "办件量"
    model = ItemEvaluation
    headers = HEADERS
    header_spec = {
        "事项编码": (False, ["编码", "权力编码", "职权编码"]),
        "事项名称": (False, ["项目名称", "权力事项名称", "职权名称"]),
        "子项名称": (False, ["子项"]),
        "承接部门": (False, ["县承接部门", "实施部门", "行使主体"]),
        "办件量": (True, ["办件数", "办件数量", "件数"]),
    }
    fields = ["item", "county_department", "case_volume"]
    identity_fields = ["item"]
    readonly_fields = ["county_department"]
    uses_plan = False
    department_field = "county_department"

    def prepare(self, plan):
        context = super().prepare(plan)
        evaluation_round = round_under_way()
        by_code, by_name = {}, {}
        for evaluation in self.existing_queryset({"round": evaluation_round}):
            item = evaluation.item
            if item.code:
                by_code.setdefault(match_key(item.code), []).append(evaluation)
            key = (match_key(item.name), match_key(item.sub_item), evaluation.county_department_id)
            by_name.setdefault(key, []).append(evaluation)
        context.update(round=evaluation_round, by_code=by_code, by_name=by_name)
        return context

    def existing_queryset(self, context):
        evaluation_round = context.get("round") or round_under_way()
        return ItemEvaluation.objects.filter(round=evaluation_round).select_related(
            "item", "county_department"
        )

    def parse(self, cells, context):
        code = cells.get("事项编码", "")
        name = cells.get("事项名称", "")
        department = department_cell(
            cells, "承接部门", context, Department.Level.COUNTY, required=not code
        )
        if not code and not name:
            raise RowError("请填写“事项编码”，或“事项名称”和“承接部门”。")
        if code:
            found = context["by_code"].get(match_key(code), [])
            if department is not None:
                found = [e for e in found if e.county_department_id == department.pk]
            wanted = f"编码为“{code}”的事项"
        else:
            key = (match_key(name), match_key(sub_item_of(cells)), department.pk)
            found = context["by_name"].get(key, [])
            wanted = f"{department}的事项“{name}”"
        if not found:
            raise RowError(f"{wanted}不在本轮评估（{context['round'].title}）中。")
        if len(found) > 1:
            raise RowError(f"{wanted}在本轮评估中不止一个，请同时填写“承接部门”和“子项名称”。")
        count = int_cell(cells, "办件量")
        if count is None:
            raise RowError("“办件量”不能为空。")
        evaluation = found[0]
        return {
            "item": evaluation.item,
            "county_department": evaluation.county_department,
            "case_volume": count,
        }

    def check_new(self, values, context):
        raise RowError("该事项不在本轮评估中。")

    def export_queryset(self, plan):
        return self.existing_queryset({}).order_by("county_department__sort_order", "item_id")

    def export_row(self, evaluation):
        item = evaluation.item
        return [
            item.code,
            item.name,
            item.sub_item,
            evaluation.county_department.short_name,
            "" if evaluation.case_volume is None else evaluation.case_volume,
        ]
