"""Trigram GIN indexes for the public site's substring search: Chinese has no word boundaries,
so LIKE '%词%' is the search, and pg_trgm lets PostgreSQL answer it from an index.

PostgreSQL only: on SQLite the operation does nothing and search scans the table.
"""

from django.db import migrations

SEARCH_FIELDS = ["name", "sub_item", "code", "legal_basis"]
TABLE = "items_devolveditem"


def index_name(field):
    return f"item_{field}_trgm_idx"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for field in SEARCH_FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(field)} ON {TABLE} "
            f"USING gin ({field} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in SEARCH_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(field)}")


class Migration(migrations.Migration):
    dependencies = [("items", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
