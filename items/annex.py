"""A whole annex as a draft adjustment: how the real annex replaces the illustrative items.

The file goes through the import engine (every format it reads, the same checks), but nothing is
written to the list: its new rows become 新增, its changed rows 变更 (the diff), and the items of
the current list the file lacks are offered, not made: a 收回 (an illustrative item: 退出) the
reviewer accepts one by one or all at once. An illustrative item the annex confirms loses its
示例数据 mark with the rest of the adjustment, at publication.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from devolution.exchange.engine import start_import

from . import adjustments
from .models import VERSIONED_FIELDS, ChangeKind, DevolvedItem

TABLE = "items"


def stored_values(values):
    """The engine's parsed row as an adjustment stores it (related records by id)."""
    return {
        name: value.pk if isinstance(value, models.Model) else value
        for name, value in values.items()
        if name in VERSIONED_FIELDS
    }


def draft_from_annex(data, file_name, by, plan_doc_number=None, now=None):
    """Read the annex and draft its adjustment; a file with errors drafts nothing (the errors
    are raised, in Chinese, by row). Returns the draft."""
    record, result = start_import(data, file_name, TABLE, by, plan_doc_number, keep=False)
    if not result.ok:
        raise ValidationError(
            [f"第 {row} 行：{message}" for row, message in result.errors]
            or ["文件没有可导入的行。"]
        )
    plan = result.plan
    with transaction.atomic():
        adjustment = adjustments.draft(
            f"导入附件：{file_name}",
            by,
            reason=(
                f"整表导入：新增 {len(result.new)}，变更 {len(result.changed)}，"
                f"未变 {len(result.unchanged)}；清单上文件中没有的事项待审核人确认收回或退出。"
            ),
            now=now,
            source_import=record,
            whole_list=True,
        )
        for outcome in result.new:
            values = {**stored_values(outcome.values), "plan": plan.pk, "illustrative": False}
            adjustments.add_change(adjustment, ChangeKind.ADD, values=values)
        matched = set()
        for outcome in [*result.changed, *result.unchanged]:
            item = outcome.instance
            matched.add(item.pk)
            values = {**stored_values(outcome.values), "illustrative": False}
            if item.listed_until is not None or item.is_retired:
                # Off the list, back in the annex: devolved again, as the annex has it.
                adjustments.add_change(adjustment, ChangeKind.REDEVOLVE, item=item, values=values)
            elif adjustments.changed_values(item, values):
                adjustments.add_change(adjustment, ChangeKind.CHANGE, item=item, values=values)
        missing = DevolvedItem.objects.current().filter(plan=plan).exclude(pk__in=matched)
        for item in missing.order_by("sequence", "pk").iterator():
            kind = ChangeKind.RETIRE if item.illustrative else ChangeKind.WITHDRAW
            adjustments.add_change(
                adjustment, kind, item=item, note="附件中没有该事项", accepted=False
            )
    return adjustment
