"""The slices' tighter rules (slices.py, candidates.py, classparts.py, configwrites.py): each leaves out
what the engine never reads, keeps what a finding needs, and finds what the whole module finds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_flask_devserver import apps, classparts, configwrites, engine, gate, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Finding

#: A long body nothing needs (no finding's shapes, no config, no scanned calls).
BODY = "".join(f"    value_{i} = compute({i})\n" for i in range(25))


def _findings(source: str, path: Path, sliced: bool) -> list[Finding]:
    apps.clear_caches()
    slices.ENABLED = sliced
    try:
        return engine.check_source(source, path)
    finally:
        slices.ENABLED = True
        apps.clear_caches()


def _kept(source: str) -> str:
    """The plan's text, after checking its line map against the source."""
    facts = gate.facts(source, None, DEFAULT_SETTINGS)
    assert facts is not None
    plan = slices.plan(source, facts, DEFAULT_SETTINGS)
    assert plan is not None
    if plan.lines is None:
        return plan.text  # nothing was left out
    original = source.splitlines()
    assert [original[number - 1] for number in plan.lines] == plan.text.splitlines()
    return plan.text


def _same(source: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "module.py"
    path.write_text(source)
    whole = _findings(source, path, sliced=False)
    assert _findings(source, path, sliced=True) == whole
    return [finding.code for finding in whole]


# -- a definition's name is no launcher or DebuggedApplication alias (candidates.derived) --------------

DEBUGGED = (
    "from werkzeug.debug import DebuggedApplication\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    "def debugged():\n    return DebuggedApplication(app, evalex=True)\n\n\n"
    "def describe():\n" + BODY + "    return debugged.__name__\n"
)


def test_a_function_that_wraps_the_debugger_makes_no_alias(tmp_path: Path) -> None:
    kept = _kept(DEBUGGED)
    assert "def debugged():" in kept and "def describe():" not in kept
    assert "FDS202" in _same(DEBUGGED, tmp_path)


def test_an_assigned_alias_still_counts(tmp_path: Path) -> None:
    source = DEBUGGED.replace("def describe():", "wrap = DebuggedApplication\n\n\ndef build():\n    return wrap(app, evalex=True)\n\n\ndef describe():")
    kept = _kept(source)
    assert "def build():" in kept and "def describe():" not in kept
    assert "FDS202" in _same(source, tmp_path)


# -- a shell keeps the methods its code names, and run only for a class add_command names --------------

SERVER = (
    "from flask import Flask\n\n\nclass Server:\n"
    '    """Uses helper, and run."""\n\n'
    "    def __init__(self):\n        self.app = Flask(__name__)\n\n"
    "    def helper(self):\n" + BODY.replace("    ", "        ") + "\n"
    "    def run(self):\n" + BODY.replace("    ", "        ") + "\n"
    "    def start(self):\n        self.app.run(debug=True)\n"
)


def test_a_shell_keeps_no_method_its_docstring_names_nor_run(tmp_path: Path) -> None:
    kept = _kept(SERVER)
    assert "def start(self):" in kept and "def __init__(self):" in kept
    assert "def helper(self):" not in kept and "def run(self):" not in kept
    assert '"""Uses helper' not in kept  # the class's docstring itself is left out
    assert "FDS102" in _same(SERVER, tmp_path)


def test_a_shell_keeps_what_its_code_names_and_run_of_a_command(tmp_path: Path) -> None:
    named = SERVER.replace('    """Uses helper, and run."""\n', "    helped = property(helper)\n")
    assert "def helper(self):" in _kept(named)
    commanded = SERVER + "\n\nfrom flask_script import Manager\nmanager = Manager(Flask(__name__))\nmanager.add_command('serve', Server())\n"
    assert "def run(self):" in _kept(commanded)
    _same(commanded, tmp_path)


# -- docstrings of definitions (classparts.docstring) ----------------------------------------------------


def _docstring(source: str) -> tuple[int, int] | None:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    node = ast.parse(source).body[0]
    return classparts.docstring(node, source, starts[:-1] if source.endswith("\n") else starts)


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ('def f():\n    """One.\n\n    Two.\n    """\n    return 1\n', (1, 4)),
        ("class C:\n    r'''Doc.'''\n    x = 1\n", (1, 1)),
        ('def f():\n    """Only a docstring."""\n', None),  # a body must hold a statement
        ('def f():\n    """Doc."""; x = 1\n    return x\n', None),  # shares its line
        ('def f():\n    "Doc."\n    return 1\n', None),  # a one-line quote counts for the fixes' quote
        ('def f():\n    """Doc."""  # note\n    return 1\n', None),
        ('def f():\n    """a""" """b"""\n    return 1\n', None),
        ('def f():\n    x = 1\n    """not a docstring"""\n', None),
    ],
)
def test_which_docstrings_are_left_out(source: str, lines: tuple[int, int] | None) -> None:
    assert _docstring(source) == lines


def test_findings_stay_on_their_lines_without_docstrings(tmp_path: Path) -> None:
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        'def serve():\n    """Serve.\n\n    Long.\n    """\n    app.run(debug=True)\n\n\n'
        "class Settings:\n" + '    """Settings."""\n\n    HOST = "0.0.0.0"\n\n    def host(self):\n        """The host."""\n'
        "        return self.HOST\n\n\napp.run(host=Settings.HOST)\n"
    )
    assert '"""Serve.' not in _kept(source)
    path = tmp_path / "module.py"
    path.write_text(source)
    found = _findings(source, path, sliced=True)
    assert found == _findings(source, path, sliced=False)
    assert {finding.line for finding in found} >= {11, 24}


# -- config writes only on what may be a config (configwrites.py) ----------------------------------------


def _writes(source: str) -> bool:
    node = ast.parse(source).body[0]
    if isinstance(node, ast.ClassDef):
        method = node.body[0]
        assert isinstance(method, ast.FunctionDef)
        return configwrites.writes(method, lambda attr: attr == "settings")
    assert isinstance(node, ast.FunctionDef)
    return configwrites.writes(node)


@pytest.mark.parametrize(
    ("source", "may"),
    [
        ('def f():\n    app.config["HOST"] = 1\n', True),
        ('def f():\n    cfg = app.config\n    cfg["HOST"] = 1\n', True),
        ('def f():\n    cfg["HOST"] = 1\n', True),  # the module's cfg: anything
        ('def f():\n    settings.cfg["HOST"] = 1\n', True),  # a module's export
        ("def f():\n    app.config.update(HOST=1)\n", True),
        ('def f():\n    for cfg in configs:\n        cfg["HOST"] = 1\n', True),
        ('def f():\n    def g():\n        global cfg\n        cfg["HOST"] = 1\n', True),
        ('class C:\n    def f(self):\n        self.settings["HOST"] = 1\n', True),
        ('def f():\n    options = dict(base)\n    options["HOST"] = 1\n', False),
        ('def f(options):\n    options["HOST"] = 1\n', False),  # a parameter: an app at most
        ('def f():\n    make()["HOST"] = 1\n', False),
        ("def f(**options):\n    options.update(HOST=1)\n", False),
        ('def f():\n    def g():\n        opts = {}\n        opts["HOST"] = 1\n', False),
        ('class C:\n    def f(self):\n        self.cache["HOST"] = 1\n', False),
        ('class C:\n    def f(self):\n        def g():\n            self.settings["HOST"] = 1\n', False),
        ('def f():\n    x = x.y\n    x["HOST"] = 1\n', False),  # read before it is bound: nothing
    ],
)
def test_which_receivers_may_be_a_config(source: str, may: bool) -> None:
    assert _writes(source) is may


def test_a_self_attribute_is_a_config_when_the_class_may_store_one() -> None:
    method = ast.parse("def __init__(self, app):\n    self.settings = app.config\n    self.cache = {}\n    self.a, self.b = x\n").body[0]
    assert isinstance(method, ast.FunctionDef)
    assert configwrites.stored_config(method, "settings")
    assert not configwrites.stored_config(method, "cache")
    assert configwrites.stored_config(method, "a")  # paired with an element: taken to


CONFIG = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n\nclass Views:\n"
    "    def __init__(self):\n        self.cache = {}\n        self.settings = app.config\n\n"
    "    def rules(self, **options):\n        options['endpoint'] = 'x'\n        self.cache['HOST'] = 'x'\n"
    + BODY.replace("    ", "        ") + "        return self.config\n\n"
    "    def configure(self):\n        self.settings['HOST'] = '0.0.0.0'\n\n\n"
    "def helper(options):\n    options['HOST'] = 1\n" + BODY + "    return app.config\n\n\n"
    "Views().configure()\napp.run(host=app.config['HOST'])\n"
)


def test_writes_that_cannot_reach_a_config_are_left_out(tmp_path: Path) -> None:
    kept = _kept(CONFIG)
    assert "def rules(self, **options):" not in kept and "def helper(options):" not in kept
    assert "def configure(self):" in kept and "self.settings = app.config" in kept
    assert "FDS300" in _same(CONFIG, tmp_path)


# -- a method kept only for what it stores (slices._storer, classparts.Stores) ---------------------------

STORER = (
    "from flask import Flask\n\n\ndef unrelated():\n" + BODY + "    return 1\n\n\n"
    "def name():\n    return __name__\n\n\nclass Server:\n"
    "    def __init__(self):\n        self.app = Flask(__name__)\n        self.extra = unrelated()\n\n"
    "    def start(self):\n        self.app.run(debug=True)\n"
)


def test_a_storer_needs_only_what_its_stored_values_read(tmp_path: Path) -> None:
    kept = _kept(STORER)
    assert "def __init__(self):" in kept and "def unrelated():" not in kept
    assert "FDS102" in _same(STORER, tmp_path)


def test_a_storer_keeps_what_its_value_reads_through_names(tmp_path: Path) -> None:
    through_local = STORER.replace("        self.app = Flask(__name__)\n", "        given = name()\n        self.app = Flask(given)\n")
    kept = _kept(through_local)
    assert "def name():" in kept and "def unrelated():" not in kept
    _same(through_local, tmp_path)
    # a name the method binds by a loop: the whole method is read
    looped = STORER.replace("        self.app = Flask(__name__)\n", "        for given in [name()]:\n            self.app = Flask(given)\n")
    assert "def unrelated():" in _kept(looped)
    _same(looped, tmp_path)
    # a method with a call the engine's scans read (``.start()``) is read whole
    scanned = STORER.replace("        self.extra = unrelated()\n", "        self.extra = unrelated()\n        self.worker.start()\n")
    assert "def unrelated():" in _kept(scanned)
    _same(scanned, tmp_path)


# -- refine's one walk for run receivers and switch writes (astfacts._runs_and_switches) -----------------


@pytest.mark.parametrize(
    "source",
    [
        "import subprocess\nsubprocess.run(['ls'])\napp.debug = True\n",
        "from flask import Flask\napp = Flask(__name__)\napp.run()\n",
        "from flask import *\nx.run()\n",
        "import os\nos.environ.update(FLASK_DEBUG='1')\ndef f(app: Flask):\n    app.run()\n",
        "def f(app):\n    app.run()\nconfig['DEBUG'] = 0\n",
        "make().run()\napp.config.update(DEBUG=False)\n",
    ],
)
def test_one_walk_answers_as_two(source: str) -> None:
    from flake8_flask_devserver import astfacts

    tree = ast.parse(source)
    assert astfacts._runs_and_switches(tree) == (astfacts._runs_on_possible_app(tree), astfacts._switch_possible(tree))
