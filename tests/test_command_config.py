"""Issue 15 items 1 and 2: the command reads flake8's configuration and walks the file set users expect.

Each test runs the real command and, where it compares, the real flake8 on the
same tree: their Python findings must be the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import discovery, environments

from .conftest import make_repository

make = make_repository

SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")

#: A start at import time with the debugger on all interfaces: FDS100, FDS200, FDS300.
START = 'from flask import Flask\napp = Flask(__name__)\napp.run(debug=True, host="0.0.0.0")\n'
CUSTOM = 'from shopkit.core import ShopFlask\nShopFlask("a").run(host="0.0.0.0")\n'

TREE = {
    "app.py": START,
    "custom.py": CUSTOM,
    "scripts/dev.py": START,
    "legacy/old.py": START,
    "gen/api.py": START,
    "pkg/models_generated.py": START,
    "pkg/views.py": START,
}


def command(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(SCRIPT), "-q", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def findings(result: subprocess.CompletedProcess[str], prefix: str = "FDS") -> set[tuple[str, int, int, str]]:
    """(path, row, column, code) of every line in flake8's default format whose code starts with ``prefix``."""
    found = set()
    for line in result.stdout.splitlines():
        path, row, column, rest = line.split(":", 3)
        code = rest.split()[0]
        if code.startswith(prefix):
            found.add((path, int(row), int(column), code))
    return found


# -- item 1: one configuration ----------------------------------------------------------------

CONFIGS = {
    "exclude": "exclude = legacy,.git\n",
    "extend-exclude": "extend-exclude =\n    gen/,\n    *_generated.py\n",
    "per-file-ignores": "per-file-ignores =\n    scripts/*.py:FDS100,FDS200\n    pkg/views.py:FDS3\n",
    "select-E-F-W": "select = E,F,W\n",  # FDS starts with F: included
    "select-E-W": "select = E,W\n",  # nothing of ours
    "ignore-F": "ignore = F\n",  # silences FDS too
    "extend-ignore": "extend-ignore = FDS3,FDS20\n",
    "extend-select": "select = E,W\nextend-select = FDS1\n",
    "select-and-ignore": "select = FDS2,FDS300\nignore = FDS20\nextend-select = FDS200\n",
    "flask-options": "flask-app-classes = shopkit.core.ShopFlask\nflask-allowed-hosts = 0.0.0.0\n",
    "everything": (
        "extend-exclude = gen\nper-file-ignores = scripts/dev.py:FDS\nextend-ignore = FDS300\n"
        "flask-app-classes = shopkit.core.ShopFlask\n"
    ),
}


@pytest.mark.parametrize(
    ("setting", "name"),
    [(setting, ".flake8") for setting in sorted(CONFIGS)]
    + [(setting, name) for setting in ("everything", "per-file-ignores") for name in ("setup.cfg", "tox.ini")],
)
def test_command_and_flake8_agree_on_each_setting(tmp_path: Path, setting: str, name: str) -> None:
    root = make(tmp_path, {**TREE, name: "[flake8]\n" + CONFIGS[setting]})
    plain = findings(command(root, "."))
    assert plain == findings(flake8(root, "."))  # flake8's own select/ignore decide for both
    selected = findings(command(root, "--select", "FDS", "."))
    assert selected == findings(flake8(root, "--select", "FDS", "."))
    assert selected  # the comparison is not between two empty sets
    if setting in ("select-E-W", "ignore-F"):
        assert plain == set()
    if setting == "extend-exclude":
        assert not {path for path, *_ in selected} & {"./gen/api.py", "./pkg/models_generated.py"}


def test_config_and_isolated_flags_as_flake8s(tmp_path: Path) -> None:
    root = make(tmp_path, {**TREE, ".flake8": "[flake8]\nextend-ignore = FDS1\n", "ci.cfg": "[flake8]\nextend-ignore = FDS2\n"})
    for args in (["--config", "ci.cfg"], ["--isolated"], []):
        ours = findings(command(root, *args, "."))
        assert ours == findings(flake8(root, *args, "."))
        codes = {code for *_, code in ours}
        assert ("FDS100" in codes, "FDS200" in codes) == {"--config": (True, False), "--isolated": (True, True)}.get(
            args[0] if args else "", (False, True)
        )


def test_command_line_exclude_and_select_override_the_files_as_flake8s_do(tmp_path: Path) -> None:
    root = make(tmp_path, {**TREE, ".flake8": "[flake8]\nexclude = legacy\nselect = FDS1\n"})
    for args in (["--exclude", "pkg,gen"], ["--extend-exclude", "scripts"], ["--select", "FDS3"], ["--ignore", "FDS100"]):
        assert findings(command(root, *args, ".")) == findings(flake8(root, *args, ".")), args


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[flake8]\nflask-app-factories = build\n", '.flake8: [flake8] flask-app-factories: "build" is not a qualified name'),
        ("[flake8]\nignore = E1,not-a-code\n", ".flake8: Error code 'not-a-code' supplied to 'ignore' option"),
        ("[flake8]\nmax-line-length = long\n", ".flake8: invalid literal for int() with base 10: 'long'"),
    ],
)
def test_a_bad_flake8_configuration_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    root = make(tmp_path, {"app.py": START, ".flake8": text})
    result = command(root, ".")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"flake8-flask-devserver: error: {message}"), result.stderr


def test_a_missing_config_file_is_one_line(tmp_path: Path) -> None:
    root = make(tmp_path, {"app.py": START})
    result = command(root, "--config", "nope.cfg", ".")
    assert (result.returncode, result.stderr) == (
        2,
        "flake8-flask-devserver: error: nope.cfg: The specified config file does not exist: nope.cfg\n",
    )


def test_a_bad_pyproject_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Issue 15 item 3, the command's side (a nested project's table too, before any file is checked)."""
    bad = '[tool.flake8-flask-devserver]\napp-classes = "shop.App"\n'
    root = make(tmp_path, {"app.py": START, "sub/pyproject.toml": bad, "sub/b.py": START})
    result = command(root, ".")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "flake8-flask-devserver: error: sub/pyproject.toml: [tool.flake8-flask-devserver] app-classes: expected an "
        'array of qualified class names such as ["shop.core.ShopFlask"], got a string'
    ]


# -- item 2: the file set ---------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git, to compare with git's own answer")
def test_gitignore_info_exclude_and_global_excludes_are_respected_as_git_does(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config" / "git").mkdir(parents=True)
    (home / ".config" / "git" / "ignore").write_text("*_scratch.py\n")
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1"}
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env={**os.environ, **env})
    files = {
        "app.py": START,
        "my_scratch.py": START,  # global excludes
        "local.py": START,  # .git/info/exclude
        "out/app.py": START,  # out/ in .gitignore
        "gen/a.gen.py": START,  # *.gen.py
        "gen/keep.gen.py": START,  # !keep.gen.py
        "sub/app.py": START,
        "sub/private.py": START,  # sub/.gitignore
        "sub/deeper/private.py": START,  # sub/.gitignore (no slash: at any depth)
        "sub/deeper/again/private.py": START,  # re-included by a deeper .gitignore
        "Dockerfile": 'FROM python:3.12\nCMD ["flask", "run", "--host", "0.0.0.0"]\n',
        "out/Dockerfile": 'FROM python:3.12\nCMD ["flask", "run"]\n',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / ".gitignore").write_text("out/\n*.gen.py\n!keep.gen.py\n")
    (root / "sub" / ".gitignore").write_text("private.py\n")
    (root / "sub" / "deeper" / "again" / ".gitignore").write_text("!private.py\n")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("/local.py\n")

    checked = {path.removeprefix("./") for path, *_ in findings(command(root, ".", env=env))}
    everything = {path.removeprefix("./") for path, *_ in findings(command(root, "--no-respect-gitignore", ".", env=env))}
    assert everything == set(files)
    ignored_by_git = set(
        _git_env(root, env, "ls-files", "--others", "--ignored", "--exclude-standard").splitlines()
    )
    assert ignored_by_git == everything - checked  # git's own answer
    assert checked == {"app.py", "gen/keep.gen.py", "sub/app.py", "sub/deeper/again/private.py", "Dockerfile"}
    # a walk that starts below the repository root applies the files above it too
    below = {path for path, *_ in findings(command(root, "sub", "gen", env=env))}
    assert below == {"sub/app.py", "sub/deeper/again/private.py", "gen/keep.gen.py"}


def _git_env(root: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, env={**os.environ, **env}
    ).stdout


def test_gitignore_applies_only_inside_a_repository(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "sub").mkdir(parents=True)
    (root / ".gitignore").write_text("*.py\n")
    (root / "sub" / ".gitignore").write_text("*.py\n")
    (root / "app.py").write_text(START)
    (root / "sub" / "app.py").write_text(START)
    # git applies no ignore file outside a repository, at the top or below it
    assert {path for path, *_ in findings(command(root, "."))} == {"./app.py", "./sub/app.py"}
    assert {path for path, *_ in findings(command(root / "sub", "."))} == {"./app.py"}
    # a repository inside the plain folder has its own rules
    (root / "sub" / ".git").mkdir()
    assert {path for path, *_ in findings(command(root, "."))} == {"./app.py"}


def test_a_named_file_is_checked_even_when_git_ignores_it(tmp_path: Path) -> None:
    root = make(tmp_path, {"out/app.py": START, ".gitignore": "out/\n"})
    assert findings(command(root, ".")) == set()
    assert {path for path, *_ in findings(command(root, "out/app.py"))} == {"out/app.py"}


def test_environments_are_skipped_and_source_folders_named_like_them_are_checked(tmp_path: Path) -> None:
    """Issue 15 item 2: the same file set from the command and, for the plugin's findings, from flake8."""
    root = make(
        tmp_path,
        {
            "env/app.py": START,  # a source folder named env
            "build/app.py": START,
            "dist/app.py": START,
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
            ".venv/lib/python3.12/site-packages/flask/app.py": START,
            ".venv/app.py": START,
            "venv2/pyvenv.cfg": "home = /usr/bin\n",
            "venv2/lib/python3.12/site-packages/werkzeug/serving.py": START,
            "conda/conda-meta/history": "",
            "conda/lib/python3.12/site-packages/x.py": START,
            "conda/lib/python3.12/json/tool.py": START,
            "tree/lib/python3.12/site-packages/x.py": START,  # pip --prefix: the standard library beside it too
            "tree/lib/python3.12/os.py": START,
            "vendor/site-packages/y.py": START,
            "vendor/dist-packages/z.py": START,
            "__pypackages__/3.12/lib/w.py": START,
            # a pyvenv.cfg copied into a source folder, with no interpreter or library beside it
            "copied/pyvenv.cfg": "home = C:\\Python312\n",
            "copied/app.py": START,
        },
    )
    expected = {"./env/app.py", "./build/app.py", "./dist/app.py", "./copied/app.py"}
    assert {path for path, *_ in findings(command(root, "."))} == expected
    for jobs in ("-j1", "-j2"):
        assert {path for path, *_ in findings(flake8(root, jobs, "."))} == expected
        # flake8 itself still checks them (E, W, F): only our plugin stays out of installed code
        assert "./.venv/lib/python3.12/site-packages/flask/app.py" in {
            path for path, *_ in findings(flake8(root, jobs, "--select=E,F,W", "--max-line-length=20", "."), prefix="E")
        }


def test_the_plugin_pays_a_lookup_per_file_of_a_known_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "venv" / "lib" / "python3.12" / "site-packages" / "flask"
    folder.mkdir(parents=True)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    assert environments.inside_environment(str(folder))
    calls = 0
    real = os.path.exists

    def counting(path: str) -> bool:
        nonlocal calls
        calls += 1
        return real(path)

    monkeypatch.setattr(environments.os.path, "exists", counting)
    for _ in range(1000):
        assert environments.inside_environment(str(folder))
    assert calls == 0
    assert not environments.inside_environment("/" + "/".join(["a"] * 3000))  # deep paths: no recursion


def test_walk_order_and_unreadable_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("b.py", "a.py", "a/z.py", "a/b/c.py", "a/b/Dockerfile", "c/x.py", "a/notes.txt", "d/y.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "Dockerfile").write_text("CMD flask run\n")  # a development setup
    (tmp_path / ".devcontainer" / "tool.py").write_text("x = 1\n")  # Python there is checked, as by flake8
    scandir = os.scandir

    def refusing(path: str) -> object:
        if os.path.basename(path) == "d":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", refusing)
    errors: list[tuple[Path, str]] = []
    found = [os.path.relpath(path, tmp_path) for path in discovery.walk(str(tmp_path), [], errors, None)]
    assert found == ["a.py", "b.py", ".devcontainer/tool.py", "a/z.py", "a/b/Dockerfile", "a/b/c.py", "c/x.py"]
    assert errors == [(tmp_path / "d", "cannot read it (Permission denied)")]


def test_a_named_path_over_name_max_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    root = make(tmp_path, {"app.py": START})
    name = "a" * 300 + "/app.py"
    result = command(root, name, "app.py")
    assert result.returncode == 1
    assert result.stderr == f"flake8-flask-devserver: {name}: cannot read it (File name too long)\n"
    assert {path for path, *_ in findings(result)} == {"app.py"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
@pytest.mark.parametrize("name", [".flake8", "setup.cfg", "ci.cfg"])
def test_a_flake8_config_file_that_is_a_fifo_is_one_line_not_a_hang(tmp_path: Path, name: str) -> None:
    root = make(tmp_path, {"app.py": START})
    os.mkfifo(root / name)
    result = command(root, *(["--config", name] if name == "ci.cfg" else []), ".")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"flake8-flask-devserver: error: {name}: not a regular file\n"
    assert command(root, "--isolated", ".").returncode == 1  # nothing read: the findings


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_gitignore_that_is_a_fifo_is_one_warning(tmp_path: Path) -> None:
    root = make(tmp_path, {"app.py": START, "sub/b.py": START})
    os.mkfifo(root / "sub" / ".gitignore")
    result = command(root, ".")
    assert result.returncode == 1
    assert {path for path, *_ in findings(result)} == {"./app.py", "./sub/b.py"}
    assert result.stderr == "flake8-flask-devserver: warning: sub/.gitignore: not a regular file; ignored\n"


@pytest.mark.parametrize("fmt", ["sarif", "json", "gitlab"])
@pytest.mark.parametrize(
    "files",
    [
        {".flake8": "[flake8]\nflask-app-factories = build\n"},
        {"pyproject.toml": '[tool.flake8-flask-devserver]\napp-classes = "shop.App"\n'},
        {"pyproject.toml": "[tool.flake8-flask-devserver]\nx = " + "[" * 600 + "]" * 600 + "\n"},
    ],
    ids=["flake8-option", "pyproject-value", "pyproject-600-deep"],
)
def test_a_configuration_error_still_writes_a_valid_empty_report(tmp_path: Path, fmt: str, files: dict[str, str]) -> None:
    """Issue 15 item 3, the command: exit 2, one line, and a valid empty report where --output-file asks."""
    import json

    root = make(tmp_path, {"app.py": START, **files})
    result = command(root, "--format", fmt, "--output-file", "report.out", ".")
    assert (result.returncode, result.stdout, len(result.stderr.splitlines())) == (2, "", 1)
    document = json.loads((root / "report.out").read_text(encoding="utf-8"))
    if fmt == "sarif":
        [run] = document["runs"]
        assert run["results"] == []
        [notification] = run["invocations"][0]["toolConfigurationNotifications"]
        assert result.stderr.removeprefix("flake8-flask-devserver: error: ").strip() in notification["message"]["text"]
    else:
        assert document == []
