"""Benchmark: opening an evaluation round (one ItemEvaluation per current item, its evidence and
its first history row) on 300,000 items with 3,000,000 stamps, against the ORM's own best way
of doing the same.

    .venv/bin/python bench/evaluation.py [--items 300000] [--stamps 3000000] [--runs 3]
    .venv/bin/python bench/evaluation.py --tiny          # 300 items, 3,000 stamps (CI)

Ours: `evaluation.services.open_round` — INSERT … SELECT, one UPDATE … FROM grouped derived
tables, INSERT … SELECT of the history: a fixed number of queries for any number of items.
Anchor: the same evidence with the ORM at its documented best — one queryset of the items
annotated with a correlated Subquery per figure, streamed with .iterator(), written with
simple-history's bulk_create_with_history in batches of 2,000.

Each run is a fresh process on a fresh copy of a template database (built once per size and
schema, from a copy of the migrated schema: bench/harness.py, which names the databases).
Runs alternate ours / anchor; the
driver prints each run and the medians. Peak memory is the child's peak RSS (ru_maxrss).
"""

import argparse
import datetime
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the app it measures: import the app, not this script, from bench/.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402

PERIOD = (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
TODAY = datetime.date(2018, 1, 10)
PAIRS = 29  # the notice's receiving departments, each with its city counterpart


# --- the data -----------------------------------------------------------------------------


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
    import django

    django.setup()


def build(url, items, stamps):
    """Departments, one plan, `items` items, handovers and training per pair, one enabled
    seal per department, `stamps` stamps spread over 2016-10 … 2018-06 on two thirds of the
    items (the rest never stamped), 代办 on one item in a hundred, some flags and accountability."""
    setup_django(url)
    from django.db import connection, transaction

    from devolution.models import Plan
    from handover.models import DeadlineFlag, Handover, TrainingAssistance, TrainingPeriod
    from items.models import DevolvedItem, ItemStatus, PowerType
    from seals.models import Seal, SealStatus, SealUsage
    from supervision.models import Accountability

    started = time.perf_counter()
    with transaction.atomic():
        plan = Plan.objects.create(
            doc_number="基准文〔2016〕1号",
            title="基准实施方案",
            issued_on=datetime.date(2016, 9, 9),
        )
        _, counties = harness.department_pairs(PAIRS)
        types = PowerType.values
        batch = []
        for n in range(items):
            county = counties[n % PAIRS]
            batch.append(
                DevolvedItem(
                    plan=plan,
                    sequence=n + 1,
                    code=f"BENCH-{n:07d}",
                    name=f"基准事项{n}",
                    power_type=types[n % len(types)],
                    city_department_id=county.counterpart_id,
                    county_department=county,
                    status=ItemStatus.IN_TRAINING,
                )
            )
            if len(batch) == 5000:
                DevolvedItem.objects.bulk_create(batch)
                batch = []
        DevolvedItem.objects.bulk_create(batch)
        due = plan.handover_due_on()
        handovers = Handover.objects.bulk_create(
            Handover(
                plan=plan,
                city_department_id=county.counterpart_id,
                county_department=county,
                due_on=due,
                completed_on=due + datetime.timedelta(days=(i % 3) * 10),
                signed_by="张三",
            )
            for i, county in enumerate(counties)
        )
        trainings = TrainingPeriod.objects.bulk_create(
            TrainingPeriod(
                handover=handover,
                starts_on=handover.completed_on,
                months=3,
                ends_on=handover.completed_on + datetime.timedelta(days=91),
                confirmed_on=handover.completed_on + datetime.timedelta(days=80 + i % 30),
                confirmed_by="李四",
            )
            for i, handover in enumerate(handovers)
        )
        Seal.objects.bulk_create(
            Seal(
                plan=plan,
                name=f"{county.full_name}基准专用章",
                kind="approval",
                issuer_id=county.counterpart_id,
                holder=county,
                status=SealStatus.ENABLED,
            )
            for county in counties
        )
        first_item = DevolvedItem.objects.order_by("pk").values_list("pk", flat=True).first()
        stamped_items = max(items * 2 // 3, 1)
        # Stamps generated in the database: a recursive counter (both PostgreSQL and SQLite
        # run it), each stamp on an item of the first two thirds, with that item's seal.
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE counter(n) AS (
                    SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < %s
                )
                INSERT INTO {quote(SealUsage._meta.db_table)}
                    (seal_id, item_id, stamped_on, document_reference, applicant, stamped_by,
                     route, forwarded_by_id, forwarded_on, note, recorded_at)
                SELECT s.id, i.id, %s, 'BENCH', '基准申请人', '张三',
                    CASE WHEN counter.n %% 5 = 0 THEN 'province' ELSE 'city' END,
                    CASE WHEN counter.n %% 5 = 0 THEN i.city_department_id END,
                    CASE WHEN counter.n %% 5 = 0 THEN %s END, '', %s
                FROM counter
                JOIN {quote(DevolvedItem._meta.db_table)} i
                    ON i.id = %s + ((CAST(counter.n AS BIGINT) * 7919) %% %s)
                JOIN {quote(Seal._meta.db_table)} s ON s.holder_id = i.county_department_id
                """,
                [
                    stamps,
                    datetime.date(2016, 10, 1),
                    datetime.date(2016, 10, 1),
                    datetime.datetime.now(datetime.UTC),
                    first_item,
                    stamped_items,
                ],
            )
        # Spread the dates over 21 months, deterministically by id.
        SealUsage.objects.update(stamped_on=datetime.date(2016, 10, 1))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {quote(SealUsage._meta.db_table)} "
                    "SET stamped_on = DATE '2016-10-01' + ((id * 37) %% 638)::int, "
                    # a 报省 stamp is forwarded the day it is stamped (rule 5's record)
                    "forwarded_on = CASE WHEN route = 'province' "
                    "THEN DATE '2016-10-01' + ((id * 37) %% 638)::int END",
                    [],
                )
            else:
                cursor.execute(
                    f"UPDATE {quote(SealUsage._meta.db_table)} "
                    "SET stamped_on = date('2016-10-01', '+' || ((id * 37) %% 638) || ' days'), "
                    "forwarded_on = CASE WHEN route = 'province' "
                    "THEN date('2016-10-01', '+' || ((id * 37) %% 638) || ' days') END",
                    [],
                )
        item_ids = list(
            DevolvedItem.objects.order_by("pk").values_list("pk", "county_department_id")[::100]
        )
        training_of = {t.handover.county_department_id: t for t in trainings}
        TrainingAssistance.objects.bulk_create(
            TrainingAssistance(
                period=training_of[county_id],
                item_id=item_id,
                mode="acting" if n % 2 else "assisting",
                starts_on=datetime.date(2017, 2, 1),
            )
            for n, (item_id, county_id) in enumerate(item_ids)
        )
        for i, handover in enumerate(handovers[::3]):
            DeadlineFlag.objects.create(
                deadline="handover",
                record=handover,
                department=handover.county_department,
                due_on=due,
                found_on=due + datetime.timedelta(days=2),
                resolved_on=None if i % 2 else datetime.date(2017, 3, 1),
            )
        Accountability.objects.bulk_create(
            Accountability(
                department=county, measure="interview", findings="基准", decided_on=PERIOD[0]
            )
            for county in counties[::4]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = (DevolvedItem.objects.count(), SealUsage.objects.count())
    print(
        f"built {counts[0]:,} items, {counts[1]:,} stamps in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


# --- the contestants ----------------------------------------------------------------------


def ours(user):
    from evaluation.services import open_round

    return open_round("基准评估", *PERIOD, user, TODAY)


def anchor(user):
    """The ORM at its best: correlated subqueries in one streamed queryset, bulk writes."""
    from django.db import transaction
    from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from evaluation.models import EvaluationRound, ItemEvaluation
    from handover.models import Handover, TrainingAssistance, TrainingPeriod
    from items.models import DevolvedItem
    from seals.models import SealUsage
    from supervision.models import Accountability

    period_from, period_to = PERIOD

    def aggregate(queryset, expression):
        return Subquery(
            queryset.order_by().values("item").annotate(value=expression).values("value")
        )

    stamps = SealUsage.objects.filter(item=OuterRef("pk"), stamped_on__lte=period_to)
    in_period = stamps.filter(stamped_on__gte=period_from)
    pair = dict(
        plan=OuterRef("plan_id"),
        city_department=OuterRef("city_department_id"),
        county_department=OuterRef("county_department_id"),
    )
    handover = Handover.objects.filter(**pair)
    training = TrainingPeriod.objects.filter(
        **{f"handover__{name}": value for name, value in pair.items()}
    )
    assistance = TrainingAssistance.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period_from),
        item=OuterRef("pk"),
        starts_on__lte=period_to,
    )
    accountability = Accountability.objects.filter(
        department=OuterRef("county_department_id"), decided_on__range=PERIOD
    )
    zero = Value(0, output_field=IntegerField())
    items = DevolvedItem.objects.current().annotate(
        stamps_count=Coalesce(aggregate(in_period, Count("pk")), zero),
        stamps_city_count=Coalesce(aggregate(in_period.filter(route="city"), Count("pk")), zero),
        stamps_province_count=Coalesce(
            aggregate(in_period.filter(route="province"), Count("pk")), zero
        ),
        first_stamp_on=aggregate(in_period, Min("stamped_on")),
        last_stamp_on=aggregate(in_period, Max("stamped_on")),
        latest_stamp_on=aggregate(stamps, Max("stamped_on")),
        # Not "handed_over_on": the item has a field of that name (its stored completion date).
        handover_completed_on=Subquery(handover.values("completed_on")[:1]),
        handover_due_on=Subquery(handover.values("due_on")[:1]),
        training_ends_on=Subquery(training.values("ends_on")[:1]),
        training_confirmed_on=Subquery(training.values("confirmed_on")[:1]),
        acting_count=Coalesce(aggregate(assistance.filter(mode="acting"), Count("pk")), zero),
        assisting_count=Coalesce(aggregate(assistance.filter(mode="assisting"), Count("pk")), zero),
        accountability_count=Coalesce(
            Subquery(
                accountability.order_by()
                .values("department")
                .annotate(value=Count("pk"))
                .values("value")
            ),
            zero,
        ),
    )
    with transaction.atomic():
        evaluation_round = EvaluationRound.objects.create(
            title="基准评估（ORM）",
            period_from=period_from,
            period_to=period_to,
            opened_on=TODAY,
            opened_by=user,
        )
        batch = []
        for item in items.iterator(chunk_size=2000):
            evaluation = ItemEvaluation(
                round=evaluation_round,
                item_id=item.pk,
                county_department_id=item.county_department_id,
                city_department_id=item.city_department_id,
            )
            for name in (
                "stamps_count", "stamps_city_count", "stamps_province_count", "first_stamp_on",
                "last_stamp_on", "latest_stamp_on", "handover_due_on",
                "training_ends_on", "training_confirmed_on", "acting_count", "assisting_count",
                "accountability_count",
            ):  # fmt: skip
                setattr(evaluation, name, getattr(item, name))
            evaluation.handed_over_on = item.handover_completed_on
            ends, confirmed = item.training_ends_on, item.training_confirmed_on
            evaluation.handover_on_time = (
                None
                if item.handover_completed_on is None or item.handover_due_on is None
                else item.handover_completed_on <= item.handover_due_on
            )
            evaluation.training_on_time = (
                confirmed <= ends if confirmed and ends and confirmed <= period_to else None
            )
            batch.append(evaluation)
            if len(batch) == 2000:
                bulk_create_with_history(batch, ItemEvaluation, default_user=user)
                batch = []
        bulk_create_with_history(batch, ItemEvaluation, default_user=user)
        evaluation_round.evidence_computed_at = timezone.now()
        evaluation_round.save()
    return evaluation_round


CONTESTANTS = {"ours": ours, "anchor": anchor}


def child(name, url):
    setup_django(url)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from evaluation.models import ItemEvaluation

    user = get_user_model().objects.create(username=f"bench-{name}")
    queries = 0

    timings = []

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, " ".join(sql.split())[:40]))

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        evaluation_round = CONTESTANTS[name](user)
        seconds = time.perf_counter() - started
    evaluated = ItemEvaluation.objects.filter(round=evaluation_round)
    fingerprint = list(
        evaluated.order_by("item_id").values_list(
            "item_id", "stamps_count", "first_stamp_on", "last_stamp_on", "acting_count"
        )[:: max(evaluated.count() // 50, 1)]
    )
    print(
        "RESULT "
        + json.dumps(
            {
                "name": name,
                "seconds": seconds,
                "queries": queries,
                "evaluations": evaluated.count(),
                "stamps_in_period": sum(evaluated.values_list("stamps_count", flat=True)),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mb": rss_before / 1024,
                "fingerprint": hashlib.sha256(repr(fingerprint).encode()).hexdigest()[:12],
                "slowest": [f"{seconds:.1f}s {sql}" for seconds, sql in sorted(timings)[-3:]],
            }
        ),
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--stamps", type=int, default=3_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="300 items, 3,000 stamps, 1 run")
    parser.add_argument("--no-anchor", action="store_true", help="only open_round")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return build(args.url, args.items, args.stamps)
    if args.child:
        return child(args.child, args.url)
    if args.tiny:
        args.items, args.stamps, args.runs = 300, 3_000, 1
    size = f"evaluation{args.items}_{args.stamps}"

    def build_template(url):
        harness._clone(harness.schema(), url)
        subprocess.run(
            [sys.executable, __file__, "--build", "--url", url, "--items", str(args.items),
             "--stamps", str(args.stamps)],
            check=True,
            cwd=ROOT,
        )  # fmt: skip

    template = harness.template(size, build_template)
    names = ["ours"] if args.no_anchor else ["ours", "anchor"]
    results = {name: [] for name in names}
    print(
        f"{harness.vendor(template)}: {args.items:,} items, {args.stamps:,} stamps; "
        f"load {os.getloadavg()}"
    )
    for round_number in range(args.runs):
        order = names if round_number % 2 == 0 else names[::-1]
        for name in order:
            run_url = harness.copy_of(template, size)
            result = harness.run_child(__file__, [name, "--url", run_url], run_url)
            results[name].append(result)
            print(
                f"  run {round_number + 1} {name:<6} {result['seconds']:8.2f} s "
                f"{result['queries']:>7,} queries  peak RSS {result['peak_rss_mb']:6.0f} MB  "
                f"{result['evaluations']:,} evaluations, {result['stamps_in_period']:,} stamps "
                f"in period  [{result['fingerprint']}]\n      slowest: "
                + "; ".join(reversed(result["slowest"])),
                flush=True,
            )
    harness.drop(run_url)
    fingerprints = {r["fingerprint"] for rs in results.values() for r in rs}
    assert len(fingerprints) == 1, f"the contestants disagree about the evidence: {fingerprints}"
    for name, rs in results.items():
        print(
            f"median {name:<6} {statistics.median(r['seconds'] for r in rs):8.2f} s  "
            f"{statistics.median(r['queries'] for r in rs):,.0f} queries  "
            f"peak RSS {statistics.median(r['peak_rss_mb'] for r in rs):.0f} MB"
        )
    if "anchor" in results:
        ratio = statistics.median(r["seconds"] for r in results["anchor"]) / statistics.median(
            r["seconds"] for r in results["ours"]
        )
        print(f"anchor / ours = {ratio:.1f}× the time; load {os.getloadavg()}")


if __name__ == "__main__":
    main()
