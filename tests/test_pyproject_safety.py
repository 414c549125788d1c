"""Hostile pyproject.toml files and paths, through real flake8: never a hang, a traceback or a silenced run.

Issue 12 (C1/H2, C2/B5, C3/C4) and issue 15 item 3. Each run is a real flake8
process with a bounded timeout; what is asserted is what the user sees.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from flake8_flask_devserver import pyproject

#: Findings from three sources: pyflakes (F401), pycodestyle (E402) and us (FDS100, FDS200).
APP = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\nimport os\n"
OTHERS = {("F401", 4), ("E402", 4)}
FORMAT = "--format=%(path)s|%(row)d|%(code)s|%(text)s"
OURS_BROKEN = "[tool.flake8-flask-devserver]\napp-classes = [a.b]\n"
DEPENDENCY_BROKEN = '[project]\nname = "shop"\ndependencies = ["flake8-flask-devserver>=1"\n'


def make(root: Path, files: dict[str, str], repo: bool = True) -> Path:
    if repo:
        (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def flake8(cwd: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", FORMAT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,  # a hang is a failure, not a stuck suite
        env={**os.environ, **(env or {})},
        **kwargs,  # type: ignore[arg-type]
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def rows(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str, int]]:
    """(path, code, line) of every finding."""
    found = set()
    for line in result.stdout.splitlines():
        path, row, code, _ = line.split("|", 3)
        found.add((path.removeprefix("./"), code, int(row)))
    return found


def texts(result: subprocess.CompletedProcess[str], code: str) -> list[str]:
    return [line.split("|", 3)[3] for line in result.stdout.splitlines() if line.split("|", 3)[2] == code]


def everything(path: str) -> set[tuple[str, str, int]]:
    return {(path, code, line) for code, line in OTHERS} | {(path, "FDS100", 3), (path, "FDS200", 3)}


# -- C1/H2: only regular files, of bounded size ---------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    path.write_bytes(b"[tool.flake8-flask-devserver]\n" + b"# padding\n" * (pyproject.MAX_BYTES // 10 + 1))


def _folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs POSIX FIFOs and /dev/zero")
@pytest.mark.parametrize("make_it", [_fifo, _dev_zero, _huge, _folder], ids=["fifo", "dev-zero", "huge", "folder"])
@pytest.mark.parametrize("where", ["here", "parent"])
def test_pyproject_that_is_not_a_small_regular_file_is_skipped(tmp_path: Path, make_it: object, where: str) -> None:
    root = make(tmp_path, {"pkg/app.py": APP})
    folder = root / "pkg" if where == "here" else root
    make_it(folder / "pyproject.toml")  # type: ignore[operator]
    for args in (["pkg/app.py"], ["-j2", "."]):
        result = flake8(root, *args)
        assert rows(result) == everything("pkg/app.py")
        shown = "pkg/pyproject.toml" if where == "here" else "pyproject.toml"
        why = "larger than 1024 KiB" if make_it is _huge else "not a regular file"
        assert result.stderr.splitlines() == [f"flake8-flask-devserver: warning: {shown}: {why}; ignored"]


def test_read_regular_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")
    with pytest.raises(pyproject.Unreadable, match="not a regular file"):
        pyproject.read_regular(tmp_path / "pyproject.toml")
    (tmp_path / "small").write_bytes(b"x" * 11)
    with pytest.raises(pyproject.Unreadable, match="larger than"):
        pyproject.read_regular(tmp_path / "small", limit=10)
    assert pyproject.read_regular(tmp_path / "small", limit=11) == b"x" * 11
    assert pyproject.read_regular(tmp_path / "absent") is None


def test_search_stops_below_the_home_folder_without_a_repository(tmp_path: Path) -> None:
    """flake8's own config search (flake8/options/config.py ``_find_config_file``) stops there too."""
    table = '[tool.flake8-flask-devserver]\nallowed-hosts = ["0.0.0.0"]\n'
    app = 'from flask import Flask\nFlask("a").run(host="0.0.0.0")\n'
    make(tmp_path, {"pyproject.toml": table, "home/pyproject.toml": table, "home/shop/app.py": app}, repo=False)
    shop = tmp_path / "home" / "shop"
    # HOME is the folder above the project: neither ~/pyproject.toml nor the one above home is read
    assert ("app.py", "FDS300", 2) in rows(flake8(shop, "app.py", env={"HOME": str(tmp_path / "home")}))
    # HOME elsewhere: the walk reaches the table in the parent
    assert ("app.py", "FDS300", 2) not in rows(flake8(shop, "app.py", env={"HOME": str(tmp_path / "elsewhere")}))
    # a file in the home folder itself reads it: the search starts there (flake8 reads the folder it starts in)
    home = tmp_path / "home"
    (home / "app.py").write_text(app, encoding="utf-8")
    assert ("app.py", "FDS300", 2) not in rows(flake8(home, "app.py", env={"HOME": str(home)}))


def test_upward_compares_folders_by_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "home" / "a" / "b").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "home")
    monkeypatch.setenv("HOME", str(tmp_path / "link"))  # the same folder by another name
    assert list(pyproject.upward(tmp_path / "home" / "a" / "b")) == [tmp_path / "home" / "a" / "b", tmp_path / "home" / "a"]


# -- C2/B5: deep or broken TOML ---------------------------------------------------------------


DEEP = "x = " + "[" * 600 + "]" * 600 + "\n"


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
@pytest.mark.parametrize(
    "text",
    [DEPENDENCY_BROKEN, '[project]\ndependencies = ["flake8-flask-devserver"]\n' + DEEP],
    ids=["syntax-error", "600-deep"],
)
@pytest.mark.parametrize("where", [".", "sub"])
def test_broken_pyproject_that_only_names_the_plugin_warns_once(tmp_path: Path, jobs: str, text: str, where: str) -> None:
    files = {"c.py": APP, **{f"sub/m{number}.py": APP for number in range(40)}}  # work for both workers
    root = make(tmp_path, {f"{where}/pyproject.toml": text, **files})
    result = flake8(root, jobs, ".")
    assert rows(result) == set().union(*(everything(name) for name in files))
    assert result.returncode == 1
    shown = os.path.normpath(f"{where}/pyproject.toml")
    [line] = result.stderr.splitlines()  # once, also when several workers read the file
    assert line.startswith(f"flake8-flask-devserver: warning: {shown}: invalid TOML at line ")
    assert line.endswith("; ignored (it has no [tool.flake8-flask-devserver] table)")


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.flake8-flask-devserver]\n" + DEEP, "pyproject.toml: invalid TOML at line 2: nested more than 100 levels deep"),
        (OURS_BROKEN, "pyproject.toml: invalid TOML at line 2, column 16: Invalid value"),
        (
            '[tool.flake8-flask-devserver]\napp-classes = "shop.App"\n',
            "pyproject.toml: [tool.flake8-flask-devserver] app-classes: expected an array of qualified class names "
            'such as ["shop.core.ShopFlask"], got a string',
        ),
    ],
    ids=["600-deep", "syntax-error", "wrong-value"],
)
def test_broken_table_of_ours_is_one_fds001_per_file_and_the_rest_of_flake8_still_reports(
    tmp_path: Path, jobs: str, text: str, message: str
) -> None:
    """Issue 15 item 3: E, W, F and other plugins still print; FDS001 on line 1 of each governed file."""
    root = make(tmp_path, {"pyproject.toml": text, "app.py": APP, "b.py": APP, "sub/c.py": APP})
    result = flake8(root, jobs, ".")
    expected = set()
    for path in ("app.py", "b.py", "sub/c.py"):
        expected |= {(path, code, line) for code, line in OTHERS} | {(path, "FDS001", 1)}
    assert rows(result) == expected
    assert texts(result, "FDS001") == [f"{message}; file not checked"] * 3
    assert (result.returncode, result.stderr) == (1, "")
    # a file named alone (an editor, pre-commit) too
    named = flake8(root, "app.py")
    assert rows(named) == {("app.py", code, line) for code, line in OTHERS} | {("app.py", "FDS001", 1)}


@pytest.mark.parametrize(
    "text",
    [
        "[tool.flake8-flask-devserver]\n",
        "[ tool . 'flake8-flask-devserver' . server-launchers ]\n",
        '[[tool."flake8-flask-devserver".server-launchers]]\n',
        'tool.flake8-flask-devserver.app-classes = ["a.b"]\n',
        '[tool]\n"flake8-flask-devserver".app-classes = ["a.b"]\n',
        "[tool] # ours\nflake8-flask-devserver = { app-classes = [] }\n",
        "tool = { flake8-flask-devserver = { app-classes = [] } }\n",
        "[tool.flake8_flask_devserver]\n",
        "[tool.flake8-flask-devserver\n",
    ],
)
def test_claims_table_sees_every_spelling_of_our_table(text: str) -> None:
    assert pyproject.claims_table(text.encode() + b"broken = [\n")


@pytest.mark.parametrize(
    "text",
    [
        '[project]\ndependencies = ["flake8-flask-devserver>=1", "flask"]\n',
        '[project.optional-dependencies]\nlint = [\n  "flake8-flask-devserver",\n]\n',
        '[tool.poetry.dependencies]\nflake8-flask-devserver = "^1.0"\n',
        '[tool.poetry.group.dev.dependencies]\n"flake8-flask-devserver" = { version = "^1" }\n',
        "[tool.tox]\nlegacy_tox_ini = '''\ndeps = flake8-flask-devserver\n'''\n",
        "# we use flake8-flask-devserver in CI\n",
    ],
)
def test_claims_table_passes_over_mere_mentions(text: str) -> None:
    assert not pyproject.claims_table(text.encode() + b"broken = [\n")


def test_depth_scan_skips_strings_and_comments() -> None:
    brackets = "[" * 150
    assert pyproject.too_deep(f'a = "{brackets}"\nb = \'{brackets}\'\n# {brackets}\nc = """\n{brackets}"""\n') is None
    assert pyproject.too_deep('a = "\\"[[["\n' + "b = " + "[" * 101) == 2
    assert pyproject.too_deep("a = " + "[{" * 50 + "}]" * 50) is None


def test_depth_scan_is_linear() -> None:
    """Work bounded by the input: 200,000 quotes and backslashes scan in one pass (no quadratic rescans)."""
    text = '"' + "\\" * 100_000 + '"' * 100_000
    calls = 0
    real_find = str.find

    class Counting(str):
        def find(self, *args: object) -> int:  # type: ignore[override]
            nonlocal calls
            calls += 1
            return real_find(self, *args)  # type: ignore[arg-type]

    pyproject.too_deep(Counting(text))
    assert calls <= len(text)


# -- C3/C4: paths flake8 reports as E902 ------------------------------------------------------

#: Linux capabilities that let root ignore file modes: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER.
_OVERRIDES = (1, 2, 3)
_PR_CAPBSET_DROP = 24


def _without_overrides() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _OVERRIDES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def flake8_as_user(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """flake8 as a process for which folder modes count (root loses its override capabilities)."""
    if os.geteuid() != 0:
        return flake8(cwd, *args)
    if not sys.platform.startswith("linux"):
        pytest.skip("root ignores folder modes, and only Linux lets a process drop that power here")
    try:
        return flake8(cwd, *args, preexec_fn=_without_overrides)
    except subprocess.SubprocessError as error:
        pytest.skip(f"cannot drop root's override capabilities: {error}")


def test_file_in_a_folder_that_cannot_be_searched_is_flake8s_e902(tmp_path: Path) -> None:
    root = make(tmp_path, {"locked/app.py": APP, "open.py": APP})
    (root / "locked").chmod(0o600)  # readable, not searchable
    try:
        result = flake8_as_user(root, "locked/app.py", "open.py")
    finally:
        (root / "locked").chmod(0o755)
    assert rows(result) == {("locked/app.py", "E902", 0)} | everything("open.py")
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["a" * 300 + "/app.py", "a" * 300 + ".py", "pkg/" + "b" * 300 + "/c/app.py"])
def test_path_component_over_name_max_is_flake8s_e902(tmp_path: Path, name: str) -> None:
    root = make(tmp_path, {"pkg/ok.py": APP})
    result = flake8(root, name, "pkg/ok.py")
    assert rows(result) == {(name, "E902", 0)} | everything("pkg/ok.py")
    assert result.stderr == ""


def test_a_nested_broken_pyproject_warns_once_with_spawned_workers(tmp_path: Path) -> None:
    """Spawned workers (macOS, Windows; Linux from Python 3.14) inherit no cache: the warning is shared."""
    files = {"c.py": APP, **{f"sub/m{number}.py": APP for number in range(40)}}
    root = make(tmp_path, {"sub/pyproject.toml": DEPENDENCY_BROKEN, **files})
    script = (
        "import multiprocessing, sys\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    from flake8.main.cli import main\n"
        f"    sys.exit(main([{FORMAT!r}, '-j2', '.']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert rows(result) == set().union(*(everything(name) for name in files))
    assert result.stderr.splitlines() == [
        "flake8-flask-devserver: warning: sub/pyproject.toml: invalid TOML at line 4, column 1: Unclosed array; "
        "ignored (it has no [tool.flake8-flask-devserver] table)"
    ]
    assert not [path for path in Path(tempfile.gettempdir()).glob("flake8-flask-devserver-*")]  # cleaned up
