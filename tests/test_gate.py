"""The gate, the facts it hands the engine, and the statement slices: no shortcut may lose a finding.

The strongest check runs the engine with every shortcut off (no gate, every fact
assumed possible, whole modules parsed everywhere) and compares with the normal
engine on every fixture and on the benchmark's generated Flask corpus. The unit
cases pin the text shapes the gate looks for, in both directions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import _cst, apps, engine, gate, project, slices
from flake8_flask_devserver.gate import Facts
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Launcher, Settings

from .conftest import FIXTURES, generate_flask_corpus, python_fixtures


def _ungated(path: Path) -> set[tuple[int, int, str, str]]:
    source = path.read_text(encoding="utf-8")
    where = engine.location(path)
    assert where is not None
    if engine.out_of_scope(where):
        return set()
    apps.clear_caches()
    slices.ENABLED = False
    try:
        findings = _cst.analyse(source, where, DEFAULT_SETTINGS, None)
    except engine.SourceError:
        return set()
    finally:
        slices.ENABLED = True
        apps.clear_caches()
    return {(f.line, f.col, f.code, f.message) for f in findings}


def _gated(path: Path) -> set[tuple[int, int, str, str]]:
    try:
        findings = engine.check_source(path.read_text(encoding="utf-8"), path)
    except engine.SourceError:
        return set()
    return {(f.line, f.col, f.code, f.message) for f in findings}


@pytest.mark.parametrize("path", python_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_gate_loses_nothing_on_fixtures(path: Path) -> None:
    assert _gated(path) == _ungated(path)


def test_gate_loses_nothing_on_generated_flask_projects(tmp_path: Path) -> None:
    files = generate_flask_corpus(tmp_path, seed=3, projects=2, small_apps=3)
    found = 0
    passed = 0
    for path in files:
        gated = _gated(path)
        assert gated == _ungated(path), path
        found += len(gated)
        passed += engine.screen(path.read_text(encoding="utf-8"), path, DEFAULT_SETTINGS) is not None
    assert found > 0
    assert passed < len(files) / 4  # the gate does screen most files out


def _facts(source: str, settings: Settings = DEFAULT_SETTINGS) -> Facts | None:
    return gate.facts(source, None, settings)


FLASK = "from flask import Flask\n"


@pytest.mark.parametrize(
    "source",
    [
        FLASK + "app.run()",
        FLASK + "app . run (debug=True)",
        FLASK + "(app\n  .run)()",
        FLASK + "app.run_server()",
        FLASK + "socketio.run(app)",
        "from werkzeug.serving import run_simple as go\ngo('0.0.0.0', 5000, app)",
        "import werkzeug\nwerkzeug.serving.make_server('', 1, app)",
    ],
)
def test_starts_need_the_call_in_the_text(source: str) -> None:
    found = _facts(source)
    assert found is not None and found.starts


@pytest.mark.parametrize(
    "source",
    [
        FLASK + "app.debug = True",
        FLASK + "app.debug: bool = 1",
        FLASK + "(app.debug) = on",
        FLASK + "app.debug, x = True, 1",
        FLASK + 'app.config["DEBUG"] = True',
        FLASK + "app.config[ 'DEBUG' ] = os.environ['X']",
        FLASK + "app.config.update(DEBUG=True)",
        FLASK + 'app.config.update({"DEBUG": "1"})',
        FLASK + 'app.config.setdefault("DEBUG", True)',
        FLASK + "app.config.from_mapping(**dict(DEBUG=True))",
        'import os\nos.environ["FLASK_DEBUG"] = "1"',
        'import os\nos.putenv("FLASK_ENV", "development")',
        "import os\nos.environ.update(FLASK_DEBUG='1')",
    ],
)
def test_switches(source: str) -> None:
    found = _facts(source)
    assert found is not None and found.switches


@pytest.mark.parametrize(
    "source",
    [
        "class Config:\n    DEBUG = True\n",
        "class Config: DEBUG = True\n",
        "class BaseConfig:\n    X = DEBUG = 1\n",
        "class Config:\n    DEBUG: bool = 'yes'\n",
    ],
)
def test_config_classes_need_no_flask_import(source: str) -> None:
    assert _facts(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        "",
        "import subprocess\nsubprocess.run(['ls'])\n",  # no way to a Flask app
        FLASK + "log.debug('x')\nif app.debug:\n    pass\n",
        FLASK + "logger.setLevel(logging.DEBUG)\nlevel = app.config['DEBUG']\n",
        FLASK + 'app.config["DEBUG"] = False\napp.debug = None\napp.config.update(DEBUG=0)\n',
        FLASK + 'LOGGING = {"level": "DEBUG", "handlers": ["console"]}\n',
        "class Settings:\n    DEBUG = True\n",  # no config class
        "class Config:\n    DEBUG = False\n",
        FLASK + "x = runner.run_simple_thing(app)\nDebuggedApplicationFactory()\n",
        "import os\nprint(os.environ.get('FLASK_DEBUG'))\n",  # a read, not a write
    ],
)
def test_no_finding_possible(source: str) -> None:
    assert _facts(source) is None


def test_facts_narrow_the_work() -> None:
    nothing = Facts(starts=False, launchers=False, debugged=False, switches=False, config_classes=False)
    assert _facts(FLASK + 'app.config["DEBUG"] = True') == Facts(**{**vars(nothing), "switches": True})
    assert _facts(FLASK + "app.run()") == Facts(**{**vars(nothing), "starts": True})
    assert _facts("from werkzeug.serving import run_simple\nrun_simple('', 1, app)") == Facts(
        **{**vars(nothing), "starts": True, "launchers": True}
    )
    assert _facts(FLASK + "DebuggedApplication(app, evalex=True)") == Facts(**{**vars(nothing), "debugged": True})
    assert _facts("class Config:\n    DEBUG = True\n") == Facts(**{**vars(nothing), "config_classes": True})


def test_configured_launchers_and_modules() -> None:
    settings = Settings(server_launchers=(Launcher("shopkit.devtools.serve"),))
    assert _facts("from shopkit.devtools import serve\nserve(app)\n", settings) is not None
    assert _facts("from shopkit.devtools import serve\nserve(app)\n") is None
    settings = Settings(app_classes=("shopkit.core.ShopFlask",))
    assert _facts("from shopkit.core import ShopFlask\nShopFlask(__name__).run()\n", settings) is not None


def test_first_party_reach(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("from .factory import create_app\n")
    (package / "factory.py").write_text("from .extensions import db\nfrom flask import Flask\n")
    (package / "extensions.py").write_text("from . import factory\ndb = object()\n")
    (package / "plain.py").write_text("import os\n")
    run = tmp_path / "run.py"
    assert gate.facts("from shop import create_app\ncreate_app().run()\n", run, DEFAULT_SETTINGS) is not None
    # an import cycle (factory <-> extensions) still reaches flask
    assert gate.facts("from shop.extensions import db\ndb.run()\n", run, DEFAULT_SETTINGS) is not None
    assert gate.facts("from shop.plain import os\nos.run()\n", run, DEFAULT_SETTINGS) is None


def test_import_lines() -> None:
    assert project.first_party_imports("from . import (a,\n  b as c,  # note\n d)\n") == [
        (1, ""),
        (1, "a"),
        (1, "b"),
        (1, "d"),
    ]
    assert project.first_party_imports("import a.b as c, d\nimport x, \\\n  y\n") == [
        (0, "a.b"),
        (0, "d"),
        (0, "x"),
        (0, "y"),
    ]
    assert project.first_party_imports("text = 'import os'\n") == []
    # Python ends lines at \r\n and a lone \r too: every statement of such a file is read
    lf = "import a\nfrom b import (c,\n  d)\nimport e.f, \\\n  g\n"
    for ending in ("\r\n", "\r"):
        assert project.first_party_imports(lf.replace("\n", ending)) == project.first_party_imports(lf)
    assert len(project.first_party_imports(lf)) == 6
    assert project.imports_family("import os, \\\n    flask\n")
    assert project.imports_family("x = 1; from werkzeug import serving\n")
    assert not project.imports_family("# flask\nimport flasky\n")


@pytest.mark.parametrize(
    ("source", "fact"),
    [
        # A comment's final period is no attribute dot.
        ("class ProductionConfig:\n    # Off before the release.\n    DEBUG = True\n", "config_classes"),
        (FLASK + 'app.config.from_mapping(\n    SECRET_KEY="x",  # rotate it.\n    DEBUG=True,\n)\n', "switches"),
        # A comment after the call's parenthesis: the key is still the first argument.
        ('import os\nos.environ.setdefault(  # local only\n    "FLASK_DEBUG", "1")\n', "switches"),
        (FLASK + "app.config.setdefault(  # (x, 'y'\n    'DEBUG', True)\n", "switches"),
        # A '#' inside a string is no comment.
        ('import os\nx = "#"; os.environ.setdefault(\n    "FLASK_DEBUG", "1")\n', "switches"),
    ],
)
def test_comments_between_the_parts(source: str, fact: str) -> None:
    found = _facts(source)
    assert found is not None and getattr(found, fact)


@pytest.mark.parametrize(
    "source",
    [
        "class ProductionConfig:\n    x = settings.  \\\n    DEBUG\n",
        "class ProductionConfig:\n    x = (settings.  # an attribute\n    DEBUG) = 1\n",
    ],
)
def test_attributes_across_comments_are_attributes(source: str) -> None:
    found = _facts(source)
    assert found is None or not found.config_classes
