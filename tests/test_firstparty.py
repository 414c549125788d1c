"""First-party modules read for resolution: parsed at most once per run, within a work budget (issue 12 H6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import apps, engine, firstparty, project, slices
from flake8_flask_devserver.engine import check_source


@pytest.fixture(autouse=True)
def fresh_caches():
    project.clear_caches()
    apps.clear_caches()
    yield
    project.clear_caches()
    apps.clear_caches()


def _codes(path: Path) -> set[tuple[int, str]]:
    return {(finding.line, finding.code) for finding in check_source(path.read_text(), path)}


def test_each_statement_is_parsed_once_whatever_the_names_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    names = [f"N{i}" for i in range(30)]
    settings = tmp_path / "settings.py"
    settings.write_text("import os\n" + "".join(f"{name} = '127.0.0.{i}'\n" for i, name in enumerate(names)) + "DEBUG = True\n")
    asts: list[int] = []
    original = slices.parse

    def counted(source: str):  # type: ignore[no-untyped-def]
        asts.append(len(source))
        return original(source)

    monkeypatch.setattr(slices, "parse", counted)
    for i, name in enumerate(names):
        view = tmp_path / f"view{i}.py"
        view.write_text(
            f"from flask import Flask\nfrom settings import {name}, DEBUG\n\napp = Flask(__name__)\n"
            f"app.run(host={name}, debug=DEBUG)\n"
        )
        assert _codes(view) == {(5, "FDS100"), (5, "FDS200")}
    # 32 statements: each parsed by libcst once, the module by ast once, over 30 importers.
    assert firstparty.parses(settings) == 32
    assert asts.count(settings.stat().st_size) == 1


def test_a_data_module_costs_one_ast_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A statement past the budget is never handed to libcst; the names it binds are unknown."""
    parsed: list[int] = []
    original = engine.parse_module

    def counted(source: str):  # type: ignore[no-untyped-def]
        parsed.append(len(source))
        return original(source)

    monkeypatch.setattr(engine, "parse_module", counted)
    (tmp_path / "pyproject.toml").write_text("")
    rows = "".join(f'    "key{i}": [{i}, "value {i}"],\n' for i in range(8000))
    data = tmp_path / "data.py"
    data.write_text(
        "from flask import Flask\n\nDEBUG = True\napp = Flask(__name__)\n"
        f"TABLE = {{\n{rows}}}\nDEBUG = {{\n{rows}}}\nHOST = '0.0.0.0'\n"
    )
    assert data.stat().st_size > 2 * firstparty.MAX_STATEMENT_BYTES
    view = tmp_path / "view.py"
    view.write_text("from data import app, TABLE, DEBUG, HOST\n\napp.run(host=HOST, debug=DEBUG, port=TABLE)\n")
    # the app and HOST resolve; DEBUG was rebound by a statement too long to read: unknown, silent
    assert _codes(view) == {(3, "FDS100"), (3, "FDS300")}
    assert firstparty.parses(data) <= 6  # the small statements and two placeholders, never the tables
    assert max(parsed) < firstparty.MAX_STATEMENT_BYTES


def test_a_rebinding_past_the_budget_is_not_the_earlier_value(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    rows = "".join(f"    {i},\n" for i in range(20000))
    (tmp_path / "lib.py").write_text(f"from flask import Flask\n\napp = Flask(__name__)\napp = [\n{rows}]\n")
    view = tmp_path / "view.py"
    view.write_text("from lib import app\n\napp.run()\n")
    assert _codes(view) == set()
