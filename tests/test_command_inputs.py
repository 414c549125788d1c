"""Hostile inputs to the real command (issue 12): one line naming the file and the problem, the run goes on,
and no user ever loses a byte. Each test here failed before its fix."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from .conftest import run_flake8
from .test_cli import SCRIPT, command

PREFIX = "flake8-flask-devserver: "
HEAD = "from flask import Flask\napp = Flask(__name__)\n"
START = "app.run(debug=True)\n"
APP = HEAD + START


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", "backslashreplace")


@pytest.fixture()
def shared() -> Iterator[Path]:
    """A folder every user can enter (the runs as ``nobody`` below need one)."""
    folder = Path(tempfile.mkdtemp(prefix="fds-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The command as a user that permissions apply to (``nobody`` when the tests run as root)."""
    if os.geteuid() != 0:
        return command(*args, cwd=cwd)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root, and no setpriv to drop privileges with")
    return subprocess.run(
        [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", str(SCRIPT), *args],
        cwd=cwd,
        capture_output=True,
        timeout=300,
    )


# -- C6: an unreadable folder ---------------------------------------------------------------------


def test_an_unreadable_subfolder_is_one_line_and_the_run_goes_on(shared: Path) -> None:
    (shared / "app.py").write_text(APP)
    (shared / "postgres-data").mkdir()
    (shared / "postgres-data" / "PG_VERSION").write_text("16\n")
    (shared / "postgres-data").chmod(0o700)
    if os.geteuid() == 0:
        os.chown(shared / "postgres-data", 999, 999)  # the database's user, as in a Docker volume
    else:
        (shared / "postgres-data").chmod(0o000)
    result = unprivileged(".", cwd=shared)
    assert result.returncode == 1
    assert err(result).splitlines()[0] == f"{PREFIX}postgres-data: cannot read it (Permission denied)"
    assert "internal error" not in err(result)
    assert result.stdout.decode().startswith("./app.py:3:1: FDS100 ")


# -- C7: a coding cookie that names no text encoding ---------------------------------------------


@pytest.mark.parametrize("codec", ["rot13", "hex", "base64", "zlib"])
def test_a_cookie_naming_a_bytes_codec_is_one_line(codec: str, tmp_path: Path) -> None:
    (tmp_path / "odd.py").write_text(f"# coding: {codec}\n" + APP)
    (tmp_path / "app.py").write_text(APP)
    result = command("odd.py", "app.py", cwd=tmp_path)
    assert result.returncode == 1
    assert err(result).splitlines()[0] == (
        f"{PREFIX}odd.py: cannot decode it: its coding cookie names {codec!r}, which is not a text encoding"
    )
    assert result.stdout.decode().startswith("app.py:3:1: FDS100 ")


# -- C9: file names that are not UTF-8 ------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses names that are not UTF-8")
@pytest.mark.parametrize("form", ["sarif", "gitlab", "json", "github", "default"])
def test_a_file_name_that_is_not_utf8(form: str, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / os.fsdecode(b"caf\xe9.py")).write_text(APP)
    result = command("--format", form, "src", cwd=tmp_path)
    assert result.returncode == 1, err(result)
    assert "internal error" not in err(result)
    if form == "default":  # the name's own bytes, as ls and git print them
        assert result.stdout.startswith(b"src/caf\xe9.py:3:1: FDS100 ")
        return
    out = result.stdout.decode("utf-8")  # valid UTF-8
    if form == "sarif":
        document = json.loads(out)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
        assert uris == {"src/caf%E9.py"}  # percent-encoded bytes: the URI names the real file
    elif form == "github":
        assert out.startswith("::warning file=src/caf\\xe9.py,line=3,col=1,")
    else:
        assert {record.get("path") or record["location"]["path"] for record in json.loads(out)} == {"src/caf\\xe9.py"}


# -- C10 / H3: files that are not regular files ---------------------------------------------------


def test_a_named_symlink_to_dev_zero_and_a_fifo_are_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.py")
    os.mkfifo(tmp_path / "Procfile")
    (tmp_path / "app.py").write_text(APP)
    result = command("zero.py", "fifo.py", "Procfile", "app.py", cwd=tmp_path)
    assert result.returncode == 1
    assert err(result).splitlines()[:3] == [  # in flake8's order: by file name
        f"{PREFIX}Procfile: cannot read it: a FIFO, not a regular file",
        f"{PREFIX}fifo.py: cannot read it: a FIFO, not a regular file",
        f"{PREFIX}zero.py: cannot read it: a character device, not a regular file",
    ]
    assert result.stdout.decode().startswith("app.py:3:1: FDS100 ")


# -- D1: --fix - gives the input back on every failure -------------------------------------------

DEEP = HEAD + "x = " + " and ".join(["y"] * 10_000) + "\n" + START


def test_fix_stdin_with_a_name_over_name_max_is_fixed(tmp_path: Path) -> None:
    # The name only names the text (messages, settings of its folder); no file is opened by it.
    result = command("--fix", "--stdin-filename", "a" * 300 + ".py", "-", cwd=tmp_path, stdin=APP.encode())
    assert result.returncode in (0, 1), err(result)
    assert result.stdout and result.stdout != APP.encode()  # the safe fixes applied
    assert "Traceback" not in err(result) and "internal error" not in err(result)


@pytest.mark.parametrize(
    ("data", "args"),
    [
        (b"# coding: rot13\n" + APP.encode(), ()),
        (DEEP.encode(), ()),
        (APP.encode(), ("--select", "XYZ")),
        (APP.encode(), ("--format", "nonsense")),
        (APP.encode() + b"\0\n", ()),
    ],
    ids=["rot13", "too-deep", "bad-select", "bad-format", "nul"],
)
def test_fix_stdin_gives_the_input_back_when_it_fails(data: bytes, args: tuple[str, ...], tmp_path: Path) -> None:
    result = command("--fix", *args, "-", cwd=tmp_path, stdin=data)
    assert result.stdout == data
    assert result.returncode in (1, 2)
    assert "Traceback" not in err(result) and "internal error" not in err(result)


# -- C5: the fixer path of a source nested too deep ----------------------------------------------


def test_fix_of_a_source_too_deep_for_libcst_is_refused_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.py").write_text(DEEP)
    result = command("--fix", "deep.py", cwd=tmp_path)
    assert result.returncode == 1
    assert err(result).startswith(f"{PREFIX}deep.py: not checked, it nests more than 1000 levels deep")
    assert (tmp_path / "deep.py").read_text() == DEEP


# -- D2: what --fix keeps of the file -------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away (setuid to another user) needs root")
def test_fix_keeps_setuid_setgid_and_owner(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(APP)
    os.chown(path, 65534, 65534)
    path.chmod(0o6755)
    result = command("-q", "--fix", "app.py", cwd=tmp_path)
    assert result.returncode == 1 and "if __name__" in path.read_text()
    info = path.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o6755, 65534, 65534)


def test_fix_keeps_a_setgid_bit_of_ones_own_file(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(APP)
    path.chmod(0o2775)
    command("-q", "--fix", "app.py", cwd=tmp_path)
    assert "if __name__" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o2775


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="extended attributes: Linux")
def test_fix_keeps_extended_attributes(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(APP)
    try:
        os.setxattr(path, "user.origin", b"reviewed")
    except OSError:
        pytest.skip("this file system takes no user attributes")
    command("-q", "--fix", "app.py", cwd=tmp_path)
    assert "if __name__" in path.read_text()
    assert os.getxattr(path, "user.origin") == b"reviewed"


# -- B4: a long file name -------------------------------------------------------------------------


def test_a_245_byte_file_name_can_be_fixed(tmp_path: Path) -> None:
    name = "m" * 242 + ".py"
    (tmp_path / name).write_text(APP)
    result = command("-q", "--fix", name, cwd=tmp_path)
    assert result.returncode == 1, err(result)
    assert err(result) == ""
    assert "if __name__" in (tmp_path / name).read_text()
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]  # no temporary file left


# -- W8 / B3: what CPython itself rejects ---------------------------------------------------------


def test_fix_refuses_a_file_with_a_nul_byte_as_flake8_does(tmp_path: Path) -> None:
    data = (APP + "# \0\n").encode()
    (tmp_path / "app.py").write_bytes(data)
    result = command("--fix", "app.py", cwd=tmp_path)
    assert (tmp_path / "app.py").read_bytes() == data
    assert result.returncode == 1 and result.stdout == b""
    assert err(result) == f"{PREFIX}app.py: not checked, E999 SyntaxError: source code string cannot contain null bytes\n"


def test_too_many_indentation_levels_gives_python_s_position(tmp_path: Path) -> None:
    nested = "".join(" " * level + "if x:\n" for level in range(120)) + " " * 120 + "pass\n"
    (tmp_path / "app.py").write_text(HEAD + nested + START)
    result = command("app.py", cwd=tmp_path)
    flake8 = run_flake8("--select=E999", "app.py", cwd=tmp_path)
    line = flake8.stdout.split(":")[1]  # flake8: app.py:103:2: E999 IndentationError: ...
    assert err(result) == (
        f"{PREFIX}app.py: not checked, E999 IndentationError: too many levels of indentation (line {line}, column 1)\n"
    )


# -- W5: the command sees what the plugin sees -----------------------------------------------------


def test_a_deep_statement_unrelated_to_the_start_gets_the_plugin_s_findings(tmp_path: Path) -> None:
    source = HEAD + "def helper():\n    return " + "lambda: " * 600 + "1\n\n" + START
    (tmp_path / "app.py").write_text(source)
    ours = command("--select=FDS", "app.py", cwd=tmp_path)
    theirs = run_flake8("--select=FDS", "app.py", cwd=tmp_path)
    assert theirs.stdout and ours.stdout.decode() == theirs.stdout
    assert err(ours) == f"{PREFIX}Found 2 findings.\n"  # nothing "not checked"
    fixing = command("--fix", "app.py", cwd=tmp_path)
    assert fixing.stdout.decode() == theirs.stdout
    assert err(fixing).startswith(f"{PREFIX}app.py: not fixed, it nests too deeply to analyse\n")


# -- B1 / B2: one line, the file named once, no "internal error" for the environment -------------


def test_a_deployment_file_problem_names_the_file_once(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services: [\n")
    result = command("compose.yaml", cwd=tmp_path)
    line = err(result).splitlines()[0]
    assert line.startswith(f"{PREFIX}compose.yaml: not checked, ") and line.count("compose.yaml") == 1


# -- H7: fixes cost linear work in the starts of a module -----------------------------------------


def test_fix_tiers_look_at_each_start_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each report's fix used to walk every start of the module: N starts, N² looks (work, not time)."""
    from flake8_flask_devserver import fixer
    from flake8_flask_devserver.analysis import Analysis

    looks = 0
    debugger_args = Analysis.debugger_args

    def counted(self: Analysis, start: object) -> object:
        nonlocal looks
        looks += 1
        return debugger_args(self, start)  # type: ignore[arg-type]

    monkeypatch.setattr(Analysis, "debugger_args", counted)
    starts = 300
    source = HEAD + "".join(f"def serve_{i}():\n    app.run(debug=True)\n" for i in range(starts))
    diagnostics = fixer.lint_source(source, "app.py")
    assert sum(item.finding.code == "FDS200" and item.fix == "unsafe" for item in diagnostics) == starts
    assert looks <= 8 * starts
    looks = 0
    result = fixer.fix_source(source, "app.py", unsafe=True)
    assert result.source.count('debug=os.environ.get("FLASK_DEBUG") == "1"') == starts
    assert looks <= 8 * 4 * starts  # at most four rounds
