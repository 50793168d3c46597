"""An item's change history for the public: when and what changed, never who."""

from devolution.models import Department

# Bookkeeping columns that say nothing to a citizen.
HIDDEN_FIELDS = {"id", "plan"}


def _display(field, value, departments):
    if value in (None, ""):
        return "（空）"
    if field.is_relation:
        return departments.get(value, value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def change_history(item):
    """Newest first: [{date, action, changes: [{field, old, new}]}]; two queries."""
    model = type(item)
    records = list(item.history.order_by("history_date", "history_id"))
    fields = [
        f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.editable
    ] + [model._meta.get_field("status")]
    department_ids = {
        getattr(record, f.attname) for record in records for f in fields if f.is_relation
    }
    departments = dict(
        Department.objects.filter(pk__in=department_ids).values_list("pk", "short_name")
    )
    entries = []
    previous = None
    for record in records:
        changes = []
        for field in fields:
            new = getattr(record, field.attname)
            old = getattr(previous, field.attname) if previous else None
            if previous is not None and old == new:
                continue
            if previous is None and new in (None, ""):
                continue
            changes.append(
                {
                    "field": field.verbose_name,
                    "old": _display(field, old, departments) if previous else "",
                    "new": _display(field, new, departments),
                }
            )
        if previous is None or changes:
            entries.append(
                {
                    "date": record.history_date,
                    "action": {"+": "登记", "~": "变更", "-": "删除"}[record.history_type],
                    "changes": changes,
                }
            )
        previous = record
    entries.reverse()
    return entries
