"""Publishing an adjustment on a big list, and reading a past version against the current list.

    .venv/bin/python bench/list_versions.py [--items 300000] [--changes 5000] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/list_versions.py

The registry's fixtures plus a plan of ITEMS realistic items (bench/harness.py). Contestants,
each in a fresh process on a fresh copy of a template, interleaved:

- publish: an approved adjustment of CHANGES changes (60 % 变更 of name and 备注, 20 % 收回,
  10 % 退出, 10 % 新增) is published with `items.adjustments.publish` (the one function every
  door calls), timed alone; the draft's change rows are written in bulk beforehand (drafting
  is not what this measures).
- current / as_of: on a copy where that adjustment is already published (version 2), the public
  site as a citizen uses it, through Django's test client with the page cache emptied before
  every request: the first page of /items/ and the whole CSV download, for the current list
  (the anchor: the plain current() list, the site's normal best) and for version 1
  (?version=1, the past list through the revisions).
"""

import argparse
import csv as csv_module
import io
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
MIX = (("change", 0.6), ("withdraw", 0.2), ("retire", 0.1), ("add", 0.1))
READERS = {"current": {}, "as_of": {"version": "1"}}


def prepare(changes):
    """An approved adjustment of `changes` changes on the big plan; returns it and a reviewer."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from devolution.models import Plan
    from items import adjustments
    from items.models import Adjustment, AdjustmentChange, DevolvedItem

    users = get_user_model().objects
    author = users.create_superuser("bench-author", password="x-bench-pass")
    reviewer = users.create_superuser("bench-reviewer", password="x-bench-pass")
    plan = Plan.objects.get(doc_number=harness.BIG_PLAN)
    items = DevolvedItem.objects.filter(plan=plan).order_by("pk")
    total = items.count()
    counts = {kind: int(changes * share) for kind, share in MIX}
    touched = changes - counts["add"]
    step = max(total // touched, 1)
    chosen = list(items.values_list("pk", "name", "note")[::step][:touched])
    adjustment = adjustments.draft("基准动态调整", author, whole_list=True)
    rows, at = [], 0
    for kind in ("change", "withdraw", "retire"):
        for pk, name, note in chosen[at : at + counts[kind]]:
            values = (
                {"name": f"{name}（调整）", "note": f"{note}；已调整"} if kind == "change" else {}
            )
            previous = {"name": name, "note": note} if kind == "change" else {}
            rows.append(
                AdjustmentChange(
                    adjustment=adjustment, kind=kind, item_id=pk, values=values, previous=previous
                )
            )
        at += counts[kind]
    template = adjustments.raw_values(items.first())
    for n in range(counts["add"]):
        values = {**template, "plan": plan.pk, "code": f"BENCH-ADD-{n:06d}", "name": f"新增{n}"}
        rows.append(AdjustmentChange(adjustment=adjustment, kind="add", values=values))
    AdjustmentChange.objects.bulk_create(rows, batch_size=500)
    Adjustment.objects.filter(pk=adjustment.pk).update(
        status=Adjustment.Status.APPROVED, reviewed_by=reviewer, reviewed_at=timezone.now()
    )
    adjustment.refresh_from_db()
    return adjustment, reviewer


def publish(changes):
    import datetime

    from items import adjustments

    adjustment, reviewer = prepare(changes)
    started = time.perf_counter()
    version = adjustments.publish(
        adjustment, reviewer, "基准〔2026〕1号", datetime.date(2026, 6, 1)
    )
    seconds = time.perf_counter() - started
    assert version.number == 2
    return {"seconds": seconds, "changes": adjustment.changes.count()}


def read(params, requests):
    from django.core.cache import cache
    from django.test import Client

    client = Client()

    def timed(url, **extra):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url, {**params, **extra})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - started, body

    pages = [timed("/items/")[0] for _ in range(requests)]
    seconds, csv = timed("/items/export.csv")
    return {
        "page_ms": statistics.median(pages) * 1000,
        "csv_s": seconds,
        "csv_rows": sum(1 for _ in csv_module.reader(io.StringIO(csv.decode("utf-8-sig")))) - 1,
    }


def child(argv):
    mode = argv[0]
    harness.setup_django()
    if mode == "publish":  # also how the published template is made
        result = publish(int(argv[1]))
    else:
        result = read(READERS[mode], int(argv[1]))
    harness.report(result)


def clone(source_url, url):
    """Make `url` (an empty database the harness just created) a copy of `source_url`."""
    if source_url.startswith("postgres"):
        admin = harness._pg_admin()
        name = url.rsplit("/", 1)[1]
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source_url.rsplit("/", 1)[1]}"')
        admin.close()
    else:
        shutil.copyfile(source_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--changes", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = harness.big_plan_template(args.items)

    def build_published(url):
        clone(base, url)
        harness.run_child(SCRIPT, ["publish", args.changes], url)

    published = harness.template(
        f"published{args.items}-{args.changes}", build_published, recipe=f"{args.items}:v1"
    )
    print(
        f"database: {harness.vendor(base)}; {args.items:,} items in the big plan (plus the "
        f"fixtures' 308), an adjustment of {args.changes:,} changes"
    )

    def run_one(name, round_number):
        url = harness.copy_of(base if name == "publish" else published, "versions")
        try:
            count = args.changes if name == "publish" else args.requests
            return harness.run_child(SCRIPT, [name, count], url)
        finally:
            harness.drop(url)

    results = harness.interleaved(["publish", *READERS], args.runs, run_one)
    median = harness.median
    print(f"\nlist versions, {harness.vendor(base)}, medians of {args.runs}:")
    harness.table(
        ["what", "seconds"],
        [[f"publish {args.changes:,} changes", f"{median(results['publish'], 'seconds'):.2f}"]],
    )
    current, past = results["current"], results["as_of"]
    harness.table(
        ["read", "current list", "version 1 (as_of)", "as_of ÷ current"],
        [
            [
                "/items/ first page (ms)",
                f"{median(current, 'page_ms'):.1f}",
                f"{median(past, 'page_ms'):.1f}",
                f"{median(past, 'page_ms') / median(current, 'page_ms'):.2f}×",
            ],
            [
                "/items/export.csv (s)",
                f"{median(current, 'csv_s'):.2f}",
                f"{median(past, 'csv_s'):.2f}",
                f"{median(past, 'csv_s') / median(current, 'csv_s'):.2f}×",
            ],
            [
                "rows downloaded",
                f"{median(current, 'csv_rows'):,.0f}",
                f"{median(past, 'csv_rows'):,.0f}",
                "",
            ],
        ],
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
