"""Export speed and memory against a plain openpyxl write-only loop, fresh processes, interleaved.

    .venv/bin/python bench/export.py [--items 300000] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/export.py

On a registry with a plan of --items realistic items (bench/harness.py), each run writes the
plan's items to .xlsx in a fresh process:

- ours: `export_registry --table items --format xlsx` (devolution.exchange.engine.export: the
  annex's columns, Chinese labels, department names, the derived status, formula escaping);
- anchor: openpyxl's write-only workbook appending `values_list` rows of the same seventeen columns
  (labels and names taken from dictionaries), read with `iterator()`.

Both run at --items and a tenth of it, so that flat memory shows as the same peak RSS for ten
times the rows. Prints every run, the medians, the load and the table for docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()


def child(argv):
    mode, out = argv[0], argv[1]
    harness.setup_django()
    from devolution.models import Plan
    from items.models import DevolvedItem

    plan = Plan.objects.get(doc_number=harness.BIG_PLAN)
    count = DevolvedItem.objects.filter(plan=plan).count()
    started = time.perf_counter()
    if mode == "ours":
        from devolution.exchange.engine import export

        export("items", "xlsx", out, plan_doc_number=plan.doc_number)
    else:
        plain_openpyxl(plan, out)
    seconds = time.perf_counter() - started
    harness.report({"seconds": seconds, "rows": count, "bytes": Path(out).stat().st_size})


def plain_openpyxl(plan, out):
    """The same columns as ours (the annex's, the national codes, the 示例数据 mark and the
    status), the labels and names looked up in dictionaries."""
    from openpyxl import Workbook

    from devolution.models import Department
    from items.models import DevolutionMode, DevolvedItem, ItemStatus, PowerType
    from items.tabular import ILLUSTRATIVE_MARK, ITEM_HEADERS, ITEM_ROW_COLUMNS

    names = dict(Department.objects.values_list("pk", "short_name"))
    power_types, statuses = dict(PowerType.choices), dict(ItemStatus.choices)
    modes = dict(DevolutionMode.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("赋权事项")
    sheet.append(ITEM_HEADERS)
    rows = DevolvedItem.objects.filter(plan=plan).order_by("sequence", "id")
    at = {column: index for index, column in enumerate(ITEM_ROW_COLUMNS)}
    power, city, county = at["power_type"], at["city_department_id"], at["county_department_id"]
    mode, mark, status = at["devolution_mode"], at["illustrative"], at["status"]
    for values in rows.values_list(*ITEM_ROW_COLUMNS).iterator(2000):
        row = list(values)
        row[power] = power_types[row[power]]
        row[city], row[county] = names[row[city]], names[row[county]]
        row[mode] = modes.get(row[mode], row[mode])
        row[mark] = ILLUSTRATIVE_MARK if row[mark] else ""
        row[status] = statuses[row[status]]
        sheet.append(row)
    workbook.save(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sizes = [args.items // 10, args.items]
    templates = {str(size): harness.big_plan_template(size) for size in sizes}
    print(f"database: {harness.vendor(templates[str(args.items)])}; plans of {sizes} items")
    # This driver's own file: other checkouts run this script on the same machine.
    out = harness.TMP / f"bench-export-{os.getpid()}.xlsx"
    contestants = [f"{mode} {size}" for size in sizes for mode in ("ours", "openpyxl")]

    def run_one(name, round_number):
        mode, size = name.split()
        url = harness.copy_of(templates[size], "export")
        try:
            return harness.run_child(SCRIPT, [mode, out], url)
        finally:
            harness.drop(url)
            out.unlink(missing_ok=True)

    results = harness.interleaved(contestants, args.runs, run_one)
    rows = []
    for size in sizes:
        ours, plain = results[f"ours {size}"], results[f"openpyxl {size}"]
        ours_s, plain_s = harness.median(ours, "seconds"), harness.median(plain, "seconds")
        rows.append(
            [
                f"{size:,}",
                f"{ours_s:.1f} s, {harness.median(ours, 'peak_rss_mb'):.0f} MB",
                f"{plain_s:.1f} s, {harness.median(plain, 'peak_rss_mb'):.0f} MB",
                f"{ours_s / plain_s:.2f}×",
            ]
        )
    print(f"\nexport .xlsx, {harness.vendor(templates[str(args.items)])}, medians of {args.runs}:")
    harness.table(["items", "ours", "openpyxl write-only", "ours ÷ openpyxl"], rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
