"""Import speed and memory against three anchors, each in a fresh process, interleaved.

    .venv/bin/python bench/imports.py [--rows 50000] [--runs 3] [--plan-items 300000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/imports.py

A realistic annex (`bench.harness.annex_rows`: ~200-character legal basis over several lines,
the county department written full, short or prefixed short in turn, every other 市直部门
blank) is written to .xlsx once, then imported into a fresh copy of the registry (the
fixtures: 308 items) by

- ours: `import_registry` (devolution.exchange.engine.import_file: read, validate, diff, write
  with history, the derived statuses and the public site's revision after the commit);
- ours, two steps: the admin's preview, then its confirmation in a second fresh process;
- django-import-export `import_data` with its defaults (one call, not a dry run first; a
  ModelResource naming the annex's columns, a widget finding departments by any spelling; its
  own reading through tablib), and the same with `use_bulk = True`;
- a hand-written loader: python-calamine reads the sheet, dictionaries resolve departments and
  power types, `bulk_create` writes 2,000 rows at a time in one transaction (no history).

The anchors run without this project's signal receivers (the public site's revision, the item
status receiver); django-simple-history's own receiver stays, as it does for any model that
keeps history. Then the cost of a 1,000-row file against the size of the plan: the same file
into the fixtures' plan (308 items) and into a plan of --plan-items items.

Prints every run, the medians, the machine's load and the Markdown table for docs/benchmarks.md.
With DATABASE_URL unset, SQLite files in the temporary folder; otherwise databases named after
DATABASE_URL's (see bench/harness.py).
"""

import argparse
import os
import sys
import time
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
PLAN_DOC = harness.BIG_PLAN
CONTESTANTS = ["ours", "ours-2step", "iexp", "iexp-bulk", "hand"]


# --- children ---------------------------------------------------------------------------------


def without_project_receivers():
    """Drop this project's receivers of the save signals (for every sender: the anchors write
    only items), keeping simple-history's."""
    from django.db.models import signals

    for signal in (signals.pre_save, signals.post_save, signals.m2m_changed):
        with signal.lock:
            kept = []
            for entry in signal.receivers:
                function = entry[1]
                if isinstance(function, weakref.ReferenceType):
                    function = function()
                module = getattr(function, "__module__", "") or ""
                if module.startswith(("items", "handover", "seals", "devolution")):
                    continue
                kept.append(entry)
            signal.receivers = kept
            signal.sender_receivers_cache.clear()


def fixtures_plan():
    from devolution.models import Plan

    return Plan.objects.exclude(doc_number=PLAN_DOC).order_by("issued_on", "id").first()


def importer():
    """The importing user: an import of items drafts an adjustment, which has an author."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-importer", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def published(drafted):
    """Rule 8: the import drafted an adjustment; another user approves and publishes it, so
    that the rows are in the list (and timed) as with the loaders compared."""
    from django.contrib.auth import get_user_model

    from items import adjustments
    from items.models import ListVersion

    if drafted is None:
        return
    reviewer, _ = get_user_model().objects.get_or_create(
        username="bench-reviewer", defaults={"is_superuser": True, "is_staff": True}
    )
    adjustments.submit(drafted, drafted.created_by)
    adjustments.approve(drafted, reviewer)
    latest = ListVersion.objects.order_by("-number").first()
    adjustments.publish(drafted, reviewer, f"基准〔{latest.number + 1}〕号", latest.effective_on)


def child_ours(path, doc_number):
    from devolution.exchange.engine import import_file

    def imported():
        _record, result = import_file(
            Path(path).read_bytes(),
            Path(path).name,
            "items",
            user=importer(),
            plan_doc_number=doc_number,
        )
        assert result.ok, result.errors[:3]
        return result

    return publish_later(imported)


def publish_later(imported):
    """`imported()` (the import, which returns its preview), then the review and publication,
    another user's step (another request), for which the import's preview is not kept.
    Returns the rows the import wrote."""
    result = imported()
    rows, drafted = len(result.new) + len(result.changed), result.drafted
    del result
    published(drafted)
    return rows


def child_preview(path, doc_number):
    from devolution.exchange.engine import start_import

    record, result = start_import(
        Path(path).read_bytes(), Path(path).name, "items", importer(), plan_doc_number=doc_number
    )
    assert result.ok, result.errors[:3]
    return record.pk


def child_confirm(record_id):
    from devolution.exchange.engine import confirm_import
    from devolution.models import ImportRecord

    return publish_later(lambda: confirm_import(ImportRecord.objects.get(pk=record_id), importer()))


def iexp_resource(plan, use_bulk):
    from import_export import fields, resources, widgets

    from devolution.exchange.reading import match_key
    from devolution.models import Department
    from items.exchange import NO_SUB_ITEM, POWER_TYPE_BY_KEY
    from items.models import DevolvedItem

    names = Department.objects.all().name_map()

    class DepartmentWidget(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):
            department = names.get(match_key(str(value or "")))
            if department is None:
                raise ValueError(f"部门“{value}”不存在。")
            return department

    class ItemResource(resources.ModelResource):
        sequence = fields.Field("sequence", "序号", widget=widgets.IntegerWidget())
        name = fields.Field("name", "事项名称")
        sub_item = fields.Field("sub_item", "子项名称")
        power_type = fields.Field("power_type", "权力类型")
        code = fields.Field("code", "事项编码")
        city_department = fields.Field(
            "city_department", "市直部门", widget=DepartmentWidget(Department)
        )
        county_department = fields.Field(
            "county_department", "承接部门", widget=DepartmentWidget(Department)
        )
        legal_basis = fields.Field("legal_basis", "实施依据")
        note = fields.Field("note", "备注")

        class Meta:
            model = DevolvedItem
            import_id_fields = ("code",)
            fields = (
                "sequence",
                "name",
                "sub_item",
                "power_type",
                "code",
                "city_department",
                "county_department",
                "legal_basis",
                "note",
            )

        def get_queryset(self):
            # Stating the partial unique index's condition (code not empty; every annex row
            # has a code), as our engine does: without it SQLite cannot use that index for the
            # per-row lookup by code and scans the plan for every row (quadratic in the file).
            return DevolvedItem.objects.filter(plan=plan).exclude(code="")

        def init_instance(self, row=None):
            return DevolvedItem(plan=plan)

        def before_import_row(self, row, **kwargs):
            # The annex's own conventions, which any loader of these files has to apply.
            row["事项编码"] = str(row["事项编码"] or "")
            if match_key(str(row["子项名称"] or "")) in NO_SUB_ITEM:
                row["子项名称"] = ""
            row["权力类型"] = POWER_TYPE_BY_KEY.get(match_key(str(row["权力类型"] or "")), "")
            for header in ("实施依据", "备注"):
                row[header] = str(row[header] or "")
            if not row["市直部门"]:
                county = names.get(match_key(str(row["承接部门"] or "")))
                row["市直部门"] = county.counterpart.short_name if county else ""

    ItemResource._meta.use_bulk = use_bulk
    return ItemResource()


def child_iexp(path, doc_number, use_bulk):
    from tablib import Dataset

    from devolution.models import Plan

    without_project_receivers()
    plan = Plan.objects.get(doc_number=doc_number)
    dataset = Dataset().load(Path(path).read_bytes(), format="xlsx")
    result = iexp_resource(plan, use_bulk).import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return len(dataset)


def child_hand(path, doc_number):
    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from devolution.exchange.reading import match_key
    from devolution.models import Department, Plan
    from items.exchange import NO_SUB_ITEM, POWER_TYPE_BY_KEY
    from items.models import DevolvedItem

    without_project_receivers()
    plan = Plan.objects.get(doc_number=doc_number)
    names = Department.objects.all().name_map()
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    header, rows = sheet[0], sheet[1:]
    column = {name: index for index, name in enumerate(header)}
    batch, count = [], 0
    with transaction.atomic():
        for row in rows:
            county = names[match_key(row[column["承接部门"]])]
            city_name = row[column["市直部门"]]
            city = names[match_key(city_name)] if city_name else county.counterpart
            sub_item = row[column["子项名称"]]
            batch.append(
                DevolvedItem(
                    plan=plan,
                    sequence=int(row[column["序号"]]),
                    name=row[column["事项名称"]],
                    sub_item="" if match_key(sub_item) in NO_SUB_ITEM else sub_item,
                    power_type=POWER_TYPE_BY_KEY[match_key(row[column["权力类型"]])],
                    code=str(row[column["事项编码"]]),
                    city_department=city,
                    county_department=county,
                    legal_basis=row[column["实施依据"]],
                    note=row[column["备注"]],
                )
            )
            if len(batch) == 2000:
                DevolvedItem.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        DevolvedItem.objects.bulk_create(batch)
    return count + len(batch)


def child(argv):
    mode, path, doc_number = argv[:3]
    harness.setup_django()
    from devolution.models import Plan
    from items.models import DevolvedItem

    doc_number = doc_number if doc_number != "-" else fixtures_plan().doc_number
    plan = Plan.objects.get(doc_number=doc_number)
    before = DevolvedItem.objects.filter(plan=plan).count()
    history_before = DevolvedItem.history.filter(plan_id=plan.pk).count()
    started = time.perf_counter()
    if mode == "ours":
        rows = child_ours(path, doc_number)
    elif mode == "preview":
        # The first of the admin's two requests; the driver passes the record on.
        record_id = child_preview(path, doc_number)
        harness.report({"seconds": time.perf_counter() - started, "record": record_id})
        return
    elif mode == "confirm":
        rows = child_confirm(int(argv[3]))
    elif mode in ("iexp", "iexp-bulk"):
        rows = child_iexp(path, doc_number, use_bulk=mode == "iexp-bulk")
    elif mode == "hand":
        rows = child_hand(path, doc_number)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - started
    written = DevolvedItem.objects.filter(plan=plan).count() - before
    assert written == rows, (written, rows)
    history = DevolvedItem.history.filter(plan_id=plan.pk).count() - history_before
    harness.report(
        {"seconds": seconds, "rows": rows, "plan_items": before, "history_rows": history}
    )


# --- the driver -------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plan-items", type=int, default=300_000)
    parser.add_argument("--small-rows", type=int, default=1000)
    parser.add_argument("--only", nargs="*", default=CONTESTANTS, choices=CONTESTANTS)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--anchor-runs",
        type=int,
        help="django-import-export's rounds (iexp, iexp-bulk), when fewer than --runs fit: "
        "they run in the first rounds, interleaved with the others",
    )
    args = parser.parse_args()

    base = harness.registry()
    print(f"database: {harness.vendor(base)}; {harness.load_average()}")
    workdir = harness.TMP / f"bench-imports-{os.getpid()}"
    workdir.mkdir(exist_ok=True)
    source = workdir / "annex.xlsx"
    harness.write_annex(base, source, args.rows)
    print(f"file: {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB .xlsx")

    slow = {"iexp", "iexp-bulk"}
    anchor_runs = min(args.runs, args.anchor_runs or args.runs)

    def run_one(name, round_number):
        if name in slow and round_number >= anchor_runs:
            return None
        url = harness.copy_of(base, "imports")
        try:
            if name == "ours-2step":
                first = harness.run_child(SCRIPT, ["preview", source, "-"], url)
                second = harness.run_child(SCRIPT, ["confirm", source, "-", first["record"]], url)
                result = dict(second, seconds=first["seconds"] + second["seconds"])
                result["peak_rss_mb"] = max(first["peak_rss_mb"], second["peak_rss_mb"])
            else:
                result = harness.run_child(SCRIPT, [name, source, "-"], url)
        finally:
            harness.drop(url)
        result["rows_per_s"] = result["rows"] / result["seconds"]
        return result

    results = harness.interleaved(args.only, args.runs, run_one)
    results = {name: [r for r in runs if r is not None] for name, runs in results.items()}
    anchor = harness.median(results["iexp"], "rows_per_s") if "iexp" in results else None
    rows = []
    for name in args.only:
        speed = harness.median(results[name], "rows_per_s")
        rows.append(
            [
                name,
                f"{harness.median(results[name], 'seconds'):.1f} s",
                f"{speed:,.0f}",
                f"{speed / anchor:.1f}×" if anchor else "",
                f"{harness.median(results[name], 'peak_rss_mb'):.0f} MB",
                f"{harness.median(results[name], 'history_rows'):,.0f}",
            ]
        )
    print(
        f"\nimport {args.rows:,} rows, {harness.vendor(base)}, medians of {args.runs}"
        + (f" (django-import-export: {anchor_runs})" if anchor_runs < args.runs else "")
        + ":"
    )
    harness.table(
        ["loader", "time", "rows/s", "÷ iexp default", "peak RSS", "history rows written"], rows
    )
    if args.skip_scaling:
        return

    big = harness.big_plan_template(args.plan_items)
    small = workdir / "small.xlsx"
    harness.write_annex(base, small, args.small_rows, code_prefix="S")

    def run_scaling(name, round_number):
        url = harness.copy_of(base if name == "308-item plan" else big, "scaling")
        try:
            doc = "-" if name == "308-item plan" else PLAN_DOC
            return harness.run_child(SCRIPT, ["ours", small, doc], url)
        finally:
            harness.drop(url)

    scaling = harness.interleaved(
        ["308-item plan", f"{args.plan_items}-item plan"], args.runs, run_scaling
    )
    small_s = harness.median(scaling["308-item plan"], "seconds")
    small_mb = harness.median(scaling["308-item plan"], "peak_rss_mb")
    big_s = harness.median(scaling[f"{args.plan_items}-item plan"], "seconds")
    big_mb = harness.median(scaling[f"{args.plan_items}-item plan"], "peak_rss_mb")
    print(f"\nimport {args.small_rows:,} rows by plan size, medians of {args.runs}:")
    harness.table(
        ["plan", "time", "peak RSS"],
        [
            ["308 items", f"{small_s:.2f} s", f"{small_mb:.0f} MB"],
            [
                f"{args.plan_items:,} items",
                f"{big_s:.2f} s ({big_s / small_s:.2f}×)",
                f"{big_mb:.0f} MB ({big_mb / small_mb:.2f}×)",
            ],
        ],
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
