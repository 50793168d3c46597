"""The public site: pages, filters, downloads, API, read-only, caching, query counts, escaping."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from devolution.public import revision
from devolution.tests.factories import CountyDepartmentFactory, PlanFactory
from handover.models import TrainingAssistance
from handover.status import refresh_item_statuses
from handover.tests.factories import (
    DeadlineFlagFactory,
    HandoverFactory,
    TrainingPeriodFactory,
    of_handover,
)
from items.models import DevolvedItem, ItemStatus, PowerType
from items.tabular import ITEM_HEADERS, item_row
from items.tests.factories import CancelledApprovalFactory, DevolvedItemFactory
from seals.models import SealKind, SealStatus
from seals.tests.factories import SealFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def get(client, url, **params):
    return client.get(url, params)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def listed_ids(response):
    return [item.pk for item in response.context["page_obj"]]


@pytest.fixture
def two_departments():
    plan = PlanFactory()
    first, second = CountyDepartmentFactory(), CountyDepartmentFactory()
    return plan, first, second


# Pages ---------------------------------------------------------------------------------------


def test_every_page_answers_with_the_registry(client, registry):
    item = DevolvedItem.objects.first()
    cancelled = item.plan.cancelledapproval_set.first()
    urls = [
        reverse("public:home"),
        reverse("public:plan"),
        reverse("public:items"),
        reverse("public:item", args=[item.pk]),
        reverse("public:cancelled-list"),
        reverse("public:cancelled", args=[cancelled.pk]),
        reverse("public:department", args=[item.county_department_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-Hans">' in html
        assert 'href="#main"' in html and '<main id="main"' in html
        assert "https://" not in html and "http://" not in html, "no external asset"


def test_home_shows_the_counts_and_progress(client, registry):
    html = client.get("/").content.decode()
    assert '<span class="figure">49</span>' in html
    assert '<span class="figure">308</span>' in html
    assert '<span class="figure">29</span>' in html
    assert "0 / 29" in html  # no handover complete yet in the fixtures
    assert html.count("<svg") >= 3
    assert "以下统计含示例条目" in html


def test_progress_counts_handovers_seals_and_open_flags(client):
    HandoverFactory(completed=True)
    late = HandoverFactory()
    SealFactory(status=SealStatus.ENABLED)
    SealFactory(status=SealStatus.DELIVERED)
    SealFactory(status=SealStatus.SEALED_AWAY)  # recalled seals are not part of the progress
    DeadlineFlagFactory(record=late)
    DeadlineFlagFactory(record=late, resolved_on=datetime.date(2016, 10, 20))
    progress = client.get("/").context["progress"]
    handovers, seals = progress["bars"]
    assert (handovers.done, handovers.total) == (1, 2)
    assert (seals.done, seals.total) == (1, 2)
    assert progress["open_flags"] == 1
    # A handover is the city department's to do: the page says the city side is late.
    assert (progress["late_city"], progress["late_county"]) == (1, 0)
    assert "市直部门逾期 1 项，县承接部门逾期 0 项" in client.get("/").content.decode()


def test_pages_are_cached_per_data_revision_until_the_registry_changes(
    client, django_assert_num_queries
):
    DevolvedItemFactory()
    first = client.get("/")
    assert first.context["devolved_count"] == 1
    with django_assert_num_queries(0):  # the whole page comes from the cache
        again = client.get("/")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    DevolvedItemFactory()  # a new data revision: new ETag, the page rendered afresh
    fresh = client.get("/")
    assert fresh.context["devolved_count"] == 2 and fresh["ETag"] != first["ETag"]


def page_key(url):
    import hashlib

    path = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"public:page:{revision.current()['token']}:{path}"


def test_a_page_another_request_is_rendering_is_waited_for_not_rendered_again(
    client, django_assert_num_queries, monkeypatch
):
    from django.core.cache import cache

    DevolvedItemFactory(name="燃气经营许可")
    url = "/items/?q=%E7%87%83%E6%B0%94"
    rendered = client.get(url).content
    key = page_key(url)
    cache.delete(key)
    cache.add(f"{key}:rendering", 1)  # another worker is rendering the page
    pauses = []

    def other_request_finishes(seconds):  # instead of sleeping: the other request stores it
        pauses.append(seconds)
        if len(pauses) == 3:
            cache.set(key, (rendered, "text/html; charset=utf-8"))

    monkeypatch.setattr("devolution.public.views.time.sleep", other_request_finishes)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.content == rendered
    assert pauses == [0.005, 0.01, 0.02]  # doubling, then found


def test_a_render_that_takes_too_long_is_not_waited_for_and_the_lock_is_released(
    client, monkeypatch
):
    from django.core.cache import cache

    DevolvedItemFactory(name="燃气经营许可")
    url = "/items/?q=%E7%87%83%E6%B0%94"
    key = page_key(url)
    cache.add(f"{key}:rendering", 1)  # held by a request that never finishes
    monkeypatch.setattr("devolution.public.views.time.sleep", lambda seconds: None)
    monkeypatch.setattr("devolution.public.views.RENDER_WAIT_SECONDS", 0)
    assert listed_ids(client.get(url))  # rendered by this request after the wait
    cache.delete(f"{key}:rendering")
    cache.delete(key)
    # A request that renders takes the lock and releases it, even when its view fails.
    monkeypatch.setattr(
        "devolution.public.filters.filter_items", lambda params: 1 / 0, raising=True
    )
    with pytest.raises(ZeroDivisionError):
        client.get(url)
    assert cache.get(f"{key}:rendering") is None


def test_downloads_are_neither_cached_nor_waited_for(client, monkeypatch):
    from django.core.cache import cache

    DevolvedItemFactory(name="燃气经营许可")
    url = "/items/export.csv?q=%E7%87%83%E6%B0%94"
    cache.add(f"{page_key(url)}:rendering", 1)

    def no_waiting(seconds):
        raise AssertionError("a download waited")

    monkeypatch.setattr("devolution.public.views.time.sleep", no_waiting)
    assert "燃气经营许可" in body(client.get(url))


def test_home_figures_are_cached_until_the_registry_changes(
    client, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("devolution.public.views.PAGE_CACHE_MAX_BYTES", 0)  # no page cache
    DevolvedItemFactory()
    assert client.get("/").context["devolved_count"] == 1
    with django_assert_num_queries(1):  # the plan; the aggregates come from the cache
        assert client.get("/").context["devolved_count"] == 1


def test_large_totals_are_capped_and_read_1wan_plus_or_1000_plus_for_a_search(
    client, db, monkeypatch
):
    from devolution.public.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 2)
    monkeypatch.setattr(CappedPaginator, "SEARCH_COUNT_CAP", 2)
    DevolvedItemFactory.create_batch(3, name="燃气经营许可")
    assert "共 <strong>1万+</strong> 项" in client.get("/items/").content.decode()
    assert "共 <strong>1000+</strong> 项" in client.get("/items/?q=燃气").content.decode()
    data = client.get("/api/items/?q=燃气").json()
    assert (data["count"], data["count_capped"]) == (2, True)
    DevolvedItemFactory(name="文物审批")
    assert "共 <strong>1</strong> 项" in client.get("/items/?q=文物").content.decode()


def test_list_totals_without_a_keyword_are_the_lists_own(client, two_departments):
    # They are summed from the per-revision counts: each must be what the list holds.
    plan, first, second = two_departments
    DevolvedItemFactory(plan=plan, county_department=first, power_type="licensing")
    DevolvedItemFactory(plan=plan, county_department=first, power_type="penalty")
    DevolvedItemFactory(plan=plan, county_department=second, power_type="licensing")
    retired = DevolvedItemFactory(plan=plan, county_department=first, power_type="licensing")
    retired.retire(datetime.date(2017, 1, 1))
    for query in (
        "",
        f"department={first.pk}",
        "power_type=licensing",
        "kind=approval",
        "kind=non_approval",
        f"department={first.pk}&power_type=licensing",
        f"department={second.pk}&kind=non_approval",
        "status=retired",
        "department=bad&power_type=licensing",
    ):
        response = client.get("/items/?" + query)
        assert response.context["page_obj"].paginator.count == len(listed_ids(response)), query
    page = client.get(reverse("public:department", args=[first.pk]))
    assert page.context["page_obj"].paginator.count == 2


def test_plan_page_shows_the_notice_text(client, registry):
    html = client.get("/plan/").content.decode()
    assert "盘县政办发〔2016〕109号" in html
    assert "谁审批谁负责" in html


def test_unknown_records_are_404(client, db):
    for name in ("public:item", "public:cancelled", "public:department", "public:api-item"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_department_page_lists_only_a_county_department(client, two_departments):
    plan, first, second = two_departments
    mine = DevolvedItemFactory(plan=plan, county_department=first)
    DevolvedItemFactory(plan=plan, county_department=second)
    response = client.get(reverse("public:department", args=[first.pk]))
    assert listed_ids(response) == [mine.pk]
    city = first.counterpart
    assert client.get(reverse("public:department", args=[city.pk])).status_code == 404


# Item detail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ItemStatus.NOT_HANDED_OVER, "县尚未行使，暂按原程序办理"),
        (ItemStatus.IN_TRAINING, "培训指导期"),
        (ItemStatus.EXERCISED, "独立行使"),
    ],
)
def test_item_detail_says_whether_the_county_exercises_it(client, status, expected):
    item = DevolvedItemFactory()
    DevolvedItem.objects.filter(pk=item.pk).update(status=status)
    response = client.get(reverse("public:item", args=[item.pk]))
    assert response.context["exercised"] is (status == ItemStatus.EXERCISED)
    assert expected in response.context["exercise"]
    assert expected in response.content.decode()


def test_item_in_training_sends_citizens_to_the_county_and_names_its_assistance(client):
    """During training the county stamps with its own seal: the page must not send citizens to
    the old procedure; an item the city department handles (代办/帮办) says so, with its dates."""
    period = TrainingPeriodFactory()
    handover = period.handover
    item = DevolvedItemFactory(**of_handover(handover))
    DevolvedItem.objects.filter(pk=item.pk).update(status=ItemStatus.IN_TRAINING)
    page = client.get(reverse("public:item", args=[item.pk])).context["exercise"]
    assert "暂按原程序" not in page
    assert f"请到{handover.county_department.full_name}办理" in page
    assert "代办" not in page

    TrainingAssistance.objects.create(
        period=period,
        item=item,
        mode=TrainingAssistance.Mode.ACTING,
        starts_on=datetime.date(2016, 10, 8),
        ends_on=datetime.date(2016, 10, 20),
    )
    page = client.get(reverse("public:item", args=[item.pk])).context["exercise"]
    assert f"{handover.city_department.full_name}代办（2016年10月8日至2016年10月20日）" in page


def test_item_detail_shows_its_own_seals_only(client, two_departments):
    plan, first, second = two_departments
    item = DevolvedItemFactory(plan=plan, county_department=first, power_type=PowerType.LICENSING)
    own = SealFactory(plan=plan, holder=first, kind=SealKind.APPROVAL, status=SealStatus.ENABLED)
    SealFactory(plan=plan, holder=first, kind=SealKind.NON_APPROVAL, name="非审批章")
    SealFactory(plan=plan, holder=second, kind=SealKind.APPROVAL)
    SealFactory(plan=PlanFactory(), holder=first, kind=SealKind.APPROVAL, name="另一批次章")
    response = client.get(reverse("public:item", args=[item.pk]))
    assert list(response.context["seals"]) == [own]
    assert "已启用" in response.content.decode()


# Filters -------------------------------------------------------------------------------------


def test_keyword_searches_name_sub_item_code_and_legal_basis(client, db):
    by_name = DevolvedItemFactory(name="食品经营许可")
    by_sub = DevolvedItemFactory(sub_item="食品小作坊登记")
    by_code = DevolvedItemFactory(code="SP-0001")
    by_basis = DevolvedItemFactory(legal_basis="《中华人民共和国食品安全法》")
    DevolvedItemFactory(name="建筑工程施工许可")
    ids = set(listed_ids(get(client, "/items/", q="食品")))
    assert ids == {by_name.pk, by_sub.pk, by_basis.pk}
    assert listed_ids(get(client, "/items/", q="sp-0001")) == [by_code.pk]


def test_filters_combine(client, two_departments):
    plan, first, second = two_departments
    wanted = DevolvedItemFactory(
        plan=plan, county_department=first, power_type=PowerType.PENALTY, name="环境违法处罚"
    )
    DevolvedItemFactory(plan=plan, county_department=first, power_type=PowerType.LICENSING)
    DevolvedItemFactory(plan=plan, county_department=second, power_type=PowerType.PENALTY)
    DevolvedItemFactory(
        plan=plan, county_department=first, power_type=PowerType.PENALTY, name="其他处罚"
    )
    params = {"department": first.pk, "power_type": "penalty"}
    assert len(listed_ids(get(client, "/items/", **params))) == 2
    assert listed_ids(get(client, "/items/", q="环境", **params)) == [wanted.pk]
    assert len(listed_ids(get(client, "/items/", department=first.pk, kind="non_approval"))) == 2
    assert len(listed_ids(get(client, "/items/", department=first.pk, kind="approval"))) == 1


def test_status_filter_and_retired_items(client, db):
    exercised = DevolvedItemFactory()
    DevolvedItem.objects.filter(pk=exercised.pk).update(status=ItemStatus.EXERCISED)
    waiting = DevolvedItemFactory()
    retired = DevolvedItemFactory()
    retired.retire(datetime.date(2017, 1, 1))
    assert set(listed_ids(client.get("/items/"))) == {exercised.pk, waiting.pk}
    assert listed_ids(get(client, "/items/", status="exercised")) == [exercised.pk]
    assert listed_ids(get(client, "/items/", status="retired")) == [retired.pk]


def test_invalid_filters_are_reported_and_ignored(client, db):
    item = DevolvedItemFactory()
    response = get(client, "/items/", department="999999", power_type="nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有这个承接部门" in html
    assert "部分筛选条件无效" in html
    assert listed_ids(response) == [item.pk]


def test_pagination_keeps_the_filters_in_its_links(client, db):
    department = CountyDepartmentFactory()
    DevolvedItemFactory.create_batch(25, county_department=department, name="许可事项")
    response = get(client, "/items/", q="许可", department=department.pk)
    assert response.context["page_obj"].paginator.num_pages == 2
    html = response.content.decode()
    assert f"?q=%E8%AE%B8%E5%8F%AF&amp;department={department.pk}&amp;page=2" in html
    second = get(client, "/items/", q="许可", department=department.pk, page=2)
    assert len(listed_ids(second)) == 5


def test_out_of_range_and_garbled_pages_fall_back(client, db):
    DevolvedItemFactory.create_batch(25)
    assert get(client, "/items/", page="99").context["page_obj"].number == 2
    assert get(client, "/items/", page="abc").context["page_obj"].number == 1
    assert get(client, "/api/items/", page="99").json()["page"] == 2
    empty = get(client, "/items/", q="没有这样的事项")
    assert empty.context["page_obj"].paginator.count == 0
    assert "没有符合条件的事项" in empty.content.decode()


def test_list_says_when_shown_items_are_illustrative(client, db):
    DevolvedItemFactory(name="真实事项")
    DevolvedItemFactory(name="示例事项", illustrative=True)
    assert "本页所列事项为真实附件导入前的示例条目" not in body(get(client, "/items/", q="真实"))
    assert "本页所列事项为真实附件导入前的示例条目" in body(get(client, "/items/", q="示例"))


def test_cancelled_list_searches(client, db):
    hit = CancelledApprovalFactory(name="印章刻制审批")
    CancelledApprovalFactory(name="其他审批")
    assert listed_ids(get(client, "/cancelled/", q="印章")) == [hit.pk]


# Open data -----------------------------------------------------------------------------------


@pytest.fixture
def many_items(two_departments):
    plan, first, second = two_departments
    DevolvedItemFactory.create_batch(
        23, plan=plan, county_department=first, power_type=PowerType.PENALTY, name="处罚事项"
    )
    DevolvedItemFactory.create_batch(3, plan=plan, county_department=second, name="处罚事项")
    DevolvedItemFactory(plan=plan, county_department=first, name="=HYPERLINK(1)")
    return first


def test_xlsx_download_holds_every_page_of_the_filtered_list(client, many_items):
    params = {"q": "处罚", "department": many_items.pk}
    listed = get(client, "/items/", **params).context["page_obj"].paginator.count
    response = get(client, "/items/export.xlsx", **params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == ITEM_HEADERS
    assert len(rows) - 1 == listed == 23
    assert {row[6] for row in rows[1:]} == {many_items.short_name}


def test_csv_download_matches_the_list_and_escapes_formulas(client, many_items):
    params = {"department": many_items.pk}
    rows = list(csv.reader(io.StringIO(body(get(client, "/items/export.csv", **params)))))
    assert rows[0] == ITEM_HEADERS
    assert len(rows) - 1 == 24
    assert "'=HYPERLINK(1)" in {row[1] for row in rows}


def test_download_names_say_illustrative(client, db):
    DevolvedItemFactory(illustrative=True)
    response = client.get("/items/export.xlsx")
    assert "%E7%A4%BA%E4%BE%8B" in response["Content-Disposition"]  # 示例
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "示例数据" in workbook.active.title


# JSON API ------------------------------------------------------------------------------------


def test_api_lists_with_the_same_filters_and_pagination(client, many_items):
    params = {"q": "处罚", "department": many_items.pk}
    html_ids = listed_ids(get(client, "/items/", **params))
    data = get(client, "/api/items/", **params).json()
    assert data["count"] == 23 and data["num_pages"] == 2
    assert [row["id"] for row in data["results"]] == html_ids
    assert data["previous"] is None
    second = client.get(data["next"]).json()
    assert len(second["results"]) == 3
    assert second["next"] is None


def test_api_detail_and_bad_filters(client, db):
    item = DevolvedItemFactory(power_type=PowerType.PENALTY)
    data = client.get(reverse("public:api-item", args=[item.pk])).json()
    assert data["name"] == item.name
    assert data["kind"] == "non_approval" and data["power_type_display"] == "行政处罚"
    assert data["county_department"] == item.county_department.full_name
    bad = get(client, "/api/items/", power_type="nonsense")
    assert bad.status_code == 400
    assert "power_type" in bad.json()["errors"]


def test_api_cancelled(client, db):
    entry = CancelledApprovalFactory(name="印章刻制审批")
    data = get(client, "/api/cancelled/", q="印章").json()
    assert [row["id"] for row in data["results"]] == [entry.pk]
    detail = client.get(reverse("public:api-cancelled-detail", args=[entry.pk])).json()
    assert detail["reason"] == entry.reason


# Read-only and cacheable ---------------------------------------------------------------------

READ_ONLY_URLS = [
    "/",
    "/plan/",
    "/items/",
    "/items/export.xlsx",
    "/items/export.csv",
    "/cancelled/",
    "/api/items/",
    "/api/cancelled/",
]


@pytest.mark.parametrize("url", READ_ONLY_URLS)
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writes_answer_405(client, db, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_detail_pages_refuse_writes(client, db):
    item = DevolvedItemFactory()
    for url in (reverse("public:item", args=[item.pk]), reverse("public:api-item", args=[item.pk])):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", READ_ONLY_URLS)
def test_no_cookie_is_set(client, registry, url, settings):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.sessions.middleware.SessionMiddleware" in settings.MIDDLEWARE
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.serialize_headers().decode()
    assert "Cookie" not in response.get("Vary", "")


def test_conditional_get_answers_304_until_the_registry_changes(client, db):
    item = DevolvedItemFactory()
    first = client.get("/items/")
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    assert client.get("/items/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/items/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    item.name = "改名"
    item.save()
    changed = client.get("/items/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "改名" in changed.content.decode()


def test_seal_and_flag_changes_also_invalidate(client, db):
    etag = client.get("/")["ETag"]
    seal = SealFactory()
    etag_after_seal = client.get("/", HTTP_IF_NONE_MATCH=etag)["ETag"]
    assert etag_after_seal != etag
    seal.status = SealStatus.ENABLED
    seal.save()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag_after_seal).status_code == 200


# Query counts --------------------------------------------------------------------------------


def count_queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow_registry(start, stop, plan, departments):
    for index in range(start, stop):
        department = departments[index % len(departments)]
        DevolvedItemFactory(
            plan=plan,
            county_department=department,
            name=f"许可事项{index}",
            power_type=PowerType.LICENSING,
        )
        CancelledApprovalFactory(plan=plan, original_department=department, name=f"取消{index}")
    for department in departments:
        if not department.handovers_received.exists():
            HandoverFactory(plan=plan, county_department=department)
            SealFactory(plan=plan, holder=department)


def test_list_pages_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    plan = PlanFactory()
    departments = CountyDepartmentFactory.create_batch(3)
    grow_registry(0, 3, plan, departments)
    item = DevolvedItem.objects.first()
    urls = [
        "/",
        "/items/",
        f"/items/?q=许可&department={departments[0].pk}&power_type=licensing&kind=approval",
        "/cancelled/",
        "/api/items/?q=许可",
        "/api/cancelled/",
        f"/departments/{departments[0].pk}/",
        f"/items/{item.pk}/",
    ]
    small = {url: count_queries(client, url) for url in urls}
    more = CountyDepartmentFactory.create_batch(4)
    grow_registry(3, 60, plan, departments + more)
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            client.get(url)
    assert max(small.values()) <= 12


# Escaping ------------------------------------------------------------------------------------


def test_database_text_is_escaped_everywhere(client, db):
    department = CountyDepartmentFactory(short_name=SCRIPT, full_name=f"盘山县{SCRIPT}")
    item = DevolvedItemFactory(
        name=SCRIPT, sub_item=SCRIPT, legal_basis=SCRIPT, county_department=department
    )
    CancelledApprovalFactory(name=SCRIPT, original_department=department)
    pages = [
        "/",
        "/items/",
        reverse("public:item", args=[item.pk]),
        "/cancelled/",
        reverse("public:department", args=[department.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert ESCAPED in html, url
    home = client.get("/").content.decode()
    svg_start = home.index("按承接部门统计")
    assert ESCAPED in home[svg_start : home.index("</svg>", svg_start)]

    for url in ("/api/items/", reverse("public:api-item", args=[item.pk]), "/api/cancelled/"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/json")
        assert "<script>" not in response.content.decode(), url
        assert SCRIPT in json.dumps(response.json(), ensure_ascii=False), url


def test_a_bulk_status_refresh_changes_the_data_revision(db, django_capture_on_commit_callbacks):
    handover = HandoverFactory()
    item = DevolvedItemFactory(**of_handover(handover))
    SealFactory(plan=handover.plan, holder=handover.county_department, status="enabled")
    type(handover).objects.filter(pk=handover.pk).update(
        completed_on="2016-09-30", signed_by="赵六"
    )  # no signal: only the refresh below can announce the change
    before = revision.current()["token"]
    assert refresh_item_statuses(type(item).objects.filter(pk=item.pk)) == 1
    assert revision.current()["token"] != before


def test_a_committed_import_changes_the_data_revision(db, django_capture_on_commit_callbacks):
    from devolution.tests.sheets import xlsx_bytes
    from items.tests.publishing import imported

    item = DevolvedItemFactory()
    row = item_row(item)
    row[1] = "导入后改名的事项"
    before = revision.current()["token"]
    with django_capture_on_commit_callbacks(execute=True):
        # The import drafts an adjustment; its publication is what the public sees (rule 8).
        _, result = imported(
            xlsx_bytes([ITEM_HEADERS, row]),
            "改名.xlsx",
            "items",
            plan_doc_number=item.plan.doc_number,
        )
    assert result.ok and len(result.changed) == 1
    assert revision.current()["token"] != before


def test_the_plan_page_shows_the_notice_not_the_page_it_was_copied_from(client, registry):
    html = client.get(reverse("public:plan")).content.decode()
    assert "浏览次数" not in html and "发布时间:" not in html
    assert "\xa0" not in html and "&nbsp;" not in html
    assert "各镇人民政府" in html and "为进一步增强我县内生增长动力" in html
    assert "县编委办协调市直赋权部门于工作方案下发后15个工作日内" in html


def test_notice_body_drops_the_page_chrome_only():
    from devolution.notice import notice_body

    scraped = (
        "某文号某标题 的通知\n\n发布时间：2016-09-11  浏览次数: 7\n"
        "某文号\n\n\xa0\n\n正文一\xa0\n\n\n正文二"
    )
    assert notice_body(scraped) == "某文号\n\n正文一\n\n正文二"
    assert notice_body("没有页面信息的正文\n第二段") == "没有页面信息的正文\n第二段"


def test_a_response_reads_the_data_revision_once(client, db, monkeypatch):
    # ETag, Last-Modified and the page cache's key all follow it: one cache read, not three.
    assert client.get("/").status_code == 200  # rendered, and now cached
    reads = []
    cache_call = revision.cache_call

    def counted(method, *args, **kwargs):
        if args and args[0] == revision.CACHE_KEY:
            reads.append(method)
        return cache_call(method, *args, **kwargs)

    monkeypatch.setattr(revision, "cache_call", counted)
    response = client.get("/")
    assert response.status_code == 200 and response.has_header("ETag") and reads == ["get"]
