"""configflow: which modules and classes a project loads into a Flask app's config, read as Flask reads them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_flask_devserver import apps, configflow, configloads, engine, project
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS

from .conftest import FIXTURES, run_flake8


@pytest.fixture(autouse=True)
def _fresh() -> None:
    project.clear_caches()
    apps.clear_caches()


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def _codes(path: Path) -> set[tuple[int, str]]:
    return {(finding.line, finding.code) for finding in check_source(path.read_text(), path)}


FACTORY = """\
import os
from flask import Flask
from . import settings
from .settings import ProductionConfig

def create_app(config_class=settings.StagingConfig):
    app = Flask(__name__)
    app.config.from_object(config_class)
    app.config.from_object("pkg.settings:DottedConfig")
    app.config.from_object(os.environ.get("APP_CONFIG", "pkg.settings.EnvDefaultConfig"))
    app.config.from_object(ProductionConfig)
    return app
"""


def test_loaded_names_follow_parameters_defaults_dotted_names_and_imports(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pkg/__init__.py": FACTORY, "pkg/settings.py": "DEBUG = False\n"})
    names = configflow.loaded_names(root / "pkg" / "settings.py", DEFAULT_SETTINGS)
    assert names == {"StagingConfig", "DottedConfig", "EnvDefaultConfig", "ProductionConfig"}
    assert configflow.module_loads(root / "pkg" / "settings.py", DEFAULT_SETTINGS) == []


def test_module_loads_by_name_string_and_module_object(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app.py": "from flask import Flask\nimport conf\napp = Flask(__name__)\n"
            "app.config.from_object(__name__)\napp.config.from_object('plain')\napp.config.from_object(conf)\n",
            "plain.py": "DEBUG = True\n",
            "conf.py": "DEBUG = True\n",
            "other.py": "DEBUG = True\n",
        },
    )
    for name in ("app.py", "plain.py", "conf.py"):
        assert configflow.module_loads(root / name, DEFAULT_SETTINGS), name
    assert configflow.module_loads(root / "other.py", DEFAULT_SETTINGS) == []
    assert _codes(root / "plain.py") == {(1, "FDS201")}
    assert _codes(root / "other.py") == set()


def test_only_a_flask_config_loads(tmp_path: Path) -> None:
    """Celery's config_from_object, a dict's from_object, and test files are no loaders."""
    root = _project(
        tmp_path,
        {
            "worker.py": "from celery import Celery\nc = Celery()\nc.config_from_object('settings')\n",
            "registry.py": "class R:\n    def from_object(self, o): pass\nR().from_object('settings')\n",
            "tests/test_app.py": "from flask import Flask\nFlask(__name__).config.from_object('settings')\n",
            "settings.py": "DEBUG = True\n",
        },
    )
    assert configflow.module_loads(root / "settings.py", DEFAULT_SETTINGS) == []
    assert _codes(root / "settings.py") == set()


def test_from_pyfile_is_relative_to_the_app_root_or_its_instance_folder(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "site/app.py": "from flask import Flask\napp = Flask(__name__)\napp.config.from_pyfile('app.cfg')\n",
            "site/app.cfg": "DEBUG = True\n",
            "app.cfg": "DEBUG = True\n",  # not where Flask looks
        },
    )
    assert configflow.module_loads(root / "site" / "app.cfg", DEFAULT_SETTINGS)
    assert configflow.module_loads(root / "app.cfg", DEFAULT_SETTINGS) == []
    assert _codes(root / "site" / "app.cfg") == {(1, "FDS201")}


def test_a_cfg_file_is_checked_by_flake8_when_told_to_read_it() -> None:
    """flake8 reads *.py by default; with --filename it hands the .cfg to the plugin, which reports it."""
    folder = FIXTURES / "projects" / "config_loading"
    result = run_flake8("--select=FDS", "--filename=*.cfg", "--format=%(path)s|%(row)d|%(code)s", ".", cwd=folder)
    assert result.stdout.split() == ["./instance/site.cfg|2|FDS201"], result.stderr


def test_config_class_evidence(tmp_path: Path) -> None:
    settings = "class ProductionConfig:\n    DEBUG = True\n"
    sanic = _project(tmp_path / "sanic", {"server.py": "from sanic import Sanic\n", "settings.py": settings})
    assert _codes(sanic / "settings.py") == set()
    flask = _project(tmp_path / "flask", {"server.py": "from flask import Flask\n", "settings.py": settings})
    assert _codes(flask / "settings.py") == {(2, "FDS204")}


def test_the_index_reads_a_bounded_number_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {f"m{i}.py": "x = 1\n" for i in range(30)})
    (root / "settings.py").write_text("DEBUG = True\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("")
    (root / ".venv" / "bin").mkdir()
    (root / ".venv" / "loader.py").write_text("from flask import Flask\nFlask('x').config.from_object('settings')\n")
    read: list[str] = []
    original = configflow._python_paths

    def counted(root: Path):  # type: ignore[no-untyped-def]
        for name, size in original(root):
            read.append(name)
            yield name, size

    monkeypatch.setattr(configflow, "_python_paths", counted)
    monkeypatch.setattr(configflow, "MAX_FILES", 10)
    assert _codes(root / "settings.py") == set()
    assert len(read) == 10
    assert not any(".venv" in Path(name).parts for name in read)


def test_from_pyfile_paths_built_with_os_path(tmp_path: Path) -> None:
    """os.path.join of literals (relative to the app's folder) and of the loader's own folder (absolute)."""
    root = _project(
        tmp_path,
        {
            "web/__init__.py": "import os\nfrom flask import Flask\nhere = os.path.abspath(os.path.dirname(__file__))\n"
            "app = Flask(__name__)\napp.config.from_pyfile(os.path.join('..', 'conf/app.conf'))\n"
            "app.config.from_pyfile(os.path.join(here, 'local.cfg'))\n",
            "conf/app.conf": "DEBUG = True\n",
            "web/local.cfg": "DEBUG = True\n",
        },
    )
    assert configflow.module_loads(root / "conf" / "app.conf", DEFAULT_SETTINGS)
    assert configflow.module_loads(root / "web" / "local.cfg", DEFAULT_SETTINGS)


def test_a_namespace_package_module_is_loaded_from_the_folder_above(tmp_path: Path) -> None:
    """conf/ has no __init__.py: `from_object("conf.settings")` at the top imports it as a namespace package."""
    root = _project(
        tmp_path,
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\napp.config.from_object('conf.settings')\n",
            "conf/settings.py": "DEBUG = True\n",
        },
    )
    assert configflow.scope(root / "conf" / "settings.py") == root
    assert _codes(root / "conf" / "settings.py") == {(1, "FDS201")}


def test_the_loader_line_named_is_the_files_own(tmp_path: Path) -> None:
    """The message names the loader's real line, though the loader is read statement by statement."""
    root = _project(
        tmp_path,
        {
            "site/__init__.py": (
                '"""Docs."""\nimport os\n\n\ndef helper():\n    return 1\n\n\n'
                "from flask import Flask\n\napp = Flask(__name__)\n"
                'app.config.from_pyfile(os.path.join(os.path.dirname(__file__), "base.py"))\n'
            ),
            "site/base.py": "DEBUG = True\n",
        },
    )
    path = root / "site" / "base.py"
    found = check_source(path.read_text(), path)
    assert [finding.code for finding in found] == ["FDS201"]
    assert "__init__.py line 12, from_pyfile" in found[0].message


LOADER = "from flask import Flask\napp = Flask(__name__)\napp.config.from_object('settings')\n"


@pytest.mark.parametrize(
    "settings",
    [
        "class Config:\n    DEBUG = True\n",  # a class attribute: FDS204's, not a module-level DEBUG
        "def configure():\n    DEBUG = True\n",
        "import os\nif os.environ.get('X'):\n    DEBUG = True\n",  # not a top-level simple statement
        '"""Example:\n\nDEBUG = True\n"""\n',  # in a docstring
        "DEBUG = X = True\n",  # two targets
        "(DEBUG, X) = (True, 1)\n",
    ],
)
def test_no_top_level_debug_statement_builds_no_loader_index(
    tmp_path: Path, settings: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader index (a walk of the project and libcst parses of its loaders) is built only for a
    module with a top-level ``DEBUG = ...`` statement: the only kind module_switches reports."""
    root = _project(tmp_path, {"app.py": LOADER, "settings.py": settings})
    built: list[Path] = []
    original = configflow._index
    monkeypatch.setattr(configflow, "_index", lambda path: built.append(path) or original(path))
    path = root / "settings.py"
    screened = engine.screen(path.read_text(), path, DEFAULT_SETTINGS, ast.parse(settings))
    assert not getattr(screened, "module_debug", False)
    assert engine.screen(path.read_text(), path, DEFAULT_SETTINGS) == screened  # (ast parsed here)
    assert built == []
    assert not {code for _, code in _codes(path)} & {"FDS201", "FDS203"}


@pytest.mark.parametrize(
    "settings",
    [
        "DEBUG = True\n",
        "(DEBUG) = True\n",
        "DEBUG: bool = True\n",
        "x = 1; DEBUG = True\n",
        "DEBUG \\\n  = True\n",
        "class Config:\n    DEBUG = True\nDEBUG = True\n",
    ],
)
def test_a_top_level_debug_statement_still_builds_the_index(tmp_path: Path, settings: str) -> None:
    root = _project(tmp_path, {"app.py": LOADER, "settings.py": settings})
    path = root / "settings.py"
    assert getattr(engine.screen(path.read_text(), path, DEFAULT_SETTINGS, ast.parse(settings)), "module_debug", False)
    assert "FDS201" in {code for _, code in _codes(path)}
    assert list(configflow._INDEXES) == [root]


def test_a_source_ast_cannot_parse_is_left_to_the_index() -> None:
    assert configflow._top_level_debug("DEBUG = True\nif\n", None)
    assert not configflow._top_level_debug("class C:\n    DEBUG = True\n", None)


def test_a_loads_line_is_found_only_when_a_message_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding a call's line is a code-generation pass over the loader: the index does not pay it."""
    root = _project(tmp_path, {"app.py": "import os\n\n" + LOADER, "settings.py": "DEBUG = True\n"})
    located: list[int] = []
    original = configloads._line
    monkeypatch.setattr(configloads, "_line", lambda model, node: located.append(1) or original(model, node))
    (load,) = configflow.module_loads(root / "settings.py", DEFAULT_SETTINGS)
    assert located == []
    assert load.describe(root) == "app.py line 5, from_object"
    assert located == [1]


def test_overlapping_indexes_read_each_file_and_parse_each_loader_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project inside another: both indexes list the inner files, read and parsed once per process."""
    root = _project(tmp_path, {"app.py": LOADER, "settings.py": "DEBUG = True\n"})
    _project(root / "inner", {"app.py": LOADER, "settings.py": "DEBUG = True\n", "other.py": "x = 1\n"})
    read: list[str] = []
    parsed: list[Path] = []
    original_read, original_loads = configflow._read, configloads.loads_in
    monkeypatch.setattr(configflow, "_read", lambda name: read.append(name) or original_read(name))
    monkeypatch.setattr(configloads, "loads_in", lambda loader, settings: parsed.append(loader) or original_loads(loader, settings))
    for path in (root / "inner" / "settings.py", root / "settings.py"):
        assert {code for _, code in _codes(path)} == {"FDS201"}, path
    assert set(configflow._INDEXES) == {root, root / "inner"}
    assert sorted(read) == sorted(set(read))
    assert sorted(parsed) == sorted(set(parsed)) == [root / "app.py", root / "inner" / "app.py"]
