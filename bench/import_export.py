"""Import and export speed, side by side in one process.

    .venv/bin/python bench/import_export.py [--rows 50000] [--export-rows 300000]

Builds a 50,000-item .xlsx shaped like the annex, then imports it into its own database twice:
with our engine (preview, then confirm: read, validate, diff, bulk write with history) and with
django-import-export's default row-by-row `import_data` (a dry run, then the real run) applying
the same validation (departments by any name, power types by Chinese name, 无 as no sub-item,
the counterpart for a blank 市直部门, each field's validation). Prints rows per second for both,
the ratio, and the process's peak memory after our import. Then exports 30,000 and 300,000 items
to .xlsx with the export command, each in a fresh process, and prints its peak memory: the same
figure for ten times the rows means constant memory.

It uses its own database: a fresh SQLite file in the temporary folder, or DATABASE_URL if set
(point it at a throwaway database: the bench adds plans and items to it).
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The script's own folder would shadow the django-import-export package (import_export).
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
SQLITE_PATH = Path(tempfile.gettempdir()) / "bench_import_export.sqlite3"
if "DATABASE_URL" not in os.environ:
    SQLITE_PATH.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
# The bench measures the work, not the debug toolbar of query logging.
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from import_export import fields, resources, widgets  # noqa: E402
from tablib import Dataset  # noqa: E402

from devolution.exchange.engine import confirm_import, start_import  # noqa: E402
from devolution.exchange.reading import match_key  # noqa: E402
from devolution.exchange.writing import write_xlsx  # noqa: E402
from devolution.models import Department, Plan  # noqa: E402
from devolution.registry_fixtures import load_registry_fixtures  # noqa: E402
from items.exchange import NO_SUB_ITEM, POWER_TYPE_BY_KEY  # noqa: E402
from items.models import DevolvedItem, PowerType  # noqa: E402
from items.tabular import ITEM_HEADERS  # noqa: E402

POWER_LABELS = PowerType.labels


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_plan(label):
    stamp = datetime.datetime.now().strftime("%H%M%S%f")
    return Plan.objects.create(
        doc_number=f"基准测试{label}〔{stamp}〕号",
        title=f"基准测试方案{label}",
        issued_on=datetime.date(2016, 9, 9),
    )


def generated_rows(count):
    counties = list(Department.objects.filter(level="county").order_by("sort_order"))
    spellings = ("full_name", "short_name", "prefixed_short_name")
    for n in range(count):
        county = counties[n % len(counties)]
        yield [
            n + 1,
            f"基准事项{n:06d}",
            "无" if n % 3 else f"子项{n % 7}",
            POWER_LABELS[n % len(POWER_LABELS)],
            f"{n:07d}",
            "" if n % 2 else county.counterpart.short_name,
            getattr(county, spellings[n % 3]),
            f"《某某法》第{n % 90 + 1}条\n《某某条例》第{n % 40 + 1}条",
            "" if n % 5 else "备注",
        ]


# --- the baseline: django-import-export's default path with the same rules -------------------


class DepartmentWidget(widgets.ForeignKeyWidget):
    def __init__(self, names, level):
        super().__init__(Department)
        self.names, self.level = names, level

    def clean(self, value, row=None, **kwargs):
        department = self.names.get(match_key(str(value or "")))
        if department is None or department.level != self.level:
            raise ValueError(f"部门“{value}”不存在。")
        return department


def baseline_resource(plan):
    names = Department.objects.all().name_map()

    class ItemResource(resources.ModelResource):
        sequence = fields.Field("sequence", "序号", widget=widgets.IntegerWidget())
        name = fields.Field("name", "事项名称")
        sub_item = fields.Field("sub_item", "子项名称")
        power_type = fields.Field("power_type", "权力类型")
        code = fields.Field("code", "事项编码")
        city_department = fields.Field(
            "city_department", "市直部门", widget=DepartmentWidget(names, "city")
        )
        county_department = fields.Field(
            "county_department", "承接部门", widget=DepartmentWidget(names, "county")
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
            skip_unchanged = True

        def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
            # The same validation as ours: every field's own rules; related records were
            # resolved from the in-memory name map; constraints are the database's to enforce.
            # (full_clean would add several constraint queries a row and make this far slower.)
            instance.clean_fields(exclude=["plan", "city_department", "county_department"])

        def get_queryset(self):
            return DevolvedItem.objects.filter(plan=plan)

        def init_instance(self, row=None):
            return DevolvedItem(plan=plan)

        def before_import_row(self, row, **kwargs):
            for header in ("事项名称", "子项名称", "实施依据", "备注"):
                row[header] = str(row[header] or "").strip()
            row["事项编码"] = str(row["事项编码"] or "")
            if match_key(str(row["子项名称"] or "")) in NO_SUB_ITEM:
                row["子项名称"] = ""
            row["权力类型"] = POWER_TYPE_BY_KEY.get(match_key(str(row["权力类型"] or "")), "")
            if not row["市直部门"]:
                county = names.get(match_key(str(row["承接部门"] or "")))
                row["市直部门"] = county.counterpart.short_name if county else ""

    return ItemResource()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--export-rows", type=int, default=300_000)
    parser.add_argument(
        "--baseline-rows", type=int, help="import only the first N rows with the baseline"
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_registry_fixtures()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = workdir / "items.xlsx"
    write_xlsx(ITEM_HEADERS, generated_rows(args.rows), source)
    data = source.read_bytes()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    print(f"file: {args.rows} items, {len(data) / 1e6:.1f} MB .xlsx")

    # Ours: preview (what the operator sees), then confirm (re-read, re-validate, write).
    plan = make_plan("甲")
    started = time.perf_counter()
    record, preview = start_import(data, source.name, "items", plan_doc_number=plan.doc_number)
    previewed = time.perf_counter()
    assert preview.ok and len(preview.new) == args.rows, preview.errors[:3]
    # In the admin the preview and the confirmation are two requests: nothing carries over.
    del preview
    result = confirm_import(record)
    ours = time.perf_counter() - started
    assert DevolvedItem.objects.filter(plan=plan).count() == args.rows == len(result.new)
    ours_rss = peak_rss_mb()
    print(
        f"ours: preview {previewed - started:.1f} s + confirm {ours - (previewed - started):.1f} s"
        f" = {ours:.1f} s, {args.rows / ours:,.0f} rows/s; peak RSS so far {ours_rss:.0f} MB"
    )

    # The baseline: tablib + ModelResource.import_data, dry run then for real.
    plan_b = make_plan("乙")
    resource_b = baseline_resource(plan_b)
    started = time.perf_counter()
    dataset = Dataset().load(data, format="xlsx")
    if args.baseline_rows:
        del dataset[args.baseline_rows :]
    baseline_rows = len(dataset)
    dry = resource_b.import_data(dataset, dry_run=True, raise_errors=True)
    dry_done = time.perf_counter()
    real = resource_b.import_data(dataset, dry_run=False, raise_errors=True)
    theirs = time.perf_counter() - started
    assert not dry.has_errors() and not real.has_errors()
    assert DevolvedItem.objects.filter(plan=plan_b).count() == baseline_rows
    print(
        f"django-import-export ({baseline_rows} rows): dry run {dry_done - started:.1f} s + "
        f"import {theirs - (dry_done - started):.1f} s = {theirs:.1f} s, "
        f"{baseline_rows / theirs:,.0f} rows/s"
    )
    ratio = (args.rows / ours) / (baseline_rows / theirs)
    print(f"ratio: ours is {ratio:.1f}x the rows/s of import_data (target >= 10x)")
    print(f"peak RSS after our import: {ours_rss:.0f} MB (target < 300 MB)")

    # Export: each size in a fresh process that reports its own high-water mark (VmHWM is per
    # address space, so nothing of this process counts toward it).
    for count in (args.export_rows // 10, args.export_rows):
        plan_e = make_plan(f"导出{count}")
        fill_plan(plan_e, count)
        out = workdir / f"export-{count}.xlsx"
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD, str(ROOT), plan_e.doc_number, str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - started
        peak_mb = int(child.stdout.split()[-1]) / 1024
        print(
            f"export {count:,} items to .xlsx: {elapsed:.1f} s with start-up, "
            f"{count / elapsed:,.0f} rows/s, {out.stat().st_size / 1e6:.1f} MB, "
            f"peak RSS of the export process {peak_mb:.0f} MB"
        )
    print(f"process peak RSS at the end: {peak_rss_mb():.0f} MB")


EXPORT_CHILD = """
import os, sys
root, doc_number, out = sys.argv[1:]
sys.path.insert(0, root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
import django
django.setup()
from devolution.exchange.engine import export
export("items", "xlsx", out, plan_doc_number=doc_number)
with open("/proc/self/status") as status:
    print(next(line for line in status if line.startswith("VmHWM")).split()[1])
"""


def fill_plan(plan, count):
    counties = list(Department.objects.filter(level="county").select_related("counterpart"))
    batch = []
    for n in range(count):
        county = counties[n % len(counties)]
        batch.append(
            DevolvedItem(
                plan=plan,
                sequence=n + 1,
                code=f"E{n:07d}",
                name=f"导出事项{n:06d}",
                power_type=PowerType.values[n % 10],
                city_department=county.counterpart,
                county_department=county,
                legal_basis="《某某法》第一条",
            )
        )
        if len(batch) == 5000:
            DevolvedItem.objects.bulk_create(batch)
            batch = []
    DevolvedItem.objects.bulk_create(batch)


if __name__ == "__main__":
    main()
