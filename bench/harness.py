"""What every benchmark shares: its own databases, fresh processes, interleaved runs, medians,
the machine's load, and annex rows that look like the real ones.

A benchmark script is both a driver and its own child: the driver prepares a template database
once (`template`), then for each round starts one fresh process per contestant (`child`), in an
order that rotates every round, each on its own copy of the template; the child measures one
thing and prints one `RESULT {json}` line. The driver prints the median of each figure and the
machine's load average before and after, since other work may share the machine: interleaving
keeps the ratios fair when the absolute figures are not.

Databases: with DATABASE_URL naming PostgreSQL, `<its name>_b_<tag>` on the same server
(templates `<its name>_t_<tag>`); otherwise SQLite files in the system's temporary folder. The
database named by DATABASE_URL itself is never touched.
"""

import fcntl
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.gettempdir())
RESULT = "RESULT "


# --- databases --------------------------------------------------------------------------------


def base_url():
    return os.environ.get("DATABASE_URL", "")


def on_postgres():
    return base_url().startswith("postgres")


def _pg_admin():
    import psycopg2

    parts = urlsplit(base_url())
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection


def _pg_url(name):
    return urlunsplit(urlsplit(base_url())._replace(path=f"/{name}"))


def _checkout():
    """One checkout's bench databases never meet another's: several checkouts (and their test
    runs) share the machine and the PostgreSQL server. BENCH_CHECKOUT names another's."""
    return os.environ.get("BENCH_CHECKOUT") or hashlib.sha256(str(ROOT).encode()).hexdigest()[:6]


def _pg_name(kind, tag):
    return f"{urlsplit(base_url()).path.lstrip('/')}_{_checkout()}_{kind}_{tag}"[:63]


def _sqlite_path(kind, tag):
    prefix = os.environ.get("BENCH_SQLITE_PREFIX", f"devolution_bench_{_checkout()}")
    return TMP / f"{prefix}_{kind}_{tag}.sqlite3"


def fingerprint(extra, paths=()):
    """Changes when the schema does (any migration file), the template's recipe does or one of
    the files `paths` the recipe reads does."""
    digest = hashlib.sha256(extra.encode())
    migrations = sorted(ROOT.glob("*/migrations/*.py")) + sorted(
        ROOT.glob("devolution/*/migrations/*.py")
    )
    for path in migrations + sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template(tag, build, recipe="", paths=(), sqlite=False):
    """The URL of template database `tag`, built by `build(url)` (in a child process, so that
    nothing of it stays in the driver) unless an identical one exists. Processes that want the
    same template at once (the test workers) wait for the one building it. `sqlite`: a SQLite
    file even when DATABASE_URL names PostgreSQL."""
    stamp = fingerprint(f"{tag}:{recipe}", paths)
    postgres = on_postgres() and not sqlite
    lock = TMP / f"{_pg_name('t', tag) if postgres else _sqlite_path('t', tag).name}.lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        return _template(tag, build, stamp, postgres)


def _template(tag, build, stamp, postgres):
    # BENCH_REUSE_TEMPLATES=1: keep a template built before the latest migrations (rebuilding
    # 300,000 items takes minutes); each copy is then migrated forward (see copy_of).
    reuse = os.environ.get("BENCH_REUSE_TEMPLATES") == "1"
    if postgres:
        name = _pg_name("t", tag)
        admin = _pg_admin()
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
            if row and (row[0] == stamp or (reuse and row[0])):
                return _pg_url(name)
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        url = _pg_url(name)
        build(url)
        admin = _pg_admin()
        with admin.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{stamp}'")
        admin.close()
        return url
    path = _sqlite_path("t", tag)
    marker = path.with_suffix(".stamp")
    if path.exists() and marker.exists() and (marker.read_text() == stamp or reuse):
        return f"sqlite:///{path}"
    path.unlink(missing_ok=True)
    build(f"sqlite:///{path}")
    marker.write_text(stamp)
    return f"sqlite:///{path}"


def copy_of(template_url, tag):
    """A fresh database, a copy of the template, for one child run."""
    if template_url.startswith("postgres"):
        url = _pg_url(_pg_name("b", tag))
    else:
        url = f"sqlite:///{_sqlite_path('b', tag)}"
    _clone(template_url, url)
    if os.environ.get("BENCH_REUSE_TEMPLATES") == "1":
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            env=child_env(url),
            cwd=ROOT,
            check=True,
        )
    return url


def _clone(source_url, url):
    """Database `url` made anew as a copy of `source_url` (same server or folder)."""
    if source_url.startswith("postgres"):
        source, name = (urlsplit(u).path.lstrip("/") for u in (source_url, url))
        admin = _pg_admin()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        admin.close()
    else:
        shutil.copyfile(source_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))


def drop(url):
    if url.startswith("postgres"):
        admin = _pg_admin()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')
        admin.close()
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def vendor(url):
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


# --- processes --------------------------------------------------------------------------------


def child_env(url, **extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="devolution.settings",
        DEBUG="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # No Redis: Celery runs eagerly and the cache is the process's own.
        REDIS_URL="",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def run_child(script, args, url, timeout=3600, **env):
    """Run `script --child ...` in a fresh interpreter; its RESULT line as a dict."""
    command = [sys.executable, str(script), "--child", *map(str, args)]
    done = subprocess.run(
        command,
        env=child_env(url, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
        raise SystemExit(f"child {' '.join(map(str, args))} failed ({done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if not lines:
        raise SystemExit(f"child {args} printed no result:\n{done.stdout[-2000:]}")
    return json.loads(lines[-1][len(RESULT) :])


def report(figures):
    """A child's last word: its figures and its own peak memory."""
    figures = dict(figures, peak_rss_mb=round(peak_rss_mb(), 1))
    print(RESULT + json.dumps(figures, ensure_ascii=False), flush=True)


def peak_rss_mb():
    """This process's high-water mark of resident memory (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    """For a child: Django on the DATABASE_URL its driver gave it."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devolution.settings")
    import django

    django.setup()


def schema(sqlite=False):
    """The URL of the template holding the migrated schema alone. Every other template starts
    as a copy of it or of the registry's: a checkout migrates once per schema, not once per
    template."""
    return template(
        "schema", lambda url: _manage(url, "migrate", "--noinput", "-v0"), sqlite=sqlite
    )


def registry(sqlite=False):
    """The URL of the template holding the schema and the registry's fixtures (a copy of the
    schema's, seeded). The subprocess tests start from a copy of it too."""

    def seed(url):
        _clone(schema(sqlite), url)
        _manage(url, "seed_registry")

    return template("registry", seed, paths=registry_sources(), sqlite=sqlite)


def registry_sources():
    """What seed_registry reads besides the schema."""
    return [*ROOT.glob("fixtures/*.json"), ROOT / "devolution" / "registry_fixtures.py"]


def migrate_and_seed(url):
    """Build step shared by templates: the schema and the registry's fixtures."""
    _clone(registry(), url)


def _manage(url, *command):
    subprocess.run(
        [sys.executable, "manage.py", *command],
        env=child_env(url),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- interleaving and medians -----------------------------------------------------------------


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def interleaved(contestants, runs, run_one):
    """Each round runs every contestant once, the order rotated by one each round, so that a
    busy moment on the machine falls on all of them alike. Returns name -> [result, ...]."""
    print(f"start: {load_average()}", flush=True)
    results = {name: [] for name in contestants}
    names = list(contestants)
    for round_number in range(runs):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            started = time.perf_counter()
            result = run_one(name, round_number)
            results[name].append(result)
            print(
                f"  round {round_number + 1}/{runs} {name}: "
                f"{json.dumps(result, ensure_ascii=False)} ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    print(f"end: {load_average()}", flush=True)
    return results


def median(results, key):
    return statistics.median(result[key] for result in results)


def table(header, rows):
    """A Markdown table, ready for docs/benchmarks.md."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    print("\n".join(lines), flush=True)


# --- realistic annex rows ---------------------------------------------------------------------

SUBJECTS = (
    "食品 药品 医疗器械 建设工程 危险化学品 道路运输 排污 林木采伐 娱乐场所 旅馆业 特种设备 "
    "民办学校 农药 兽药 种子 烟花爆竹 矿产资源 取水 水土保持 城市道路 户外广告 燃气 出版物 文物"
).split()
ACTIONS = (
    "经营许可 生产许可 备案 登记 审批 监督检查 违法行为的处罚 核准 资格认定 年度检验 "
    "变更审核 注销登记"
).split()
LAWS = (
    "《中华人民共和国行政许可法》",
    "《中华人民共和国食品安全法》",
    "《中华人民共和国药品管理法》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国环境保护法》",
    "《中华人民共和国道路运输条例》",
    "《特种设备安全监察条例》",
    "《辽宁省行政执法条例》",
    "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）",
)
POWER_LABELS = (
    "行政许可 行政处罚 行政强制 行政征收 行政给付 行政裁决 行政检查 行政确认 行政奖励 其他行政权力"
).split()


def legal_basis(rng):
    """About 200 characters over three to five lines, as the annexes' 实施依据 cells run."""
    lines = []
    while sum(len(line) for line in lines) < 180:
        clause = rng.randint(1, 120)
        lines.append(
            f"{rng.choice(LAWS)}第{clause}条：{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}"
            f"应当依法办理，由县级以上人民政府有关部门负责。"
        )
    return "\n".join(lines)


def annex_rows(count, departments, seed=14, code_prefix=""):
    """Rows of 附件2 as `items.tabular.ITEM_HEADERS` orders them. `departments` is a list of
    (county full, short, prefixed short, city short) spellings; each row picks one of the three
    county spellings in turn, and every other row leaves 市直部门 blank (the counterpart)."""
    rng = random.Random(seed)
    for n in range(count):
        full, short, prefixed, city = departments[n % len(departments)]
        subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
        yield [
            n + 1,
            f"{subject}{action}（{n:06d}）",
            "无" if n % 3 else f"{subject}{action}（第{n % 7 + 1}类）",
            "行政许可" if action.endswith("许可") else rng.choice(POWER_LABELS),
            f"{code_prefix}21{n:010d}",
            "" if n % 2 else city,
            (full, short, prefixed)[n % 3],
            legal_basis(rng),
            "" if n % 5 else "需在省级系统办理",
        ]


def department_spellings():
    """For a child with Django set up: each county department's three spellings and its
    counterpart's short name."""
    from devolution.models import Department

    return [
        (d.full_name, d.short_name, d.prefixed_short_name, d.counterpart.short_name)
        for d in Department.objects.filter(level="county", counterpart__isnull=False)
        .select_related("counterpart")
        .order_by("sort_order", "id")
    ]


def department_pairs(count, contact_email=False):
    """For a child with Django set up: `count` city departments (盘锦市基准局N) and their county
    counterparts (盘山县基准局N, with an address to notify if `contact_email`), two INSERTs;
    returns (cities, counties), in pairs."""
    from devolution.models import Department

    cities = Department.objects.bulk_create(
        Department(full_name=f"盘锦市基准局{i}", short_name=f"市基准局{i}", level="city")
        for i in range(count)
    )
    counties = Department.objects.bulk_create(
        Department(
            full_name=f"盘山县基准局{i}",
            short_name=f"县基准局{i}",
            level="county",
            counterpart=city,
            contact_email=f"dept{i}@panshan.example" if contact_email else "",
            sort_order=i,
        )
        for i, city in enumerate(cities)
    )
    return cities, counties


BIG_PLAN = "基准规模方案〔2026〕1号"


def big_plan_template(items):
    """The registry's fixtures plus a plan of `items` realistic items (BIG_PLAN)."""

    def build(url):
        migrate_and_seed(url)
        fill_plan(url, BIG_PLAN, items)

    return template(f"plan{items}", build, recipe=f"{items}:v1")


def write_annex(url, path, count, code_prefix=""):
    """Write an annex .xlsx of `count` realistic rows, naming the departments of `url`'s
    registry (in a child process, which needs Django)."""
    _harness_child(url, "write-annex", path, count, code_prefix)


def fill_plan(url, doc_number, count):
    """Add plan `doc_number` with `count` realistic items to `url`'s registry: COPY on
    PostgreSQL, bulk_create on SQLite, no history (this is the registry as it stands, not an
    import); then statistics for the planner."""
    _harness_child(url, "fill-plan", doc_number, count)


def _harness_child(url, *args):
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *map(str, args)],
        env=child_env(url),
        cwd=ROOT,
        check=True,
    )


def _write_annex(path, count, code_prefix):
    from devolution.exchange.writing import write_xlsx
    from items.tabular import ITEM_HEADERS

    rows = annex_rows(int(count), department_spellings(), code_prefix=code_prefix)
    write_xlsx(ITEM_HEADERS[:-1], rows, path)


def _fill_plan(doc_number, count):
    import datetime
    import io

    from django.db import connection, transaction

    from devolution.models import Department, Plan
    from items.exchange import POWER_TYPE_BY_KEY
    from items.models import DevolvedItem

    count = int(count)
    plan = Plan.objects.create(
        doc_number=doc_number, title="基准规模方案", issued_on=datetime.date(2026, 1, 5)
    )
    pairs = {
        d.short_name: (d.pk, d.counterpart_id)
        for d in Department.objects.filter(level="county", counterpart__isnull=False)
    }
    spellings = [(short, short, short, "") for short in pairs]
    columns = [
        "plan_id", "sequence", "name", "sub_item", "legal_basis", "note", "illustrative",
        "code", "power_type", "city_department_id", "county_department_id",
        "provincial_system_id", "status",
    ]  # fmt: skip

    # Every other column takes its model default (COPY and bulk_create alike), so that a field
    # added later with a default needs nothing here.
    defaults = {
        field.attname: field.get_default()
        for field in DevolvedItem._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    }
    columns += list(defaults)

    def records(rows):
        for row in rows:
            county, city = pairs[row[6]]
            sub_item = "" if row[2] == "无" else row[2]
            yield [
                plan.pk, row[0], row[1], sub_item, row[7], row[8], False, row[4],
                POWER_TYPE_BY_KEY[row[3]], city, county, None, "not_handed_over",
                *defaults.values(),
            ]  # fmt: skip

    rows = records(annex_rows(count, spellings, seed=300, code_prefix="B"))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            while True:
                buffer = io.StringIO()
                written = 0
                for record in rows:
                    buffer.write("\t".join(_copy_text(value) for value in record) + "\n")
                    written += 1
                    if written == 20_000:
                        break
                if not written:
                    break
                buffer.seek(0)
                with connection.cursor() as cursor:
                    cursor.copy_from(buffer, DevolvedItem._meta.db_table, columns=columns)
        else:
            batch = []
            for record in rows:
                batch.append(DevolvedItem(**dict(zip(columns, record, strict=True))))
                if len(batch) == 5000:
                    DevolvedItem.objects.bulk_create(batch)
                    batch = []
            DevolvedItem.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _copy_text(value):
    if value is None:
        return r"\N"
    if value is False or value is True:
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


USAGE = """usage: python bench/harness.py COMMAND [ARGS]

The benchmark scripts' shared module; run directly, it serves bench/load.sh and its own child runs:
  big-copy ITEMS TAG         a fresh copy of the registry with ITEMS items; prints its URL
  registry-copy TAG          a fresh copy of the seeded registry; prints its URL
  drop URL                   drop a copy made above
  write-annex PATH ROWS PREFIX   write a realistic annex of ROWS rows (.xlsx) to PATH
  fill-plan DOC_NUMBER ROWS      add ROWS items to the plan DOC_NUMBER of DATABASE_URL
"""
ARGUMENTS = {"big-copy": 2, "registry-copy": 1, "drop": 1, "write-annex": 3, "fill-plan": 2}


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["--help"]
    if command in ("-h", "--help"):
        print(USAGE, end="")
        raise SystemExit
    if ARGUMENTS.get(command) != len(rest):
        sys.exit(USAGE)
    if command in ("big-copy", "registry-copy"):
        # For bench/load.sh: a fresh copy of the big-plan registry or of the fixtures' alone;
        # prints its URL.
        source = big_plan_template(int(rest.pop(0))) if command == "big-copy" else registry()
        print(copy_of(source, rest[0]))
        raise SystemExit
    if command == "drop":
        drop(rest[0])
        raise SystemExit
    setup_django()
    {"write-annex": _write_annex, "fill-plan": _fill_plan}[command](*rest)
