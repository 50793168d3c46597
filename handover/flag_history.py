"""Deadline flags keep history like every record; the scan writes it in bulk, one statement per
step, since it opens, resolves and notifies flags with UPDATE and INSERT … SELECT (no save())."""

from django.db import connection
from django.db.models import DateTimeField, F, Value
from django.utils import timezone

from .models import DeadlineFlag


def insert_select(model, queryset, columns, suffix=""):
    """INSERT INTO `model` (the keys of `columns`, field names) SELECT their expressions over
    `queryset`: one statement whatever the number of rows. Returns the rows inserted."""
    aliases = {f"insert_{name}": expression for name, expression in columns.items()}
    select_sql, params = queryset.annotate(**aliases).values_list(*aliases).query.sql_with_params()
    quote = connection.ops.quote_name
    targets = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({targets}) {select_sql} {suffix}", params
        )
        return max(cursor.rowcount, 0)


def record_flag_history(flags, history_type):
    """A history row for each of `flags`, as the admin shows for every record; one statement."""
    columns = {field.name: F(field.attname) for field in DeadlineFlag._meta.concrete_fields}
    columns |= {
        "history_date": Value(timezone.now(), output_field=DateTimeField()),
        "history_change_reason": Value("逾期检查"),
        "history_type": Value(history_type),
    }
    insert_select(DeadlineFlag.history.model, flags.order_by(), columns)
