"""Hostile files through real flake8 and through the engine: no traceback, no crash, at most one clear line.

Every file sits in one tree that flake8 walks in a single run (several jobs), next
to a plain file whose findings must still come through. The engine is driven in a
subprocess too: the cases that used to crash it killed the interpreter outright
(a C stack overflow in libcst's parser), which an in-process test could not report.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from flake8_flask_devserver.engine import TOO_DEEP

from .conftest import run_flake8

HEAD = "from flask import Flask\n\napp = Flask(__name__)\n"
START = 'if __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n'
START_CODES = {"FDS101", "FDS200", "FDS300"}
PREFIX = "flake8-flask-devserver: "

#: 50,000 lines: 5,000 lines of views, then an HTML template. FDS_LONG_TESTS=1 makes all
#: 50,000 lines code (about 12,500 views; a minute or more per run instead of seconds).
LONG = os.environ.get("FDS_LONG_TESTS") == "1"


def _start_line(text: str) -> int:
    # split("\n"), not splitlines(): Python's tokenizer does not break lines on \x0c, \x1c, \u2028...
    return text.split("\n").index('    app.run(host="0.0.0.0", debug=True)') + 1


def _big_module(lines: int = 50_000) -> str:
    out = ["import os", "from flask import Flask, jsonify", "", "app = Flask(__name__)", ""]
    code_lines = lines - 20 if LONG else 5_000
    i = 0
    while len(out) < code_lines:
        out += [f'@app.route("/r{i}")', f"def view_{i}(x={i}):", f'    return jsonify({{"n": x + {i}}}), 200', ""]
        i += 1
    tail = ['"""', 'app.config["DEBUG"] = True', *START.rstrip("\n").split("\n")]
    out.append('PAGE = """')
    out += [f"<tr><td>row {n}</td><td>{{{{ value_{n} }}}}</td></tr>" for n in range(lines - len(out) - len(tail))]
    return "\n".join(out + tail) + "\n"


@dataclass(frozen=True)
class Case:
    """A hostile file. ``flake8``: what flake8 reports for it; ``engine``: what check_source does."""

    name: str
    data: bytes
    # "findings"; "E999" (flake8's syntax error: we stay quiet); "refused" (our one line); "none";
    # "skip": flake8 itself stops before any plugin runs (ast.parse raises MemoryError, or
    # ValueError for NUL bytes on Python 3.10).
    flake8: str
    engine: str  # "findings", "none" or the start of the SourceError message
    line: int = 0  # the dev-server start, for "findings"


def _nul_bytes_are_syntax_errors() -> bool:
    """Python 3.10 raises ValueError for NUL bytes, and flake8 (7.x) then stops with a traceback."""
    try:
        ast.parse("\x00")
    except SyntaxError:
        return True
    except ValueError:
        return False
    return True


def _findings_case(name: str, text: str, data: bytes | None = None) -> Case:
    return Case(name, data if data is not None else text.encode(), "findings", "findings", _start_line(text))


def _cases() -> list[Case]:
    plain = HEAD + START
    newer = HEAD + "type Port = int\n" + START  # PEP 695: Python 3.12
    latin1_cookie = "# -*- coding: latin-1 -*-\n" + HEAD + "NAME = 'café'\n" + START
    latin1 = HEAD + "NAME = 'café'\n" + START
    mixed = HEAD + "x = 1\ny = 2\nz = 3\n" + START
    mixed_bytes = mixed.replace("x = 1\n", "x = 1\r\n").replace("y = 2\n", "y = 2\r").encode()
    many_strings = "x = " + " ".join(["'a'"] * 5000) + "\n"
    elifs = "if a:\n    pass\n" + "elif a:\n    pass\n" * 10_000
    nul_comment = HEAD + "x = 1  # \x00\n" + START
    deep_and = "x = " + " and ".join(["y"] * 10_000) + "\n"
    nul = "E999" if _nul_bytes_are_syntax_errors() else "skip"
    return [
        _findings_case("plain.py", plain),
        Case("syntax_error.py", (HEAD + "app.run(\n").encode(), "E999", "libcst cannot parse it"),
        Case("python2.py", (HEAD + "print 'hello'\n" + START).encode(), "E999", "libcst cannot parse it"),
        _findings_case("newer_syntax.py", newer)
        if sys.version_info >= (3, 12)
        else Case("newer_syntax.py", newer.encode(), "E999", "findings", _start_line(newer)),
        # ast accepts it; libcst's parser gives up on 4000+ adjacent strings. Refused before that.
        Case("many_strings.py", (HEAD + many_strings + START).encode(), "refused", TOO_DEEP),
        Case("bytes_and_str.py", (HEAD + "x = b'a' 'b'\n" + START).encode(), "E999", "libcst cannot parse it"),
        _findings_case("latin1_cookie.py", latin1_cookie, latin1_cookie.encode("latin-1")),
        _findings_case("latin1_no_cookie.py", latin1, latin1.encode("latin-1")),
        _findings_case("bom.py", plain, b"\xef\xbb\xbf" + plain.encode()),
        _findings_case("crlf.py", plain, plain.replace("\n", "\r\n").encode()),
        _findings_case("cr_only.py", plain, plain.replace("\n", "\r").encode()),
        _findings_case("mixed_endings.py", mixed, mixed_bytes),
        # str.splitlines() breaks on these, Python's tokenizer does not: lines must not drift.
        _findings_case("unicode_breaks.py", HEAD + "# a\u2028b\x1cc\x85d\x0ce\nx = '\u2029\x1d\x1e'\n\x0c\n" + START),
        Case("nul_byte.py", (HEAD + "x = 1\x00\n" + START).encode(), nul, "libcst cannot parse it"),
        Case("nul_in_comment.py", nul_comment.encode(), nul, "findings", _start_line(nul_comment)),
        # Valid Python, true, and too large for a float (was an internal OverflowError).
        Case("huge_hex.py", (HEAD + START.replace("True", "0x" + "f" * 5000)).encode(), "findings", "findings", 5),
        Case("empty.py", b"", "none", "none"),
        Case("only_comment_no_newline.py", b"# from flask import Flask; app.run()", "none", "none"),
        Case("deep_and.py", (HEAD + deep_and + START).encode(), "refused", TOO_DEEP),
        # A first-party module with a statement too deep to read (silent itself: nothing starts a
        # server there): only that statement's names are unknown (firstparty.py reads statement by
        # statement); the app it defines is still found by its importer, and nothing crashes.
        Case("deep_lib.py", (HEAD + deep_and).encode(), "none", "none"),
        _findings_case("uses_deep_lib.py", "from deep_lib import app\n\n" + START),
        Case("deep_parens.py", (HEAD + "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n" + START).encode(), "E999", TOO_DEEP),
        Case("deep_lists.py", (HEAD + "x = " + "[" * 2000 + "]" * 2000 + "\n" + START).encode(), "E999", TOO_DEEP),
        Case("deep_not.py", (HEAD + "x = " + "not " * 10_000 + "y\n" + START).encode(), "skip", TOO_DEEP),
        Case("deep_lambda.py", (HEAD + "f = " + "lambda: " * 5000 + "1\n" + START).encode(), "skip", TOO_DEEP),
        Case("deep_elif.py", (HEAD + elifs + START).encode(), "skip", TOO_DEEP),
        Case("deep_fstring.py", (HEAD + 'x = f"{' + "-" * 10_000 + '1}"\n' + START).encode(), "skip", TOO_DEEP),
        # Deep, but within what the analysis follows.
        _findings_case("nested_200.py", HEAD + "x = " + "not " * 200 + "y\n" + START),
        _findings_case("big_module.py", _big_module()),
    ]


CASES = _cases()
FLAKE8_CASES = [case for case in CASES if case.flake8 != "skip"]

_ENGINE_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from flake8_flask_devserver.engine import SourceError, check_source
    from flake8_flask_devserver.project import decode_source

    out = {}
    for name in sys.argv[1:]:
        path = Path(name)
        data = path.read_bytes()
        text = decode_source(data)
        if text is None:
            text = data.decode("latin-1")  # what flake8 falls back to
        try:
            out[name] = [[f.line, f.col, f.code] for f in check_source(text, path)]
        except SourceError as error:
            out[name] = str(error)
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "setup.cfg").write_text("[flake8]\n")  # a project root of its own
    for case in CASES:
        (root / case.name).write_bytes(case.data)
    return root


@pytest.fixture(scope="module")
def flake8_run(tree: Path) -> subprocess.CompletedProcess[str]:
    names = [case.name for case in FLAKE8_CASES]
    fmt = "--format=%(path)s|%(row)d|%(col)d|%(code)s"
    return run_flake8("--select=FDS,E999,E902", fmt, "-j", "2", *names, cwd=tree)


@pytest.fixture(scope="module")
def engine_run(tree: Path) -> dict[str, list[list[int | str]] | str]:
    result = subprocess.run(
        [sys.executable, "-c", _ENGINE_SCRIPT, *(case.name for case in CASES)],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # A crash here is the interpreter dying (negative return code: a signal), not an exception.
    assert result.returncode == 0, f"engine died with {result.returncode}: {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def _flake8_by_file(result: subprocess.CompletedProcess[str]) -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {}
    for line in result.stdout.splitlines():
        path, row, _col, code = line.rsplit("|", 3)
        found.setdefault(path.removeprefix("./"), set()).add((int(row), code))
    return found


def test_flake8_run_completes_without_traceback(flake8_run: subprocess.CompletedProcess[str]) -> None:
    assert flake8_run.returncode == 1, flake8_run.stderr  # findings, no crash
    assert "Traceback" not in flake8_run.stderr
    assert "failed during execution" not in flake8_run.stderr


def test_flake8_stderr_is_one_clean_line_per_refused_file(flake8_run: subprocess.CompletedProcess[str]) -> None:
    refused = sorted(case.name for case in FLAKE8_CASES if case.flake8 == "refused")
    lines = sorted(flake8_run.stderr.splitlines())
    assert lines == sorted(f"{PREFIX}{name}: not checked, {TOO_DEEP}" for name in refused)


@pytest.mark.parametrize("case", FLAKE8_CASES, ids=lambda case: case.name)
def test_flake8(case: Case, flake8_run: subprocess.CompletedProcess[str]) -> None:
    found = _flake8_by_file(flake8_run).get(case.name, set())
    ours = {(row, code) for row, code in found if code.startswith("FDS")}
    if case.flake8 == "findings":
        assert ours == {(case.line, code) for code in START_CODES} | _config_debug(case)
    else:
        assert not ours  # E999, refused and empty files: nothing from us
    assert any(code == "E999" for _, code in found) is (case.flake8 == "E999")


def _config_debug(case: Case) -> set[tuple[int, str]]:
    if case.name != "big_module.py":
        return set()
    return {(case.line - 2, "FDS201")}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_engine(case: Case, engine_run: dict[str, list[list[int | str]] | str]) -> None:
    result = engine_run[case.name]
    if case.engine == "none":
        assert result == []
    elif case.engine == "findings":
        assert isinstance(result, list)
        expected = {(case.line, code) for code in START_CODES} | _config_debug(case)
        assert {(line, code) for line, _col, code in result} == expected
    else:
        assert isinstance(result, str) and result.startswith(case.engine), result
        assert "\n" not in result


def test_engine_positions_match_flake8(flake8_run: subprocess.CompletedProcess[str], engine_run: dict) -> None:
    """Line endings, BOMs and odd separators: the engine and flake8 agree on every column."""
    flake8_cols = {
        (path.removeprefix("./"), int(row), int(col), code)
        for path, row, col, code in (line.rsplit("|", 3) for line in flake8_run.stdout.splitlines())
        if code.startswith("FDS")
    }
    engine_cols = {
        (name, line, col + 1, code)
        for name, result in engine_run.items()
        if isinstance(result, list) and name in {case.name for case in FLAKE8_CASES if case.flake8 == "findings"}
        for line, col, code in result
    }
    assert engine_cols == flake8_cols


def test_flake8_walks_past_links_and_unreadable_files(tmp_path: Path) -> None:
    """flake8 reports unreadable files itself (E902); ours stay quiet and the rest is checked."""
    (tmp_path / "setup.cfg").write_text("[flake8]\n")
    (tmp_path / "app.py").write_text(HEAD + START)
    (tmp_path / "loop.py").symlink_to("loop.py")
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "parent").symlink_to("..")
    (tmp_path / "locked.py").write_text(HEAD + START)
    (tmp_path / "locked.py").chmod(0)
    try:
        result = run_flake8("--select=FDS,E902", "--format=%(path)s|%(row)d|%(col)d|%(code)s", ".", cwd=tmp_path)
    finally:
        (tmp_path / "locked.py").chmod(0o644)
    assert result.stderr == ""
    found = _flake8_by_file(result)
    assert found.pop("app.py") == {(5, code) for code in START_CODES}
    for name in ("loop.py", "a.py", "b.py", "dangling.py"):
        assert found.pop(name) == {(0, "E902")}
    if os.geteuid() != 0:
        assert found.pop("locked.py") == {(0, "E902")}
    else:
        found.pop("locked.py")
    assert found == {}


@pytest.mark.parametrize("display", [None, "web/app.py"])
def test_flake8_stdin(tmp_path: Path, display: str | None) -> None:
    """Editors pipe buffers through stdin: the same one line, naming what flake8 calls the file."""
    options = ["--select=FDS", "--format=%(path)s|%(row)d|%(code)s"]
    if display:
        options.append(f"--stdin-display-name={display}")
    deep = HEAD + "x = " + " and ".join(["y"] * 10_000) + "\n" + START
    refused = run_flake8(*options, "-", cwd=tmp_path, stdin=deep)
    assert (refused.returncode, refused.stdout) == (0, "")
    assert refused.stderr == f"{PREFIX}{display or 'stdin'}: not checked, {TOO_DEEP}\n"
    plain = run_flake8(*options, "-", cwd=tmp_path, stdin=(HEAD + START).replace("\n", "\r\n"))
    assert plain.stderr == ""
    assert sorted(plain.stdout.splitlines()) == sorted(f"{display or 'stdin'}|5|{code}" for code in START_CODES)
