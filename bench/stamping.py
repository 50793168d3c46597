"""How much the stamping rules cost per stamp.

Records N stamps three ways into a throwaway test database and prints stamps/s and the ratio
against the baseline (a plain row-by-row save that skips the rules):

    .venv/bin/python bench/stamping.py [N]          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devolution_bench \
        .venv/bin/python bench/stamping.py [N]

Not part of `make test`.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")

import django

django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


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


def timed(label, run, n, baseline=None):
    start = time.perf_counter()
    with transaction.atomic():
        run()
    seconds = time.perf_counter() - start
    rate = n / seconds
    ratio = f"{rate / baseline:6.2f}× baseline" if baseline else "  baseline"
    print(f"{label:<48} {rate:10.0f} stamps/s  {ratio}")
    return rate


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    from items.models import ItemStatus
    from items.tests.factories import DevolvedItemFactory
    from seals.models import SealUsage
    from seals.tests.factories import EnabledSealFactory

    seal = EnabledSealFactory()
    items = DevolvedItemFactory.create_batch(
        20, plan=seal.plan, county_department=seal.holder, status=ItemStatus.IN_TRAINING
    )
    print(f"{n} stamps on {connection.vendor}, one seal, {len(items)} items")

    def plain():
        for usage in stamps(seal, items, n, "甲"):
            models.Model.save(usage)  # skips SealUsage.save(): no rules, no lock

    def with_rules():
        for usage in stamps(seal, items, n, "乙"):
            usage.save()

    def bulk():
        SealUsage.objects.bulk_create(stamps(seal, items, n, "丙"))

    baseline = timed("row by row, no rules (baseline)", plain, n)
    timed("row by row, SealUsage.save(): lock + rules", with_rules, n, baseline)
    timed("bulk_create, no rules (not allowed for stamps)", bulk, n, baseline)


if __name__ == "__main__":
    setup_test_environment()
    from django.conf import settings
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        main()
    finally:
        runner.teardown_databases(old)
        teardown_test_environment()
