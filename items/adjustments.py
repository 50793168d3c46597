"""动态调整: draft a change set, submit it, have someone else approve (or reject) it, publish
it as the next list version. Every door (admin, the annex import, the evaluation round, the
benchmark) calls these functions; nothing public changes before `publish`.

Each step is a conditional UPDATE from the status it expects, so two people acting on one
adjustment at once cannot both succeed (one gets a clear error, nothing is lost).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from devolution.exchange import bulk
from devolution.models import Department, ImportRecord, department_of

from .models import (
    CANCELLED_VERSIONED_ATTNAMES,
    CANCELLED_VERSIONED_FIELDS,
    FIRST_VERSION,
    FIRST_VERSION_FIELDS,
    LEAVING_KINDS,
    VERSIONED_ATTNAMES,
    VERSIONED_FIELDS,
    Adjustment,
    AdjustmentChange,
    AdjustmentStep,
    CancelledApproval,
    CancelledRevision,
    ChangeKind,
    DevolvedItem,
    ItemRevision,
    ItemStatus,
    ListVersion,
)
from .signals import list_published

Status = Adjustment.Status
Action = AdjustmentStep.Action
# Items read and written per query when publishing.
BATCH = 500
# 新增 changes read, validated and written at a time when publishing.
ADD_BATCH = 2000


def ensure_first_version():
    """Version 1 (the 2016 annexes): the migration seeds it; a flushed database gets it back."""
    published_at = timezone.make_aware(
        datetime.datetime.combine(FIRST_VERSION_FIELDS["effective_on"], datetime.time())
    )
    version, _ = ListVersion.objects.get_or_create(
        number=FIRST_VERSION, defaults={**FIRST_VERSION_FIELDS, "published_at": published_at}
    )
    return version


def version_in_force(day):
    """The version number in force on `day`; 0 before the first (an empty list)."""
    version = ListVersion.objects.in_force_on(day)
    return version.number if version is not None else 0


def raw_values(record, names=None):
    """An item's (or a cancelled entry's) public fields as an adjustment stores them (a
    department as its id); `names`: some of them."""
    attnames = type(record).versioned_attnames
    names = attnames if names is None else names
    return {name: getattr(record, attnames[name]) for name in names}


# How a change is told, in Chinese: the public change log and the admin both read these.
FIELD_LABELS = {
    name: str(DevolvedItem._meta.get_field(name).verbose_name) for name in VERSIONED_FIELDS
}
CANCELLED_FIELD_LABELS = {
    name: str(CancelledApproval._meta.get_field(name).verbose_name)
    for name in CANCELLED_VERSIONED_FIELDS
}


def display_value(name, value, departments, model=DevolvedItem):
    """A stored value as a citizen reads it (a department by name, a choice by its label)."""
    if value in (None, ""):
        return "（空）"
    field = model._meta.get_field(name)
    if field.related_model is Department:
        return departments.get(value, value)
    if field.is_relation:  # a provincial system: rarely changed, read when it is
        return str(field.related_model.objects.filter(pk=value).first() or value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _model_and_labels(change):
    if change.of_cancelled:
        return CancelledApproval, CANCELLED_FIELD_LABELS
    return DevolvedItem, FIELD_LABELS


def field_changes(change, departments):
    """[{field, old, new}] of a CHANGE (or of a re-devolution with changed fields), of either
    list."""
    model, labels = _model_and_labels(change)
    return [
        {
            "field": labels[name],
            "old": display_value(name, change.previous.get(name), departments, model),
            "new": display_value(name, value, departments, model),
        }
        for name, value in change.values.items()
        if name in labels and change.kind != ChangeKind.ADD
    ]


def added_fields(change, departments):
    """[{field, old: None, new}] of an ADD, its filled fields: what the new entry of either list
    will say, for its reviewer."""
    model, labels = _model_and_labels(change)
    return [
        {"field": labels[name], "old": None, "new": display_value(name, value, departments, model)}
        for name, value in change.values.items()
        # Left out: the empty, and a False mark (示例数据：否 on every imported row).
        if name in labels and value not in (None, "") and value is not False
    ]


def _record(adjustment, action, by, note="", now=None):
    AdjustmentStep.objects.create(
        adjustment=adjustment, action=action, by=by, at=now or timezone.now(), note=note
    )


def _reaches(department, item_or_values):
    """Whether a proposing department may touch this item: a county department the items it
    receives, a city department the items it gives."""
    if department is None:
        return True
    if isinstance(item_or_values, dict):
        county = item_or_values.get("county_department")
        city = item_or_values.get("city_department")
    else:
        county, city = item_or_values.county_department_id, item_or_values.city_department_id
    own = city if department.level == Department.Level.CITY else county
    return own == department.pk


def draft(title, by, reason="", now=None, source_import=None, whole_list=False):
    """A new draft. The reform office drafts for the whole list; a department's staff propose
    for their own department's items only (the draft carries their department). `whole_list`:
    a draft the registry makes for the office (an evaluation round, an annex import)."""
    adjustment = Adjustment(
        title=title,
        reason=reason,
        department=None if whole_list else department_of(by),
        created_by=by,
        created_at=now or timezone.now(),
        source_import=source_import,
    )
    adjustment.full_clean(exclude=["created_by", "source_import"])
    adjustment.save()
    _record(adjustment, Action.DRAFT, by, now=now)
    return adjustment


def _model_values(values):
    """An adjustment's stored values as model attributes (department ids as *_id)."""
    attributes = {}
    for name, value in values.items():
        if name == "plan":
            attributes["plan_id"] = value
        elif name in VERSIONED_ATTNAMES:
            attributes[VERSIONED_ATTNAMES[name]] = value
        else:
            raise ValidationError(f"“{name}”不是清单上的事项字段，不能通过动态调整修改。")
    return attributes


def _checked_item(values, base=None):
    """An unsaved item with `values` applied (over `base`'s fields), validated field by field."""
    item = DevolvedItem()
    if base is not None:
        item.plan_id = base.plan_id
        for attname in VERSIONED_ATTNAMES.values():
            setattr(item, attname, getattr(base, attname))
    for attname, value in _model_values(values).items():
        setattr(item, attname, value)
    item.full_clean(validate_unique=False, validate_constraints=False)
    return item


def _checked_items(values_list):
    """Unsaved items made of each of `values_list`, validated as `_checked_item` validates one,
    but the related records (plan, departments, system) checked with one query per field for
    all of them instead of one per item and field: publishing an annex's 50,000 新增 would
    otherwise send 150,000 queries. An item that fails is validated alone, for its message."""
    fields = DevolvedItem._meta.concrete_fields
    related = [field for field in fields if field.is_relation]
    excluded = {}  # by the values' names: the related fields, and the defaults left as they are
    items = []
    for values in values_list:
        names = frozenset(values)
        if names not in excluded:
            excluded[names] = [
                field.name
                for field in fields
                if field.is_relation
                or (field.name not in names and (field.has_default() or field.blank))
            ]
        item = DevolvedItem()
        for attname, value in _model_values(values).items():
            setattr(item, attname, value)
        item.full_clean(exclude=excluded[names], validate_unique=False, validate_constraints=False)
        items.append(item)
    for field in related:
        wanted = {getattr(item, field.attname) for item in items} - {None}
        found = set(
            field.remote_field.model._base_manager.filter(pk__in=wanted)
            .complex_filter(field.get_limit_choices_to())
            .values_list("pk", flat=True)
        )
        for item in items:
            value = getattr(item, field.attname)
            if value not in found and (value is not None or not field.blank):
                item.full_clean(validate_unique=False, validate_constraints=False)
    return items


def _reaches_cancelled(department, entry):
    """Whether a proposing department may touch an entry of the cancelled list: a county
    department its own, a city department its county counterpart's."""
    if department is None:
        return True
    own = Department.objects.get(pk=entry.original_department_id)
    if department.level == Department.Level.CITY:
        return own.counterpart_id == department.pk or own.pk == department.pk
    return own.pk == department.pk


def _checked_entry(values, base=None):
    """An unsaved cancelled entry with `values` applied (over `base`'s fields), validated as
    the list would have it (its identity unique in the plan: the list is short)."""
    entry = CancelledApproval()
    if base is not None:
        entry.pk, entry.plan_id = base.pk, base.plan_id
        entry._state.adding = False  # checked against the others, not against itself
        for attname in CANCELLED_VERSIONED_ATTNAMES.values():
            setattr(entry, attname, getattr(base, attname))
    for name, value in values.items():
        if name == "plan":
            entry.plan_id = value
        elif name in CANCELLED_VERSIONED_ATTNAMES:
            setattr(entry, CANCELLED_VERSIONED_ATTNAMES[name], value)
        else:
            raise ValidationError(f"“{name}”不是取消事项清单的字段，不能通过动态调整修改。")
    entry.full_clean(validate_unique=False)
    return entry


CANCELLED_KINDS = (ChangeKind.ADD, ChangeKind.CHANGE, ChangeKind.RETIRE)


def add_cancelled_change(adjustment, kind, entry=None, values=None, note="", accepted=True):
    """A change of the cancelled list (附件1): add an entry (`values`, with its plan), correct
    an entry's wording (the changed fields) or take it off (退出), at publication. Refused (in
    Chinese, nothing written) when it does not fit."""
    values = dict(values or {})
    if adjustment.status != Status.DRAFT:
        raise ValidationError("只有草稿可以修改变动内容。")
    if kind not in CANCELLED_KINDS:
        raise ValidationError("取消事项清单的变动只能是新增、变更或退出。")
    previous = {}
    if kind == ChangeKind.ADD:
        if entry is not None:
            raise ValidationError("新增取消事项不对应已有事项。")
        if "plan" not in values:
            raise ValidationError("新增取消事项须注明所属实施方案。")
        checked = _checked_entry(values)
        if not _reaches_cancelled(adjustment.department, checked):
            raise PermissionDenied("只能为本部门的取消事项提出调整。")
        if adjustment.changes.filter(
            annex=AdjustmentChange.Annex.CANCELLED, kind=ChangeKind.ADD, values=values
        ).exists():
            raise ValidationError(f"本次调整已包含新增取消事项「{checked}」。")
    else:
        if entry is None:
            raise ValidationError("请指定要调整的取消事项。")
        entry = CancelledApproval.objects.select_related("original_department").get(pk=entry.pk)
        if not _reaches_cancelled(adjustment.department, entry):
            raise PermissionDenied(f"取消事项「{entry}」不是本部门的事项，不能提出调整。")
        if entry.listed_until is not None or entry.is_retired:
            raise ValidationError(f"取消事项「{entry}」已不在清单中。")
        if adjustment.changes.filter(cancelled=entry).exists():
            raise ValidationError(f"本次调整已包含取消事项「{entry}」的变动。")
        if kind == ChangeKind.CHANGE:
            values = changed_values(entry, values)
            if not values:
                raise ValidationError(f"取消事项「{entry}」没有字段发生变化。")
            if not _reaches_cancelled(adjustment.department, _checked_entry(values, base=entry)):
                raise PermissionDenied("不能把取消事项调整给其他部门。")
            previous = raw_values(entry, list(values))
        else:
            values = {}
    return AdjustmentChange.objects.create(
        adjustment=adjustment,
        annex=AdjustmentChange.Annex.CANCELLED,
        kind=kind,
        cancelled=entry,
        values=values,
        previous=previous,
        note=note,
        accepted=accepted,
    )


def add_cancelled_retirement(adjustment, entry, note=""):
    """A change of the cancelled list (附件1): take `entry` off it at publication (退出)."""
    return add_cancelled_change(adjustment, ChangeKind.RETIRE, entry=entry, note=note)


def add_change(adjustment, kind, item=None, values=None, note="", linked=None, accepted=True):
    """Add one change to a draft; refused (in Chinese, nothing written) when it does not fit."""
    values = dict(values or {})
    if adjustment.status != Status.DRAFT:
        raise ValidationError("只有草稿可以修改变动内容。")
    if kind == ChangeKind.ADD:
        if item is not None:
            raise ValidationError("新增事项不对应已有事项。")
        if "plan" not in values:
            raise ValidationError("新增事项须注明所属实施方案。")
        _checked_item(values)
        if not _reaches(adjustment.department, values):
            raise PermissionDenied("只能为本部门的事项提出调整。")
        previous = {}
    else:
        if item is None:
            raise ValidationError("请指定要调整的事项。")
        item = DevolvedItem.objects.get(pk=item.pk)  # as it stands now, not as the caller read it
        if not _reaches(adjustment.department, item):
            raise PermissionDenied(f"事项「{item}」不是本部门的事项，不能提出调整。")
        listed = item.listed_until is None and not item.is_retired
        if kind == ChangeKind.REDEVOLVE and listed:
            raise ValidationError(f"事项「{item}」仍在清单中，无需重新下放。")
        if kind != ChangeKind.REDEVOLVE and not listed:
            raise ValidationError(f"事项「{item}」已不在清单中。")
        if adjustment.changes.filter(item=item).exclude(kind=ChangeKind.ADD).exists():
            raise ValidationError(f"本次调整已包含事项「{item}」的变动。")
        if kind in (ChangeKind.CHANGE, ChangeKind.REDEVOLVE):
            values = changed_values(item, values)
        if kind == ChangeKind.CHANGE:
            if not values and accepted:
                # An unaccepted change without values is a 调整 still to be worked out.
                raise ValidationError(f"事项「{item}」没有字段发生变化。")
        if values and not _reaches(adjustment.department, _checked_item(values, base=item)):
            raise PermissionDenied("不能把事项调整给其他部门。")
        previous = raw_values(item, list(values)) if values else {}
    return AdjustmentChange.objects.create(
        adjustment=adjustment,
        kind=kind,
        item=item,
        values=values,
        previous=previous,
        linked=linked,
        note=note,
        accepted=accepted,
    )


def changed_values(record, values):
    """The values that differ from the item's (or cancelled entry's) own; unknown names are
    kept, to be refused when checked."""
    attnames = type(record).versioned_attnames
    current = raw_values(record, [name for name in values if name in attnames])
    return {name: value for name, value in values.items() if current.get(name, object()) != value}


def revise_change(change, values):
    """Set the new values of a draft's 变更 (e.g. a 调整 an evaluation round asked for):
    validated as when added; it is then accepted."""
    if change.adjustment.status != Status.DRAFT or change.kind != ChangeKind.CHANGE:
        raise ValidationError("只有草稿中的“变更”可以修改新值。")
    if change.of_cancelled:
        entry = CancelledApproval.objects.get(pk=change.cancelled_id)
        values = changed_values(entry, values)
        if not values:
            raise ValidationError(f"取消事项「{entry}」没有字段发生变化。")
        if not _reaches_cancelled(change.adjustment.department, _checked_entry(values, entry)):
            raise PermissionDenied("不能把取消事项调整给其他部门。")
        change.values, change.previous = values, raw_values(entry, list(values))
        change.accepted = True
        change.save(update_fields=["values", "previous", "accepted"])
        return change
    item = DevolvedItem.objects.get(pk=change.item_id)
    values = changed_values(item, values)
    if not values:
        raise ValidationError(f"事项「{item}」没有字段发生变化。")
    if not _reaches(change.adjustment.department, _checked_item(values, base=item)):
        raise PermissionDenied("不能把事项调整给其他部门。")
    change.values, change.previous, change.accepted = values, raw_values(item, list(values)), True
    change.save(update_fields=["values", "previous", "accepted"])
    return change


def accept_changes(adjustment, changes, accepted=True):
    """The reviewer's answer to changes offered, not made (an annex's missing rows): accept
    (or decline) them, one by one or all at once. Returns how many. A 变更 without new values
    is never accepted (revise_change gives it its values)."""
    if adjustment.status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError("调整已审核或公布，不能再改变变动内容。")
    changes = changes.filter(adjustment=adjustment)
    if accepted:
        changes = changes.exclude(kind=ChangeKind.CHANGE, values={})
    return changes.update(accepted=accepted)


def _move(adjustment, expected, new, by, action, note="", now=None, **fields):
    """Move the adjustment from one of the `expected` statuses to `new`; the UPDATE's own
    condition decides, so a concurrent step cannot be overwritten."""
    now = now or timezone.now()
    with transaction.atomic():
        moved = Adjustment.objects.filter(pk=adjustment.pk, status__in=expected).update(
            status=new, **fields
        )
        if not moved:
            adjustment.refresh_from_db()
            raise ValidationError(
                f"该调整当前为“{adjustment.get_status_display()}”，不能{action.label}。"
            )
        _record(adjustment, action, by, note, now)
    adjustment.refresh_from_db()
    return adjustment


def submit(adjustment, by, note="", now=None):
    if not adjustment.changes.exists():
        raise ValidationError("调整还没有任何变动，不能提交审核。")
    return _move(adjustment, [Status.DRAFT], Status.SUBMITTED, by, Action.SUBMIT, note, now)


def approve(adjustment, by, note="", now=None):
    """Rule 8: approved by someone other than its author (the database refuses it too)."""
    if not by.has_perm("items.review_adjustment"):
        raise PermissionDenied("您没有审核动态调整的权限。")
    if by.pk == adjustment.created_by_id:
        raise ValidationError("起草人不能审核自己起草的调整，须由另一人审核。")
    now = now or timezone.now()
    return _move(
        adjustment,
        [Status.SUBMITTED],
        Status.APPROVED,
        by,
        Action.APPROVE,
        note,
        now,
        reviewed_by=by,
        reviewed_at=now,
    )


def reject(adjustment, by, note, now=None):
    """Sent back with a reason; the draft and its changes are kept, nothing is applied."""
    if not by.has_perm("items.review_adjustment"):
        raise PermissionDenied("您没有审核动态调整的权限。")
    if not note.strip():
        raise ValidationError("退回时请写明理由。")
    return _move(adjustment, [Status.SUBMITTED], Status.REJECTED, by, Action.REJECT, note, now)


def withdraw(adjustment, by, note="", now=None):
    """The author (or the office) withdraws a draft; it is kept, marked 已撤回."""
    if by.pk != adjustment.created_by_id and not by.has_perm("items.review_adjustment"):
        raise PermissionDenied("只有起草人或县编委办可以撤回调整。")
    return _move(
        adjustment,
        [Status.DRAFT, Status.SUBMITTED, Status.REJECTED],
        Status.WITHDRAWN,
        by,
        Action.WITHDRAW,
        note,
        now,
    )


EFFECTIVE_DATE_REQUIRED = "公布须填写生效日期。"


def publish(adjustment, by, doc_number, effective_on, title="", now=None):
    """Publish an approved adjustment under its 文号: the next ListVersion, and every accepted
    change applied, in one transaction. Returns the version."""
    if not by.has_perm("items.publish_adjustment"):
        raise PermissionDenied("您没有公布动态调整的权限。")
    if not doc_number.strip():
        raise ValidationError("公布须填写文号。")
    if effective_on is None:
        raise ValidationError(EFFECTIVE_DATE_REQUIRED)
    now = now or timezone.now()
    # Publication changes the lists and the items' statuses at once: a version published ahead
    # of its date would tell citizens today what holds only from then.
    if effective_on > timezone.localdate(now):
        raise ValidationError(
            f"生效日期{effective_on:%Y年%-m月%-d日}晚于今天：公布即改变公开清单和事项状态，"
            "请于生效之日起公布。"
        )
    try:
        with transaction.atomic():
            latest = ListVersion.objects.select_for_update().order_by("-number").first()
            if latest is not None and effective_on < latest.effective_on:
                raise ValidationError(
                    f"生效日期不能早于上一版本（{latest}）的生效日期{latest.effective_on}。"
                )
            version = ListVersion.objects.create(
                number=(latest.number if latest else FIRST_VERSION) + 1,
                doc_number=doc_number.strip(),
                title=title or adjustment.title,
                effective_on=effective_on,
                published_at=now,
                published_by=by,
            )
            _move(
                adjustment,
                [Status.APPROVED],
                Status.PUBLISHED,
                by,
                Action.PUBLISH,
                f"{version.doc_number}，{effective_on}起施行",
                now,
                version=version,
            )
            _apply(adjustment, version, by)
            if adjustment.source_import_id:
                # The import that drafted it is now in the list (已生成草稿 → 已导入), and
                # its 说明 no longer speaks of a draft waiting for review.
                ImportRecord.objects.filter(
                    pk=adjustment.source_import_id, status=ImportRecord.Status.DRAFTED
                ).update(
                    status=ImportRecord.Status.COMMITTED,
                    message=f"生成的调整已公布为{version}，{effective_on:%Y年%-m月%-d日}起施行。",
                )
    except IntegrityError as error:
        raise ValidationError(
            f"调整与清单现有事项冲突（如事项编码重复），未公布：{error}"
        ) from error
    list_published.send(Adjustment, adjustment=adjustment, version=version)
    return version


def _revision(item, number):
    """The item's public state up to version `number`, before an adjustment changes it."""
    return ItemRevision(
        item=item,
        valid_from=item.state_from,
        valid_until=number,
        listed=item.listed_until is None,
        **{attname: getattr(item, attname) for attname in VERSIONED_ATTNAMES.values()},
    )


def _apply(adjustment, version, by):
    number, effective_on = version.number, version.effective_on
    reason = f"{version.doc_number}（版本{number}）"
    accepted = adjustment.changes.filter(accepted=True)
    # The list's 新增 are read and written a batch at a time (_add_items): an annex's tens of
    # thousands of rows never all in memory at once.
    added = accepted.filter(kind=ChangeKind.ADD, annex=AdjustmentChange.Annex.DEVOLVED)
    changes = list(
        accepted.exclude(kind=ChangeKind.ADD, annex=AdjustmentChange.Annex.DEVOLVED).order_by("id")
    )
    _apply_to_cancelled([c for c in changes if c.of_cancelled], number, effective_on, by, reason)
    changes = [change for change in changes if not change.of_cancelled]
    item_ids = sorted({change.item_id for change in changes if change.kind != ChangeKind.ADD})
    items = {}
    for start in range(0, len(item_ids), BATCH):
        chunk = item_ids[start : start + BATCH]
        items.update(DevolvedItem.objects.select_for_update().in_bulk(chunk))
    revisions, touched, cancelled = [], [], []
    written = {"state_from", "listed_until", "retired_on", "status"}
    for change in changes:
        item = items[change.item_id]
        revisions.append(_revision(item, number))
        item.state_from = number
        for attname, value in _model_values(change.values).items():
            setattr(item, attname, value)
            written.add(attname)
        if change.kind in LEAVING_KINDS:
            item.listed_until = number
            item.retired_on = effective_on
            item.status = LEAVING_KINDS[change.kind]
            if change.kind == ChangeKind.CANCEL:
                cancelled.append(_cancelled_entry(item, change, number))
        elif change.kind == ChangeKind.REDEVOLVE:
            item.listed_until = item.retired_on = None
            item.status = ItemStatus.NOT_HANDED_OVER
        touched.append(item)
    ItemRevision.objects.bulk_create(revisions, batch_size=BATCH)
    if touched:
        bulk_update_with_history(
            touched,
            DevolvedItem,
            sorted(written),
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
    _add_items(added, number, by, reason)
    if cancelled:
        bulk_create_with_history(
            cancelled, CancelledApproval, default_user=by, default_change_reason=reason
        )


def _add_items(added, number, by, reason):
    """The items of the 新增 `added` (a queryset), with their history rows as
    django-simple-history writes them, each ADD linked to its item: a few statements per
    thousand rows (devolution.exchange.bulk), ADD_BATCH changes in memory at a time. Inside
    publish's transaction, so an item refused in a later batch leaves nothing written."""
    ids = list(added.order_by("id").values_list("pk", flat=True))
    for start in range(0, len(ids), ADD_BATCH):
        chunk = ids[start : start + ADD_BATCH]
        # By range (two parameters, whatever the batch), then exactly these changes.
        changes = list(added.filter(pk__gte=chunk[0], pk__lte=chunk[-1]).order_by("id"))
        new_items = _checked_items([change.values for change in changes])
        for item in new_items:
            item.listed_from = item.state_from = number
        bulk.create(DevolvedItem, new_items)
        bulk.create_history(DevolvedItem, new_items, "+", by, reason)
        bulk.update_column(
            AdjustmentChange,
            "item",
            [(change.pk, item.pk) for change, item in zip(changes, new_items, strict=True)],
        )


def _apply_to_cancelled(changes, number, effective_on, by, reason):
    """The cancelled list's changes (it is short: an entry at a time): an added entry is
    listed from the version; a changed or retired one first keeps its earlier fields as a
    CancelledRevision, then takes its new wording, or leaves the list (退出)."""
    if not changes:
        return
    entries = CancelledApproval.objects.select_for_update().in_bulk(
        [change.cancelled_id for change in changes if change.kind != ChangeKind.ADD]
    )
    revisions, touched, written = [], [], {"state_from"}
    for change in changes:
        if change.kind == ChangeKind.ADD:
            entry = _checked_entry(change.values)
            entry.listed_from = entry.state_from = number
            entry._change_reason = reason
            entry._history_user = by
            entry.save()
            change.cancelled = entry
            change.save(update_fields=["cancelled"])
            continue
        entry = entries[change.cancelled_id]
        revisions.append(
            CancelledRevision(
                entry=entry,
                valid_from=entry.state_from,
                valid_until=number,
                listed=entry.listed_until is None,
                **{a: getattr(entry, a) for a in CANCELLED_VERSIONED_ATTNAMES.values()},
            )
        )
        entry.state_from = number
        if change.kind == ChangeKind.RETIRE:
            entry.listed_until, entry.retired_on = number, effective_on
            written |= {"listed_until", "retired_on"}
        for name, value in change.values.items():
            setattr(entry, CANCELLED_VERSIONED_ATTNAMES[name], value)
            written.add(CANCELLED_VERSIONED_ATTNAMES[name])
        touched.append(entry)
    CancelledRevision.objects.bulk_create(revisions)
    if touched:
        bulk_update_with_history(
            touched,
            CancelledApproval,
            sorted(written),
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )


def _cancelled_entry(item, change, number):
    """A cancelled item joins the cancelled list (附件1's kind) from the version."""
    return CancelledApproval(
        plan_id=item.plan_id,
        sequence=None,
        name=item.name,
        sub_item=item.sub_item,
        original_department_id=item.county_department_id,
        legal_basis=item.legal_basis,
        reason=change.note,
        illustrative=item.illustrative,
        listed_from=number,
        state_from=number,
    )


# --- what a user may do with an adjustment (the admin's pages ask these) -------------------

# The steps from each status, in the order offered: (action, label).
STEPS_FROM = {
    Status.DRAFT: [("submit", "提交审核"), ("withdraw", "撤回草稿")],
    Status.SUBMITTED: [
        ("approve", "审核通过"),
        ("reject", "退回"),
        ("accept", "仅确认变动"),
        ("withdraw", "撤回"),
    ],
    Status.APPROVED: [("publish", "公布")],
    Status.REJECTED: [("withdraw", "撤回")],
}


def may_take(adjustment, user, action):
    """Whether `user` may take step `action` now: the rules submit, approve, reject, withdraw
    and publish enforce, asked before offering the step."""
    author = user.pk == adjustment.created_by_id
    reviews = user.has_perm("items.review_adjustment")
    if action == "submit":
        return author or reviews
    if action == "withdraw":
        return author or reviews
    if action in ("approve", "reject"):
        return reviews and not author
    if action == "accept":
        return reviews
    if action == "publish":
        return user.has_perm("items.publish_adjustment")
    return False


def steps_for(adjustment, user):
    """The steps `user` may take on `adjustment` now: [(action, label)]."""
    return [
        (action, label)
        for action, label in STEPS_FROM.get(adjustment.status, [])
        if may_take(adjustment, user, action)
    ]


def awaiting_review(user):
    """The adjustments waiting for `user`'s review (submitted, by someone else); none for a
    user who does not review."""
    if not user.has_perm("items.review_adjustment"):
        return Adjustment.objects.none()
    return Adjustment.objects.filter(status=Status.SUBMITTED).exclude(created_by=user)


def save_draft_row(adjustment, change, edited):
    """One row of a draft's change list as its page saved it (`change`, unsaved; `edited`:
    the names of the fields the row changed). A change already in the draft is only accepted
    or declined here: its new values are given on the item's 提出调整 page. A new row is a
    change without values (收回, 退出, 取消, 重新下放, 合并/拆分 sources): 新增 and 变更 name
    their fields on the item's pages. Refused, in Chinese, as add_change and accept_changes
    refuse."""
    if change.pk is not None:
        if set(edited) - {"accepted"}:
            raise ValidationError(
                "已加入的变动只能修改是否确认；新值请在事项页面“提出调整”中修改。"
            )
        accepted = accept_changes(
            adjustment, AdjustmentChange.objects.filter(pk=change.pk), change.accepted
        )
        if change.accepted and not accepted:
            raise ValidationError(f"“{change}”还没有新值，不能确认：请先填写新值。")
        return change
    if change.kind in (ChangeKind.ADD, ChangeKind.CHANGE):
        raise ValidationError(
            "新增、变更须逐项填写字段：请在赋权事项中用“增加赋权事项”或事项页面的“提出调整”。"
        )
    return add_change(
        adjustment,
        change.kind,
        item=change.item,
        note=change.note,
        linked=change.linked,
        accepted=change.accepted,
    )
