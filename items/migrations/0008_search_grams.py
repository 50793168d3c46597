"""One search index for the public keyword search, in place of the four trigram indexes.

Chinese has no word boundaries, so the search is a substring match (LIKE '%词%'). pg_trgm
cannot index a keyword shorter than three characters, and most Chinese keywords are two
(燃气, 食品). Instead each item's searchable text (name, sub-item, legal basis and code, in
lower case) is indexed by its unigrams and bigrams, one GIN index on an expression: a keyword's
bigrams (its one character, if it has one) all occur in every text that contains it, so the
index finds the candidates for a keyword of any length, and the LIKE conditions then keep the
exact matches (items/search.py). No stored column: PostgreSQL keeps the index up to date on
every write, however it is made (admin, import, adjustment, raw SQL).

The gram functions use only built-ins (string_to_array, regexp_replace), so PostgreSQL inlines
them and computes an item's grams in tens of microseconds.

PostgreSQL only: on SQLite the search scans the table, as before. The index matching the
lists' order (plan, sequence, id) is on both.
"""

from django.db import migrations, models

TABLE = "items_devolveditem"
TRIGRAM_FIELDS = ["name", "sub_item", "code", "legal_basis"]

# item_grams: the characters of a text and its bigrams ('(..)' cuts the text into pairs from its
# first character, and from its second; together they are all its bigrams, \x01 between them).
# item_search_grams: an item's grams, the four fields in lower case, a line break between them.
# item_keyword_grams: a keyword's bigrams, or its one character (the index's candidates).
FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION item_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_remove(
      string_to_array(t, NULL)
      || string_to_array(regexp_replace(t, '(..)', E'\\1\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(t, 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
      ''
  )
$$;
CREATE OR REPLACE FUNCTION item_search_grams(
    name text, sub_item text, legal_basis text, code text
) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT item_grams(lower(name || E'\n' || sub_item || E'\n' || legal_basis || E'\n' || code))
$$;
CREATE OR REPLACE FUNCTION item_keyword_grams(keyword text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(keyword) < 2 THEN ARRAY[lower(keyword)]
         ELSE ARRAY(SELECT g FROM unnest(item_grams(lower(keyword))) AS g WHERE length(g) = 2)
         END
$$;
"""
DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS item_keyword_grams(text);
DROP FUNCTION IF EXISTS item_search_grams(text, text, text, text);
DROP FUNCTION IF EXISTS item_grams(text);
"""
INDEX = (
    f"CREATE INDEX IF NOT EXISTS item_search_grams_idx ON {TABLE} "
    "USING gin (item_search_grams(name, sub_item, legal_basis, code))"
)


def trigram_index(field):
    return f"item_{field}_trgm_idx"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    schema_editor.execute(INDEX)
    for field in TRIGRAM_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {trigram_index(field)}")


def restore_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in TRIGRAM_FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {trigram_index(field)} ON {TABLE} "
            f"USING gin ({field} gin_trgm_ops)"
        )
    schema_editor.execute("DROP INDEX IF EXISTS item_search_grams_idx")
    schema_editor.execute(DROP_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("items", "0007_first_list_version")]

    operations = [
        migrations.RunPython(create_search_index, restore_trigram_indexes, elidable=False),
        migrations.AddIndex(
            model_name="devolveditem",
            index=models.Index(fields=["plan", "sequence", "id"], name="item_list_order_idx"),
        ),
    ]
