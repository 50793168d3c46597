"""Every public page at province scale, against the admin changelist: fresh processes, interleaved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        .venv/bin/python bench/public_site.py [--items 300000] [--requests 30] [--runs 3]

On the fixtures plus a plan of --items realistic items (bench/harness.py; PostgreSQL is the
figure that counts, SQLite runs too), each run is a fresh process on the same database that
times, through Django's test Client (server time: routing, middleware, queries, template),
--requests GETs of every public page after three warm-up GETs, and reports each page's median.
The anchor is Django's admin changelist (a logged-in superuser) on the same searches. Plain GETs,
no conditional requests, and the page cache emptied before each one: what the first visitor at a
data revision costs, not a revalidation or a cached page (reported apart, "cached"). The
database connection is kept between requests (CONN_MAX_AGE=60), as production keeps it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()


def cases(department, item, cancelled):
    """(label, public URL, admin changelist URL or None)."""
    admin = "/admin/items/devolveditem/?"
    return [
        ("首页 /", "/", None),
        ("事项列表，无筛选", "/items/", admin),
        ("关键词（2字）", "/items/?" + urlencode({"q": "燃气"}), admin + urlencode({"q": "燃气"})),
        (
            "关键词（4字）",
            "/items/?" + urlencode({"q": "特种设备"}),
            admin + urlencode({"q": "特种设备"}),
        ),
        (
            "关键词+部门+权力类型",
            "/items/?"
            + urlencode({"q": "经营许可", "department": department, "power_type": "licensing"}),
            admin
            + urlencode(
                {
                    "q": "经营许可",
                    "county_department__id__exact": department,
                    "power_type__exact": "licensing",
                }
            ),
        ),
        ("列表第 100 页", "/items/?page=100", None),
        ("事项页", f"/items/{item}/", None),
        ("取消事项", "/cancelled/", None),
        ("取消事项页", f"/cancelled/{cancelled}/", None),
        ("部门页", f"/departments/{department}/", None),
        ("实施方案", "/plan/", None),
        ("API 列表", "/api/items/?" + urlencode({"q": "燃气"}), None),
    ]


def forget_pages():
    """Empty the public page cache (the child's own local-memory cache), keeping the data
    revision and the home page's figures."""
    from django.core.cache import cache

    with cache._lock:
        for key in [key for key in cache._cache if "public:page:" in key]:
            cache._delete(key)


def child(argv):
    side, requests = argv[0], int(argv[1])
    harness.setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from devolution.models import Department
    from items.models import CancelledApproval, DevolvedItem

    settings.ALLOWED_HOSTS = ["testserver"]
    department = Department.objects.filter(level="county").order_by("sort_order", "id").first()
    item = DevolvedItem.objects.order_by("-id").first()
    cancelled = CancelledApproval.objects.order_by("id").first()
    client = Client()
    if side == "admin":
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        client.force_login(user)
    figures = {}
    for label, public_url, admin_url in cases(department.pk, item.pk, cancelled.pk):
        url = public_url if side == "public" else admin_url
        if url is None:
            continue
        timings, cached = [], []
        for n in range(requests + 3):
            forget_pages()
            started = time.perf_counter()
            response = client.get(url)
            if n >= 3:
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            started = time.perf_counter()
            client.get(url)
            cached.append((time.perf_counter() - started) * 1000)
        figures[label] = statistics.median(timings)
        if side == "public":
            figures[f"{label} (cached)"] = statistics.median(cached)
    harness.report(figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sides",
        default="public,admin",
        help="public,admin (default) or public alone, without the anchor (when the machine's "
        "load makes the admin's seconds-long pages take most of the run)",
    )
    args = parser.parse_args()
    sides = args.sides.split(",")
    if "public" not in sides or not set(sides) <= {"public", "admin"}:
        parser.error("--sides: public,admin or public")
    big = harness.big_plan_template(args.items)
    print(f"database: {harness.vendor(big)}; {args.items + 308:,} items")
    url = harness.copy_of(big, "public")
    try:
        results = harness.interleaved(
            sides,
            args.runs,
            lambda name, round_number: harness.run_child(
                SCRIPT, [name, args.requests], url, CONN_MAX_AGE=60
            ),
        )
    finally:
        harness.drop(url)
    rows = []
    for label in results["public"][0]:
        if label == "peak_rss_mb" or label.endswith("(cached)"):
            continue
        public = harness.median(results["public"], label)
        cached = harness.median(results["public"], f"{label} (cached)")
        anchored = "admin" in results and label in results["admin"][0]
        admin = harness.median(results["admin"], label) if anchored else None
        rows.append(
            [
                label,
                f"{public:.1f} ms",
                f"{cached:.1f} ms",
                f"{admin:.1f} ms" if admin else "—",
                f"{admin / public:.1f}×" if admin else "—",
            ]
        )
    print(
        f"\npublic pages, {harness.vendor(big)}, {args.items + 308:,} items, median server time "
        f"of {args.requests} requests, medians of {args.runs} runs (goal < 50 ms):"
    )
    harness.table(
        ["page", "public, first visit", "public, cached", "admin changelist", "admin ÷ public"],
        rows,
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
