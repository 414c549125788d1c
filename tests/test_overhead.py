"""What the plugin costs on every file flake8 checks, before the gate: bounded by counts, never by time."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from flake8_flask_devserver import config, engine, project
from flake8_flask_devserver.flake8_plugin import FlaskDevServerChecker
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Settings


@pytest.fixture(autouse=True)
def _fresh() -> None:
    project.clear_caches()
    config.clear_caches()


def _folder(tmp_path: Path, count: int) -> list[Path]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    paths = []
    for index in range(count):
        path = tmp_path / "pkg" / f"m{index}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text("x = 1\n")
        paths.append(path)
    return paths


def test_a_folders_test_status_is_found_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file asks whether it is test code; its folder's project root is looked up once per folder."""
    paths = _folder(tmp_path, 5)
    looked_up: list[Path] = []
    original = project._project_root
    monkeypatch.setattr(project, "_project_root", lambda folder, invoked: looked_up.append(folder) or original(folder, invoked))
    assert not any(project.is_test_file(path) for path in paths)
    assert looked_up == [tmp_path / "pkg"]


def test_the_engine_asks_once_per_file_whether_it_is_test_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (path,) = _folder(tmp_path, 1)
    asked: list[Path] = []
    original = project.is_test_file
    monkeypatch.setattr(project, "is_test_file", lambda where: asked.append(where) or original(where))
    assert engine.check_source("import flask\napp = flask.Flask(__name__)\napp.debug = True\n", path) != []
    assert asked == [path]


def test_the_last_folders_settings_are_reused_unhashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flake8 checks a folder's files one after another: the settings of the last folder are
    reused without hashing a Settings (all its fields) per file."""
    paths = _folder(tmp_path, 4)
    base, explicit = Settings(allowed_hosts=("0.0.0.0",)), frozenset({"allowed_hosts"})
    first = config.settings_for_file(str(paths[0]), base, explicit=explicit)
    hashed: list[int] = []
    original = Settings.__hash__
    monkeypatch.setattr(Settings, "__hash__", lambda self: hashed.append(1) or original(self))
    assert all(config.settings_for_file(str(path), base, explicit=explicit) is first for path in paths)
    assert hashed == []


def test_the_gate_reuses_the_last_settings_launchers_unhashed(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_flask_devserver import gate

    settings = Settings(allowed_hosts=("0.0.0.0",))
    gate.facts("x = 1\n", None, settings)
    hashed: list[int] = []
    original = Settings.__hash__
    monkeypatch.setattr(Settings, "__hash__", lambda self: hashed.append(1) or original(self))
    for _ in range(3):
        assert gate.facts("import os\nos.getcwd()\n", None, settings) is None
    assert hashed == []


def test_screening_before_the_fork_does_not_tokenize_long_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """needs_libcst (flake8's main process, before its workers fork) parses with Python first, so
    the nesting check counts per statement: a long file that needs libcst is not tokenized."""
    from flake8_flask_devserver import nesting

    source = "from flask import Flask\napp = Flask(__name__)\n" + "x = a.b(c)[d] + -e\n" * 300 + "app.run(debug=True)\n"
    assert len(nesting._DEEPENING.findall(source)) > nesting.MAX_NESTING
    tokenized: list[str] = []
    monkeypatch.setattr(nesting, "nesting_bound", lambda text: tokenized.append(text) or 0)
    assert engine.needs_libcst(source, None, DEFAULT_SETTINGS)
    assert tokenized == []


def test_sibling_folders_look_for_project_markers_in_their_parents_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    folders = [tmp_path / "pkg" / name for name in ("a", "b", "c")]
    for folder in folders:
        folder.mkdir(parents=True)
    asked: list[str] = []
    original = os.path.exists
    monkeypatch.setattr(os.path, "exists", lambda name: asked.append(str(name)) or original(name))
    assert all(project.project_root(folder) == tmp_path for folder in folders)
    assert sorted(asked) == sorted(set(asked))
    assert len([name for name in asked if Path(name).parent == tmp_path / "pkg"]) == len(project._ROOT_MARKERS)
