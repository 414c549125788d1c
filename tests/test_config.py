"""Configuration: pyproject.toml and flake8 options, precedence, the upward walk, bad configuration.

Most tests build a small project in ``tmp_path`` (with a ``.git`` folder, so the
upward walk stops there) and run the real flake8 in a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import pytest

from flake8_flask_devserver import config
from flake8_flask_devserver.config import ConfigError, settings_for
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Launcher, Settings

from .conftest import FIXTURES, run_flake8

PREFIX = "flake8-flask-devserver: "
FORMAT = "--format=%(path)s|%(row)d|%(code)s"

#: One start per app class; which lines are reported shows which classes were configured.
THREE_APPS = """\
from shopkit.core import AdminFlask, OpsFlask, ShopFlask

ShopFlask("a").run(host="0.0.0.0")
AdminFlask("b").run(host="0.0.0.0")
OpsFlask("c").run(host="0.0.0.0")
"""


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    config.clear_caches()
    yield
    config.clear_caches()


def make(root: Path, files: dict[str, str], *, repo: bool = True) -> Path:
    """Write ``files`` under ``root`` (a repository root unless ``repo`` is False)."""
    if repo:
        (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def table(body: str) -> str:
    return "[tool.flake8-flask-devserver]\n" + textwrap.dedent(body)


def flake8(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = run_flake8("--select=FDS", FORMAT, *args, cwd=cwd, stdin=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def found(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int, str]]:
    rows = set()
    for line in result.stdout.splitlines():
        path, row, code = line.rsplit("|", 2)
        rows.add((path.removeprefix("./"), int(row), code))
    return rows


def config_error(root: Path, *args: str) -> str:
    """The message of a failed run's FDS001 findings: one on line 1 of each file, the same for all.

    A bad value never stops flake8 (issue 15 item 3): the run goes on, other plugins
    report, and ours says why on every file the configuration governs.
    """
    result = run_flake8("--select=FDS", "--format=%(path)s|%(row)d|%(code)s|%(text)s", *args, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    assert (result.returncode, result.stderr) == (1, "")
    rows = [line.split("|", 3) for line in result.stdout.splitlines()]
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    assert sorted(path.removeprefix("./") for path, _, _, _ in rows) == files  # one per file
    assert {(row, code) for _, row, code, _ in rows} == {("1", "FDS001")}
    messages = {text for _, _, _, text in rows}
    assert len(messages) == 1
    return messages.pop().removesuffix("; file not checked")


# -- each setting changes the findings ------------------------------------------


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "config").iterdir()))
def test_config_fixtures_depend_on_their_table(case: str) -> None:
    """Each fixtures/config project reports differently with its table than with defaults."""
    differs = False
    for path in sorted((FIXTURES / "config" / case).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        default = {(f.line, f.code) for f in check_source(source, path)}
        configured = {(f.line, f.code) for f in check_source(source, path, settings_for(path))}
        differs |= default != configured
    assert differs


# -- precedence: command line > flake8 config > pyproject > defaults --------------


def test_precedence(tmp_path: Path) -> None:
    pyproject = table(
        """\
        app-classes = ["shopkit.core.ShopFlask"]
        allowed-hosts = ["0.0.0.0"]
        """
    )
    root = make(tmp_path, {"pyproject.toml": pyproject, "main.py": THREE_APPS})
    assert found(flake8(root)) == {("main.py", 3, "FDS100")}

    (root / ".flake8").write_text("[flake8]\nflask-app-classes = shopkit.core.AdminFlask\n", encoding="utf-8")
    # key by key: app-classes from the flake8 config, allowed-hosts still from pyproject
    assert found(flake8(root)) == {("main.py", 4, "FDS100")}

    assert found(flake8(root, "--flask-app-classes=shopkit.core.OpsFlask")) == {("main.py", 5, "FDS100")}
    assert found(flake8(root, "--flask-allowed-hosts=")) == {("main.py", 4, "FDS100"), ("main.py", 4, "FDS300")}
    assert found(flake8(root, "--flask-app-classes=")) == set()


@pytest.mark.parametrize("name", ["setup.cfg", "tox.ini"])
def test_other_flake8_config_files(tmp_path: Path, name: str) -> None:
    pyproject = table('app-classes = ["shopkit.core.ShopFlask"]\nallowed-hosts = ["0.0.0.0"]\n')
    config_file = "[flake8]\nflask-app-classes = shopkit.core.OpsFlask\n"
    root = make(tmp_path, {"pyproject.toml": pyproject, name: config_file, "main.py": THREE_APPS})
    assert found(flake8(root)) == {("main.py", 5, "FDS100")}


def test_flake8_config_alone(tmp_path: Path) -> None:
    """Factories and launchers taught through .flake8 only, multi-line and compact forms."""
    root = make(
        tmp_path,
        {
            ".flake8": """\
                [flake8]
                flask-app-factories =
                    shopkit.factory.build,
                    shopkit.factory.other
                flask_server_launchers = shopkit.devtools.serve:host=0:debug=debug
                flask-dev-config-classes = Sandbox
                """,
            "main.py": """\
                from shopkit.devtools import serve
                from shopkit.factory import build, other

                build().run(debug=True)
                other().run()
                serve("0.0.0.0", debug=True)


                class SandboxConfig:
                    DEBUG = True


                class DevelopmentConfig:
                    DEBUG = True
                """,
        },
    )
    assert found(flake8(root)) == {
        ("main.py", 4, "FDS100"),
        ("main.py", 4, "FDS200"),
        ("main.py", 5, "FDS100"),
        ("main.py", 6, "FDS100"),
        ("main.py", 6, "FDS200"),
        ("main.py", 6, "FDS300"),
        ("main.py", 14, "FDS204"),
    }


def test_launcher_parameters_from_the_command_line(tmp_path: Path) -> None:
    root = make(tmp_path, {"main.py": 'from shopkit.devtools import serve\n\nserve(1, "0.0.0.0", True)\n'})
    assert found(flake8(root)) == set()
    assert found(flake8(root, "--flask-server-launchers=shopkit.devtools.serve")) == {("main.py", 3, "FDS100")}
    assert found(flake8(root, "--flask-server-launchers=shopkit.devtools.serve:host=1:debug=2")) == {
        ("main.py", 3, "FDS100"),
        ("main.py", 3, "FDS200"),
        ("main.py", 3, "FDS300"),
    }


def test_per_file_ignores_as_documented(tmp_path: Path) -> None:
    launcher = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True)\n'
    flake8_config = """\
        [flake8]
        per-file-ignores =
            # the local launcher may start the dev server from its __main__ block
            manage.py:FDS101
            scripts/dev_server.py:FDS101,FDS200
        """
    files = {".flake8": flake8_config, "manage.py": launcher, "scripts/dev_server.py": launcher, "other.py": launcher}
    root = make(tmp_path, files)
    assert found(flake8(root)) == {("manage.py", 4, "FDS200"), ("other.py", 4, "FDS101"), ("other.py", 4, "FDS200")}


# -- which pyproject.toml ------------------------------------------------------------


def test_walk_stops_at_the_repository_root(tmp_path: Path) -> None:
    outer = make(tmp_path, {"pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n')}, repo=False)
    repo = make(outer / "repo", {"main.py": THREE_APPS})
    assert found(flake8(repo)) == set()  # the table above .git is not this repository's
    (repo / ".git").rmdir()
    (repo / ".git").write_text("gitdir: /elsewhere\n", encoding="utf-8")  # a worktree or submodule
    assert found(flake8(repo)) == set()
    (repo / ".git").unlink()
    assert found(flake8(repo)) == {("main.py", 3, "FDS100"), ("main.py", 3, "FDS300")}


def test_nearest_table_wins_and_files_without_one_are_skipped(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        {
            "pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n'),
            "main.py": THREE_APPS,
            "inner/pyproject.toml": table('app-classes = ["shopkit.core.AdminFlask"]\n'),
            "inner/main.py": THREE_APPS,
            "plain/pyproject.toml": '[project]\nname = "plain"\ndependencies = ["flake8-flask-devserver"]\n',
            "plain/main.py": THREE_APPS,
        },
    )
    assert {(path, line) for path, line, _ in found(flake8(root))} == {
        ("main.py", 3),
        ("inner/main.py", 4),
        ("plain/main.py", 3),
    }


def test_stdin_reads_the_current_directory_or_the_display_name(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        {
            "pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n'),
            "inner/pyproject.toml": table('app-classes = ["shopkit.core.OpsFlask"]\n'),
        },
    )
    assert {line for _, line, _ in found(flake8(root, "-", stdin=THREE_APPS))} == {3}
    named = flake8(root, "--stdin-display-name=inner/main.py", "-", stdin=THREE_APPS)
    assert {line for _, line, _ in found(named)} == {5}


def test_each_pyproject_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(
        tmp_path,
        {
            "pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n'),
            "pkg/a/one.py": "",
            "pkg/a/two.py": "",
            "pkg/b/three.py": "",
            "inner/pyproject.toml": table("allowed-hosts = []\n"),
            "inner/four.py": "",
        },
    )
    reads: list[Path] = []
    real = config._read_table

    def counting(path: Path, warn: config.Warn) -> config.ProjectTable | None:
        reads.append(path)
        return real(path, warn)

    monkeypatch.setattr(config, "_read_table", counting)
    for name in ("pkg/a/one.py", "pkg/a/two.py", "pkg/b/three.py", "inner/four.py", "pkg/a/one.py"):
        settings_for(root / name)
    assert sorted(reads) == sorted(set(reads))
    assert root / "pyproject.toml" in reads and root / "inner/pyproject.toml" in reads


# -- settings_for() for the command line and editors -----------------------------------


def test_settings_for_merges_base_over_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(
        tmp_path,
        {
            "pyproject.toml": table(
                """\
                app-classes = ["shopkit.core.ShopFlask"]
                allowed-hosts = ["0.0.0.0"]
                server-launchers = [{name = "shopkit.devtools.serve", host = "bind", debug = 2}, "shopkit.x.go"]
                """
            ),
        },
    )
    from_table = settings_for(root / "main.py")
    assert from_table == Settings(
        app_classes=("shopkit.core.ShopFlask",),
        server_launchers=(Launcher("shopkit.devtools.serve", "bind", 2), Launcher("shopkit.x.go")),
        allowed_hosts=("0.0.0.0",),
    )
    # without ``explicit``, the fields of ``base`` that differ from the defaults win
    base = Settings(app_classes=("other.App",))
    assert settings_for(root / "main.py", base) == Settings(
        app_classes=("other.App",),
        server_launchers=from_table.server_launchers,
        allowed_hosts=("0.0.0.0",),
    )
    # ``explicit`` names the fields set on purpose, even when they equal the defaults
    assert settings_for(root, DEFAULT_SETTINGS, explicit=frozenset({"allowed_hosts"})).allowed_hosts == ()
    monkeypatch.chdir(root / "sub" if (root / "sub").is_dir() else root)
    assert settings_for(None) == from_table


def test_settings_for_file_answers_like_settings_for_and_forgets_with_the_caches(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": table('allowed-hosts = ["0.0.0.0"]\n'), "pkg/__init__.py": ""})
    for name in ("main.py", "pkg/__init__.py"):
        assert config.settings_for_file(str(root / name)) == settings_for(root / name)
    assert config.settings_for_file(str(root / "main.py")).allowed_hosts == ("0.0.0.0",)
    (root / "pyproject.toml").write_text(table('allowed-hosts = ["::"]\n'), encoding="utf-8")
    assert config.settings_for_file(str(root / "main.py")).allowed_hosts == ("0.0.0.0",)  # read once per run
    config.clear_caches()
    assert config.settings_for_file(str(root / "main.py")).allowed_hosts == ("::",)


# -- the tomli fallback (Python < 3.11) ----------------------------------------------


def test_tomli_is_used_below_python_311(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_USE_TOMLLIB", False)
    config.clear_caches()
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as if it did not exist
    assert config._toml().__name__ == "tomli"
    root = make(tmp_path, {"pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n')})
    assert settings_for(root / "main.py").app_classes == ("shopkit.core.ShopFlask",)
    (root / "pyproject.toml").write_text(table("app-classes = [a.b]\n"), encoding="utf-8")
    config.clear_caches()
    with pytest.raises(ConfigError) as raised:
        settings_for(root / "main.py")
    assert raised.value.problem == "invalid TOML at line 2, column 16: Invalid value"


def test_tomli_fallback_through_flake8(tmp_path: Path) -> None:
    """The whole flake8 run, with tomllib unimportable and the < 3.11 branch taken."""
    pyproject = table('app-classes = ["shopkit.core.ShopFlask"]\n')
    root = make(tmp_path, {"pyproject.toml": pyproject, "main.py": THREE_APPS})
    script = (
        "import sys; sys.modules['tomllib'] = None\n"
        "from flake8_flask_devserver import config; config._USE_TOMLLIB = False\n"
        "from flake8.main.cli import main\n"
        f"sys.exit(main(['--select=FDS', {FORMAT!r}, '-j1', '.']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.stderr == ""
    assert found(result) == {("main.py", 3, "FDS100"), ("main.py", 3, "FDS300")}


def test_missing_toml_reader_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_USE_TOMLLIB", False)
    monkeypatch.setitem(sys.modules, "tomli", None)
    config.clear_caches()
    root = make(tmp_path, {"pyproject.toml": table('app-classes = ["a.b"]\n')})
    monkeypatch.chdir(root)
    with pytest.raises(ConfigError) as raised:
        settings_for(root / "main.py")
    assert str(raised.value) == "pyproject.toml: cannot read TOML: install tomli (needed on Python < 3.11)"


# -- bad configuration: one line, no traceback, a failing run --------------------------

S = "pyproject.toml: [tool.flake8-flask-devserver]"

BAD_PYPROJECT = {
    "string-not-array": (
        'app-classes = "shopkit.core.ShopFlask"',
        f'{S} app-classes: expected an array of qualified class names such as ["shop.core.ShopFlask"], got a string',
    ),
    "not-qualified": (
        'app-factories = ["build"]',
        f'{S} app-factories: "build" is not a qualified name; expected module.name such as "shop.factory.build"',
    ),
    "empty-part": (
        'app-classes = ["shop..App"]',
        f'{S} app-classes: "shop..App" is not a qualified name; expected module.name such as "shop.core.ShopFlask"',
    ),
    "keyword-part": (
        'app-factories = ["shop.import.build"]',
        f'{S} app-factories: "shop.import.build" is not a qualified name; '
        'expected module.name such as "shop.factory.build"',
    ),
    "integer-host": (
        "allowed-hosts = [0]",
        f'{S} allowed-hosts: expected an array of bind addresses such as ["0.0.0.0"], got an array with an integer',
    ),
    "host-with-space": (
        'allowed-hosts = ["0.0.0.0 ::"]',
        f'{S} allowed-hosts: "0.0.0.0 ::" is not a bind address; expected something such as "0.0.0.0"',
    ),
    "pattern": (
        'dev-config-classes = ["Dev Config"]',
        f'{S} dev-config-classes: "Dev Config" is not a class-name word or glob pattern; '
        'expected something such as "Dev" or "*Sandbox*"',
    ),
    "launchers-string": (
        'server-launchers = "shop.devtools.serve"',
        f"{S} server-launchers: expected an array of qualified names or tables such as "
        '["shop.devtools.serve"] or [{name = "shop.devtools.serve", host = 0}], got a string',
    ),
    "launcher-number": (
        "server-launchers = [1]",
        f"{S} server-launchers: expected an array of qualified names or tables such as "
        '["shop.devtools.serve"] or [{name = "shop.devtools.serve", host = 0}], got an array with an integer',
    ),
    "launcher-without-name": (
        "server-launchers = [{host = 0}]",
        f'{S} server-launchers[0]: expected name = "module.function" such as "shop.devtools.serve", got no name',
    ),
    "launcher-bad-name": (
        'server-launchers = [{name = "serve"}]',
        f'{S} server-launchers[0].name: "serve" is not a qualified name; '
        'expected module.name such as "shop.devtools.serve"',
    ),
    "launcher-boolean-debug": (
        'server-launchers = [{name = "shop.devtools.serve", debug = true}]',
        f"{S} server-launchers[0].debug: expected a parameter index (0, 1, ...) or a parameter name "
        'such as "debug", got true',
    ),
    "launcher-negative-host": (
        'server-launchers = [{name = "shop.devtools.serve", host = -1}]',
        f"{S} server-launchers[0].host: expected a parameter index (0, 1, ...) or a parameter name "
        'such as "host", got -1',
    ),
    "launcher-same-parameter": (
        'server-launchers = [{name = "shop.devtools.serve", host = 1, debug = 1}]',
        f"{S} server-launchers[0]: shop.devtools.serve: host and debug cannot be the same parameter (1)",
    ),
    "launcher-compact": (
        'server-launchers = ["shop.devtools.serve:port=1"]',
        f'{S} server-launchers: "shop.devtools.serve:port=1": expected name:host=<index or name>:debug=<index or name> '
        'such as "shop.devtools.serve:host=0:debug=debug"',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PYPROJECT))
def test_bad_pyproject_value(tmp_path: Path, case: str) -> None:
    body, message = BAD_PYPROJECT[case]
    root = make(tmp_path, {"pyproject.toml": table(body + "\n"), "main.py": THREE_APPS})
    assert config_error(root) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (table("app-classes = [a.b]\n"), "pyproject.toml: invalid TOML at line 2, column 16: Invalid value"),
        (table('app-classes = ["a.b"\n'), "pyproject.toml: invalid TOML at line 3, column 1: Unclosed array"),
        (
            "[tool]\nflake8-flask-devserver = 1\n",
            "pyproject.toml: tool.flake8-flask-devserver: expected a table, got an integer",
        ),
    ],
    ids=["syntax", "end-of-document", "not-a-table"],
)
def test_bad_pyproject_document(tmp_path: Path, text: str, message: str) -> None:
    root = make(tmp_path, {"pyproject.toml": text, "main.py": THREE_APPS})
    assert config_error(root) == message


def test_pyproject_not_utf8(tmp_path: Path) -> None:
    root = make(tmp_path, {"main.py": THREE_APPS})
    (root / "pyproject.toml").write_bytes(table('app-classes = ["\xff"]\n').encode("latin-1"))
    assert config_error(root) == "pyproject.toml: not valid UTF-8 at line 2, column 17; TOML files must be UTF-8"


def test_broken_pyproject_that_is_not_ours_is_ignored(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": "[project\nname = 'x'\n", "main.py": THREE_APPS})
    result = flake8(root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            ".flake8",
            "[flake8]\nflask-app-factories = build\n",
            '.flake8: [flake8] flask-app-factories: "build" is not a qualified name; '
            "expected module.name such as shop.factory.build",
        ),
        (
            "setup.cfg",
            "[flake8]\nflask_allowed_hosts = 0.0.0.0\nflask-server-launchers = a.serve:debug=on:debug=0\n",
            'setup.cfg: [flake8] flask-server-launchers: "a.serve:debug=on:debug=0": expected name:host=<index or '
            "name>:debug=<index or name> such as shop.devtools.serve:host=0:debug=debug",
        ),
    ],
)
def test_bad_flake8_config(tmp_path: Path, name: str, text: str, message: str) -> None:
    root = make(tmp_path, {name: text, "main.py": THREE_APPS})
    assert config_error(root) == message


def test_bad_command_line_option(tmp_path: Path) -> None:
    root = make(tmp_path, {"main.py": THREE_APPS})
    assert config_error(root, "--flask-app-classes=shopkit.core.ShopFlask,ShopFlask") == (
        'command line --flask-app-classes: "ShopFlask" is not a qualified name; '
        "expected module.name such as shop.core.ShopFlask"
    )
    assert config_error(root, "--flask-dev-config-classes", "Dev.Config") == (
        'command line --flask-dev-config-classes: "Dev.Config" is not a class-name word or glob pattern; '
        "expected something such as Dev or *Sandbox*"
    )


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_broken_nested_pyproject(tmp_path: Path, jobs: str) -> None:
    """Found mid-run: one FDS001 per file it governs, nothing else for them; the rest is checked."""
    root = make(
        tmp_path,
        {
            "pyproject.toml": table('app-classes = ["shopkit.core.ShopFlask"]\n'),
            "main.py": THREE_APPS,
            "sub/pyproject.toml": table('app-classes = "shopkit.core.AdminFlask"\n'),
            "sub/a.py": THREE_APPS,
            "sub/deeper/b.py": THREE_APPS,
        },
    )
    result = run_flake8("--select=FDS", jobs, ".", cwd=root)
    expected = (
        "{}:1:1: FDS001 sub/pyproject.toml: [tool.flake8-flask-devserver] app-classes: expected an array of "
        'qualified class names such as ["shop.core.ShopFlask"], got a string; file not checked'
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert result.stderr == ""
    assert expected.format("./sub/a.py") in lines
    assert expected.format("./sub/deeper/b.py") in lines
    assert sorted(line.split()[1] for line in lines if line.startswith("./main.py:3:")) == ["FDS100", "FDS300"]
    assert len(lines) == 4


# -- warnings: one line each, the run goes on ------------------------------------------


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_unknown_keys_warn_once(tmp_path: Path, jobs: str) -> None:
    root = make(
        tmp_path,
        {
            "pyproject.toml": table(
                """\
                app-class = ["shopkit.core.ShopFlask"]
                colour = "blue"
                server-launchers = [{name = "shopkit.devtools.serve", hots = 1}]
                """
            ),
            "a.py": "x = 1\n",
            "b.py": "y = 2\n",
            "c/d.py": "z = 3\n",
        },
    )
    result = flake8(root, jobs, ".")
    where = f"{PREFIX}warning: {S}"
    assert result.stderr.splitlines() == [
        f'{where} unknown key "app-class" (did you mean "app-classes"?); ignored',
        f'{where} unknown key "colour"; ignored',
        f'{where} server-launchers[0] unknown key "hots" (did you mean "host"?); ignored',
    ]
    assert (result.returncode, result.stdout) == (0, "")


def test_warnings_once_with_spawned_workers(tmp_path: Path) -> None:
    """macOS, Windows (and Linux from Python 3.14) start workers afresh; they re-run parse_options."""
    files = {"pyproject.toml": table('colour = "blue"\n'), **{f"m{i}.py": THREE_APPS for i in range(4)}}
    root = make(tmp_path, files)
    script = (
        "import multiprocessing, sys\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    from flake8.main.cli import main\n"
        "    sys.exit(main(['--select=FDS', '-j2', '.']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.stderr.splitlines() == [f'{PREFIX}warning: {S} unknown key "colour"; ignored']
    assert (result.returncode, result.stdout) == (0, "")


def test_misspelt_table_warns(tmp_path: Path) -> None:
    root = make(tmp_path, {"pyproject.toml": '[tool.flake8_flask_devserver]\napp-classes = ["a.b"]\n', "a.py": ""})
    result = flake8(root)
    assert result.stderr.splitlines() == [
        f"{PREFIX}warning: pyproject.toml: unknown table [tool.flake8_flask_devserver] "
        "(did you mean [tool.flake8-flask-devserver]?); ignored"
    ]
    assert result.returncode == 0
