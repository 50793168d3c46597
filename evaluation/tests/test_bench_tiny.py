"""bench/evaluation.py runs at its tiny size, both contestants agreeing on the evidence (the
script asserts it), so the benchmark cannot rot between the runs that fill docs/benchmarks.md."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "evaluation.py"


def test_the_evaluation_benchmark_runs_tiny():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tiny"],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "median ours" in result.stdout and "median anchor" in result.stdout
    assert "300 evaluations" in result.stdout
