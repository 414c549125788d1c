"""The benchmark script runs end to end (``--quick``: tiny corpora, one round) and prints every part.

No timing is asserted: speed is checked by running the benchmark, not by tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_quick_run_prints_every_part(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--public", "none", "--workdir", str(tmp_path), "--json", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    number = r"\d+\.\d+"
    assert re.search(rf"^P1 flask-generated folder -j1 x1: CPU {number}s -> {number}s paired {number}", out, re.M), out
    assert re.search(rf"^P1 flask-generated named \(5 files\) -j1 x1: CPU {number}s -> {number}s paired {number}", out, re.M), out
    assert re.search(rf"^P2 stdlib-sample .* paired {number}", out, re.M), out
    assert re.search(rf"^P4 flask-generated folder -j1: {number} MiB -> {number} MiB", out, re.M), out
    assert re.search(rf"^P4 +\d+ lines: +{number} ms", out, re.M), out
    assert re.search(r"^P3 flask-generated: .*engine \d+ ms", out, re.M), out
    assert re.search(rf"^H hostile \(\d+ files\) -j1 x1: CPU {number}s -> {number}s paired {number}", out, re.M), out
    assert re.search(rf"^floor flask-generated folder -j1 x1: flake8 alone {number}s CPU; paired ratios: plugin loaded, no work {number}; and libcst imported {number}; the plugin at work \(P1\) {number}$", out, re.M), out
    assert re.search(r"^stages flask-generated: \d+ files", out, re.M), out
    assert re.search(r"^ +\d+\.\d ms  \S+\.py \(\d+ lines\): read", out, re.M), out  # the most expensive files
    assert re.search(r"^P1 +flask-generated +folder -j1 +\d+\.\d{3} +1\.10", out, re.M), out  # the summary table
    assert re.search(r"^audit flask-generated: \d+ files, [1-9]\d* findings: identical$", out, re.M), out
    assert (tmp_path / "out.json").read_text().startswith("{")
