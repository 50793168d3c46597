"""Throw-away PostgreSQL and Redis servers and a gunicorn, for fault tests that stop and restart
them without touching the shared services the rest of the suite uses."""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from glob import glob
from pathlib import Path

from django.conf import settings


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


def as_postgres_user(*command):
    # initdb and postgres refuse to run as root. No pipes: a server started by pg_ctl would
    # inherit them and keep this call waiting for their end.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*prefix, *command],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )


class ScratchPostgres:
    """A server of its own; `template`: a stopped cluster's data folder to start from a copy
    of, instead of an empty cluster."""

    def __init__(self, template=None):
        self.template = template
        binaries = sorted(glob("/usr/lib/postgresql/*/bin"))
        if not binaries:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = Path(binaries[-1])
        # Its own directory, outside pytest's root-only tmp, so the postgres user can reach it.
        self.directory = Path(tempfile.mkdtemp(prefix="scratch-postgres-"))
        self.data = self.directory / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args):
        return as_postgres_user(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args
        )

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        if not self.data.exists() and self.template:
            subprocess.run(["cp", "-a", str(self.template), str(self.data)], check=True)
        if not self.data.exists():
            self.data.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(self.data, "postgres")
            as_postgres_user(
                str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
            )
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "-l", str(self.data / "server.log"), "start")

    def restart(self):
        self.pg_ctl("-m", "fast", "restart")

    def stop(self):
        self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


def seeded_cluster():
    """A stopped cluster holding the registry as `migrate` and `seed_registry` leave it, built
    by the first scratch server that needs it and kept beside the benchmarks' templates, once
    per schema and fixtures: migrating is most of half a minute. (A pg_dump would not restore:
    the search index's SQL functions call each other by unqualified name.)"""
    from bench import harness

    stamp = harness.fingerprint("registry", harness.registry_sources())
    cluster = harness.TMP / f"devolution_scratch_{harness._checkout()}_{stamp}"
    with open(cluster.with_suffix(".lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if not cluster.exists():
            server = ScratchPostgres()
            server.start()
            env = clean_environment(DATABASE_URL=server.url)
            manage("migrate", "--noinput", env=env)
            manage("seed_registry", env=env)
            server.pg_ctl("-m", "fast", "stop")
            server.data.rename(cluster)
            shutil.rmtree(server.directory, ignore_errors=True)
    return cluster


@contextmanager
def scratch_postgres(seeded=False):
    """`seeded`: with the registry migrated and its fixtures loaded."""
    server = ScratchPostgres(template=seeded_cluster() if seeded else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class ScratchRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, "redis-server")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@contextmanager
def scratch_redis():
    server = ScratchRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def seeded_sqlite(path):
    """A SQLite registry at `path` as `migrate` and `seed_registry` leave it: a copy of the
    benchmarks' registry template, built once per schema and fixtures for every test process
    (migrating is most of half a minute)."""
    from bench import harness

    shutil.copyfile(harness.registry(sqlite=True).removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )


def get(url, timeout=10):
    """(status, body) of a GET, including error statuses; (None, reason) if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return None, str(error)


@contextmanager
def gunicorn(env, workers=2):
    port = free_port()
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn_bin),
            "devolution.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        # Not a pipe: nobody reads it, and a full pipe would block the server.
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: get(base + "/healthz")[0] is not None, "gunicorn")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def clean_environment(**overrides):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(overrides)
    return env
