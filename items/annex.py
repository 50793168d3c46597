"""A whole annex as a draft adjustment: how the real annex replaces the illustrative items.

The file goes through the import engine (every format it reads, the same checks), but nothing is
written to the list: its new rows become 新增, its changed rows 变更 (the diff), and the items of
the current list the file lacks are offered, not made: a 收回 (an illustrative item: 退出) the
reviewer accepts one by one or all at once. An illustrative item the annex confirms loses its
示例数据 mark with the rest of the adjustment, at publication.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from devolution.exchange import bulk
from devolution.exchange.engine import BATCH_SIZE as BATCH
from devolution.exchange.engine import record_drafted, start_import
from devolution.exchange.errors import ExchangeError

from . import adjustments
from .models import (
    CANCELLED_VERSIONED_FIELDS,
    VERSIONED_FIELDS,
    AdjustmentChange,
    ChangeKind,
    DevolvedItem,
)

TABLE = "items"


def stored_values(values, fields=VERSIONED_FIELDS):
    """The engine's parsed row as an adjustment stores it (related records by id)."""
    return {
        name: value.pk if isinstance(value, models.Model) else value
        for name, value in values.items()
        if name in fields
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
    with transaction.atomic():
        result.drafted = draft_from_preview(result, record, by, whole_list=True, now=now)
        record_drafted(record, result)
    return result.drafted


def draft_from_preview(result, record, by, whole_list, now=None, progress=None):
    """A checked import of items (`result`, the engine's preview) as a draft adjustment: its
    new rows as 新增, its changed rows as 变更, a row of an item off the list as 重新下放.
    `whole_list` (the whole annex, the office's): the annex's rows lose the 示例数据 mark, and
    the current items the file lacks are offered for 收回 or 退出, not accepted. Otherwise (the
    plain import of some rows, by the office or a department for its own items) only the rows
    of the file are proposed. The engine has checked every row (fields, departments, duplicates),
    so the changes are written in bulk, `progress(stage, done, total)` hearing of each batch.
    Returns the draft."""
    if by is None or not by.is_authenticated:
        raise ExchangeError("导入赋权事项会生成动态调整草稿，须指明起草人（命令行请用 --user）。")
    plan, mark = result.plan, {"illustrative": False} if whole_list else {}
    with transaction.atomic():
        adjustment = adjustments.draft(
            f"导入附件：{record.file_name}" if whole_list else f"导入赋权事项：{record.file_name}",
            by,
            reason=(
                f"{'整表' if whole_list else ''}导入：新增 {len(result.new)}，"
                f"变更 {len(result.changed)}，未变 {len(result.unchanged)}"
                + ("；清单上文件中没有的事项待审核人确认收回或退出。" if whole_list else "。")
            ),
            now=now,
            source_import=record,
            whole_list=whole_list,
        )
        changes, matched = [], set()
        for outcome in [*result.changed, *result.unchanged]:
            item = outcome.instance
            matched.add(item.pk)
            values = adjustments.changed_values(item, {**stored_values(outcome.values), **mark})
            # Off the list, back in the file: devolved again, as the file has it.
            off_list = item.listed_until is not None or item.is_retired
            if not values and not off_list:
                continue
            changes.append(
                AdjustmentChange(
                    adjustment=adjustment,
                    kind=ChangeKind.REDEVOLVE if off_list else ChangeKind.CHANGE,
                    item=item,
                    values=values,
                    previous=adjustments.raw_values(item, list(values)),
                )
            )
        # Written a batch at a time through devolution.exchange.bulk (the values as the driver
        # takes them, not through the field machinery value by value), the 新增 built batch by
        # batch too: an annex's tens of thousands of rows are never all in memory twice.
        new, total = result.new, len(result.new) + len(changes)
        for start in range(0, total, BATCH):
            batch = [
                AdjustmentChange(
                    adjustment=adjustment,
                    kind=ChangeKind.ADD,
                    values={**stored_values(outcome.values), "plan": plan.pk, **mark},
                )
                for outcome in new[start : start + BATCH]
            ]
            batch += changes[max(0, start - len(new)) : max(0, start + BATCH - len(new))]
            bulk.create(AdjustmentChange, batch)
            if progress:
                progress("写入", min(start + BATCH, total), total)
        if whole_list:
            missing = DevolvedItem.objects.current().filter(plan=plan).exclude(pk__in=matched)
            for item in missing.order_by("sequence", "pk").iterator():
                kind = ChangeKind.RETIRE if item.illustrative else ChangeKind.WITHDRAW
                adjustments.add_change(
                    adjustment, kind, item=item, note="附件中没有该事项", accepted=False
                )
    return adjustment


def draft_cancelled_from_preview(result, record, by, progress=None):
    """A checked import of the cancelled list (附件1) as a draft adjustment: its new rows as
    新增 of the cancelled list, its changed rows as 变更 of their wording. Only the rows of the
    file are proposed; an entry leaves the list by a 退出 drafted for it. A row naming an entry
    already off the list is refused (nothing is drafted). Returns the draft."""
    if by is None or not by.is_authenticated:
        raise ExchangeError("导入取消事项会生成动态调整草稿，须指明起草人（命令行请用 --user）。")
    outcomes = [(ChangeKind.ADD, o) for o in result.new] + [
        (ChangeKind.CHANGE, o) for o in result.changed
    ]
    try:
        with transaction.atomic():
            adjustment = adjustments.draft(
                f"导入取消事项：{record.file_name}",
                by,
                reason=(
                    f"导入：新增 {len(result.new)}，变更 {len(result.changed)}，"
                    f"未变 {len(result.unchanged)}。"
                ),
                source_import=record,
            )
            for done, (kind, outcome) in enumerate(outcomes, start=1):
                values = stored_values(outcome.values, CANCELLED_VERSIONED_FIELDS)
                if kind == ChangeKind.ADD:
                    values["plan"] = result.plan.pk
                adjustments.add_cancelled_change(
                    adjustment, kind, entry=outcome.instance, values=values
                )
                if progress and (done % adjustments.BATCH == 0 or done == len(outcomes)):
                    progress("写入", done, len(outcomes))
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", [str(error)])
        raise ExchangeError(f"未生成调整草稿：{'；'.join(messages)}") from error
    return adjustment
