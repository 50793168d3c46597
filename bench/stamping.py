"""How much the stamping rules cost per stamp: fresh processes, interleaved.

    .venv/bin/python bench/stamping.py [N] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/stamping.py [N]

Each run, in a fresh process on a fresh copy of the registry (bench/harness.py), records N stamps
one of three ways, in one transaction: the anchor, a plain row-by-row `Model.save` that skips
the rules; `SealUsage.save()` with the seal's row lock and every rule; `bulk_create` (not
allowed for stamps: it skips the rules). Prints stamps/s, the medians and the ratios.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
MODES = {"plain save": "plain", "SealUsage.save()": "rules", "bulk_create": "bulk"}


def stamps(seal, items, n, tag):
    day = datetime.date(2016, 11, 1)
    from seals.models import SealUsage

    return [
        SealUsage(
            seal=seal,
            item=items[i % len(items)],
            stamped_on=day,
            document_reference=f"{tag}〔2016〕{i}号",
            applicant="某公司",
            stamped_by="张三",
        )
        for i in range(n)
    ]


def child(argv):
    mode, n = argv[0], int(argv[1])
    harness.setup_django()
    from django.db import models, transaction

    from items.models import DevolvedItem, ItemStatus
    from items.tests.factories import DevolvedItemFactory
    from seals.models import SealUsage
    from seals.tests.factories import EnabledSealFactory

    seal = EnabledSealFactory()
    items = DevolvedItemFactory.create_batch(20, plan=seal.plan, county_department=seal.holder)
    # Handed over and in training: set directly, as the handover app would derive it (the
    # handover records themselves are not what this measures).
    DevolvedItem.objects.filter(pk__in=[item.pk for item in items]).update(
        status=ItemStatus.IN_TRAINING
    )
    items = list(DevolvedItem.objects.filter(pk__in=[item.pk for item in items]))
    batch = stamps(seal, items, n, mode)
    started = time.perf_counter()
    with transaction.atomic():
        if mode == "plain":
            for usage in batch:
                models.Model.save(usage)  # skips SealUsage.save(): no rules, no lock
        elif mode == "rules":
            for usage in batch:
                usage.save()
        else:
            SealUsage.objects.bulk_create(batch)
    seconds = time.perf_counter() - started
    harness.report({"seconds": seconds, "stamps_per_s": n / seconds})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stamps", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = harness.registry()
    print(f"database: {harness.vendor(base)}; {args.stamps:,} stamps, one seal, 20 items")

    def run_one(name, round_number):
        url = harness.copy_of(base, "stamping")
        try:
            return harness.run_child(SCRIPT, [MODES[name], args.stamps], url)
        finally:
            harness.drop(url)

    results = harness.interleaved(list(MODES), args.runs, run_one)
    anchor = harness.median(results["plain save"], "stamps_per_s")
    rows = []
    for name in MODES:
        speed = harness.median(results[name], "stamps_per_s")
        rows.append([name, f"{speed:,.0f}", f"{speed / anchor:.2f}×"])
    print(f"\nstamps, {harness.vendor(base)}, medians of {args.runs}:")
    harness.table(["how", "stamps/s", "÷ plain save"], rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
