"""The engine raises nothing but SourceError, whatever it is given (in process: none of these can crash it)."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import pytest

from flake8_flask_devserver.engine import SourceError, check_source

HEAD = "from flask import Flask\n\napp = Flask(__name__)\n"
START = 'if __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n'


def test_recursion_in_positions_is_a_source_error() -> None:
    """Findings' positions are computed by another recursive walk; it ran outside the guard.

    Sweeping the recursion limit puts the limit between the two walks for some value.
    """
    source = HEAD + "x = " + "-" * 40 + "1\n" + START
    assert len(check_source(source)) == 3  # imports done at the normal limit
    here = _depth()
    outcomes = set()
    old = sys.getrecursionlimit()
    try:
        for limit in range(here + 20, here + 400):
            sys.setrecursionlimit(limit)
            try:
                outcomes.add(len(check_source(source)))
            except SourceError:
                outcomes.add("refused")
    finally:
        sys.setrecursionlimit(old)
    assert outcomes == {"refused", 3}


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_lone_surrogates_are_a_source_error() -> None:
    with pytest.raises(SourceError, match="not valid Unicode"):
        check_source(HEAD + "x = '\udcff'\n" + START)


def test_first_party_module_that_libcst_rejects(tmp_path: Path) -> None:
    """An imported module libcst cannot read is skipped, not fatal (too deep: test_hostile.py, deep_lib.py)."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "bad.py").write_text(HEAD + "x = b'a' 'b'\n")
    (tmp_path / "good.py").write_text(HEAD)
    for module in ("bad", "good"):
        main = tmp_path / f"use_{module}.py"
        main.write_text(f"from {module} import app\n\napp.run(debug=True)\n")
        codes = {finding.code for finding in check_source(main.read_text(), main)}
        assert codes == ({"FDS100", "FDS200"} if module == "good" else set())


def test_unreachable_first_party_modules(tmp_path: Path) -> None:
    """Symlink loops, dangling links, directories named like modules, unreadable files: skipped."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "loop.py").symlink_to("loop.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    (tmp_path / "folder.py").mkdir()
    (tmp_path / "locked.py").write_text(HEAD)
    (tmp_path / "locked.py").chmod(0)
    try:
        for module in ("loop", "dangling", "folder", "locked"):
            main = tmp_path / f"use_{module}.py"
            main.write_text(f"from {module} import app\n\napp.run(debug=True)\n")
            found = check_source(main.read_text(), main)
            if module == "locked" and os.access(tmp_path / "locked.py", os.R_OK):
                continue  # running as root: nothing is unreadable
            assert found == []
    finally:
        (tmp_path / "locked.py").chmod(0o644)


def test_bytes_joined_to_str_is_a_source_error() -> None:
    """libcst parses ``b"a" "b"`` and rejects it in validation, with an error of another family."""
    with pytest.raises(SourceError, match="libcst cannot parse it"):
        check_source(HEAD + "x = b'a' 'b'\n" + START)


def test_syntax_error_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"libcst cannot parse it \(line \d+, column \d+\)"):
        check_source(HEAD + "app.run(\n")


def test_folders_we_may_not_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project folder without search permission (EACCES on stat): its modules are skipped.

    Path.is_file raised PermissionError there, out of the gate. Simulated with a failing
    os.stat so that it runs as root too; for real below when not root.
    """
    import errno

    from flake8_flask_devserver import project

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "web.py").write_text(HEAD)
    (tmp_path / "open.py").write_text(HEAD)
    main = tmp_path / "run.py"
    main.write_text("from locked.web import app\nfrom open import app as other\n\napp.run()\nother.run()\n")
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if isinstance(path, (str, bytes, os.PathLike)) and "locked" in Path(os.fsdecode(path)).parts[:-1]:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    project.clear_caches()
    monkeypatch.setattr(os, "stat", stat)
    found = check_source(main.read_text(), main)
    monkeypatch.undo()
    assert {(finding.line, finding.code) for finding in found} == {(5, "FDS100")}

    if os.geteuid() != 0:
        project.clear_caches()
        (tmp_path / "locked").chmod(0)
        try:
            found = check_source(main.read_text(), main)
        finally:
            (tmp_path / "locked").chmod(0o755)
        assert {(finding.line, finding.code) for finding in found} == {(5, "FDS100")}


#: Literals libcst parses and Python rejects (so flake8 says E999), that the engine
#: still evaluates when driven directly: bad escapes, integers past the 4300-digit limit.
ODD_LITERALS = [
    '"\\N{NO SUCH NAME}"',
    "'\\x4'",
    '"\\u12"',
    "b'\\xff\\u1234'",
    '"a" "\\N{X}"',
    "9" * 5000,
    "9" * 400 + ".0",
    "1e999",
    "0x" + "f" * 5000,
    "1j",
    'f"{x!r:{y}}"',
    "...",
]

#: Every place the engine evaluates a literal; {} is where the odd one goes.
LITERAL_SLOTS = [
    'if __name__ == {}:\n    app.run()\n',
    'if {} != __name__:\n    pass\nelse:\n    app.run()\n',
    "app.run(host={})\n",
    "app.run({}, 5000, {})\n",
    "app.run(debug={}, use_debugger={})\n",
    "app.run(**{{{}: True}})\n",
    "app.run(**dict(debug={}))\n",
    "app.config[{}] = True\napp.run()\n",
    'app.config["DEBUG"] = {}\n',
    "app.debug = {}\n",
    "app.config.update({{{}: {}}})\n",
    'app.config.setdefault({}, {})\n',
    "os.environ[{}] = {}\n",
    'os.environ["FLASK_DEBUG"] = {}\n',
    'os.environ.setdefault("FLASK_ENV", {})\n',
    'os.putenv({}, {})\n',
    "class Config:\n    DEBUG = {}\n",
    "class ProductionConfig(Config):\n    DEBUG: bool = {}\n",
    "app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex={})\n",
    "SocketIO(app).run(app, host={}, allow_unsafe_werkzeug={})\n",
    "run_simple({}, 5000, app, use_debugger={})\n",
    "HOST = {}\napp.run(host=os.environ.get('HOST', HOST) or {})\n",
]

_ODD_HEAD = (
    "import os\nfrom flask import Flask\nfrom flask_socketio import SocketIO\n"
    "from werkzeug.debug import DebuggedApplication\nfrom werkzeug.serving import run_simple\n\n"
    "app = Flask(__name__)\n"
)


@pytest.mark.parametrize("slot", LITERAL_SLOTS)
def test_odd_literals_in_every_evaluated_place(slot: str) -> None:
    """literal_eval raised SyntaxError from the __main__ guard and truth(), float() OverflowError."""
    for literal in ODD_LITERALS:
        source = _ODD_HEAD + slot.format(*[literal] * slot.count("{}"))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # and evaluating them warns nobody
            try:
                check_source(source)
            except SourceError:
                pass


def test_huge_hex_debug_value_is_true() -> None:
    """Valid Python (flake8 runs us on it): 0x<5000 digits> is true, and too large for a float."""
    source = HEAD + "app.run(debug=0x" + "f" * 5000 + ")\n"
    assert {finding.code for finding in check_source(source)} == {"FDS100", "FDS200"}


def test_invalid_escapes_do_not_warn() -> None:
    """literal_eval warns about "\\d" (a SyntaxWarning on stderr from Python 3.12): not from us."""
    source = HEAD + 'if __name__ == "\\d":\n    pass\napp.run(host="\\d", debug="\\d")\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert {finding.code for finding in check_source(source)} == {"FDS100", "FDS203"}
