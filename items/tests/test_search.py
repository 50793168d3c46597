"""The keyword search (items/search.py): the same matches on SQLite and PostgreSQL, and on
PostgreSQL the gram index answers keywords of every length."""

import pytest
from django.db import connection

from items import search
from items.models import DevolvedItem
from items.search import count_matches, search_items
from items.tests.factories import DevolvedItemFactory

pytestmark = pytest.mark.django_db


def found(q):
    return set(search_items(DevolvedItem.objects.all(), q).values_list("pk", flat=True))


def test_keywords_of_one_two_and_more_characters_match_substrings_anywhere():
    gas = DevolvedItemFactory(name="城镇燃气经营许可", legal_basis="")
    basis = DevolvedItemFactory(name="其他事项", legal_basis="《城镇燃气管理条例》第十五条")
    sub = DevolvedItemFactory(name="经营备案", sub_item="燃气器具安装")
    other = DevolvedItemFactory(name="食品经营许可", legal_basis="《食品安全法》")
    assert found("燃气") == {gas.pk, basis.pk, sub.pk}
    assert found("燃") == {gas.pk, basis.pk, sub.pk}
    assert found("燃气经营") == {gas.pk}
    assert found("经营许可") == {gas.pk, other.pk}
    # Every bigram of the keyword occurs, but not the keyword itself.
    assert found("经营燃气") == set()
    assert found("管理条例》第") == {basis.pk}


def test_a_keyword_does_not_match_across_two_fields():
    DevolvedItemFactory(name="燃气", sub_item="经营", legal_basis="")
    assert found("燃气经营") == set()
    assert found("气经") == set()


def test_codes_match_in_either_case():
    coded = DevolvedItemFactory(code="SP-0001", name="事项")
    latin = DevolvedItemFactory(name="ISO 认证", code="")
    assert found("sp-0001") == found("SP-0001") == {coded.pk}
    assert found("ISO") == {latin.pk}


def test_line_breaks_in_the_legal_basis_are_text_like_any_other():
    item = DevolvedItemFactory(legal_basis="《特种设备安全法》第一条\n《行政许可法》第十二条")
    assert found("第一条") == found("许可法") == {item.pk}


def explain(queryset, **settings):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("q", ["燃", "燃气", "燃气经营许可", "sp-0001"])
def test_on_postgresql_the_gram_index_serves_every_keyword(q):
    if connection.vendor != "postgresql":
        pytest.skip("the gram index is PostgreSQL's")
    DevolvedItemFactory.create_batch(3)
    items = search_items(DevolvedItem.objects.order_by(), q).values("pk")
    # The test table is tiny: forbid the full scan to see whether the index fits the query.
    plan = explain(items, enable_seqscan="off")
    assert "item_search_grams_idx" in plan, plan


def test_on_postgresql_the_index_function_works_with_an_empty_search_path():
    """pg_restore rebuilds indexes with an empty search path: the index's function must name
    the schema of what it calls, or a restored backup comes back without the search index."""
    if connection.vendor != "postgresql":
        pytest.skip("the gram functions are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
        cursor.execute("SET LOCAL search_path = ''")
        cursor.execute(f"SELECT {schema}.item_search_grams('燃气', '', '', '')")
        assert "燃气" in cursor.fetchone()[0]
        cursor.execute(f"SELECT {schema}.item_keyword_grams('燃气')")
        assert cursor.fetchone()[0] == ["燃气"]


def test_on_postgresql_a_page_of_the_list_is_read_off_the_order_index():
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    from django.http import QueryDict

    from devolution.public.filters import filter_items

    DevolvedItemFactory.create_batch(3)
    _, items = filter_items(QueryDict(""))
    # A tiny table: forbid the full scan and both kinds of sort (an incremental sort on the
    # plan index is as cheap here), to see whether the order index fits the list's ORDER BY.
    plan = explain(
        items[:20], enable_seqscan="off", enable_sort="off", enable_incremental_sort="off"
    )
    assert "item_list_order_idx" in plan and "Sort" not in plan, plan


def test_a_capped_count_is_the_same_through_the_window_or_the_index(monkeypatch):
    DevolvedItemFactory.create_batch(5, name="燃气经营许可")
    DevolvedItemFactory.create_batch(20, name="文物审批", legal_basis="")
    DevolvedItemFactory(code="SP-0001", name="事项")
    DevolvedItemFactory(name="收费100%_减免", legal_basis="")
    items = DevolvedItem.objects.all()
    # Window of 30 rows (of 27): more than 3 hits in it settle "more than 3".
    assert count_matches(items, "燃气", 3) == (4, False)
    # The window held every row: its count is exact, no index needed.
    assert count_matches(items, "燃气", 10) == (5, False)
    assert count_matches(items, "sp-00", 10) == (1, False)
    # LIKE's wildcards in a keyword are text.
    assert count_matches(items, "0%_", 10) == (1, False)
    assert count_matches(items, "%", 10) == (1, False)
    # A window of one row per hit: too few hits in it, so the index counts them.
    monkeypatch.setattr(search, "WINDOW_PER_HIT", 1)
    assert count_matches(items, "燃气", 10) == (5, True)
    assert count_matches(items, "燃气", 2) == (3, True)
    assert count_matches(items.filter(name="文物审批"), "燃气", 2) == (0, True)
