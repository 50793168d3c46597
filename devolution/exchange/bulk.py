"""Writing an import's rows and their history rows in bulk, at the cost of the values.

Django's bulk_create compiles every value of every row through the field machinery (a dozen
calls a value), which on a 50,000-row annex costs more than the database's own work. Here the
INSERT is built once per table, values that the driver takes as they are (text, numbers,
booleans, keys) are passed straight through, and the rows go to the database as multi-row
VALUES (PostgreSQL: psycopg2's execute_values; SQLite: as many rows per statement as it
takes parameters). The history rows are those django-simple-history would write (same fields,
`+`/`~`, user, reason, date), copied by the database from the rows just written.
"""

from django.db import connection
from django.utils import timezone

# Field types whose Python value is what the database driver takes.
PASS_THROUGH = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _converters(fields):
    def prepare(field):
        if field.get_internal_type() in PASS_THROUGH:
            return None
        return lambda value: field.get_db_prep_save(value, connection)

    return [prepare(field) for field in fields]


def _rows(objs, fields):
    attnames = [field.attname for field in fields]
    converters = _converters(fields)
    if not any(converters):
        for obj in objs:
            values = obj.__dict__
            yield tuple(values[name] for name in attnames)
        return
    for obj in objs:
        values = obj.__dict__
        yield tuple(
            values[name] if convert is None else convert(values[name])
            for name, convert in zip(attnames, converters, strict=True)
        )


def _insert(table, columns, rows, returning=None):
    """INSERT rows (tuples in `columns` order); with `returning`, that column's values in
    order."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    tail = f" RETURNING {quote(returning)}" if returning else ""
    returned = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            # The driver's own cursor: its errors are translated as Django's would be, so an
            # IntegrityError is one to the caller whichever path wrote.
            with connection.wrap_database_errors:
                result = execute_values(
                    cursor.cursor, head + "%s" + tail, rows, page_size=1000, fetch=bool(returning)
                )
            return [row[0] for row in result] if returning else []
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_statement = max(1, connection.features.max_query_params // len(columns))
        rows = list(rows)
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                returned.extend(row[0] for row in cursor.fetchall())
    return returned


def create(model, objs):
    """Insert new model instances (pk unset) and set their pks, like bulk_create."""
    if not objs:
        return objs
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    # What bulk_create's pre_save would fill in: auto_now / auto_now_add timestamps.
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
    pks = _insert(
        meta.db_table,
        [field.column for field in fields],
        list(_rows(objs, fields)),
        returning=meta.pk.column,
    )
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def create_history(model, objs, history_type, user=None, reason=""):
    """The history rows django-simple-history writes for `objs` (saved instances), copied by
    the database from the rows as they now stand (INSERT … SELECT, in pk order): the values,
    a 200-character legal basis among them, do not travel to the database a second time."""
    if not objs:
        return
    history = model.history.model
    tracked = list(history.tracked_fields)
    quote = connection.ops.quote_name
    extra_fields = [
        history._meta.get_field(name)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    now = extra_fields[0].get_db_prep_save(timezone.now(), connection)
    extra = [now, reason, history_type, getattr(user, "pk", None)]
    columns = ", ".join(quote(field.column) for field in tracked + extra_fields)
    copied = ", ".join(quote(field.column) for field in tracked)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    head = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "
        f"SELECT {copied}, %s, %s, %s, %s FROM {table} WHERE {pk} "
    )
    pks = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(head + f"= ANY(%s) ORDER BY {pk}", [*extra, pks])
            return
        per_statement = connection.features.max_query_params - len(extra)
        for start in range(0, len(pks), per_statement):
            chunk = pks[start : start + per_statement]
            cursor.execute(
                head + f"IN ({', '.join(['%s'] * len(chunk))}) ORDER BY {pk}", [*extra, *chunk]
            )


def update_column(model, attname, pairs):
    """Set one field of many rows, each row its own value: `pairs` are (pk, value). One
    UPDATE … FROM (VALUES …) per thousand rows (SQLite: as many as it takes parameters),
    where QuerySet.bulk_update compiles a CASE of every row of its batch into each statement."""
    pairs = list(pairs)
    if not pairs:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table, pk, column = (
        quote(meta.db_table),
        quote(meta.pk.column),
        quote(meta.get_field(attname).column),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            with connection.wrap_database_errors:
                execute_values(
                    cursor.cursor,
                    f"UPDATE {table} SET {column} = v.value FROM (VALUES %s) AS v (pk, value) "
                    f"WHERE {table}.{pk} = v.pk",
                    pairs,
                    page_size=1000,
                )
            return
        per_statement = max(1, connection.features.max_query_params // 2)
        for start in range(0, len(pairs), per_statement):
            chunk = pairs[start : start + per_statement]
            cursor.execute(
                f"UPDATE {table} SET {column} = v.column2 FROM (VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk))
                + f") AS v WHERE {table}.{pk} = v.column1",
                [value for pair in chunk for value in pair],
            )
