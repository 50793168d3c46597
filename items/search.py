"""Keyword search of the devolved items: the public site's lists, downloads and API call it.

A keyword matches an item when it occurs in the item's name, sub-item or legal basis, or, for a
keyword of letters and digits, in its code in either case. Chinese has no word boundaries, so
these are substring conditions (LIKE '%燃气%'). On PostgreSQL the candidates come first from one
GIN index of every item's characters and bigrams (items/migrations/0008_search_grams.py): a
text that contains the keyword contains each of its bigrams, so the index answers a keyword of
any length, two characters included, which pg_trgm cannot; the substring conditions then keep
the exact matches. On SQLite the substring conditions alone scan the table.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import F, Func, Q, TextField, Value

SEARCH_FIELDS = ("name", "sub_item", "legal_basis")


def keyword_q(q, fields):
    """`q` occurs in one of `fields` (a substring, case as written)."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__contains": q})
    return condition


def keyword_condition(q, field=str):
    """The exact condition for an item to match keyword `q`; `field` names the field to read
    (a past version's wording is read from its `at_` annotations)."""
    condition = keyword_q(q, [field(name) for name in SEARCH_FIELDS])
    # Item codes are letters and digits: a Chinese keyword cannot match one.
    if q.isascii():
        code = [field("code")]
        condition |= keyword_q(q, code) | keyword_q(q.upper(), code)
    return condition


class ItemSearchGrams(Func):
    """An item's characters and bigrams, in lower case: the expression the GIN index holds
    (it must read exactly as the migration wrote it for PostgreSQL to use the index)."""

    function = "item_search_grams"
    output_field = ArrayField(TextField())

    def __init__(self):
        super().__init__(F("name"), F("sub_item"), F("legal_basis"), F("code"))


class KeywordGrams(Func):
    """A keyword's bigrams in lower case (its one character if it has one)."""

    function = "item_keyword_grams"
    output_field = ArrayField(TextField())


def search_items(items, q, index=True):
    """The items of queryset `items` that match keyword `q`. On a past version (as_of) the
    keyword matches the wording of that version, not today's; the index holds today's, so it
    is not asked then (a past version is read less often, and scanned). With `index` false,
    the gram index's condition is left out (for a common keyword or a narrow list: see
    count_matches)."""
    past = getattr(items, "list_version", None) is not None
    items = items.filter(keyword_condition(q, items.field_as_read if past else str))
    if index and not past and connections[items.db].vendor == "postgresql":
        items = items.alias(search_grams=ItemSearchGrams()).filter(
            search_grams__contains=KeywordGrams(Value(q))
        )
    return items


# A capped count first looks at this many rows per hit it may count, before the index.
WINDOW_PER_HIT = 10


def count_matches(items, q, cap):
    """(n, index): how many items of queryset `items` match keyword `q`, counted up to
    `cap` + 1 (n above `cap` means "more than `cap`"), and whether the gram index is worth
    asking for them (search_items' `index`).

    A common keyword is cheapest to count without the index: more than `cap` hits among the
    first `cap` × WINDOW_PER_HIT rows of `items` (any rows, in the table's order) settle it,
    reading a few thousand rows where the gram index would first gather every one of its tens
    of thousands of hits (a GIN bitmap is built whole before the first row is read; 燃气 at
    300,000 items: 57,000). The same holds when those rows are all of `items` (a narrow
    filter): the window counted them all. Only a keyword rarer than that in a long list is
    counted, and its pages read, through the index."""
    if getattr(items, "list_version", None) is not None:
        # A past version's wording is read through its revisions: no window, no index.
        return search_items(items, q).order_by()[: cap + 1].count(), False
    connection = connections[items.db]
    window = cap * WINDOW_PER_HIT
    fields = (*SEARCH_FIELDS, "code")
    # Aliased, so that the conditions name the window's columns whatever the query joins.
    rows = items.order_by().values(**{f"w_{field}": F(field) for field in fields})
    inner, params = rows[:window].query.get_compiler(items.db).as_sql()
    columns = [(field, q) for field in SEARCH_FIELDS]
    if q.isascii():
        columns += [("code", q), ("code", q.upper())]
    like = connection.operators["contains"]
    conditions = " OR ".join(
        f"{connection.ops.quote_name('w_' + field)} {like}" for field, _ in columns
    )
    patterns = [f"%{connection.ops.prep_for_like_query(value)}%" for _, value in columns]
    sql = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM ({inner}) AS w WHERE {conditions} "
        f"LIMIT {cap + 1}) AS hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *patterns])
        (hits,) = cursor.fetchone()
    if hits > cap or not items.order_by()[window : window + 1].exists():
        return hits, False
    return search_items(items, q).order_by()[: cap + 1].count(), True
