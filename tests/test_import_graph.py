"""The first-party import graph: searched without recursion, within a bound, the same whatever the run.

C8/W3/B6 of issue 12: a 330-module chain or a dense 1,500-module graph used to raise
RecursionError in the gate's search, which left the file unchecked while flake8 exited 0,
with results that differed between ``-j1`` and ``-j2`` and with the size of the tree.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import apps, project
from flake8_flask_devserver.engine import check_source

from .conftest import run_flake8

FORMAT = "--format=%(path)s|%(row)d|%(code)s"


def _chain(root: Path, length: int, last: str, prefix: str = "m") -> None:
    """``m0`` imports ``x`` from ``m1``, which imports it from ``m2``... ``last`` is the final module's text."""
    for i in range(length):
        text = f"from {prefix}{i + 1} import x\n" if i < length - 1 else last
        (root / f"{prefix}{i}.py").write_text(text)


def _dense(root: Path, size: int, seed: int = 12) -> None:
    """``d0``..``d{size-1}``, each importing eight others (cycles included); one defines the app."""
    rng = random.Random(seed)
    for i in range(size):
        others = rng.sample(range(size), 8)
        lines = [f"import d{j}" for j in others]
        if i == size - 1:
            lines += ["from flask import Flask", "x = Flask(__name__)"]
        else:
            lines.append(f"from d{(i + 1) % size} import x")
        (root / f"d{i}.py").write_text("\n".join(lines) + "\n")


@pytest.fixture
def fresh_caches():
    project.clear_caches()
    apps.clear_caches()
    yield
    project.clear_caches()
    apps.clear_caches()


def test_search_needs_no_stack(tmp_path: Path, fresh_caches: None) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    _chain(tmp_path, 1200, "from flask import Flask\nx = Flask(__name__)\n")
    _chain(tmp_path, 1200, "x = 1\n", prefix="n")
    reads: list[Path] = []
    original = project.read_source

    def counted(path: Path) -> str | None:
        reads.append(path)
        return original(path)

    project.read_source = counted  # type: ignore[assignment]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # the search must not need a frame per module
    try:
        assert project.may_provide_app(tmp_path / "m0.py")
        assert not project.may_provide_app(tmp_path / "n0.py")
        assert not project.may_provide_app(tmp_path / "n7.py")  # answered from the cache
    finally:
        sys.setrecursionlimit(limit)
        project.read_source = original  # type: ignore[assignment]
    assert len(reads) == len(set(reads)) == 2400  # every module read once


def test_search_is_bounded(tmp_path: Path, fresh_caches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    _chain(tmp_path, 50, "x = 1\n", prefix="n")
    monkeypatch.setattr(project, "MAX_REACHED_MODULES", 10)
    assert project.may_provide_app(tmp_path / "n0.py")  # too far to rule out: maybe, not cached
    monkeypatch.setattr(project, "MAX_REACHED_MODULES", 100)
    assert not project.may_provide_app(tmp_path / "n0.py")


def test_deep_and_dense_graphs_through_flake8(tmp_path: Path) -> None:
    """Real flake8, -j1 and -j2: no file left unchecked, the same findings, the plain file's too."""
    (tmp_path / "pyproject.toml").write_text("")
    chain = tmp_path / "chain"
    dense = tmp_path / "dense"
    chain.mkdir()
    dense.mkdir()
    _chain(chain, 330, "from flask import Flask\nx = Flask(__name__)\n")
    (chain / "main.py").write_text("from m0 import x\nx.run(debug=True)\n")
    _dense(dense, 1500)
    (dense / "main.py").write_text("from d0 import x\nx.run(debug=True)\n")
    (tmp_path / "plain.py").write_text("from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n")
    runs = []
    for jobs in ("1", "2"):
        # the three files that start servers (the plugin reads the 1,830 others through their imports)
        result = run_flake8("--select=FDS", FORMAT, f"-j{jobs}", "chain/main.py", "dense/main.py", "plain.py", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "not checked" not in result.stdout + result.stderr
        assert "RecursionError" not in result.stdout + result.stderr
        runs.append(sorted(result.stdout.splitlines()))
    assert runs[0] == runs[1]
    found = {line.replace("\\", "/").lstrip("./") for line in runs[0]}
    assert {"plain.py|3|FDS100", "plain.py|3|FDS200"} <= found
    assert {"chain/main.py|2|FDS100", "chain/main.py|2|FDS200"} <= found


def test_deep_reexport_chain_resolves_in_process(tmp_path: Path, fresh_caches: None) -> None:
    """A chain of ``from mN import x`` re-exports is followed iteratively, with little stack."""
    (tmp_path / "pyproject.toml").write_text("")
    _chain(tmp_path, 400, "from flask import Flask\nx = Flask(__name__)\n")
    main = tmp_path / "main.py"
    main.write_text("from m0 import x\nx.run(debug=True)\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(600)
    try:
        found = {(finding.line, finding.code) for finding in check_source(main.read_text(), main)}
    finally:
        sys.setrecursionlimit(limit)
    assert found == {(2, "FDS100"), (2, "FDS200")}
