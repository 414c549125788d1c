"""The command checks a large tree with a pool of processes: the same output, in the same order, as one by one."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import cli

from .conftest import FIXTURES, ROOT


def _generate(dest: Path) -> None:
    spec = importlib.util.spec_from_file_location("fds_bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["fds_bench"] = bench
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules["fds_bench"]
    bench.generate(dest, seed=11, projects=2, small_apps=2)


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], parallel_from: int, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(cli, "PARALLEL_FROM", parallel_from)
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["default", "json"])
def test_pool_reports_what_one_by_one_does(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(tmp_path / "generated")
    shutil.copytree(FIXTURES / "starts", tmp_path / "starts")
    (tmp_path / "starts" / "broken.py").write_text("from flask import Flask\napp.run(\n")  # one file not checked
    serial = _run(monkeypatch, capsys, 10**9, "--format", fmt, str(tmp_path))
    pooled = _run(monkeypatch, capsys, 8, "--format", fmt, str(tmp_path))
    assert serial == pooled
    assert serial[0] == 1 and "FDS101" in serial[1] and "broken.py" in serial[1] + serial[2]


def test_pool_applies_fixes_like_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name, threshold in (("serial", 10**9), ("pooled", 8)):
        _generate(tmp_path / name)
        _run(monkeypatch, capsys, threshold, "--fix", "--unsafe-fixes", "-q", str(tmp_path / name))
    _generate(tmp_path / "pristine")
    serial = sorted(path.relative_to(tmp_path / "serial") for path in (tmp_path / "serial").rglob("*.py"))
    assert serial == sorted(path.relative_to(tmp_path / "pooled") for path in (tmp_path / "pooled").rglob("*.py"))
    changed = 0
    for relative in serial:
        text = (tmp_path / "serial" / relative).read_text()
        assert text == (tmp_path / "pooled" / relative).read_text(), relative
        changed += text != (tmp_path / "pristine" / relative).read_text()
    assert changed  # the fixes were applied at all
