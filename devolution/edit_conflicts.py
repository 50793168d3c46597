"""No silent lost update: a form remembers which change of a record it was opened on.

Two clerks open the same item; the first saves; the second would overwrite the first's change
without knowing. Every record that keeps a history (django-simple-history) has its latest
history row as a free marker of its state: a form carries the id of that row, and a save is
refused when the record has been changed since, naming who changed which fields. No extra
column is needed, and the check runs under a row lock so that two saves cannot both pass it.

`EditConflictAdminMixin` puts the check on an admin; any other door that edits a record from a
form (a view, an API) calls `refuse_if_changed_since(record, mark)` the same way.
"""

from django import forms
from django.core.exceptions import ValidationError

from devolution.moments import local_minute

MARK_FIELD = "opened_history_id"


def history_mark(record):
    """The id of the record's latest history row, as text ("" when it has none yet)."""
    latest = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return "" if latest is None else str(latest)


def _who(row):
    user = row.history_user
    if user is None:
        return "系统（导入或自动任务）"
    return user.get_full_name() or user.get_username()


def _changed_fields(record, seen_row, rows):
    """Verbose names of the fields changed after `seen_row` (None: the form was opened before
    the record had any history, so only changes between later rows can be named)."""
    names = []
    previous = seen_row
    for row in rows:
        if previous is not None:
            for name in row.diff_against(previous).changed_fields:
                if name not in names:
                    names.append(name)
        previous = row
    opts = type(record)._meta
    return [str(opts.get_field(name).verbose_name) for name in names]


def changes_since(record, mark):
    """A Chinese explanation of what changed in `record` since the form with `mark` was opened,
    or None when nothing did."""
    if history_mark(record) == (mark or ""):
        return None
    history = record.history.select_related("history_user").order_by("history_id")
    seen_row = history.filter(history_id=int(mark)).first() if str(mark).isdigit() else None
    rows = list(history.filter(history_id__gt=int(mark)) if seen_row else history)
    if not rows:
        return None
    who = []
    for row in rows:
        name = _who(row)
        if name not in who:
            who.append(name)
    fields = _changed_fields(record, seen_row, rows)
    what = f"修改了{'、'.join(f'“{name}”' for name in fields)}" if fields else "修改了该记录"
    when = local_minute(rows[-1].history_date)
    return (
        f"未保存：您打开本页之后，{'、'.join(who)}已于 {when} {what}。"
        "为免覆盖他人的修改，请重新打开本页，核对最新内容后再修改。"
    )


def refuse_if_changed_since(record, mark):
    """Raise a ValidationError naming who changed what since `mark`; locks the record's row
    until the end of the transaction so that a concurrent save waits and then sees this one."""
    model = type(record)
    list(model._default_manager.select_for_update().filter(pk=record.pk).values_list("pk"))
    message = changes_since(record, mark)
    if message:
        raise ValidationError(message, code="edit_conflict")


class EditConflictFormMixin:
    """On a ModelForm: carries the history mark of the record it was opened on (the hidden
    field MARK_FIELD) and refuses a stale save. A post without the mark counts as opened
    before any change, so it cannot slip past the check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[MARK_FIELD].initial = history_mark(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            refuse_if_changed_since(self.instance, cleaned.get(MARK_FIELD) or "")
        return cleaned


def with_edit_conflict_check(form_class):
    """`form_class` (a ModelForm for a model with history) with the check and its field."""
    if issubclass(form_class, EditConflictFormMixin):
        return form_class
    mark = forms.CharField(widget=forms.HiddenInput, required=False)
    return type(form_class.__name__, (EditConflictFormMixin, form_class), {MARK_FIELD: mark})


class EditConflictAdminMixin:
    """For an admin whose model keeps a history: its change form refuses a stale save. The
    hidden mark is rendered by templates/admin/change_form.html."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return form if obj is None else with_edit_conflict_check(form)

    def get_fields(self, request, obj=None):
        # Derived from the form's fields; the mark is not a field of the model's fieldsets.
        return [name for name in super().get_fields(request, obj) if name != MARK_FIELD]
