"""The search functions name the schema of the function they call.

pg_restore (and pg_dump's plain SQL) rebuilds indexes with an empty search path. The index
expression names its function by schema, but `item_search_grams` called `item_grams`
unqualified, so a restored backup failed to rebuild `item_search_grams_idx` and came back
without the search index. The bodies now name the schema they were created in. The results are
the same, so the index needs no rebuild; the calls are still plain SQL, so PostgreSQL still
inlines them.
"""

from importlib import import_module

from django.db import migrations

SEARCH_GRAMS = r"""
CREATE OR REPLACE FUNCTION {schema}.item_search_grams(
    name text, sub_item text, legal_basis text, code text
) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT {schema}.item_grams(
      lower(name || E'\n' || sub_item || E'\n' || legal_basis || E'\n' || code)
  )
$$;
CREATE OR REPLACE FUNCTION {schema}.item_keyword_grams(keyword text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(keyword) < 2 THEN ARRAY[lower(keyword)]
         ELSE ARRAY(
             SELECT g FROM unnest({schema}.item_grams(lower(keyword))) AS g WHERE length(g) = 2
         )
         END
$$;
"""


def qualified_schema(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        return cursor.fetchone()[0]


def name_the_schema(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SEARCH_GRAMS.format(schema=qualified_schema(schema_editor)))


def unqualified(apps, schema_editor):
    """Back to 0008's bodies (the same results)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(import_module("items.migrations.0008_search_grams").FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("items", "0011_cancelled_list_changes")]

    operations = [migrations.RunPython(name_the_schema, unqualified, elidable=False)]
