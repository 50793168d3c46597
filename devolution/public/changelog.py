"""What the published versions changed, for the public: the change log, a diff of two versions,
an item's own changes by version, the Atom feed and the full-history CSV all read these."""

from devolution.models import Department
from items.adjustments import field_changes
from items.models import FIRST_VERSION, AdjustmentChange, ChangeKind, ListVersion

# The order a version's changes are told in.
KIND_ORDER = [
    ChangeKind.ADD,
    ChangeKind.CHANGE,
    ChangeKind.MERGE,
    ChangeKind.SPLIT,
    ChangeKind.WITHDRAW,
    ChangeKind.CANCEL,
    ChangeKind.RETIRE,
    ChangeKind.REDEVOLVE,
]


def _departments(changes):
    ids = {
        value
        for change in changes
        for values in (change.values, change.previous)
        for name, value in values.items()
        if name in ("city_department", "county_department", "original_department")
    }
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def published_changes(versions):
    """The published changes of these versions (a ListVersion queryset), each with its
    version (`change.version`) and its fields told (`change.fields`); two queries."""
    changes = list(
        AdjustmentChange.objects.filter(
            adjustment__version__in=versions, accepted=True
        ).select_related("adjustment__version", "item", "cancelled")
    )
    departments = _departments(changes)
    for change in changes:
        change.version = change.adjustment.version
        change.fields = field_changes(change, departments)
    changes.sort(key=lambda c: (c.version.number, KIND_ORDER.index(c.kind), c.pk))
    return changes


def grouped(changes):
    """[(kind label, [changes])] in KIND_ORDER, kinds without changes left out."""
    by_kind = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change)
    return [(ChangeKind(kind).label, by_kind[kind]) for kind in KIND_ORDER if kind in by_kind]


def version_log(versions):
    """[(version, [(kind label, [changes])])], newest first: the change log."""
    versions = list(versions.order_by("-number"))
    changes = published_changes(ListVersion.objects.filter(pk__in=[v.pk for v in versions]))
    by_version = {}
    for change in changes:
        by_version.setdefault(change.version.number, []).append(change)
    return [(version, grouped(by_version.get(version.number, []))) for version in versions]


def diff(from_number, to_number):
    """The changes published after version `from_number` up to `to_number`, grouped by kind:
    exactly the adjustments between the two lists."""
    low, high = sorted((from_number, to_number))
    return grouped(published_changes(ListVersion.objects.filter(number__gt=low, number__lte=high)))


def item_history(item):
    """The item's own changes by version, oldest first: [{version, label, fields}]. A record
    from the fixtures or an import is "版本1 公布", dated by version 1, not by when its row was
    written."""
    versions = {v.number: v for v in ListVersion.objects.all()}
    entries = []
    added = item.changes.filter(kind=ChangeKind.ADD, adjustment__version__isnull=False).exists()
    if not added:
        entries.append(
            {
                "version": versions.get(item.listed_from),
                "number": item.listed_from,
                "label": "公布" if item.listed_from == FIRST_VERSION else "列入清单",
                "fields": [],
            }
        )
    changes = item.changes.filter(adjustment__version__isnull=False, accepted=True)
    changes = list(changes.select_related("adjustment__version"))
    departments = _departments(changes)
    for change in changes:
        version = change.adjustment.version
        entries.append(
            {
                "version": version,
                "number": version.number,
                "label": change.get_kind_display(),
                "fields": field_changes(change, departments),
                "note": change.note,
            }
        )
    entries.sort(key=lambda entry: entry["number"])
    return entries


def history_rows():
    """The full-history CSV: one row per field changed, or per other change, every version."""
    changes = published_changes(ListVersion.objects.all())
    for change in changes:
        base = [
            change.version.number,
            change.version.doc_number,
            change.version.effective_on,
            change.get_kind_display(),
            change.item_id or "",
            change.item_name,
        ]
        if change.fields:
            for field in change.fields:
                yield [*base, field["field"], field["old"], field["new"], change.note]
        else:
            yield [*base, "", "", "", change.note]


HISTORY_HEADERS = [
    "版本号",
    "文号",
    "生效日期",
    "变动类型",
    "事项ID",
    "事项名称",
    "字段",
    "原值",
    "新值",
    "理由",
]
