"""The linter reads code, never runs it: not the files it checks, not the first-party
modules it reads to resolve imports, not its configuration; and it never reads a module
outside the project root.

Besides marker files that planted code would write, an audit hook records what the
engine does while it checks: no import of project modules, no exec, no process
started, no file opened outside the project (and the interpreter's own files).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from flake8_flask_devserver import apps, project
from flake8_flask_devserver.config import ConfigError, settings_for
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Finding, Launcher, Settings

from .conftest import run_flake8

T = TypeVar("T")
_EVENTS: list[tuple[str, tuple[object, ...]]] = []
_RECORDING = False
#: Audit events that mean code is being run or a process started.
_FORBIDDEN = ("exec", "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "subprocess.Popen", "ctypes")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING and (event in ("open", "import") or event.startswith(_FORBIDDEN)):
        _EVENTS.append((event, args))


sys.addaudithook(_hook)  # cannot be removed; it records only inside recorded()


def recorded(check: Callable[[], T]) -> tuple[T, list[tuple[str, tuple[object, ...]]]]:
    """Run ``check`` twice with cold caches; record the second run.

    The first run does the linter's own lazy imports (whose module code and dataclass
    builders are "exec" events too), so that any exec left in the second run is foreign.
    """
    global _RECORDING
    results = []
    for record in (False, True):
        project.clear_caches()
        apps.clear_caches()
        _EVENTS.clear()
        _RECORDING = record
        try:
            results.append(check())
        finally:
            _RECORDING = False
    assert results[0] == results[1]
    return results[1], list(_EVENTS)


def _interpreter_file(path: Path) -> bool:
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    return any(prefix in path.resolve().parents for prefix in prefixes)


def _assert_nothing_run(events: list[tuple[str, tuple[object, ...]]], planted: set[str]) -> None:
    assert not [event for event, _ in events if event.startswith(_FORBIDDEN)], events
    imported = {str(args[0]).split(".")[0] for event, args in events if event == "import"}
    assert not imported & planted, imported & planted


def _opened(events: list[tuple[str, tuple[object, ...]]]) -> set[Path]:
    paths = {Path(os.fsdecode(args[0])) for event, args in events if event == "open" and isinstance(args[0], (str, bytes))}
    return {path for path in paths if not _interpreter_file(path)}  # lazy imports of the linter's own modules


def _plant(path: Path, marker: Path, app: bool = True) -> None:
    """A module whose import would write ``marker``, and that defines a Flask app."""
    body = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
    if app:
        body += "from flask import Flask\n\napp = Flask(__name__)\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)


# -- first-party modules are read, never imported ---------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    _plant(root / "core.py", tmp_path / "core-imported")
    _plant(root / "pkg" / "__init__.py", tmp_path / "pkg-imported", app=False)
    _plant(root / "pkg" / "web.py", tmp_path / "web-imported")
    (root / "run_core.py").write_text("from core import app\n\napp.run(debug=True)\n")
    (root / "run_web.py").write_text("from pkg import web\n\nweb.app.run(debug=True)\n")
    # The checked file itself would write a marker if it ran.
    _plant(root / "run_self.py", tmp_path / "self-imported")
    with (root / "run_self.py").open("a") as handle:
        handle.write("app.run(debug=True)\n")
    return root


def _markers(root: Path) -> list[Path]:
    return sorted(root.parent.glob("*-imported"))


def test_engine_reads_first_party_modules_without_importing_them(planted: Path) -> None:
    found, events = recorded(
        lambda: {
            name: {finding.code for finding in check_source((planted / name).read_text(), planted / name)}
            for name in ("run_core.py", "run_web.py", "run_self.py")
        }
    )
    # The apps were resolved (findings came through), from text alone.
    assert found == {name: {"FDS100", "FDS200"} for name in found}
    assert _markers(planted) == []
    _assert_nothing_run(events, planted={"core", "pkg", "run_core", "run_web", "run_self"})
    # Read as text: the modules behind the imports (and the checked files, read by this test).
    assert {planted / "core.py", planted / "pkg" / "web.py"} <= _opened(events) <= set(planted.rglob("*.py"))


def test_flake8_reads_first_party_modules_without_importing_them(planted: Path) -> None:
    result = run_flake8("--select=FDS", "--format=%(path)s|%(row)d|%(code)s", ".", cwd=planted)
    assert result.stderr == ""
    lines = {"run_core.py": 3, "run_web.py": 3, "run_self.py": 6}
    assert sorted(result.stdout.splitlines()) == sorted(
        f"./{name}|{line}|{code}" for name, line in lines.items() for code in ("FDS100", "FDS200")
    )
    assert _markers(planted) == []


# -- nothing outside the project root is read --------------------------------------------------

_OUTSIDE_IMPORTS = {
    "sibling_module": ("from evil import app", "evil.py"),
    "sibling_package": ("from outside.evil import app", "outside/evil.py"),
    "relative_escape": ("from ...evil import app", "evil.py"),
}


@pytest.mark.parametrize("marker", ["pyproject.toml", "setup.cfg", ".git", None])
@pytest.mark.parametrize("case", _OUTSIDE_IMPORTS)
def test_modules_outside_the_project_root_are_never_read(tmp_path: Path, case: str, marker: str | None) -> None:
    """The same import finds the app inside the project root and nothing outside it."""
    statement, where = _OUTSIDE_IMPORTS[case]
    outside = tmp_path / "home"
    root = outside / "proj"
    package = root / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    if marker == ".git":
        (root / ".git").mkdir()
    elif marker is not None:
        (root / marker).write_text("")
    linted = package / "run.py"
    linted.write_text(f"{statement}\n\napp.run(debug=True)\n")
    # Without a marker the root is the folder above the top package: proj/ all the same.

    def findings() -> set[str]:
        codes, events = recorded(lambda: {finding.code for finding in check_source(linted.read_text(), linted)})
        assert all(root in path.parents for path in _opened(events)), _opened(events)
        return codes

    # Outside: planted next to (or above) the project, where Python's own import could find it.
    planted = [outside / where, tmp_path / where]  # home/ holds the project; tmp_path holds home/
    for path in planted:
        _plant(path, tmp_path / "outside-imported")
    assert findings() == set()

    # Control: the same module inside the root is found, so the import line does resolve.
    for path in planted:
        path.unlink()
    if case == "relative_escape":
        linted.write_text("from .evil import app\n\napp.run(debug=True)\n")
        _plant(package / "evil.py", tmp_path / "inside-imported")
    else:
        _plant(root / where, tmp_path / "inside-imported")
    assert findings() == {"FDS100", "FDS200"}
    assert not list(tmp_path.glob("*-imported"))


# -- configuration is data ----------------------------------------------------------------------

_PAYLOAD = "__import__('os').system('touch {marker}')"


def _hostile_settings(marker: Path) -> Settings:
    payload = _PAYLOAD.format(marker=marker)
    return Settings(
        app_classes=("os.system", payload),
        app_factories=("subprocess.call", "builtins.exec", payload),
        server_launchers=(Launcher("builtins.eval", host=0, debug="debug"), Launcher(payload, host=payload)),
        dev_config_classes=(payload, "*"),
        allowed_hosts=(payload, f"$(touch {marker})"),
    )


def test_settings_naming_dangerous_callables_are_only_names(tmp_path: Path) -> None:
    """``os.system`` as an app class, ``eval`` as a launcher: the checked code's calls become findings."""
    marker = tmp_path / "ran"
    source = (
        "import builtins\nimport os\nimport subprocess\n\n"
        f"app = os.system({str(marker)!r})\n"
        "app.run(debug=True)\n"
        f"builtins.eval({str(marker)!r}, debug=True)\n"
    )
    found, events = recorded(
        lambda: {(finding.line, finding.code) for finding in check_source(source, None, _hostile_settings(marker))}
    )
    assert found == {(6, "FDS100"), (6, "FDS200"), (7, "FDS100"), (7, "FDS200")}
    assert not marker.exists()
    _assert_nothing_run(events, planted=set())


def _hostile_pyproject(root: Path, marker: Path) -> Path:
    payload = _PAYLOAD.format(marker=marker)
    (root / "pyproject.toml").write_text(
        "[tool.flake8-flask-devserver]\n"
        f'app-classes = ["os.system", "{payload}"]\n'
        f'app-factories = ["{payload}"]\n'
        f'server-launchers = ["{payload}"]\n'
        f'dev-config-classes = ["{payload}"]\n'
        f'allowed-hosts = ["$(touch {marker})"]\n'
    )
    linted = root / "app.py"
    linted.write_text("import os\n\napp = os.system('x')\napp.run(debug=True)\n")
    return linted


def test_pyproject_values_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    linted = _hostile_pyproject(tmp_path, marker)

    def check() -> list[Finding]:
        try:
            settings = settings_for(linted)
        except ConfigError as error:
            assert "\n" not in str(error)
            settings = DEFAULT_SETTINGS
        return check_source(linted.read_text(), linted, settings)

    _, events = recorded(check)
    assert not marker.exists()
    _assert_nothing_run(events, planted={"app"})
    result = run_flake8("--select=FDS", str(linted.name), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert not marker.exists()


def test_pyproject_values_are_kept_as_data_or_rejected(tmp_path: Path) -> None:
    """A code-like value in the pyproject table is a plain name (or a one-line ConfigError), never run."""
    marker = tmp_path / "ran"
    linted = _hostile_pyproject(tmp_path, marker)
    try:
        settings = settings_for(linted)
    except ConfigError:
        return
    assert "os.system" in settings.app_classes
    assert _PAYLOAD.format(marker=marker) in settings.app_classes
