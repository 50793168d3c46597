"""Nothing a client sends produces a 500: odd query strings at every public URL and at the admin
autocomplete, on SQLite and on PostgreSQL (which refuses NUL in a string literal)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devolution.models import Department
from items.models import CancelledApproval, DevolvedItem

pytestmark = pytest.mark.django_db

HUGE = "9" * 20
# Raw query strings, as a client can send them: some are not what a form would ever produce.
ODD_QUERIES = [
    f"page={HUGE}",
    f"q=a&page={HUGE}",
    f"q=%E5%B8%82&page={HUGE}",
    "q=a&page=-5",
    "page=-1",
    "page=0",
    "page=1e400",
    "page=nan",
    "page=inf",
    "page=%00",
    "q=%00",
    "q=a%00b&page=2",
    "term=%00",
    "q=%ED%A0%80",  # a UTF-16 surrogate, encoded as if it were UTF-8
    "q=%F4%90%80%80",  # beyond U+10FFFF
    "q=%FF%FE",
    "q=" + "a" * 5000,
    "q=" + "%E5%B8%82" * 3000,
    "q=a&q=b&q=%00&page=1&page=2",
    "department=abc",
    f"department={HUGE}",
    "department=-1&power_type=%00&kind=%00&status=%00",
    "date=2016-13-45&as_of=2016-02-30&since=not-a-date&until=%00",
    "as_of=99999-01-01&date=0000-00-00",
    "format=%00&ordering=%00&o=-1.-2",
    "%00=%00",
    "q",
    "&&&==&",
]


def public_paths(registry_ids):
    """Every route of the public urlconf, with an existing id, a missing one and a huge one."""
    resolver = get_resolver()
    paths = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "public":
                    walk(entry.url_patterns, f"{prefix}{entry.namespace}:")
            elif isinstance(entry, URLPattern) and prefix:
                name = f"{prefix}{entry.name}"
                converters = entry.pattern.converters
                if not converters:
                    paths.append(reverse(name))
                    continue
                for pk in (registry_ids.get(name, 1), 987654321):
                    paths.append(reverse(name, kwargs={key: pk for key in converters}))

    walk(resolver.url_patterns, "")
    return paths


@pytest.fixture
def registry_ids(registry):
    item = DevolvedItem.objects.first()
    cancelled = CancelledApproval.objects.first()
    department = Department.objects.filter(level=Department.Level.COUNTY).first()
    return {
        "public:item": item.pk,
        "public:api-item": item.pk,
        "public:cancelled": cancelled.pk,
        "public:api-cancelled-detail": cancelled.pk,
        "public:department": department.pk,
    }


@pytest.fixture
def prober():
    """A client that reports a server error as its status instead of raising it."""
    return Client(raise_request_exception=False)


def test_the_public_urlconf_is_walked_whole(registry_ids):
    paths = public_paths(registry_ids)
    assert reverse("public:items") in paths and reverse("public:api-cancelled") in paths
    assert len(paths) >= 13


def test_no_odd_query_string_makes_a_public_url_fail(prober, registry_ids):
    failures = []
    for path in public_paths(registry_ids):
        for query in ODD_QUERIES:
            response = prober.get(f"{path}?{query}")
            if response.status_code >= 500:
                failures.append((path, query, response.status_code))
    assert not failures


def test_a_huge_page_number_shows_the_last_page(client, registry):
    for url in ["/items/", "/api/items/", "/cancelled/", "/api/cancelled/"]:
        for query in [f"page={HUGE}", f"q=%E5%B8%82&page={HUGE}"]:
            response = client.get(f"{url}?{query}")
            assert response.status_code == 200, (url, query)
            if url.startswith("/api/"):
                data = response.json()
                assert data["page"] == data["num_pages"] and data["results"], (url, query)
            else:
                page = response.context["page_obj"]
                assert page.number == page.paginator.num_pages and len(page), (url, query)


def test_department_page_with_a_huge_page_number(client, registry):
    department = Department.objects.filter(level=Department.Level.COUNTY).first()
    response = client.get(f"/departments/{department.pk}/?q=%E8%AE%B8&page={HUGE}")
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages


AUTOCOMPLETE_FIELDS = [
    ("items", "devolveditem", "county_department"),
    ("items", "devolveditem", "plan"),
    ("seals", "sealusage", "seal"),
    ("seals", "sealusage", "item"),
    ("handover", "handover", "city_department"),
    ("devolution", "departmentstaff", "user"),
]


def test_no_odd_term_makes_the_admin_autocomplete_fail(prober, django_user_model, registry):
    prober.force_login(django_user_model.objects.create_superuser("root", password="x-long-pass"))
    failures = []
    for app_label, model_name, field_name in AUTOCOMPLETE_FIELDS:
        base = (
            f"/admin/autocomplete/?app_label={app_label}&model_name={model_name}"
            f"&field_name={field_name}"
        )
        for query in [*ODD_QUERIES, "term=%00%00", "term=a%00", f"term=a&page={HUGE}"]:
            response = prober.get(f"{base}&{query}")
            if response.status_code >= 500:
                failures.append((field_name, query, response.status_code))
    assert not failures


def test_a_nul_in_an_admin_search_is_refused_in_chinese(admin_client_logged_in, registry):
    response = admin_client_logged_in.get("/admin/items/devolveditem/?q=a%00b")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    # An ordinary search still works.
    assert admin_client_logged_in.get("/admin/items/devolveditem/?q=a").status_code == 200


def test_a_nul_in_a_login_name_is_refused_not_a_server_error(prober, registry):
    response = prober.post(
        "/admin/login/",
        "username=root%00&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
