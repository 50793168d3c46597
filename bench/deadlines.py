"""Benchmark: the deadline scan on 100,000 handovers and 100,000 seals, against a naive scan
that asks the database about one record at a time.

    .venv/bin/python bench/deadlines.py [--records 100000]

Uses a database of its own, rebuilt on every run: with DATABASE_URL set, the same PostgreSQL
server and the database name with "_bench" appended; otherwise a SQLite file in the system's
temporary folder (BENCH_SQLITE_NAME names the file). The dev database is never touched.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = Path(tempfile.gettempdir()) / os.environ.get(
            "BENCH_SQLITE_NAME", "devolution_bench.sqlite3"
        )
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django():
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


PAIRS = 100  # department pairs; the records are plans × pairs


def generate(records):
    from devolution.models import Department, Plan
    from devolution.workdays import WorkdayCalendar, handover_due_on
    from handover.models import Handover
    from seals.models import Seal, SealStatus

    cities = Department.objects.bulk_create(
        Department(full_name=f"盘锦市基准局{i}", short_name=f"市基准局{i}", level="city")
        for i in range(PAIRS)
    )
    counties = Department.objects.bulk_create(
        Department(
            full_name=f"盘山县基准局{i}",
            short_name=f"县基准局{i}",
            level="county",
            counterpart=city,
            contact_email=f"dept{i}@panshan.example",
            sort_order=i,
        )
        for i, city in enumerate(cities)
    )
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
    due = {plan.pk: handover_due_on(plan.issued_on, calendar) for plan in plans}
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


def naive_scan(today):
    """The baseline: every record read, then one query (or more) per record. It runs in one
    transaction, so that it is not merely measuring a commit per row."""
    from django.db import transaction

    with transaction.atomic():
        return _naive_scan(today)


def _naive_scan(today):
    from django.core import mail
    from django.utils import timezone

    from handover.deadlines import DEADLINES
    from handover.models import DeadlineFlag
    from handover.notices import flag_message

    opened = resolved = 0
    for deadline in DEADLINES:
        content_type = deadline.content_type()
        pending_ids = set(deadline.records().filter(deadline.pending).values_list("pk", flat=True))
        for record in deadline.records().select_related(deadline.department_field.split("__")[0]):
            due_on = getattr(record, deadline.due_field)
            missed = record.pk in pending_ids and due_on is not None and due_on < today
            flag = DeadlineFlag.objects.filter(
                deadline=deadline.name,
                content_type=content_type,
                object_id=record.pk,
                resolved_on__isnull=True,
            ).first()
            if missed and flag is None:
                department = record
                for step in deadline.department_field.split("__"):
                    department = getattr(department, step)
                flag = DeadlineFlag.objects.create(
                    deadline=deadline.name,
                    content_type=content_type,
                    object_id=record.pk,
                    department=department,
                    due_on=due_on,
                    found_on=today,
                )
                if department.contact_email:
                    email = flag_message(department, [flag])
                    mail.send_mail(email.subject, email.body, email.from_email, email.to)
                    flag.notified_at = flag.last_notified_at = timezone.now()
                    flag.notices_sent, flag.notified_to = 1, department.contact_email
                    flag.save()
                opened += 1
            elif flag is not None and not missed:
                flag.resolved_on = today
                flag.save(update_fields=["resolved_on"])
                resolved += 1
    return opened, resolved


def measure(label, function):
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        outcome = function()
        seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:>9.2f} s {queries:>10,} queries   {outcome}", flush=True)
    return seconds, queries


def flag_set():
    from handover.models import DeadlineFlag

    return set(
        DeadlineFlag.objects.values_list(
            "deadline", "object_id", "department_id", "due_on", "found_on", "resolved_on"
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--no-baseline", action="store_true", help="only the set-based scan (the baseline is slow)"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.db.models import Q

    from handover.deadlines import scan_deadlines
    from handover.models import DeadlineFlag, Handover

    handovers, seals = generate(args.records)
    print(f"{connection.vendor}: {handovers:,} handovers, {seals:,} seals", flush=True)
    first_day, second_day = datetime.date(2017, 1, 3), datetime.date(2017, 1, 4)

    def finish_some_work():
        # Between the two days, a tenth of the open handovers are completed.
        Handover.objects.filter(Q(completed_on__isnull=True), pk__endswith="7").update(
            completed_on=first_day, signed_by="李四"
        )

    def a_day_passes():
        # Autovacuum analyses the tables between two daily scans; without fresh statistics
        # PostgreSQL plans the anti-joins over the just-inserted flags as nested loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def run(label, scan):
        DeadlineFlag.objects.all().delete()  # the benchmark's own database
        Handover.objects.filter(signed_by="李四").update(completed_on=None, signed_by="")
        a_day_passes()
        first = measure(f"{label}: first day", lambda: scan(first_day))
        finish_some_work()
        a_day_passes()
        second = measure(f"{label}: next day", lambda: scan(second_day))
        return first, second, flag_set()

    set_based = run("set-based scan", scan_deadlines)
    if args.no_baseline:
        return
    naive = run("naive per-record", naive_scan)
    assert set_based[2] == naive[2], "the two scans disagree about the flags"
    print(f"both leave the same {len(set_based[2]):,} flags")
    for index, day in enumerate(["first day", "next day"]):
        (fast_s, fast_q), (slow_s, slow_q) = set_based[index], naive[index]
        print(
            f"{day}: naive / set-based = {slow_s / fast_s:,.1f}× the time, "
            f"{slow_q / fast_q:,.0f}× the queries"
        )


if __name__ == "__main__":
    main()
