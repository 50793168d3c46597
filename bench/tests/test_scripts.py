"""Every benchmark script runs as its docstring says, at a tiny size, in a fresh process, on the
database of this test pass (SQLite, or the PostgreSQL server of DATABASE_URL with databases named
after it), and prints its figures. So that none of them rots unnoticed again: their speed is not
judged here (that is docs/benchmarks.md's business), only that they run and report."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent


def run(*command, timeout=600, **extra_env):
    env = {**os.environ, **extra_env}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def python(script, *args):
    return run(sys.executable, str(BENCH / script), *map(str, args))


def test_imports_prints_every_loader_and_the_plan_scaling():
    out = python("imports.py", "--rows", 40, "--runs", 1, "--plan-items", 300, "--small-rows", 10)
    for loader in ("| ours |", "| ours-2step |", "| iexp |", "| iexp-bulk |", "| hand |"):
        assert loader in out
    assert "| 300 items |" in out and "load average" in out


def test_export_prints_ours_against_openpyxl():
    out = python("export.py", "--items", 200, "--runs", 1)
    assert "| 200 |" in out and "| 20 |" in out and "ours ÷ openpyxl" in out


def test_deadlines_prints_both_scans_and_the_quiet_scan():
    out = python(
        "deadlines.py", "--records", 200, "--items", 200, "--flags", 150, "--requests", 1,
        "--runs", 1,
    )  # fmt: skip
    assert "| first day |" in out and "| next day |" in out and "| nothing new |" in out
    assert "| 逾期一览 |" in out and "| plain ORM listing |" in out


def test_stamping_prints_three_ways():
    out = python("stamping.py", 10, "--runs", 1)
    assert "| plain save |" in out and "| SealUsage.save() |" in out and "| bulk_create |" in out


def test_public_site_prints_every_page():
    out = python("public_site.py", "--items", 200, "--requests", 1, "--runs", 1)
    assert "| 首页 / |" in out and "| 关键词（2字） |" in out and "| 事项列表，无筛选 |" in out
    alone = python(
        "public_site.py", "--items", 200, "--requests", 1, "--runs", 1, "--sides", "public"
    )
    assert "| 关键词（2字） |" in alone and "load average" in alone


@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (.ci/run installs it)"
)
@pytest.mark.parametrize("target", ["/", "queries"])
def test_load_runs_wrk_without_errors(target):
    # A request slower than wrk's 2 s counts as an error; on a loaded machine (CI, two cores
    # shared) that is the machine, not the site, so this run waits up to 30 s.
    out = run("bash", str(BENCH / "load.sh"), target, "2", "4", WRK_TIMEOUT="30")
    assert "Requests/sec:" in out and "errors: 0" in out


def test_evaluation_prints_ours_and_the_anchor_agreeing():
    # The script itself asserts that both contestants leave the same evidence.
    out = python("evaluation.py", "--tiny")
    assert "median ours" in out and "median anchor" in out and "300 evaluations" in out


def test_list_versions_prints_publish_and_both_reads():
    out = python("list_versions.py", "--items", 300, "--changes", 40, "--requests", 1, "--runs", 1)
    assert "| publish 40 changes |" in out and "| /items/export.csv (s) |" in out
    assert "as_of ÷ current" in out and "load average" in out


@pytest.mark.parametrize(
    "script", sorted(p.name for p in BENCH.glob("*.py") if p.stem != "__init__")
)
def test_every_script_answers_help(script):
    assert "usage" in python(script, "--help")


def test_the_harness_refuses_an_unknown_command_with_its_usage():
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(BENCH / "harness.py"), "bogus"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "usage" in done.stderr
