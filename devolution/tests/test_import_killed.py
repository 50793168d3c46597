"""An import killed half-way (SIGKILL, no chance to clean up) leaves the database as it was:
the commit (for items: the draft adjustment it writes) is one transaction, on SQLite and on
PostgreSQL alike."""

import os
import pty
import signal
import sqlite3
import subprocess
import sys

import psycopg2
from django.conf import settings

from devolution.exchange.engine import BATCH_SIZE
from devolution.tests.scratch_services import (
    clean_environment,
    manage,
    scratch_postgres,
    seeded_sqlite,
)
from devolution.tests.sheets import xlsx_bytes
from items.tabular import ITEM_HEADERS

# Three batches: the kill lands after the first is written, with two still to come.
ROWS = 3 * BATCH_SIZE
IMPORTER = "importer"
CREATE_IMPORTER = (
    "from django.contrib.auth import get_user_model; "
    f"get_user_model().objects.create_superuser('{IMPORTER}', '', None)"
)


def big_item_sheet(path):
    rows = [ITEM_HEADERS] + [
        [n, f"中断测试事项{n}", "", "行政许可", f"KILL-{n:05d}", "市人社局", "县人社局", "", ""]
        for n in range(1, ROWS + 1)
    ]
    path.write_bytes(xlsx_bytes(rows))
    return path


class SqliteProbe:
    def __init__(self, path):
        self.path = path

    def scalar(self, sql):
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchone()[0]


class PostgresProbe:
    def __init__(self, url):
        self.url = url

    def scalar(self, sql):
        with psycopg2.connect(self.url) as connection, connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]


def kill_during_commit(env, sheet):
    """Start the import with its stderr on a terminal, so that it reports each batch it writes,
    and SIGKILL it as soon as it reports the first one: inside the commit's transaction, with
    rows written and more to come. The handshake is the import's own report, not a delay."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_registry",
            str(sheet),
            "--table",
            "items",
            "--user",
            IMPORTER,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    seen = b""
    try:
        while "写入中".encode() not in seen:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closes when the import exits
                chunk = b""
            assert chunk, (
                f"the import ended before it wrote a batch: {seen.decode(errors='replace')}"
            )
            seen += chunk
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"


def registry_counts(probe):
    return (
        probe.scalar("SELECT count(*) FROM items_devolveditem"),
        probe.scalar("SELECT count(*) FROM items_historicaldevolveditem"),
        # An import of items drafts an adjustment (rule 8): nothing of the draft is left.
        probe.scalar("SELECT count(*) FROM items_adjustment"),
        probe.scalar("SELECT count(*) FROM items_adjustmentchange"),
    )


def check_killed_import(env, tmp_path, probe):
    manage("shell", "-c", CREATE_IMPORTER, env=env)
    before = registry_counts(probe)
    assert before[0] == 308
    kill_during_commit(env, big_item_sheet(tmp_path / "big.xlsx"))
    assert registry_counts(probe) == before
    status = probe.scalar("SELECT status FROM devolution_importrecord")
    assert status == "previewed"  # never marked committed


def test_import_killed_half_way_on_sqlite(tmp_path):
    database = tmp_path / "registry.sqlite3"
    env = clean_environment(DATABASE_URL=seeded_sqlite(database))
    check_killed_import(env, tmp_path, SqliteProbe(database))


def test_import_killed_half_way_on_postgresql(tmp_path):
    with scratch_postgres(seeded=True) as postgres:
        env = clean_environment(DATABASE_URL=postgres.url)
        check_killed_import(env, tmp_path, PostgresProbe(postgres.url))
