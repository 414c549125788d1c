"""The Flask-family table: one place, read by the resolver, the text gate and the docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import family, project
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_docs_render_the_table() -> None:
    text = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert family.markdown() in text, "run: python -m flake8_flask_devserver.docs > docs/rules.md"


def test_every_entry_cites_its_source() -> None:
    for member in family.TABLE:
        assert member.package and member.version[0].isdigit() and "/" in member.source, member
        if member.role is family.Role.APP_CLASS:
            assert member.family in ("flask", "quart", "dash", "apiflask"), member
        if member.role is family.Role.HOLDER_CLASS:
            assert member.attribute, member


@pytest.mark.parametrize("module", [m for m in family.MODULES])
def test_the_gate_knows_every_module_of_the_table(module: str) -> None:
    assert project.imports_family(f"from {module} import something\n")
    assert project.imports_family(f"import {module}.sub as alias\n")
    assert not project.imports_family(f"from {module}x import something\n")


@pytest.mark.parametrize(
    "member", [m for m in family.TABLE if m.role is family.Role.APP_CLASS], ids=lambda m: m.name
)
def test_every_app_class_is_an_app_by_each_of_its_names(member: family.Member) -> None:
    for name in member.names:
        module, _, attr = name.rpartition(".")
        method = "run_server" if member.family == "dash" else "run"
        source = f"from {module} import {attr} as Cls\n\nCls(__name__).{method}(host='0.0.0.0')\n"
        codes = {finding.code for finding in check_source(source, None, DEFAULT_SETTINGS)}
        assert codes == {"FDS100", "FDS300"}, (name, codes)


@pytest.mark.parametrize("member", [m for m in family.TABLE if m.role is family.Role.NO_RUN], ids=lambda m: m.name)
def test_wrappers_without_run_end_the_app(member: family.Member) -> None:
    module, _, attr = member.name.rpartition(".")
    source = f"from flask import Flask\nfrom {module} import {attr}\n\napp = {attr}(Flask(__name__))\napp.run()\n"
    assert check_source(source, None, DEFAULT_SETTINGS) == []


class _CountingPattern:
    """Stands in for project._IMPORT_LINE and counts the lines it is asked to read."""

    def __init__(self, pattern: object) -> None:
        self.pattern = pattern
        self.calls = 0

    def finditer(self, *args: object) -> object:
        self.calls += 1
        return self.pattern.finditer(*args)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "most"),
    [
        ("eve " * 50_000, 0),  # no import on the line: not read at all
        ("import os; " + "eve " * 50_000, 1),  # one line, read once however many hits
        ("import os\n" + "from x import y, \\\n    eve_ \\\n" * 5_000 + "\n", 5_001),  # each logical line once
        ("x = 1\n" + "import os  # eve\n" * 10_000, 10_000),
    ],
)
def test_imports_family_reads_each_line_once(monkeypatch: pytest.MonkeyPatch, source: str, most: int) -> None:
    counting = _CountingPattern(project._IMPORT_LINE)
    monkeypatch.setattr(project, "_IMPORT_LINE", counting)
    project.imports_family(source)  # (an over-approximation: words after ``import x;`` count too, as before)
    assert counting.calls <= most
