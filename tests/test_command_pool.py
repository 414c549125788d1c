"""The command checks a large tree with a pool of processes: the same output, in the same order, as one by one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Callable

import pytest

from flake8_flask_devserver import cli

from .conftest import FIXTURES, generate_flask_corpus


def _generate(dest: Path) -> None:
    generate_flask_corpus(dest, seed=11, projects=2, small_apps=2)


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], parallel_from: int, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(cli, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(cli, "PARALLEL_BYTES", 0 if parallel_from < 10**9 else cli.PARALLEL_BYTES)
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


def _replace_pool(monkeypatch: pytest.MonkeyPatch, make: Callable[[], _FailingPool]) -> None:
    """The run's pool fails; the one-process pools a lost worker's files are checked in are real."""
    import concurrent.futures

    real = concurrent.futures.ProcessPoolExecutor

    def pool(workers: int, *args: object, **kwargs: object) -> object:
        return make() if workers > 1 else real(workers, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)


@pytest.mark.parametrize("mode", ["lose", "refuse"])
def test_lost_workers_leave_their_files_to_this_process(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(tmp_path / "generated")
    serial = _run(monkeypatch, capsys, 10**9, "--format", "json", str(tmp_path))
    pool = _FailingPool(mode)
    _replace_pool(monkeypatch, lambda: pool)
    assert _run(monkeypatch, capsys, 8, "--format", "json", str(tmp_path)) == serial
    assert serial[0] == 1
    assert pool.calls > 2 if mode == "lose" else pool.calls == 0


def test_files_fixed_before_a_worker_was_lost_are_not_fixed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(tmp_path / "serial")
    serial = _run(monkeypatch, capsys, 10**9, "--fix", "--unsafe-fixes", str(tmp_path / "serial"))
    _generate(tmp_path / "pooled")
    _replace_pool(monkeypatch, lambda: _FailingPool("lose"))
    pooled = _run(monkeypatch, capsys, 8, "--fix", "--unsafe-fixes", str(tmp_path / "pooled"))
    assert pooled[0] == serial[0]
    assert pooled[1].replace(str(tmp_path / "pooled"), "") == serial[1].replace(str(tmp_path / "serial"), "")
    assert pooled[2].replace(str(tmp_path / "pooled"), "") == serial[2].replace(str(tmp_path / "serial"), "")
    assert "fixed" in serial[1] + serial[2]


_CRASHING_RUN = """
import os, signal, sys
from flake8_flask_devserver import cli

checked = cli._check_file

def check_file(args, codes, fixing, outcome):
    if outcome.path is not None and outcome.path.name == "crash.py":
        os.kill(os.getpid(), signal.SIGSEGV)  # what a crash in C code does to the process checking it
    return checked(args, codes, fixing, outcome)

cli._check_file = check_file
cli.PARALLEL_FROM = 8
cli.PARALLEL_BYTES = 0
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked with this patch (Linux)")
def test_a_worker_that_dies_does_not_take_the_run_down(tmp_path: Path) -> None:
    """C5: the files of a worker that crashed are checked again in processes of their own, never here."""
    import subprocess

    _generate(tmp_path / "generated")
    (tmp_path / "generated" / "crash.py").write_text("from flask import Flask\napp = Flask(__name__)\napp.run()\n")
    result = subprocess.run(
        [sys.executable, "-c", _CRASHING_RUN, "-q", str(tmp_path)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stderr
    crash = tmp_path / "generated" / "crash.py"
    assert f"flake8-flask-devserver: {crash}: {cli.CRASHED}\n" in result.stderr
    assert "FDS10" in result.stdout  # the other files were checked, the crashed worker's too
    assert str(crash) not in result.stdout


class _RecordingPool:
    """A stand-in for ProcessPoolExecutor that checks each piece here and records its size."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes = sizes

    def __enter__(self) -> "_RecordingPool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        import concurrent.futures

        self.sizes.append(len(args[3]))
        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        future.set_result(fn(*args))
        return future


def test_a_big_tree_goes_to_the_workers_in_small_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: a tree's costly files cluster; in a few big pieces one worker ran on long after the other."""
    import os

    for index in range(300):
        (tmp_path / f"module_{index:03}.py").write_text("x = 1\n")
    sizes: list[int] = []
    _replace_pool(monkeypatch, lambda: _RecordingPool(sizes))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert _run(monkeypatch, capsys, 128, str(tmp_path))[0] == 0
    assert sum(sizes) == 300 and max(sizes) <= cli.PIECE_FILES


def test_a_tree_of_small_files_is_checked_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: a pool costs each worker libcst's import; a tree holding less than PARALLEL_BYTES is not worth it."""
    import os

    for index in range(300):
        (tmp_path / f"module_{index:03}.py").write_text("x = 1\n" * 10)
    sizes: list[int] = []
    _replace_pool(monkeypatch, lambda: _RecordingPool(sizes))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cli, "PARALLEL_FROM", 128)
    monkeypatch.setattr(cli, "PARALLEL_BYTES", 300 * 60 + 1)
    assert cli.main([str(tmp_path)]) == 0 and sizes == []
    monkeypatch.setattr(cli, "PARALLEL_BYTES", 300 * 60)
    assert cli.main([str(tmp_path)]) == 0 and sum(sizes) == 300
    capsys.readouterr()


_IMPORTS_RUN = """
import os, sys
from flake8_flask_devserver import cli

several = cli._check_several

def check_several(*args):
    # In the worker, before its files; one write, so that two workers' lines never interleave.
    os.write(2, ('libcst imported: %s' % ('libcst' in sys.modules) + chr(10)).encode())
    return several(*args)

cli._check_several = check_several
cli.PARALLEL_FROM = 8
cli.PARALLEL_BYTES = 0
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked (Linux)")
def test_the_workers_start_with_libcst_imported(tmp_path: Path) -> None:
    """Issue 16: imported once before the fork, not again by every worker (0.3 s of CPU each)."""
    import subprocess

    _generate(tmp_path / "generated")
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_RUN, "-q", str(tmp_path)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "libcst imported:" in line]
    assert len(lines) > 2 and set(lines) == {"libcst imported: True"}, result.stderr
