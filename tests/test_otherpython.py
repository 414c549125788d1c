"""Python under other suffixes (otherpython.py): mod_wsgi ``*.wsgi`` scripts and files loaded by ``from_pyfile``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, expectations, make_repository

make = make_repository

SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")
OTHER = FIXTURES / "other_suffixes"

LOADER = """\
from flask import Flask

app = Flask(__name__)
app.config.from_pyfile("{name}")
"""


def command(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(SCRIPT), "-q", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr and "not checked" not in result.stderr, result.stderr
    return result


def found(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int, str]]:
    """(path, line, code) of each finding line."""
    rows = set()
    for line in result.stdout.splitlines():
        path, row, _col, rest = line.split(":", 3)
        rows.add((os.path.normpath(path), int(row), rest.split()[0]))
    return rows


def test_fixtures_through_the_command() -> None:
    """Every file under fixtures/other_suffixes, whatever its suffix: its inline markers, no more, no less."""
    result = command(OTHER, ".")
    expected = {
        (os.path.normpath(path.relative_to(OTHER)), line, code)
        for path in OTHER.rglob("*")
        if path.is_file()
        for line, code in expectations(path, honour_noqa=False)
    }
    assert {path for path, _, _ in expected} == {"loads/config/app.conf", "wsgi/site.wsgi"}
    assert found(result) == expected


def test_flake8_checks_only_what_its_filename_patterns_name() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=FDS", "."], cwd=OTHER, capture_output=True, text=True, timeout=300
    )
    assert result.stdout == ""  # app.py alone is Python to flake8, and it is clean
    named = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=FDS", "--filename=*.py,*.wsgi,*.conf", "."],
        cwd=OTHER,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert {(os.path.normpath(line.split(":")[0]), line.split()[1]) for line in named.stdout.splitlines()} == {
        ("loads/config/app.conf", "FDS201"),
        ("wsgi/site.wsgi", "FDS100"),
        ("wsgi/site.wsgi", "FDS300"),
    }


def test_a_mod_wsgi_start_says_mod_wsgi_serves_the_script() -> None:
    result = command(OTHER, "wsgi/site.wsgi")
    assert "FDS100 [*] Flask development server starts when mod_wsgi loads this script, inside Apache" in result.stdout
    assert "gunicorn 'app:" not in result.stdout.split("FDS300")[0]


def test_only_what_the_walk_would_keep(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        {
            "app.py": LOADER.format(name="conf/app.conf") + 'app.config.from_pyfile("secret.cfg")\n'
            'app.config.from_pyfile("build/gen.cfg")\napp.config.from_pyfile("app.py.cfg")\n',
            "conf/app.conf": "DEBUG = True\n",
            "secret.cfg": "DEBUG = True\n",  # git-ignored: a local file, not the project's
            "build/gen.cfg": "DEBUG = True\n",  # in an excluded folder
            "app.py.cfg": "DEBUG = (\n",  # not Python: no finding, no error
            ".gitignore": "secret.cfg\n",
        },
    )
    assert found(command(root, "--extend-exclude", "build", ".")) == {("conf/app.conf", 1, "FDS201")}
    assert found(command(root, "--extend-exclude", "build", "--no-respect-gitignore", ".")) == {
        ("conf/app.conf", 1, "FDS201"),
        ("secret.cfg", 1, "FDS201"),
    }
    assert found(command(root, ".")) == {("conf/app.conf", 1, "FDS201"), ("build/gen.cfg", 1, "FDS201")}


def test_named_files_and_folders_outside_the_walk_are_not_added(tmp_path: Path) -> None:
    root = make(tmp_path, {"web/app.py": LOADER.format(name="../settings.cfg"), "settings.cfg": "DEBUG = True\n"})
    assert found(command(root, "web/app.py")) == set()  # a file named alone is checked alone, as by flake8
    assert found(command(root, "web")) == set()  # the target lies outside the folder walked
    assert found(command(root, ".")) == {("settings.cfg", 1, "FDS201")}


def test_a_target_loaded_twice_or_named_too_is_checked_once(tmp_path: Path) -> None:
    root = make(
        tmp_path,
        {
            "a.py": LOADER.format(name="shared.cfg"),
            "b.py": LOADER.format(name="shared.cfg"),
            "shared.cfg": "DEBUG = True\n",
        },
    )
    assert command(root, ".").stdout.count("shared.cfg:1:1: FDS201") == 1
    assert command(root, ".", "shared.cfg").stdout.count("shared.cfg:1:1: FDS201") == 1


def test_no_from_pyfile_reads_no_target(tmp_path: Path) -> None:
    root = make(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n", "app.cfg": "DEBUG = True\n"})
    assert found(command(root, ".")) == set()  # nothing loads app.cfg: not checked
