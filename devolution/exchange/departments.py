"""The departments as a table: 全称, 简称, 层级, 市直对口部门, 联系人邮箱, 排序."""

from devolution.models import Department

from .engine import Table, choice_cell, department_cell, int_cell, register, shown_only
from .errors import RowError
from .reading import single_line


@register
class DepartmentTable(Table):
    name = "departments"
    label = "部门"
    model = Department
    uses_plan = False
    headers = ["全称", "简称", "层级", "市直对口部门", "联系人邮箱", "排序"]
    header_spec = {
        "全称": (True, ["部门全称", "部门名称"]),
        "简称": (True, ["部门简称"]),
        "层级": (True, ["级别"]),
        "市直对口部门": (False, ["对口部门", "市直部门"]),
        "联系人邮箱": (False, ["邮箱"]),
        "排序": (False, ["序号"]),
    }
    fields = ["full_name", "short_name", "level", "counterpart", "contact_email", "sort_order"]
    identity_fields = ["full_name"]

    def parse(self, cells, context):
        level = choice_cell(cells, "层级", Department.Level.choices)
        values = {
            "full_name": single_line(cells["全称"]),
            "short_name": single_line(cells["简称"]),
            "level": level,
        }
        if "市直对口部门" in cells:
            counterpart = department_cell(
                cells, "市直对口部门", context, Department.Level.CITY, required=False
            )
            if counterpart and level != Department.Level.COUNTY:
                raise RowError("只有县级部门才有市直对口部门。")
            values["counterpart"] = counterpart
        if "联系人邮箱" in cells:
            values["contact_email"] = cells["联系人邮箱"]
        if "排序" in cells:
            values["sort_order"] = int_cell(cells, "排序") or 0
        return values

    def export_queryset(self, plan):
        return Department.objects.select_related("counterpart").order_by(
            "level", "sort_order", "id"
        )

    def export_rows(self, plan, department=None, shown=None):
        # A department's staff export what their admin list shows: their own department and
        # the other side's, not the other departments of their own level.
        queryset = shown_only(self.export_queryset(plan).visible_to(department), shown)
        return (self.export_row(record) for record in queryset)

    def export_row(self, department):
        return [
            department.full_name,
            department.short_name,
            department.get_level_display(),
            department.counterpart.short_name if department.counterpart else "",
            department.contact_email,
            department.sort_order,
        ]
