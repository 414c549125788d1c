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


class _FailingPool:
    """A stand-in for ProcessPoolExecutor whose workers are lost: every other task fails, or no task is taken."""

    def __init__(self, mode: str, *args: object, **kwargs: object) -> None:
        self.mode = mode
        self.calls = 0

    def __enter__(self) -> "_FailingPool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        import concurrent.futures.process
        import copy

        if self.mode == "refuse":
            raise OSError("no processes to be had")
        self.calls += 1
        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        if self.calls % 2 == 0:  # the first task is done, the second lost, ...
            future.set_exception(concurrent.futures.process.BrokenProcessPool("a worker died"))
        else:
            future.set_result(fn(*copy.deepcopy(args)))  # a worker sees a copy, as after pickling
        return future


@pytest.mark.parametrize("mode", ["lose", "refuse"])
def test_lost_workers_leave_their_files_to_this_process(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import concurrent.futures

    _generate(tmp_path / "generated")
    serial = _run(monkeypatch, capsys, 10**9, "--format", "json", str(tmp_path))
    pool = _FailingPool(mode)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda *a, **k: pool)
    assert _run(monkeypatch, capsys, 8, "--format", "json", str(tmp_path)) == serial
    assert serial[0] == 1
    assert pool.calls > 2 if mode == "lose" else pool.calls == 0


def test_files_fixed_before_a_worker_was_lost_are_not_fixed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import concurrent.futures

    _generate(tmp_path / "serial")
    serial = _run(monkeypatch, capsys, 10**9, "--fix", "--unsafe-fixes", str(tmp_path / "serial"))
    _generate(tmp_path / "pooled")
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda *a, **k: _FailingPool("lose"))
    pooled = _run(monkeypatch, capsys, 8, "--fix", "--unsafe-fixes", str(tmp_path / "pooled"))
    assert pooled[0] == serial[0]
    assert pooled[1].replace(str(tmp_path / "pooled"), "") == serial[1].replace(str(tmp_path / "serial"), "")
    assert pooled[2].replace(str(tmp_path / "pooled"), "") == serial[2].replace(str(tmp_path / "serial"), "")
    assert "fixed" in serial[1] + serial[2]
