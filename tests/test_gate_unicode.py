"""Identifiers as Python reads them: NFKC-normalised (PEP 3131), strings and comments untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import apps, engine

from .conftest import run_flake8

FULL_RUN = "\uff52\uff55\uff4e"  # ｒｕｎ
FULL_DEBUG = "\uff44\uff45\uff42\uff55\uff47"  # ｄｅｂｕｇ
FULL_FLASK = "\uff46\uff4c\uff41\uff53\uff4b"  # ｆｌａｓｋ


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (f"app.{FULL_RUN}({FULL_DEBUG}=True)\n", "app.run(debug=True)\n"),
        (f"from {FULL_FLASK} import Flask\r\nx = '{FULL_RUN}'  # {FULL_RUN}\r\n", f"from flask import Flask\r\nx = '{FULL_RUN}'  # {FULL_RUN}\r\n"),
        (f"x = 1\ry = '{FULL_RUN}'\r{FULL_RUN} = 2\r", f"x = 1\ry = '{FULL_RUN}'\rrun = 2\r"),
        ("caf\u00e9 = 'd\u00e9j\u00e0'\n", "caf\u00e9 = 'd\u00e9j\u00e0'\n"),  # already normal: unread
        ("\ufb01le = 1\n", "file = 1\n"),  # a ligature: two characters
        (f"x = ({FULL_RUN}\n", f"x = ({FULL_RUN}\n"),  # Python cannot tokenize it: as it is
    ],
)
def test_normalize_identifiers(source: str, expected: str) -> None:
    assert engine.normalize_identifiers(source) == expected


def test_ascii_is_returned_as_is() -> None:
    source = "app.run(debug=True)\n" * 3
    assert engine.normalize_identifiers(source) is source


def test_full_width_names_are_found_through_flake8(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        f"from {FULL_FLASK} import Flask\napp = Flask(__name__)\napp.{FULL_RUN}({FULL_DEBUG}=True)\n", encoding="utf-8"
    )
    result = run_flake8("--select=FDS", "--format=%(row)d:%(col)d:%(code)s", "app.py", cwd=tmp_path)
    assert result.stdout.split() == ["3:1:FDS100", "3:9:FDS200"], result.stderr


def test_first_party_modules_are_read_normalised(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "web.py").write_text(f"from {FULL_FLASK} import Flask\nsite = Flask(__name__)\n", encoding="utf-8")
    main = tmp_path / "main.py"
    source = "import flask\nfrom shop.web import site\nsite.run(debug=True)\n"
    apps.clear_caches()
    try:
        found = {(f.line, f.code) for f in engine.check_source(source, main)}
    finally:
        apps.clear_caches()
    assert found == {(3, "FDS100"), (3, "FDS200")}
