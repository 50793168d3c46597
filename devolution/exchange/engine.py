"""The import engine: a file becomes a preview (new, changed with the diff, unchanged, errors by
row number); a preview without errors is written whole in one transaction, with history rows
naming the importing user and the ImportRecord. The admin and the commands both come here.

A table (departments, items, …) says how a row becomes field values and what identifies a
record; each app registers its own in its AppConfig.ready.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from devolution.models import (
    Department,
    ImportRecord,
    Plan,
    PlanDueDate,
    department_of,
    reach_paths,
    within_reach,
)

from . import bulk
from .errors import ExchangeError, RowError
from .reading import match_key, read_table, single_line
from .signals import import_committed

TABLES = {}
BATCH_SIZE = 2000
PROGRESS_EVERY = 1000


def register(table_class):
    """Class decorator: make a table available to the admin and the commands by its name."""
    TABLES[table_class.name] = table_class()
    return table_class


def get_table(name):
    try:
        return TABLES[name]
    except KeyError:
        known = "、".join(TABLES)
        raise ExchangeError(f"未知的类别“{name}”，可选：{known}。") from None


def resolve_plan(doc_number=None):
    """The plan an import or export is about: the one named, else the latest."""
    if doc_number:
        plan = Plan.objects.filter(doc_number=doc_number).first()
        if plan is None:
            raise ExchangeError(f"找不到实施方案“{doc_number}”。")
        return plan
    plan = Plan.objects.order_by("-issued_on", "-id").first()
    if plan is None:
        raise ExchangeError("还没有实施方案，请先建立实施方案。")
    return plan


class Table:
    """One table of the registry, as operators' spreadsheets lay it out. Subclasses set the
    class attributes and implement `parse` and `export_rows`; `fields` are the model fields an
    import writes and compares."""

    name = ""
    label = ""
    model = None
    headers = []  # export columns, in order
    header_spec = {}  # canonical header -> (required, accepted spellings)
    fields = []
    identity_fields = []
    # Fields a row may state but an import may not change on an existing record.
    readonly_fields = []
    # A table whose records change only through a reviewed adjustment (DESIGN rule 8) drafts
    # one instead of writing: `draft(result, record, user)` returns the draft.
    drafts_adjustment = False
    uses_plan = True
    # The fields naming the county department that receives a record and the city department
    # that gives it. A user confined to a department imports and exports only the records of
    # their own side; a table without the field for that side cannot be imported by such a user.
    department_field = None
    city_department_field = None
    # What the preview shows of each row beside its label, so the operator checks what the
    # names matched before confirming: (field, the file's header).
    preview_columns = []

    def preview_cells(self, values):
        """A row's `preview_columns` as shown: a department by its full and short name, a
        choice by its label."""
        cells = []
        for name, labels in self._preview_labels():
            value = values.get(name)
            if isinstance(value, Department):
                value = f"{value.full_name}（{value.short_name}）"
            elif labels and value:
                value = labels.get(value, value)
            cells.append(_display(value))
        return cells

    def _preview_labels(self):
        """(field, its choices' labels or None) of each preview column, worked out once: the
        preview shows them for every row of a file of tens of thousands."""
        if getattr(self, "_labels", None) is None:
            self._labels = [
                (name, dict(field.flatchoices) if field.choices else None)
                for name, field in (
                    (name, self.model._meta.get_field(name)) for name, _ in self.preview_columns
                )
            ]
        return self._labels

    def draft(self, result, record, user, progress=None):
        """The draft adjustment a table that drafts_adjustment makes of a checked file;
        `progress(stage, done, total)` hears of every batch written."""
        raise NotImplementedError

    def redevolves(self, result):
        """Whether unchanged rows still make a draft (they bring records back to the list)."""
        return False

    def prepare(self, plan):
        """Lookups built once per import: every table names departments, by any of their names."""
        return {"plan": plan, "departments": Department.objects.all().name_map()}

    def existing_queryset(self, context):
        queryset = self.model._default_manager.all()
        if self.uses_plan:
            queryset = queryset.filter(plan=context["plan"])
        related = [name for name in self.fields if self.model._meta.get_field(name).is_relation]
        return queryset.select_related(*related)

    def existing_records(self, context, rows):
        """The existing records the parsed `rows` (field values) may be; by default all of
        them. A table that grows large narrows this to what the rows name."""
        return self.existing_queryset(context)

    def identity(self, values):
        """What makes two rows the same record, compared in normalised form."""
        return tuple(_identity_part(values.get(name)) for name in self.identity_fields)

    def identity_label(self, values):
        return " / ".join(
            _display(values.get(name)) for name in self.identity_fields if values.get(name)
        )

    def parse(self, cells, context):
        """A row's cells (canonical header -> text) as field values; RowError if invalid."""
        raise NotImplementedError

    def check_new(self, values, context):
        """A rule a new record must keep; RowError if broken."""

    def check_existing(self, instance, values):
        """A rule against changing an existing record this way; RowError if broken."""
        for name in self.readonly_fields:
            if name in values and getattr(instance, name) != values[name]:
                verbose = self.model._meta.get_field(name).verbose_name
                raise RowError(f"“{verbose}”不能通过导入修改，请在登记页面办理。")

    def build(self, values, context):
        extra = {"plan": context["plan"]} if self.uses_plan else {}
        record = self.model(**extra, **values)
        if isinstance(record, PlanDueDate):
            # Written in bulk, without save(), so the derived deadline is assigned here.
            record.assign_due_date()
        return record

    def export_queryset(self, plan):
        raise NotImplementedError

    def export_row(self, record):
        raise NotImplementedError

    def export_rows(self, plan, department=None, shown=None):
        """The rows to export: the plan's records within the department's reach, and, with
        `shown` (a queryset, e.g. an admin list's search and filters), only those it holds."""
        queryset = shown_only(
            within_reach(
                self.export_queryset(plan),
                department,
                self.department_field,
                self.city_department_field,
            ),
            shown,
        )
        for record in queryset.iterator(chunk_size=BATCH_SIZE):
            yield self.export_row(record)

    def check_department(self, values, instance, department):
        """A department's staff may bring in only their own department's records."""
        if department is None:
            return
        paths = reach_paths(department, self.department_field, self.city_department_field)
        if not paths:
            raise ExchangeError(f"部门工作人员不能导入{self.label}。")
        theirs = [values.get(paths[0])]
        if instance is not None:
            theirs.append(getattr(instance, paths[0]))
        if any(other != department for other in theirs):
            raise RowError(f"只能导入本部门（{department}）的记录。")


def shown_only(queryset, shown):
    """`queryset` narrowed to the records of `shown` (None: all of them)."""
    return queryset if shown is None else queryset.filter(pk__in=shown.values("pk"))


def department_cell(cells, header, context, level=None, required=True):
    """The department a cell names, by full, short or prefixed short name."""
    text = single_line(cells.get(header, ""))
    if not text:
        if required:
            raise RowError(f"“{header}”不能为空。")
        return None
    department = context["departments"].get(match_key(text))
    if department is None:
        raise RowError(f"“{header}”中的部门“{text}”不存在。")
    if level and department.level != level:
        raise RowError(f"“{header}”中的“{text}”不是{department.Level(level).label}部门。")
    return department


def int_cell(cells, header):
    text = cells.get(header, "")
    if not text:
        return None
    try:
        number = int(match_key(text))
    except ValueError:
        raise RowError(f"“{header}”应为整数，而不是“{text}”。") from None
    if number < 0:
        raise RowError(f"“{header}”不能为负数。")
    return number


def date_cell(cells, header):
    text = match_key(cells.get(header, ""))
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"“{header}”应为日期（如 2016-09-30），而不是“{text}”。")


def choice_cell(cells, header, choices):
    """A choice written by its Chinese label (or its code)."""
    text = cells.get(header, "")
    key = match_key(text)
    for value, label in choices:
        if key in (match_key(str(label)), value):
            return value
    allowed = "、".join(str(label) for _, label in choices)
    raise RowError(f"“{header}”的值“{text}”无法识别，可选：{allowed}。")


def _identity_part(value):
    if value is None:
        return None
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return match_key(value)
    return value


def _display(value):
    if value is None or value == "":
        return "（空）"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class RowOutcome:
    row_number: int
    label: str
    values: dict
    instance: object = None
    diff: list = field(default_factory=list)  # [(verbose name, old, new)]
    cells: list = field(default_factory=list)  # the table's preview_columns, as shown


@dataclass
class Preview:
    table: Table
    plan: Plan = None
    rows: int = 0
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [(row number, message)]
    # The draft adjustment a committed import made (a table that drafts_adjustment).
    drafted: object = None

    @property
    def ok(self):
        return not self.errors

    def counts(self):
        return {
            "rows": self.rows,
            "new_count": len(self.new),
            "changed_count": len(self.changed),
            "unchanged_count": len(self.unchanged),
            "error_count": len(self.errors),
        }

    def summary(self):
        return (
            f"共 {self.rows} 行：新增 {len(self.new)}，修改 {len(self.changed)}，"
            f"未变 {len(self.unchanged)}，错误 {len(self.errors)}。"
        )


def preview(data, table, plan=None, progress=None, department=None):
    """Read and validate the whole file against the registry; writes nothing.

    With `department`, every row must be that department's (see Table.check_department)."""
    if department is not None and table.department_field is None:
        table.check_department({}, None, department)
    with translation.override("zh-hans"):
        sheet = read_table(data, table.header_spec)
        context = table.prepare(plan)
        result = Preview(table=table, plan=plan, rows=len(sheet.rows))
        model_fields = {name: table.model._meta.get_field(name) for name in table.fields}
        parsed = []
        for index, (row_number, cells) in enumerate(sheet.rows, start=1):
            if progress and index % PROGRESS_EVERY == 0:
                progress("校验", index, result.rows)
            try:
                values = table.parse(cells, context)
                _validate(values, model_fields)
            except RowError as error:
                result.errors.append((row_number, str(error)))
                continue
            parsed.append((row_number, values))
        del sheet
        # Only the records the file names are read, so the cost follows the file, not the plan.
        existing = {
            table.identity(_values_of(table, obj)): obj
            for obj in table.existing_records(context, [values for _, values in parsed])
        }
        seen = {}
        for row_number, values in parsed:
            identity = table.identity(values)
            label = table.identity_label(values)
            if identity in seen:
                result.errors.append(
                    (row_number, f"与第 {seen[identity]} 行是同一条记录（{label}），文件内重复。")
                )
                continue
            seen[identity] = row_number
            instance = existing.get(identity)
            try:
                table.check_department(values, instance, department)
                if instance is None:
                    table.check_new(values, context)
                else:
                    table.check_existing(instance, values)
            except RowError as error:
                result.errors.append((row_number, str(error)))
                continue
            cells = table.preview_cells(values)
            if instance is None:
                result.new.append(RowOutcome(row_number, label, values, cells=cells))
                continue
            diff = _diff(instance, values, model_fields)
            outcome = RowOutcome(row_number, label, values, instance, diff, cells)
            (result.changed if diff else result.unchanged).append(outcome)
        result.errors.sort(key=lambda error: error[0])
        if progress:
            progress("校验", result.rows, result.rows)
    return result


def _values_of(table, instance):
    return {name: getattr(instance, name) for name in table.fields}


def _plainly_valid(model_field, value):
    """A text value that clean() would pass unchanged: no choices to check, not blank unless
    allowed, within max_length, no NUL. Anything else goes through clean() for its message."""
    return (
        isinstance(value, str)
        and not model_field.choices
        and (value or model_field.blank)
        and (model_field.max_length is None or len(value) <= model_field.max_length)
        and "\x00" not in value
    )


def _validate(values, model_fields):
    for name, value in values.items():
        model_field = model_fields[name]
        if model_field.is_relation or _plainly_valid(model_field, value):
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            raise RowError(f"“{model_field.verbose_name}”：{'；'.join(error.messages)}") from None


def _diff(instance, values, model_fields):
    diff = []
    for name, new in values.items():
        model_field = model_fields[name]
        if model_field.is_relation:
            changed = getattr(instance, model_field.attname) != (new.pk if new else None)
        else:
            changed = getattr(instance, name) != new
        if changed:
            diff.append(
                (str(model_field.verbose_name), _display(getattr(instance, name)), _display(new))
            )
    return diff


def commit(result, record, user=None, progress=None):
    """Write a preview without errors, whole or not at all; `progress(stage, done, total)` hears
    of every batch written. A table that drafts an adjustment writes the draft instead (the
    preview's `drafted`), and the list changes when the draft is published."""
    if not result.ok:
        raise ExchangeError("文件有错误，未导入任何数据。")
    if result.table.drafts_adjustment:
        return _commit_as_draft(result, record, user, progress)
    table, model = result.table, result.table.model
    context = table.prepare(result.plan)
    reason = record.change_reason
    history = getattr(model, "history", None)
    changed_fields = sorted({name for outcome in result.changed for name in outcome.values})
    total, done = len(result.new) + len(result.changed), 0

    def write(new, changed):
        nonlocal done
        _write(model, history, new, changed, changed_fields, user, reason)
        done += len(new) + len(changed)
        if progress:
            progress("写入", done, total)

    try:
        with transaction.atomic():
            # Built and written a batch at a time, so that a large file never holds every new
            # instance and its history row in memory at once; one transaction for all.
            new_pks = []
            for start in range(0, len(result.new), BATCH_SIZE):
                batch = result.new[start : start + BATCH_SIZE]
                new = [table.build(outcome.values, context) for outcome in batch]
                write(new, [])
                new_pks += [instance.pk for instance in new]
            for start in range(0, len(result.changed), BATCH_SIZE):
                changed = []
                for outcome in result.changed[start : start + BATCH_SIZE]:
                    for name, value in outcome.values.items():
                        setattr(outcome.instance, name, value)
                    changed.append(outcome.instance)
                write([], changed)
            _record_committed(record, result)
            # After the commit, so listeners read what was written; `pks` are the records the
            # import wrote, so that listeners work on those and not on the whole plan.
            written = [outcome.instance.pk for outcome in result.changed] + new_pks
            transaction.on_commit(
                lambda: import_committed.send(
                    ImportRecord, table=table.name, record=record, pks=written
                )
            )
    except IntegrityError as error:
        raise ExchangeError(f"写入数据库时与现有记录冲突，未导入任何数据：{error}") from error


def _commit_as_draft(result, record, user, progress=None):
    """The rows as a draft adjustment and the record of the import, in one transaction; a
    file that changes nothing drafts nothing."""
    with transaction.atomic():
        if result.new or result.changed or result.table.redevolves(result):
            result.drafted = result.table.draft(result, record, user, progress)
            record_drafted(record, result)
        else:
            record.message = "文件与清单一致，没有需要调整的事项。"
            _record_committed(record, result)


def record_drafted(record, result):
    """The import made a draft adjustment (`result.drafted`): its record says 已生成草稿 until
    the draft is published (items.adjustments.publish then marks it 已导入)."""
    record.message = f"已生成{result.drafted}（草稿）：须由另一人审核、公布后生效。"
    _record_committed(record, result, ImportRecord.Status.DRAFTED)


def _record_committed(record, result, status=ImportRecord.Status.COMMITTED):
    """Mark the import record committed (or drafted) with its counts, inside the commit's
    transaction; the stored upload goes once the import it waited for is in."""
    record.status = status
    record.committed_at = timezone.now()
    upload_name = record.upload.name
    record.upload = ""
    for name, count in result.counts().items():
        setattr(record, name, count)
    record.save()
    if upload_name:
        storage = record.upload.storage
        transaction.on_commit(lambda: storage.delete(upload_name))


def _write(model, history, new, changed, changed_fields, user, reason):
    if new:
        bulk.create(model, new)
        if history is not None:
            bulk.create_history(model, new, "+", user, reason)
    if changed:
        model._default_manager.bulk_update(changed, changed_fields)
        if history is not None:
            bulk.create_history(model, changed, "~", user, reason)


def importing_department(user):
    """The department an importing user is confined to (None: every department, or no user,
    as from the command line without --user)."""
    if user is None:
        return None
    try:
        return department_of(user)
    except PermissionDenied as error:
        raise ExchangeError(str(error)) from None


def start_import(
    data, file_name, table_name, user=None, plan_doc_number=None, progress=None, keep=True
):
    """Preview a file and record the attempt; returns (record, preview or None). With `keep`
    (the admin's two steps), a clean file is stored for its confirmation; a dry run keeps
    nothing but the record of the attempt.

    A file refused as a whole (not a spreadsheet, corrupt, …) is recorded with its reason and
    raises ExchangeError after the record is saved.
    """
    table = get_table(table_name)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        plan = resolve_plan(plan_doc_number) if table.uses_plan else None
    except ExchangeError as error:
        refuse_upload(table_name, file_name, str(error), user=user, sha256=sha256)
        raise
    department = importing_department(user)
    record = _new_record(table, file_name, sha256, plan, user)
    try:
        result = preview(data, table, plan, progress=progress, department=department)
    except ExchangeError as error:
        record.status = ImportRecord.Status.REFUSED
        record.message = str(error)
        record.save()
        raise
    for name, count in result.counts().items():
        setattr(record, name, count)
    if result.ok:
        if keep:
            record.upload.save(_stored_name(file_name), ContentFile(data), save=False)
    else:
        record.status = ImportRecord.Status.REFUSED
        record.message = "；".join(f"第 {row} 行：{msg}" for row, msg in result.errors[:20])
    record.save()
    return record, result


def _new_record(table, file_name, sha256, plan, user):
    return ImportRecord(
        table=table.name,
        # Stored as text PostgreSQL accepts: no NUL or other control characters.
        file_name="".join(char for char in (file_name or "") if char.isprintable())[:255],
        sha256=sha256,
        plan=plan,
        user=user if user is not None and user.is_authenticated else None,
    )


def refuse_upload(table_name, file_name, message, user=None, plan_doc_number=None, sha256=""):
    """Record an attempt refused before its file is read (over the size cap, no usable file),
    so that every attempt leaves an import record; returns the record."""
    table = get_table(table_name)
    try:
        plan = resolve_plan(plan_doc_number) if table.uses_plan and plan_doc_number else None
    except ExchangeError:
        plan = None
    record = _new_record(table, file_name, sha256, plan, user)
    record.status = ImportRecord.Status.REFUSED
    record.message = message
    record.save()
    return record


def _stored_name(file_name):
    """A storage name that keeps the extension and nothing else of what the client sent."""
    suffix = "".join(c for c in Path(file_name).suffix.lower() if c.isalnum() or c == ".")[:8]
    return f"{uuid.uuid4().hex}{suffix}"


def purge_uploads(now=None):
    """Remove the stored uploads of previews not confirmed within the retention period;
    returns how many. Their records stay (the attempt is history), without the file."""
    now = now or timezone.now()
    hours = settings.REGISTRY_IMPORT_UPLOAD_RETENTION_HOURS
    stale = ImportRecord.objects.filter(
        status=ImportRecord.Status.PREVIEWED, created_at__lt=now - datetime.timedelta(hours=hours)
    ).exclude(upload="")
    purged = 0
    for record in stale.only("pk", "upload"):
        record.upload.delete(save=False)
        ImportRecord.objects.filter(pk=record.pk).update(upload="")
        purged += 1
    return purged


def confirm_import(record, user=None, progress=None):
    """Re-read the stored upload, validate it again against the registry as it is now, and
    write it whole."""
    if record.status != ImportRecord.Status.PREVIEWED:
        raise ExchangeError("这次导入已经完成或已被拒绝，不能再次确认。")
    if not record.upload:
        raise ExchangeError("上传文件已超过保留期限被清除，请重新上传。")
    try:
        with record.upload.open("rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise ExchangeError("上传文件已超过保留期限被清除，请重新上传。") from None
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise ExchangeError("上传文件已被改动，请重新上传。")
    table = get_table(record.table)
    department = importing_department(user)
    result = preview(data, table, record.plan, progress=progress, department=department)
    if not result.ok:
        raise ExchangeError("确认时重新校验发现错误，未导入任何数据。")
    user = user if user is not None and user.is_authenticated else None
    commit(result, record, user, progress=progress)
    return result


def import_file(
    data, file_name, table_name, user=None, plan_doc_number=None, dry_run=False, progress=None
):
    """The command's one step: preview, and unless dry_run and if clean, write."""
    record, result = start_import(
        data, file_name, table_name, user, plan_doc_number, progress, keep=False
    )
    if result.ok and not dry_run:
        commit(result, record, user, progress=progress)
    return record, result


def export(table_name, fmt, target, plan_doc_number=None):
    """Write one table's records to `target` (a path or binary stream) as xlsx, xls or csv."""
    from .writing import iter_csv, write_xls, write_xlsx

    table = get_table(table_name)
    plan = resolve_plan(plan_doc_number) if table.uses_plan else None
    rows = table.export_rows(plan)
    if fmt == "xlsx":
        write_xlsx(table.headers, rows, target, sheet_title=table.label)
    elif fmt == "xls":
        write_xls(table.headers, rows, target, sheet_title=table.label)
    elif fmt == "csv":
        if hasattr(target, "write"):
            for chunk in iter_csv(table.headers, rows):
                target.write(chunk.encode("utf-8"))
        else:
            with open(target, "wb") as handle:
                for chunk in iter_csv(table.headers, rows):
                    handle.write(chunk.encode("utf-8"))
    else:
        raise ExchangeError(f"不支持的格式“{fmt}”，可选：xlsx、xls、csv。")
