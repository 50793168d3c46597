"""Benchmark: 逾期一览 (the overdue page) with 3,000 open flags, 2 weeks, 1 year and 10 years
overdue, with the precomputed working-day calendar against the day-by-day count it replaced.

    .venv/bin/python bench/overdue_page.py [--flags 3000] [--runs 3]
    .venv/bin/python bench/overdue_page.py --tiny        # 300 flags, 1 run (CI)

The page's time must not grow with the days overdue. Each measurement runs in a fresh process
(the calendar table is built there, as in a new web worker), the variants interleaved; the
figure is the median of the runs. Uses a database of its own (see bench/deadlines.py).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/ itself must not shadow packages (bench/import_export.py and django-import-export).
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]


def day_by_day_calendar():
    """The anchor: the calendar as it counted before (one day at a time, per row)."""
    import datetime

    from devolution import workdays

    one_day = datetime.timedelta(days=1)

    class DayByDay(workdays.WorkdayCalendar):
        def is_workday(self, day):
            if day in self.overrides:
                return self.overrides[day]
            if day.year in workdays.PACKAGE_YEARS:
                return workdays.chinese_calendar.is_workday(day)
            return day.weekday() < 5

        def workdays_between(self, a, b):
            if b < a:
                return -self.workdays_between(b, a)
            count, day = 0, a
            while day < b:
                day += one_day
                count += self.is_workday(day)
            return count

    return DayByDay


def measure(variant, days_overdue):
    """In a fresh process: shift every open flag to `days_overdue`, render the page twice."""
    os.environ["DATABASE_URL"] = os.environ["BENCH_DB_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from devolution import workdays
    from handover.models import DeadlineFlag

    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    due_on = today - datetime.timedelta(days=days_overdue)
    DeadlineFlag.objects.open().update(due_on=due_on, found_on=today)
    if variant == "day-by-day":
        workdays.WorkdayCalendar = day_by_day_calendar()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    times = []
    for _ in range(2):
        started = time.perf_counter()
        response = client.get("/admin/handover/deadlineflag/overdue/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(json.dumps({"cold": times[0], "warm": times[1]}))


def build(flags):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_deadlines", ROOT / "bench/deadlines.py")
    deadlines = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deadlines)
    deadlines.setup_django()
    generate = deadlines.generate
    from django.contrib.auth import get_user_model
    from django.db import connection

    from handover.deadlines import scan_deadlines
    from handover.models import DeadlineFlag

    # Three quarters of the generated handovers and seals are overdue: 2 records → 1.5 flags.
    generate(max(flags * 2 // 3 // 100 * 100, 100))
    import datetime

    scan_deadlines(datetime.date(2016, 12, 1))
    get_user_model().objects.create_superuser("bench", password="bench-pass-not-used")
    count = DeadlineFlag.objects.open().count()
    url = os.environ["DATABASE_URL"]
    connection.close()
    return count, url


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flags", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="300 flags, 1 run")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], int(args.measure[1]))
        return
    if args.tiny:
        args.flags, args.runs = 300, 1
    count, url = build(args.flags)
    print(f"{count} open flags on {url.split(':')[0]}")
    env = {**os.environ, "BENCH_DB_URL": url}
    # The anchor grows with the days overdue (that is what this replaced): at the full size it
    # is timed at 2 weeks only (a year would take minutes a render), at the tiny size at all.
    anchor_days = (14, 365, 3653) if args.tiny else (14,)
    cases = [("table", 14), ("table", 365), ("table", 3653)]
    cases += [("day-by-day", days) for days in anchor_days]
    results = {case: [] for case in cases}
    for _ in range(args.runs):
        for variant, days in cases:  # interleaved
            output = subprocess.run(
                [sys.executable, __file__, "--measure", variant, str(days)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[(variant, days)].append(json.loads(output.strip().splitlines()[-1]))
    print(f"{'calendar':<12} {'overdue':>9} {'cold s':>8} {'warm s':>8}   (median of {args.runs})")
    for (variant, days), runs in results.items():
        cold = statistics.median(run["cold"] for run in runs)
        warm = statistics.median(run["warm"] for run in runs)
        label = {14: "2 weeks", 365: "1 year", 3653: "10 years"}[days]
        print(f"{variant:<12} {label:>9} {cold:8.3f} {warm:8.3f}")


if __name__ == "__main__":
    main()
