"""The deadline scan against a plain-ORM scan, fresh processes, interleaved; and the daily scan
with nothing new on a registry of 300,000 items.

    .venv/bin/python bench/deadlines.py [--records 100000] [--items 300000] [--flags 3000]
        [--requests 10] [--runs 3] [--parts scan,quiet,overdue]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/deadlines.py

1. On --records handovers and as many seals (bench databases, see bench/harness.py), each run a
   fresh process on a fresh copy: the first day's scan (every overdue record flagged and
   e-mailed), a tenth of the open handovers completed, then the next day's scan (those flags
   resolved). Contestants: ours (`handover.deadlines.scan_deadlines`: INSERT … SELECT, one
   UPDATE per deadline, and the item-status refresh) and the anchor, a plain-ORM scan as one would
   write it without thinking about it twice: per deadline, the overdue records and the open flags
   read as two lists, `bulk_create` for the new flags, one `update()` for the resolved ones, the
   same e-mails (`handover.notices.send_notices`). Both must leave the same flags.
2. On the fixtures plus a plan of --items items, scanned once while building the template, a
   scan the same day in a fresh process: nothing is new, so it should cost next to nothing
   (goal ≤ 1 s and ≤ 150 MB peak RSS).
3. 逾期一览 (the admin's overdue overview) with --flags open flags (half handovers, half seals,
   100 department pairs), against a plain ORM listing of the same flags: one `select_related`
   queryset rendered by a Django template, a row per flag with the same columns a plain listing
   can give (no record names, no working days). Both are GETs by a logged-in superuser through
   the test Client (all middleware), each run a fresh process timing --requests of them after
   three warm-up requests (goal < 300 ms).
"""

import argparse
import datetime
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
PAIRS = 100  # department pairs; the records are plans × pairs
FIRST_DAY, SECOND_DAY = datetime.date(2017, 1, 3), datetime.date(2017, 1, 4)
QUIET_DAY = datetime.date(2026, 12, 1)


def generate(records):
    from devolution.models import Plan
    from devolution.workdays import WorkdayCalendar
    from handover.models import Handover
    from seals.models import Seal, SealStatus

    cities, counties = harness.department_pairs(PAIRS, contact_email=True)
    start = datetime.date(2016, 1, 4)
    plans = Plan.objects.bulk_create(
        Plan(
            doc_number=f"基准文〔2016〕{n}号",
            title="基准实施方案",
            issued_on=start + datetime.timedelta(days=n % 330),
        )
        for n in range(records // PAIRS)
    )
    calendar = WorkdayCalendar(overrides={})
    due = {plan.pk: plan.handover_due_on(calendar) for plan in plans}
    handovers, seals = [], []
    for plan in plans:
        for i, (city, county) in enumerate(zip(cities, counties, strict=True)):
            done = (plan.pk + i) % 4 == 0  # a quarter of the work is done
            handovers.append(
                Handover(
                    plan=plan,
                    city_department=city,
                    county_department=county,
                    due_on=due[plan.pk],
                    completed_on=due[plan.pk] if done else None,
                    signed_by="张三" if done else "",
                )
            )
            seals.append(
                Seal(
                    plan=plan,
                    name=f"{city.full_name}行政审批专用章(4)",
                    kind="approval",
                    issuer=city,
                    holder=county,
                    status=SealStatus.DELIVERED if done else SealStatus.ENGRAVED,
                    delivery_due_on=due[plan.pk],
                )
            )
    Handover.objects.bulk_create(handovers, batch_size=5000)
    Seal.objects.bulk_create(seals, batch_size=5000)
    return len(handovers), len(seals)


def plain_orm_scan(today):
    """The anchor: the obvious ORM version of the same scan."""
    from django.db import transaction

    from handover.deadlines import DEADLINES
    from handover.models import DeadlineFlag
    from handover.notices import send_notices

    opened = resolved = 0
    for deadline in DEADLINES:
        content_type = deadline.content_type()
        with transaction.atomic():
            overdue = {
                pk: (department, county, city, due_on)
                for pk, department, county, city, due_on in deadline.overdue(today).values_list(
                    "pk",
                    deadline.department_field,
                    deadline.county_field,
                    deadline.city_field,
                    deadline.due_field,
                )
            }
            flags = DeadlineFlag.objects.filter(
                deadline=deadline.name, content_type=content_type, resolved_on__isnull=True
            )
            already = set(flags.values_list("object_id", flat=True))
            new = [
                DeadlineFlag(
                    deadline=deadline.name,
                    content_type=content_type,
                    object_id=pk,
                    department_id=department,
                    county_department_id=county,
                    city_department_id=city,
                    due_on=due_on,
                    found_on=today,
                )
                for pk, (department, county, city, due_on) in overdue.items()
                if pk not in already
            ]
            DeadlineFlag.objects.bulk_create(new, batch_size=2000)
            done = list(already - overdue.keys())
            for start in range(0, len(done), 2000):
                resolved += flags.filter(object_id__in=done[start : start + 2000]).update(
                    resolved_on=today
                )
            opened += len(new)
    send_notices(today)
    return opened, resolved


ANCHOR_TEMPLATE = """<table><thead><tr><th>逾期类别</th><th>责任方</th><th>县承接部门</th>
<th>期限</th><th>发现日期</th><th>通知情况</th></tr></thead><tbody>
{% for flag in flags %}<tr><td>{{ flag.get_deadline_display }}</td>
<td>{{ flag.department.full_name }}</td><td>{{ flag.county_department.full_name }}</td>
<td>{{ flag.due_on }}</td><td>{{ flag.found_on }}</td><td>{{ flag.notice_state }}</td></tr>
{% endfor %}</tbody></table>"""


def plain_listing(request):
    """The anchor: the open flags as one would list them with the ORM and a template."""
    from django.http import HttpResponse
    from django.template import Context, Template

    from handover.models import DeadlineFlag

    flags = (
        DeadlineFlag.objects.open()
        .select_related("department", "county_department")
        .order_by("department__level", "department__sort_order", "deadline", "due_on", "id")
    )
    return HttpResponse(Template(ANCHOR_TEMPLATE).render(Context({"flags": flags})))


def page_child(name, requests):
    """Time GETs of 逾期一览 ("page") or of the plain listing ("listing") in this process."""
    import statistics
    import types

    from django.conf import settings
    from django.contrib.admin.views.decorators import staff_member_required
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import include, path

    from handover.models import DeadlineFlag

    urls = types.ModuleType("bench_overdue_urls")
    urls.urlpatterns = [
        path("bench/flags/", staff_member_required(plain_listing)),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    settings.ALLOWED_HOSTS = ["testserver"]
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    url = "/admin/handover/deadlineflag/overdue/" if name == "page" else "/bench/flags/"
    timings = []
    for n in range(requests + 3):
        started = time.perf_counter()
        response = client.get(url)
        if n >= 3:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    _, queries = timed(lambda: client.get(url))
    harness.report(
        {
            "ms": statistics.median(timings),
            "queries": queries,
            "flags": DeadlineFlag.objects.open().count(),
            "kb": len(response.content) // 1024,
        }
    )


def timed(function):
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        function()
        return time.perf_counter() - started, queries


def child(argv):
    mode = argv[0]
    harness.setup_django()
    from django.db import connection
    from django.db.models import Q

    from handover.deadlines import scan_deadlines
    from handover.models import DeadlineFlag, Handover

    if mode == "generate":
        handovers, seals = generate(int(argv[1]))
        harness.report({"handovers": handovers, "seals": seals})
        return
    if mode in ("page", "listing"):
        page_child(mode, int(argv[1]))
        return
    if mode in ("prime", "quiet"):
        seconds, queries = timed(lambda: scan_deadlines(QUIET_DAY))
        harness.report({"seconds": seconds, "queries": queries})
        return
    scan = scan_deadlines if mode == "ours" else plain_orm_scan

    def analyse():
        # Autovacuum analyses the tables between two daily scans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    first, first_queries = timed(lambda: scan(FIRST_DAY))
    # Between the two days, a tenth of the open handovers are completed.
    Handover.objects.filter(Q(completed_on__isnull=True), pk__endswith="7").update(
        completed_on=FIRST_DAY, signed_by="李四"
    )
    analyse()
    second, second_queries = timed(lambda: scan(SECOND_DAY))
    flags = DeadlineFlag.objects.values_list(
        "deadline", "object_id", "department_id", "due_on", "found_on", "resolved_on"
    )
    harness.report(
        {
            "first_s": first,
            "first_queries": first_queries,
            "next_s": second,
            "next_queries": second_queries,
            "flags": DeadlineFlag.objects.count(),
            "flags_digest": hashlib.sha256(repr(sorted(flags)).encode()).hexdigest()[:12],
        }
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--flags", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--parts",
        default="scan,quiet,overdue",
        help="which of the three to run (comma-separated: scan, quiet, overdue)",
    )
    args = parser.parse_args()
    parts = {"scan": deadline_scan, "quiet": quiet_scan, "overdue": overdue_page}
    for part in args.parts.split(","):
        parts[part](args)


def deadline_scan(args):
    def build_records(url):
        harness.migrate_and_seed(url)
        harness.run_child(SCRIPT, ["generate", args.records], url)

    records = harness.template(f"deadlines{args.records}", build_records, recipe="v1")
    print(f"database: {harness.vendor(records)}; {args.records:,} handovers and seals")

    def run_one(name, round_number):
        url = harness.copy_of(records, "deadlines")
        try:
            return harness.run_child(SCRIPT, [name], url)
        finally:
            harness.drop(url)

    results = harness.interleaved(["ours", "plain ORM"], args.runs, run_one)
    digests = {r["flags_digest"] for rs in results.values() for r in rs}
    assert len(digests) == 1, "the scans disagree about the flags"
    rows = []
    for day in ("first", "next"):
        ours = harness.median(results["ours"], f"{day}_s")
        plain = harness.median(results["plain ORM"], f"{day}_s")
        rows.append(
            [
                f"{day} day",
                f"{ours:.2f} s, {results['ours'][0][f'{day}_queries']} queries",
                f"{plain:.2f} s, {results['plain ORM'][0][f'{day}_queries']} queries",
                f"{plain / ours:.1f}×",
            ]
        )
    print(f"\ndeadline scan, {harness.vendor(records)}, medians of {args.runs}:")
    harness.table(["scan", "ours", "plain ORM", "plain ÷ ours"], rows)


def quiet_scan(args):
    def build_quiet(url):
        harness.migrate_and_seed(url)
        harness.fill_plan(url, harness.BIG_PLAN, args.items)
        harness.run_child(SCRIPT, ["prime"], url)

    quiet = harness.template(f"quiet{args.items}", build_quiet, recipe="v1")

    def run_quiet(name, round_number):
        url = harness.copy_of(quiet, "quiet")
        try:
            return harness.run_child(SCRIPT, ["quiet"], url)
        finally:
            harness.drop(url)

    results = harness.interleaved(["nothing new"], args.runs, run_quiet)["nothing new"]
    print(f"\nscan with nothing new, {args.items + 308:,} items, medians of {args.runs}:")
    harness.table(
        ["scan", "time", "queries", "peak RSS"],
        [
            [
                "nothing new",
                f"{harness.median(results, 'seconds'):.2f} s",
                results[0]["queries"],
                f"{harness.median(results, 'peak_rss_mb'):.0f} MB",
            ]
        ],
    )


def overdue_page(args):
    # Three records in four of generate() are overdue, handovers and seals alike: --flags flags
    # take 2/3 × --flags handovers and as many seals.
    records = max(PAIRS, args.flags * 2 // 3 // PAIRS * PAIRS)

    def build(url):
        harness.migrate_and_seed(url)
        harness.run_child(SCRIPT, ["generate", records], url)
        harness.run_child(SCRIPT, ["prime"], url)

    flagged = harness.template(f"overdue{records}", build, recipe="v1")
    url = harness.copy_of(flagged, "overdue")
    try:
        results = harness.interleaved(
            ["page", "listing"],
            args.runs,
            lambda name, round_number: harness.run_child(SCRIPT, [name, args.requests], url),
        )
    finally:
        harness.drop(url)
    page, listing = results["page"], results["listing"]
    print(
        f"\n逾期一览, {harness.vendor(flagged)}, {page[0]['flags']:,} open flags, median of "
        f"{args.requests} requests, medians of {args.runs} runs (goal < 300 ms):"
    )
    harness.table(
        ["page", "time", "queries", "size"],
        [
            [
                label,
                f"{harness.median(rs, 'ms'):.0f} ms",
                rs[0]["queries"],
                f"{rs[0]['kb']:,} KB",
            ]
            for label, rs in (("逾期一览", page), ("plain ORM listing", listing))
        ],
    )
    ratio = harness.median(page, "ms") / harness.median(listing, "ms")
    print(f"逾期一览 ÷ plain listing: {ratio:.2f}×")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
