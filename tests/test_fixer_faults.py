"""The fixer under faults, through the installed command in real processes: killed while it
writes, a file it may not write, a file saved by someone else while it was being fixed."""

from __future__ import annotations

import ast
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
import pytest

from .conftest import FIXTURES

BEFORE = (FIXTURES / "fixes/tutorial_app/before.py").read_bytes()
SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")
FIX = ("--fix", "--unsafe-fixes", "-q")
#: What a run killed between creating and renaming its temporary file leaves: hidden, not ``*.py``.
TEMPORARY = re.compile(r"\.app\.py\.[A-Za-z0-9_]+\.fds-tmp")
#: Kill moments, as fractions of how long a complete run took here (0 = at once, past 1 = after it ended).
KILL_AT = [i / 10 for i in range(12)]
#: Kill moments counted from when the temporary file appears (seconds): in the middle of the write and after.
KILL_AFTER_WRITE_STARTS = [0.0, 0.0, 0.001, 0.003, 0.05]


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def big_app() -> bytes:
    """The tutorial app with 1 MB of page template before its start: the write takes a while."""
    head, start = BEFORE.decode().rsplit("\n\n\n", 1)
    page = "".join(f"    <p>row {i:06d} of a long page template, here so that the file is large</p>\n" for i in range(12_500))
    return f'{head}\n\n\nPAGE = """\n{page}"""\n\n\n{start}'.encode()


# -- killed mid-run ----------------------------------------------------------------------------------


def _start(folder: Path, source: bytes) -> subprocess.Popen[bytes]:
    folder.mkdir()
    (folder / "app.py").write_bytes(source)
    return subprocess.Popen([str(SCRIPT), *FIX, "app.py"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_once_writing(process: subprocess.Popen[bytes], folder: Path, delay: float) -> None:
    """SIGKILL ``delay`` seconds after the temporary file shows up (or never, if the run ends first)."""
    while process.poll() is None:
        if any(name.endswith(".fds-tmp") for name in os.listdir(folder)):
            if delay:
                time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break


def _left(folder: Path, original: bytes, fixed: bytes) -> tuple[str, list[str]]:
    """("old" or "new", the temporary files left); fails on anything else."""
    content = (folder / "app.py").read_bytes()
    assert content in (original, fixed), f"{folder.name}: {len(content)} bytes, neither the old file nor the new"
    others = sorted(name for name in os.listdir(folder) if name != "app.py")
    for name in others:
        assert TEMPORARY.fullmatch(name), name
    return ("old" if content == original else "new"), others


def test_a_killed_fix_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    original = big_app()
    started = time.monotonic()
    complete = _start(tmp_path / "complete", original)
    assert complete.wait(timeout=300) == 1  # FDS101 remains: the start is now under a __main__ guard
    took = time.monotonic() - started
    fixed = (tmp_path / "complete/app.py").read_bytes()
    assert fixed != original
    ast.parse(fixed)
    assert os.listdir(tmp_path / "complete") == ["app.py"]

    outcomes: list[tuple[str, list[str]]] = []
    for number, fraction in enumerate(KILL_AT):
        process = _start(tmp_path / f"at-{number}", original)
        time.sleep(fraction * took)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=300)
        outcomes.append(_left(tmp_path / f"at-{number}", original, fixed))
    writing: list[tuple[str, list[str]]] = []
    for number, delay in enumerate(KILL_AFTER_WRITE_STARTS):
        process = _start(tmp_path / f"writing-{number}", original)
        _kill_once_writing(process, tmp_path / f"writing-{number}", delay)
        process.wait(timeout=300)
        writing.append(_left(tmp_path / f"writing-{number}", original, fixed))

    # The schedule reached every phase: before the write, in the middle of it, after it.
    assert outcomes[0] == ("old", [])
    assert ("new", []) in outcomes + writing
    interrupted = [number for number, (state, left) in enumerate(writing) if state == "old" and left]
    assert interrupted, writing  # killed between creating the temporary file and renaming it
    # What it leaves is never taken for source: neither the command nor flake8 walks into it.
    folder = tmp_path / f"writing-{interrupted[0]}"
    (folder / "app.py").write_bytes(b"print('hello')\n")
    assert command(".", cwd=folder).returncode == 0
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "."], cwd=folder, capture_output=True, text=True)
    assert (flake8.returncode, flake8.stdout, flake8.stderr) == (0, "", "")


# -- a file that may not be written ----------------------------------------------------------------


#: Linux capabilities that let root ignore file modes: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER.
_OVERRIDES = (1, 2, 3)
_PR_CAPBSET_DROP = 24


def _without_overrides() -> None:
    """In the child before exec: drop the overrides from the bounding set, so root's process keeps none."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _OVERRIDES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_user(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a process for which file modes count: root's is stripped of the capabilities
    that override them (a real process, no patching); anyone else's is as it is."""
    if os.geteuid() != 0:
        return command(*args, cwd=cwd)
    if not sys.platform.startswith("linux"):
        pytest.skip("root ignores file modes, and only Linux lets a process drop that power here")
    try:
        return subprocess.run(
            [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=300, preexec_fn=_without_overrides
        )
    except subprocess.SubprocessError as error:  # no CAP_SETPCAP (a locked-down container)
        pytest.skip(f"cannot drop root's override capabilities: {error}")


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_file_is_reported_and_left_alone(tmp_path: Path, read_only: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    app = project / "app.py"
    app.write_bytes(BEFORE)
    mode = 0o444 if read_only == "file" else 0o644
    app.chmod(mode)
    if read_only == "folder":
        project.chmod(0o555)  # the fix goes to a temporary file beside the original: none can be made
    try:
        result = as_user(*FIX, "app.py", cwd=project)
    finally:
        project.chmod(0o755)
    assert result.stderr == "flake8-flask-devserver: app.py: cannot write it (Permission denied)\n"
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("app.py:11:1: FDS100")  # the findings of the file as it is
    assert app.read_bytes() == BEFORE
    assert app.stat().st_mode & 0o777 == mode
    assert os.listdir(project) == ["app.py"]


def _chattr(flag: str, path: Path) -> bool:
    chattr = shutil.which("chattr")
    return chattr is not None and subprocess.run([chattr, flag, str(path)], capture_output=True).returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a file immutable")
def test_an_immutable_file_is_reported_even_to_root(tmp_path: Path) -> None:
    """Root writes any file whatever its mode; an immutable one (chattr +i) it may not."""
    app = tmp_path / "app.py"
    app.write_bytes(BEFORE)
    if not _chattr("+i", app):
        pytest.skip("this file system does not take chattr +i")
    try:
        result = command(*FIX, "app.py", cwd=tmp_path)
    finally:
        _chattr("-i", app)
    assert result.stderr == "flake8-flask-devserver: app.py: cannot write it (Operation not permitted)\n"
    assert result.returncode == 1
    assert app.read_bytes() == BEFORE
    assert os.listdir(tmp_path) == ["app.py"]


# -- saved by someone else meanwhile ---------------------------------------------------------------

#: The command, with the file saved by "an editor" at a chosen moment between reading and renaming.
HOOKED = '''
import os
import sys

from flake8_flask_devserver import cli, fixer

moment = sys.argv[1]
saved = []


def save() -> None:
    if not saved:
        saved.append(True)
        with open("app.py", "ab") as handle:
            handle.write(b"# saved in the editor meanwhile\\n")


if moment == "fixing":  # after the file was read, while its fixes are worked out
    fix_source = fixer.fix_source

    def fixing(*args, **kwargs):
        result = fix_source(*args, **kwargs)
        save()
        return result

    fixer.fix_source = fixing
else:  # the fixed text is in the temporary file, which is not yet renamed over the original
    fsync = os.fsync

    def writing(fd):
        fsync(fd)
        save()

    os.fsync = writing
sys.exit(cli.main(sys.argv[2:]))
'''


@pytest.mark.parametrize("moment", ["fixing", "writing"])
def test_a_file_saved_meanwhile_is_not_overwritten(tmp_path: Path, moment: str) -> None:
    (tmp_path / "hook").mkdir()
    (tmp_path / "hook/hooked.py").write_text(HOOKED)
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_bytes(BEFORE)
    result = subprocess.run(
        [sys.executable, str(tmp_path / "hook/hooked.py"), moment, *FIX, "app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stderr == "flake8-flask-devserver: app.py: not fixed: it changed on disk while it was being fixed\n"
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("app.py:11:1: FDS100")
    assert (project / "app.py").read_bytes() == BEFORE + b"# saved in the editor meanwhile\n"
    assert os.listdir(project) == ["app.py"]
