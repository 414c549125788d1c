"""The project root without a project marker: the folder the run started from (issue 13, class 5)."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_flake8


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


LAYOUT = {
    # a config class loaded by a dotted string from a sibling folder (no __init__.py anywhere)
    "settings_pkg/options.py": "class SharedConfig:\n    DEBUG = True\n",
    "web.py": (
        "from flask import Flask\n\napp = Flask(__name__)\n"
        'app.config.from_object("settings_pkg.options.SharedConfig")\n'
    ),
    # a simulator under a tests/ folder higher up than its own folder
    "tests/tools/sim_server.py": (
        "from flask import Flask\n\nsim = Flask(__name__)\n\n"
        'if __name__ == "__main__":\n    sim.run(debug=True)\n'
    ),
}


def _codes(output: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in output.splitlines():
        path, row, _col, rest = line.split(":", 3)
        found.add((path.removeprefix("./"), int(row), rest.split()[0]))
    return found


def test_unmarked_project_is_rooted_where_flake8_runs(tmp_path: Path) -> None:
    project = tmp_path / "unpacked"
    _write(project, LAYOUT)
    result = run_flake8("--isolated", "--select=FDS", ".", cwd=project)
    found = _codes(result.stdout)
    assert ("settings_pkg/options.py", 2, "FDS204") in found
    assert not any(path.startswith("tests/") for path, _, _ in found), result.stdout


def test_outside_the_working_directory_the_package_is_the_root(tmp_path: Path) -> None:
    project = tmp_path / "unpacked"
    _write(project, LAYOUT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_flake8("--isolated", "--select=FDS", str(project), cwd=elsewhere)
    found = {(Path(path).relative_to(project).as_posix(), row, code) for path, row, code in _codes(result.stdout)}
    # the settings folder alone is its own root: nothing there is known to load it
    assert not any(path == "settings_pkg/options.py" for path, _, _ in found), result.stdout
    # and tests/tools is then no tests folder of a project
    assert ("tests/tools/sim_server.py", 6, "FDS101") in found, result.stdout
