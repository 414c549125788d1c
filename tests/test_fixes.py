"""The fixes, through the pure fixer: before/after fixtures and the guarantees on every fixture."""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path

import pytest

from flake8_flask_devserver import rules
from flake8_flask_devserver.engine import SourceError, check_source
from flake8_flask_devserver.fixer import add_import, fix_once, fix_source, lint_source
from flake8_flask_devserver.noqa import Suppressions, split_lines

from .conftest import FIXTURES, python_fixtures

FIX_CASES = sorted(path.parent for path in (FIXTURES / "fixes").glob("*/before.py"))
TIERS = {"safe": False, "unsafe": True}


def _tiers(unsafe: bool) -> tuple[str, ...]:
    return ("safe", "unsafe") if unsafe else ("safe",)


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("case", FIX_CASES, ids=lambda path: path.name)
def test_fix_fixture(case: Path, tier: str) -> None:
    """fixtures/fixes/<case>/before.py fixed gives fixed/<tier>.py, byte for byte."""
    before = case / "before.py"
    source = before.read_bytes().decode("utf-8")
    expected = (case / "fixed" / f"{tier}.py").read_bytes().decode("utf-8")
    result = fix_source(source, before, unsafe=TIERS[tier])
    assert result.source == expected
    assert result.problems == []
    ast.parse(result.source)
    # the fixed findings are gone: nothing this tier can fix remains, and the engine agrees
    assert not [item for item in result.remaining if item.fix in _tiers(TIERS[tier])]
    suppress = Suppressions(result.source)
    engine = [f for f in check_source(result.source, before) if not suppress(f.line, f.code)]
    assert [item.finding for item in result.remaining] == engine
    # fixing twice changes nothing the second time
    again = fix_source(result.source, before, unsafe=TIERS[tier])
    assert again.source == result.source and again.fixed == []


def test_every_fixable_rule_has_a_fixture_fix() -> None:
    fixed_codes: set[str] = set()
    for case in FIX_CASES:
        before = case / "before.py"
        result = fix_source(before.read_text(encoding="utf-8"), before, unsafe=True)
        fixed_codes.update(finding.code for finding in result.fixed)
    fixable = {rule.CODE for rule in rules.ALL if rule.FIX_SAFETY is not None}
    assert fixable == {"FDS100", "FDS200", "FDS201", "FDS202", "FDS203", "FDS300"}
    assert fixed_codes == fixable


def test_fix_safety_is_documented() -> None:
    for rule in rules.ALL:
        section = rule.DOCS.split("## Fix safety", 1)[1].split("\n## ", 1)[0].strip()
        if rule.FIX_SAFETY is None:
            assert section.startswith("No automatic fix"), rule.CODE
            assert not hasattr(rule, "fix"), rule.CODE
        else:
            assert section.startswith(rule.FIX_SAFETY.capitalize() + ":"), rule.CODE


# -- guarantees on every fixture ---------------------------------------------------------------

ALL = python_fixtures()
_INSERTABLE = re.compile(r"\s*(import os|if __name__ == (['\"])__main__\2:)?\s*")


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("path", ALL, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_guarantees(path: Path, tier: str) -> None:
    """Round by round: only the edited code changes; the result parses; fixes reach a fixed point."""
    unsafe = TIERS[tier]
    source = path.read_text(encoding="utf-8")
    current = source
    for _ in range(4):
        new, spans = fix_once(current, path, unsafe=unsafe)
        if not spans:
            break
        _assert_only_spans_changed(current, new, spans)
        ast.parse(new)
        current = new
    result = fix_source(source, path, unsafe=unsafe)
    assert result.source == current
    assert fix_source(current, path, unsafe=unsafe).source == current
    assert not [item for item in result.remaining if item.fix in _tiers(unsafe)]


def _assert_only_spans_changed(old: str, new: str, spans: list[tuple[int, int]]) -> None:
    """Outside the edited lines, lines are kept byte for byte; only a guard line, ``import os``
    and blank lines may appear, and only blank lines next to a deleted statement may go."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    edited = {line for first, last in spans for line in range(first, last + 1)}
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for number in range(i1 + 1, i2 + 1):
            assert number in edited or not old_lines[number - 1].strip(), (number, old_lines[number - 1])
        if i1 == i2 or not any(number in edited for number in range(i1 + 1, i2 + 1)):
            for line in new_lines[j1:j2]:
                assert _INSERTABLE.fullmatch(line), line


# -- details -----------------------------------------------------------------------------------

APP = "from flask import Flask\n\napp = Flask(__name__)\n"


def test_unparsable_source_raises_and_is_not_fixed() -> None:
    with pytest.raises(SourceError):
        fix_source("from flask import Flask\napp = Flask(__name__)\napp.run(\n", "x.py")


def test_noqa_blocks_the_fix_for_its_code_only() -> None:
    source = APP + 'app.run(host="0.0.0.0", debug=True)  # noqa: FDS300\n'
    result = fix_source(source, "x.py", unsafe=True)
    assert 'host="0.0.0.0"' in result.source  # FDS300 is noqa'd: not fixed
    assert 'debug=os.environ.get("FLASK_DEBUG") == "1"' in result.source
    assert "if __name__" in result.source
    assert [item.finding.code for item in result.remaining] == ["FDS101"]


def test_file_level_noqa_skips_the_file() -> None:
    source = "# flake8: noqa\n" + APP + "app.run()\n"
    assert fix_source(source, "x.py").source == source
    assert lint_source(source, "x.py") == []


def test_lint_reports_fix_tiers() -> None:
    source = APP + 'app.run(host="0.0.0.0", debug=True)\nHOST = "::"\napp.run(host=HOST)\n'
    found = {(item.finding.line, item.finding.code): item.fix for item in lint_source(source, "x.py")}
    assert found == {
        (4, "FDS100"): "safe",
        (4, "FDS200"): "unsafe",
        (4, "FDS300"): "unsafe",
        (6, "FDS100"): "safe",
        (6, "FDS300"): None,  # through a constant: suggestion only
    }


def test_options_bound_elsewhere_are_left_alone() -> None:
    source = APP + 'OPTIONS = {"host": "0.0.0.0", "debug": os.getenv("DEBUG")}\napp.run(**OPTIONS)\n'
    found = {item.finding.code: item.fix for item in lint_source("import os\n" + source, "x.py")}
    assert found == {"FDS100": "safe", "FDS203": None, "FDS300": None}
    inline = APP + 'app.run(**{"host": "0.0.0.0", "debug": True})\n'
    found = {item.finding.code: item.fix for item in lint_source(inline, "x.py")}
    assert found == {"FDS100": "safe", "FDS200": "unsafe", "FDS300": "unsafe"}


def test_adjacent_guards_merge_but_not_across_blank_lines() -> None:
    source = APP + "app.run(port=1)\napp.run(port=2)\n\napp.run(port=3)\n"
    fixed = fix_source(source, "x.py").source
    assert fixed == APP + (
        'if __name__ == "__main__":\n    app.run(port=1)\n    app.run(port=2)\n\n'
        'if __name__ == "__main__":\n    app.run(port=3)\n'
    )


def test_deleting_the_last_statement_of_a_block_leaves_pass_and_the_comments() -> None:
    source = APP + "if True:\n    # on for now\n    app.debug = True  # remove me\nprint(1)\n"
    fixed = fix_source(source, "x.py", unsafe=True).source
    assert fixed == APP + "if True:\n    # on for now\n    pass\nprint(1)\n"


def test_update_items_are_removed_one_round_at_a_time() -> None:
    source = 'import os\n\nos.environ.update(FLASK_DEBUG="1", FLASK_ENV="development", OTHER="x")\n'
    result = fix_source(source, "x.py", unsafe=True)
    assert result.source == 'import os\n\nos.environ.update(OTHER="x")\n'
    assert [finding.code for finding in result.fixed] == ["FDS201", "FDS201"]


def test_debug_fix_not_offered_where_os_means_something_else() -> None:
    source = APP + "os = None\napp.run(debug=True)\n"
    assert {item.finding.code: item.fix for item in lint_source(source, "x.py")}["FDS200"] is None


def test_os_import_reused_when_present() -> None:
    source = "import os.path\n" + APP + "app.run(debug=True)\n"
    fixed = fix_source(source, "x.py", unsafe=True).source
    assert fixed.count("import os") == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"""Doc."""\nimport sys\n', '"""Doc."""\nimport os\nimport sys\n'),
        ("import abc\nimport sys\n", "import abc\nimport os\nimport sys\n"),
        ("import abc\nfrom sys import argv\n", "import abc\nimport os\nfrom sys import argv\n"),
        ("from sys import argv\n\nimport flask\n", "import os\nfrom sys import argv\n\nimport flask\n"),
        ('"""Doc."""\n\nimport flask\n', '"""Doc."""\n\nimport os\n\nimport flask\n'),
        ("from __future__ import annotations\nx = 1\n", "from __future__ import annotations\n\nimport os\n\nx = 1\n"),
        ("#!/usr/bin/env python\n# a comment\nx = 1\n", "#!/usr/bin/env python\n# a comment\nimport os\n\nx = 1\n"),
        ("import os\nx = 1\n", "import os\nx = 1\n"),
    ],
)
def test_import_os_goes_where_isort_puts_it(source: str, expected: str) -> None:
    import libcst as cst

    assert add_import(cst.parse_module(source), "os").code == expected


def test_noqa_lines_are_counted_like_flake8_counts_them() -> None:
    source = APP + "x = 1  \x0c  # a form feed inside a line\napp.run()  # noqa: FDS100\napp.run(port=2)\n"
    assert [item.finding.line for item in lint_source(source, "x.py")] == [6]
    assert fix_source(source, "x.py").source == source.replace(
        "app.run(port=2)\n", 'if __name__ == "__main__":\n    app.run(port=2)\n'
    )


def test_crlf_survives_fixing() -> None:
    source = (APP + 'app.run(host="0.0.0.0", debug=True)\n').replace("\n", "\r\n")
    fixed = fix_source(source, "x.py", unsafe=True).source
    assert "\n" not in fixed.replace("\r\n", "")
    assert fixed == (
        'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\nif __name__ == "__main__":\n'
        '    app.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")\n'
    ).replace("\n", "\r\n")


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda path: path.name)
def test_fixes_write_no_line_longer_than_88_or_the_file_s_longest(case: Path) -> None:
    before = (case / "before.py").read_text(encoding="utf-8")
    limit = max(88, *(len(line) for line in before.splitlines()))
    for tier in TIERS:
        fixed = (case / "fixed" / f"{tier}.py").read_text(encoding="utf-8")
        assert max(len(line) for line in fixed.splitlines()) <= limit, (case.name, tier)


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda path: path.name)
def test_fixes_of_black_formatted_code_stay_black_formatted(case: Path) -> None:
    """The real black: a file it formatted before the fix, it leaves as the fix wrote it."""
    black = pytest.importorskip("black")
    before = (case / "before.py").read_text(encoding="utf-8")
    if black.format_str(before, mode=black.Mode()) != before:
        pytest.skip("not black-formatted to begin with")
    for tier in TIERS:
        fixed = (case / "fixed" / f"{tier}.py").read_text(encoding="utf-8")
        assert black.format_str(fixed, mode=black.Mode()) == fixed, (case.name, tier)


@pytest.mark.parametrize(
    ("default", "fixed_default", "unset"),
    [("False", '""', False), ("None", '""', False), ("0", '""', False), ("True", '"1"', True), ("default=True", 'default="1"', True)],
)
def test_fds203_fix_keeps_the_meaning_of_a_non_string_default(default: str, fixed_default: str, unset: bool) -> None:
    source = f'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.debug = os.environ.get("X", {default})\n'
    result = fix_source(source, "app.py")
    assert [finding.code for finding in result.fixed] == ["FDS203"]
    assert f'os.environ.get("X", {fixed_default}).lower() not in (' in result.source
    for environ, expected in (({}, unset), ({"X": "0"}, False), ({"X": "false"}, False), ({"X": "1"}, True)):
        namespace: dict[str, object] = {}
        code = result.source.replace("from flask import Flask", "").replace("Flask(__name__)", "type('App', (), {})()")
        import os

        saved = os.environ.pop("X", None)
        try:
            os.environ.update(environ)
            exec(compile(code, "app.py", "exec"), namespace)  # noqa: S102 - the fixed text, built here
        finally:
            os.environ.pop("X", None)
            if saved is not None:
                os.environ["X"] = saved
        assert namespace["app"].debug is expected, (default, environ)  # type: ignore[attr-defined]
