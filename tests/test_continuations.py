"""Line continuations and parentheses the text screens must read as Python does (the gate differential found both)."""

from __future__ import annotations

import pytest

from flake8_flask_devserver import configflow, project


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from plugins.web \\\n    .views import app\n", (0, "plugins.web.views")),
        ("x = 1\r\nfrom plugins.web \\\r\n    .views import app\r\n", (0, "plugins.web.views")),
        ("from  \\\n    shop import app\n", (0, "shop")),
        ("from . import views\n", (1, "")),
    ],
)
def test_imports_across_continuations(source: str, expected: tuple[int, str]) -> None:
    assert expected in project.first_party_imports(source)


@pytest.mark.parametrize(
    ("source", "on"),
    [
        ("DEBUG = True\n", True),
        ("DEBUG \\\n    = True\n", True),
        ("(DEBUG) = 1\n", True),
        ("x = 1; DEBUG = 'yes'\n", True),
        ("DEBUG: bool = True\n", True),
        ("DEBUG = False\n", False),
        ("DEBUG = \\\n    None\n", False),
        ("app.DEBUG = True\n", False),
        ("MY_DEBUG = True\n", False),
        ("if DEBUG == 1:\n    pass\n", False),
    ],
)
def test_module_level_debug_screen(source: str, on: bool) -> None:
    assert configflow._module_level_debug(source) is on


def test_screen_is_linear_on_space_runs() -> None:
    # a long run of spaces after a continued import, or after DEBUG, is scanned once
    source = "from a \\\n" + " " * 200_000 + "x\nDEBUG" + " " * 200_000 + "\n"
    assert project.first_party_imports(source) == []  # no import statement there
    assert configflow._module_level_debug(source) is False


def test_a_logical_line_ends_at_any_line_break_python_reads() -> None:
    """``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line; a backslash before any of them joins the next.

    Found in review: the import reader looked for ``\\n`` only, so a CR-only file made each import
    line run to the end of the text (quadratic in imports).
    """
    from flake8_flask_devserver.project import _logical_end

    assert _logical_end("a\\\nb\nc", 0) == 4
    assert _logical_end("a\\\r\nb\r\nc", 0) == 5
    assert _logical_end("a\\\rb\rc", 0) == 4
    assert _logical_end("import x\r" + "y = 1\r" * 1000, 0) == 8
    assert _logical_end("abc", 0) == 3
