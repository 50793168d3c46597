"""Benchmark: the public site's filtered keyword search against Django's admin changelist.

Loads 300,000 devolved items into a PostgreSQL database of its own, then times, in this process
through Django's test Client (server time: URL routing, middleware, queries, template), the same
search on the public list and on the admin changelist (logged-in superuser), side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devolution_bench5 \\
        .venv/bin/python bench/public_site.py [--items 300000] [--runs 30]

The database is created if missing and filled once; later runs reuse it.
"""

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")

SUBJECTS = [
    "食品",
    "药品",
    "医疗器械",
    "建设工程",
    "危险化学品",
    "道路运输",
    "排污",
    "林木采伐",
    "娱乐场所",
    "旅馆业",
    "特种设备",
    "民办学校",
    "农药",
    "兽药",
    "种子",
    "烟花爆竹",
    "矿产资源",
    "取水",
    "水土保持",
    "城市道路",
    "户外广告",
    "燃气",
    "出版物",
    "文物",
]
ACTIONS = [
    "经营许可",
    "生产许可",
    "备案",
    "登记",
    "审批",
    "监督检查",
    "违法行为的处罚",
    "核准",
    "资格认定",
    "年度检验",
    "变更审核",
    "注销登记",
]
LAWS = [
    "《中华人民共和国行政许可法》",
    "《中华人民共和国食品安全法》",
    "《中华人民共和国药品管理法》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国环境保护法》",
    "《中华人民共和国道路运输条例》",
    "《特种设备安全监察条例》",
    "《辽宁省行政执法条例》",
]
POWER_TYPES = [
    "licensing",
    "penalty",
    "coercion",
    "levy",
    "benefit",
    "adjudication",
    "inspection",
    "confirmation",
    "reward",
    "other",
]
COLUMNS = [
    "plan_id",
    "sequence",
    "name",
    "sub_item",
    "legal_basis",
    "note",
    "illustrative",
    "code",
    "power_type",
    "city_department_id",
    "county_department_id",
    "provincial_system",
    "status",
]


def ensure_database(url):
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(url.replace(parsed.path, "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    admin.close()


def escape_copy(value):
    if value is None:
        return r"\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def load_items(target):
    from django.db import connection

    from devolution.models import Department, Plan
    from devolution.registry_fixtures import load_registry_fixtures
    from items.models import DevolvedItem

    load_registry_fixtures()
    have = DevolvedItem.objects.count()
    if have >= target:
        print(f"{have} items already loaded")
        return
    plan = Plan.objects.order_by("issued_on").first()
    pairs = list(
        Department.objects.filter(level="county", counterpart__isnull=False).values_list(
            "pk", "counterpart_id"
        )
    )
    rng = random.Random(5)
    started = time.perf_counter()
    batch = 50_000
    for start in range(have, target, batch):
        buffer = io.StringIO()
        for number in range(start, min(start + batch, target)):
            county, city = pairs[number % len(pairs)]
            subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
            row = [
                plan.pk,
                number + 1,
                f"{subject}{action}",
                f"{subject}{action}（第{number % 7 + 1}类）" if number % 3 == 0 else "",
                f"{rng.choice(LAWS)}第{rng.randint(1, 90)}条",
                "",
                "t",
                f"BN{number:08d}",
                "licensing" if action.endswith("许可") else rng.choice(POWER_TYPES),
                city,
                county,
                "",
                "not_handed_over",
            ]
            buffer.write("\t".join(escape_copy(value) for value in row) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_from(buffer, DevolvedItem._meta.db_table, columns=COLUMNS)
        print(f"  loaded {min(start + batch, target)} items", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DevolvedItem._meta.db_table}")
    print(f"loaded {target - have} items in {time.perf_counter() - started:.1f} s")


def time_get(client, url, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "DATABASE_URL must name a PostgreSQL database of its own, e.g. "
            "postgres://postgres@127.0.0.1:5432/devolution_bench5"
        )
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from devolution.models import Department
    from devolution.public.filters import filter_items
    from items.models import DevolvedItem

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_items(args.items)

    department = Department.objects.filter(level="county").order_by("sort_order", "id").first()
    total = DevolvedItem.objects.count()
    admin_user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    public_client = Client()
    admin_client = Client()
    admin_client.force_login(admin_user)

    cases = [
        (
            "关键词+部门+权力类型",
            {"q": "经营许可", "department": department.pk, "power_type": "licensing"},
        ),
        ("关键词（4字）", {"q": "特种设备"}),
        ("关键词（2字，无三元组可用）", {"q": "燃气"}),
    ]
    print(
        f"\n{total} items in {connection.settings_dict['NAME']}; {args.runs} runs each, "
        f"median and 90th percentile server time (ms)\n"
    )
    print(
        f"{'query':<26}{'rows':>8}{'public':>10}{'p90':>8}{'queries':>9}"
        f"{'admin':>10}{'p90':>8}{'queries':>9}{'admin/public':>14}"
    )
    for label, params in cases:
        public_url = "/items/?" + urlencode(params)
        admin_params = {"q": params["q"]}
        if "department" in params:
            admin_params["county_department__id__exact"] = params["department"]
        if "power_type" in params:
            admin_params["power_type__exact"] = params["power_type"]
        admin_url = "/admin/items/devolveditem/?" + urlencode(admin_params)

        for client, page in ((public_client, public_url), (admin_client, admin_url)):
            time_get(client, page, 3)  # warm caches and connections
        public_times, _ = time_get(public_client, public_url, args.runs)
        admin_times, admin_response = time_get(admin_client, admin_url, args.runs)
        with CaptureQueriesContext(connection) as public_queries:
            public_client.get(public_url)
        with CaptureQueriesContext(connection) as admin_queries:
            admin_client.get(admin_url)
        rows = filter_items(QueryDict(urlencode(params)))[1].count()
        paginator = admin_response.content.decode().split('class="paginator"')[1]
        admin_rows = int(re.search(r"(\d+)\s*赋权事项", paginator).group(1))
        assert rows == admin_rows, (label, rows, admin_rows)
        public_median = statistics.median(public_times)
        admin_median = statistics.median(admin_times)
        print(
            f"{label:<26}{rows:>8}{public_median:>10.1f}"
            f"{statistics.quantiles(public_times, n=10)[-1]:>8.1f}{len(public_queries):>9}"
            f"{admin_median:>10.1f}{statistics.quantiles(admin_times, n=10)[-1]:>8.1f}"
            f"{len(admin_queries):>9}{admin_median / public_median:>13.1f}x"
        )
    print("\ngoal: public median < 50 ms and faster than the admin on the same query")


if __name__ == "__main__":
    main()
