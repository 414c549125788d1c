"""Shared helpers: fixture discovery and inline expectations (``# error: FDS101, FDS300``)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

_EXPECT = re.compile(r"#\s*error:\s*(FDS\d{3}(?:\s*,\s*FDS\d{3})*)")
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def generate_flask_corpus(dest: Path, **options: int) -> list[Path]:
    """Write the benchmark's generated Flask corpus (benchmarks/fdsbench/generated.py) under ``dest``."""
    folder = str(ROOT / "benchmarks")
    sys.path.insert(0, folder)
    try:
        from fdsbench.generated import generate
    finally:
        sys.path.remove(folder)
    return generate(dest, **options)


def python_fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*.py") if "fixed" not in path.parts)


def expectations(path: Path, *, honour_noqa: bool) -> set[tuple[int, str]]:
    """``(line, code)`` pairs a fixture declares; with ``honour_noqa``, minus what flake8 suppresses."""
    expected: set[tuple[int, str]] = set()
    text = path.read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        found = _EXPECT.search(line)
        if not found:
            continue
        codes = {code.strip() for code in found.group(1).split(",")}
        noqa = _NOQA.search(line[: found.start()])
        if honour_noqa and noqa:
            suppressed = noqa.group("codes")
            codes = {c for c in codes if suppressed and not any(c.startswith(s) for s in re.split(r"[,\s]+", suppressed))}
        expected.update((number, code) for code in codes)
    return expected


def run_flake8(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real flake8, in a subprocess, from the interpreter running the tests."""
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def flake8_fixture_output() -> dict[Path, set[tuple[int, str]]]:
    """One real flake8 run over every fixture, as ``{path: {(line, code)}}``."""
    result = run_flake8("--select=FDS", "--format=%(path)s|%(row)d|%(code)s", ".", cwd=FIXTURES)
    assert result.returncode in (0, 1), result.stderr
    found: dict[Path, set[tuple[int, str]]] = {}
    for line in result.stdout.splitlines():
        path, row, code = line.rsplit("|", 2)
        found.setdefault((FIXTURES / path).resolve(), set()).add((int(row), code))
    return found


def make_repository(root: Path, files: dict[str, str]) -> Path:
    """A git work tree (its ``.git`` folder only) holding ``files``, dedented, under ``root``."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Empty engine caches before and after a test, and slices back on (tests that switch them off)."""
    from flake8_flask_devserver import apps, project, slices

    project.clear_caches()
    apps.clear_caches()
    yield
    slices.ENABLED = True
    project.clear_caches()
    apps.clear_caches()
