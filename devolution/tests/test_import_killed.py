"""An import killed half-way (SIGKILL, no chance to clean up) leaves the database as it was:
the commit is one transaction, on SQLite and on PostgreSQL alike."""

import signal
import sqlite3
import subprocess
import sys
import time

import psycopg2
from django.conf import settings

from devolution.tests.scratch_services import clean_environment, manage, scratch_postgres
from devolution.tests.sheets import xlsx_bytes
from items.tabular import ITEM_HEADERS

ROWS = 20_000


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


def kill_during_commit(env, sheet, probe):
    """Start the import, wait until its preview is recorded (the commit starts right after),
    then SIGKILL it inside the commit."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_registry", str(sheet), "--table", "items"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while probe.scalar("SELECT count(*) FROM devolution_importrecord") == 0:
        assert process.poll() is None, "the import ended before its preview was recorded"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def registry_counts(probe):
    return (
        probe.scalar("SELECT count(*) FROM items_devolveditem"),
        probe.scalar("SELECT count(*) FROM items_historicaldevolveditem"),
    )


def check_killed_import(env, tmp_path, probe):
    manage("migrate", "--noinput", env=env)
    manage("seed_registry", env=env)
    before = registry_counts(probe)
    assert before[0] == 308
    kill_during_commit(env, big_item_sheet(tmp_path / "big.xlsx"), probe)
    assert registry_counts(probe) == before
    status = probe.scalar("SELECT status FROM devolution_importrecord")
    assert status == "previewed"  # never marked committed


def test_import_killed_half_way_on_sqlite(tmp_path):
    database = tmp_path / "registry.sqlite3"
    env = clean_environment(DATABASE_URL=f"sqlite:///{database}")
    check_killed_import(env, tmp_path, SqliteProbe(database))


def test_import_killed_half_way_on_postgresql(tmp_path):
    with scratch_postgres() as postgres:
        env = clean_environment(DATABASE_URL=postgres.url)
        check_killed_import(env, tmp_path, PostgresProbe(postgres.url))
