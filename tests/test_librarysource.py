"""librarysource.py: a Flask-family library's own modules get no findings; a project's same-named package does."""

from __future__ import annotations

from pathlib import Path

from flake8_flask_devserver import engine, librarysource, project

START = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n"


def _tree(root: Path, files: dict[str, str]) -> None:
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    project.clear_caches()


def test_a_package_that_binds_the_librarys_name_is_the_library(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "lib/flask/__init__.py": "from .app import Flask as Flask\n",
            "lib/flask/app.py": START,
            "lib/flask/sansio/__init__.py": "",
            "lib/flask/sansio/app.py": START,
            "lib/werkzeug/__init__.py": "def run_simple(host, port, app):\n    pass\n",
            "lib/werkzeug/serving.py": START,
            # Werkzeug 0.x: a lazy module whose table names what it provides
            "old/werkzeug/__init__.py": 'all_by_module = {"werkzeug.serving": ["run_simple"]}\n',
            "old/werkzeug/serving.py": START,
            "old/werkzeug/testsuite/multipart/collect.py": START,  # folders without __init__.py, inside it
        },
    )
    names = ("lib/flask/app.py", "lib/flask/sansio/app.py", "lib/flask/__init__.py", "lib/werkzeug/serving.py")
    for name in (*names, "old/werkzeug/serving.py", "old/werkzeug/testsuite/multipart/collect.py"):
        path = tmp_path / name
        assert librarysource.is_library_source(path), name
        if path.read_text() == START:  # a start that would be FDS100 + FDS200 in the project's own code
            assert engine.check_source(START, path) == [], name


def test_a_projects_own_package_with_a_family_name_is_checked(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "dash/__init__.py": '"""Our dashboard, not Plotly\'s Dash."""\nDASHBOARD = True\n',  # Dash only in a docstring
            "dash/server.py": START,
            "eve/__init__.py": "import eve_online as Eve_client\n",
            "eve/app.py": START,
            "broken/flask/__init__.py": "from .app import (Flask\n",  # does not parse: not the library
            "broken/flask/app.py": START,
            "single/quart_cors.py": START,  # a module, not a package: never the library
        },
    )
    for name in ("dash/server.py", "eve/app.py", "broken/flask/app.py", "single/quart_cors.py"):
        path = tmp_path / name
        assert not librarysource.is_library_source(path), name
        assert {finding.code for finding in engine.check_source(START, path)} == {"FDS100", "FDS200"}, name
