"""Statement slices: the engine sees only what can matter, and finds exactly what it finds in the whole module."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import apps, engine, gate, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Finding

#: Functions nothing needs (an import inside one binds only its own names).
FILLER = "".join(f"\n\ndef view_{i}(x):\n    import json\n    return helper(x, {i})\n" for i in range(40))
#: Methods nothing needs (classparts.py): a class's shell and the methods that matter are kept without them.
#: (Reading a config is no write a start could read: configvalues._written.)
METHODS = "".join(f"\n    def view_{i}(self, x):\n        import json\n        return self.config.get(x, {i})\n" for i in range(30))


def _findings(source: str, path: Path, sliced: bool) -> list[Finding]:
    apps.clear_caches()
    slices.ENABLED = sliced
    try:
        return engine.check_source(source, path)
    finally:
        slices.ENABLED = True
        apps.clear_caches()


def _kept_lines(source: str) -> list[str]:
    facts = gate.facts(source, None, DEFAULT_SETTINGS)
    assert facts is not None
    plan = slices.plan(source, facts, DEFAULT_SETTINGS)
    assert plan is not None and plan.lines is not None, "nothing was left out"
    original = source.splitlines()
    kept = plan.text.splitlines()
    assert [original[number - 1] for number in plan.lines] == kept  # the line map is right
    return [line for line in kept if line.strip()]


CASES = {
    "rebound": "from flask import Flask\napp = Flask(__name__)" + FILLER + "app = object()\napp.run(debug=True)\n",
    "rebound_in_function": "from flask import Flask\napp = object()" + FILLER
    + "def setup():\n    global app\n    app = Flask(__name__)\n\n\nsetup()\napp.run(host='0.0.0.0')\n",
    "walrus": "from flask import Flask\n" + FILLER + "if (app := Flask(__name__)):\n    pass\napp.run(debug=True)\n",
    "factory": "from flask import Flask\n" + FILLER
    + "def create_app():\n    application = Flask(__name__)\n    return application\n\n\ncreate_app().run(debug=True)\n",
    "decorated": "from flask import Flask\napp = Flask(__name__)\n" + FILLER
    + "@app.route('/')\n@other\ndef index():\n    app.run()\n",
    "semicolons": "from flask import Flask\n" + FILLER + "app = Flask(__name__); x = 1\napp.run(debug=True); y = 2\n",
    "launcher_alias": "from werkzeug.serving import run_simple\n" + FILLER + "go = run_simple\nserve = go\nserve('0.0.0.0', 5000, app, use_debugger=True)\n",
    "debugged_alias": "from werkzeug.debug import DebuggedApplication as DA\nfrom flask import Flask\n" + FILLER
    + "wrap = DA\napp = wrap(Flask(__name__), evalex=True)\n",
    "config_chain": "import os\n\nimport flask  # the evidence FDS204 needs\n" + FILLER + "class BaseConfig:\n    X = 1\n\n\nclass Middle(BaseConfig):\n    pass\n\n\n"
    "class Production(Middle):\n    DEBUG = True\n",
    "switch_via_name": "from flask import Flask\nconfig = Flask(__name__).config\n" + FILLER + "config['DEBUG'] = True\n",
    "env": "import os\nenv = os.environ\n" + FILLER + "env['FLASK_DEBUG'] = '1'\n",
    "self_attribute": "from flask import Flask\n" + FILLER
    + "class Server:\n    def __init__(self):\n        self.app = Flask(__name__)\n\n    def start(self):\n        self.app.run(debug=True)\n",
    "long_class": "from flask import Flask\n\n\nclass Server:\n    NAME = 'server'\n" + METHODS
    + "\n    def __init__(self):\n        self.app = Flask(__name__)\n" + METHODS
    + "\n    def start(self):\n        self.app.run(debug=True)\n" + METHODS,
    "shell_only": "from flask import Flask\n\n\nclass Paths:" + METHODS
    + "\n    def folder(self):\n        return 'static'\n\n\napp = Flask(__name__, static_folder=Paths().folder())\napp.run(debug=True)\n",
    "stored_launcher": "from werkzeug.serving import run_simple\n\n\nclass Server:" + METHODS
    + "\n    def __init__(self):\n        self.serve = run_simple\n"
    + "\n    def start(self, app):\n        self.serve('0.0.0.0', 5000, app)\n",
    "command_class": "from flask import Flask\nfrom flask_script import Command, Manager\n\napp = Flask(__name__)\n\n\n"
    "def serve():\n    app.run(debug=True)\n\n\nclass Serve(Command):" + METHODS + "\n    def run(self):\n        serve()\n\n\n"
    "manager = Manager(app)\nmanager.add_command('serve', Serve())\n\nif __name__ == '__main__':\n    manager.run()\n",
    "config_written_in_method": "from flask import Flask\n\n\nclass Settings:" + METHODS
    + "\n    def apply(self):\n        host = '0.0.0.0'\n        port = 80\n        app.config['HOST'] = host\n\n\n"
    "app = Flask(__name__)\nSettings().apply()\napp.run(host=app.config['HOST'])\n",
    "command_added_in_method": "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@click.group()\ndef cli():\n"
    "    pass\n\n\n@click.command()\ndef runserver():\n    app.run(debug=True)\n\n\nclass Plugin:" + METHODS
    + "\n    def register(self):\n        name = 'plugin'\n        cli.add_command(runserver)\n\n\n"
    "if __name__ == '__main__':\n    cli()\n",
    "stored_in_a_block": "from flask import Flask\n\n\nclass Server:" + METHODS
    + "\n    def __init__(self, name):\n        if name:\n            try:\n                self.app = Flask(name)\n"
    "            except ValueError:\n                raise\n\n    def start(self):\n        self.app.run(debug=True)\n",
    "global_in_method": "from flask import Flask\napp = None\n\n\nclass Setup:" + METHODS
    + "\n    def make(self):\n        global app\n        app = Flask(__name__)\n\n\nSetup().make()\napp.run(debug=True)\n",
    "suggestion_names": "from flask import Flask\n" + FILLER + "application = Flask(__name__)\napplication.config.update(DEBUG=True)\n",
    "crlf": ("from flask import Flask\napp = Flask(__name__)" + FILLER + "if __name__ == '__main__':\n    app.run(debug=True)\n").replace(
        "\n", "\r\n"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_findings_as_the_whole_module(name: str, tmp_path: Path) -> None:
    source = CASES[name]
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8", newline="")
    whole = _findings(source, path, sliced=False)
    # "rebound": the app is rebound before .run(), so a slice without the rebinding would find something
    assert bool(whole) == (name != "rebound")
    assert _findings(source, path, sliced=True) == whole
    assert len(_kept_lines(source)) < 40


def test_a_class_keeps_only_the_methods_that_matter() -> None:
    kept = _kept_lines(CASES["long_class"])
    assert kept == [
        "from flask import Flask",
        "class Server:",
        "    NAME = 'server'",
        "    def __init__(self):",
        "        self.app = Flask(__name__)",
        "    def start(self):",
        "        self.app.run(debug=True)",
    ]
    # a shell nothing else keeps a method of keeps its shortest one: a class body needs a statement
    kept = _kept_lines(CASES["shell_only"])
    assert kept[1] == "class Paths:" and sum(line.startswith("    def ") for line in kept) == 1


def test_a_method_is_no_launcher_alias() -> None:
    # a method's name never resolves to what it calls (apps.py reads self.attr through stored attributes)
    source = (
        "from werkzeug.serving import run_simple\n\n\nclass Server:\n    def start(self, app):\n"
        "        run_simple('127.0.0.1', 5000, app)\n"
        + "".join(f"\n    def view_{i}(self):\n        return self.start\n" for i in range(30))
    )
    assert _kept_lines(source) == [
        "from werkzeug.serving import run_simple",
        "class Server:",
        "    def start(self, app):",
        "        run_simple('127.0.0.1', 5000, app)",
    ]


def test_an_attribute_is_followed_through_self_only() -> None:
    # ``app`` names the module's app; ``self.app`` of another class is no binding of it (apps.py
    # reads ``self.attr`` through the same class's methods only)
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n\n\nclass Cache:\n"
        "    def __init__(self):\n        self.app = {}\n" + METHODS
    )
    assert _kept_lines(source) == ["from flask import Flask", "app = Flask(__name__)", "app.run(debug=True)"]


def test_a_command_of_a_module_is_not_kept() -> None:
    # ``@click.command()`` registers on no dispatcher (launchers.dispatched reads ``@cli.command()``)
    source = (
        "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@click.command()\ndef version():\n"
        "    print(1)\n\n\n@app.cli.command()\ndef seed():\n    print(2)\n\n\napp.run(debug=True)\n"
    )
    kept = _kept_lines(source)
    assert "def version():" not in kept and "def seed():" in kept


def test_a_dispatchers_command_is_kept(tmp_path: Path) -> None:
    # launchers.dispatched finds a click command by its decorator, never by its name
    source = (
        "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n" + FILLER
        + "\n\ndef serve():\n    app.run(debug=True)\n\n\n@click.group()\ndef cli():\n    pass\n\n\n"
        "@cli.command()\ndef runserver():\n    serve()\n\n\nif __name__ == '__main__':\n    cli()\n"
    )
    path = tmp_path / "manage.py"
    path.write_text(source)
    assert [f.code for f in _findings(source, path, sliced=True)] == ["FDS101", "FDS200"]
    assert _findings(source, path, sliced=True) == _findings(source, path, sliced=False)
    assert "def runserver():" in _kept_lines(source)


def test_what_is_kept() -> None:
    kept = _kept_lines(CASES["rebound"])
    assert kept == ["from flask import Flask", "app = Flask(__name__)", "app = object()", "app.run(debug=True)"]


def test_cross_module_slices(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from flask import Flask\n" + FILLER + "def create_app():\n    app = Flask(__name__)\n    return app\n"
    )
    run = tmp_path / "run.py"
    source = "from shop import create_app\napp = create_app()\nif __name__ == '__main__':\n    app.run(debug=True)\n"
    run.write_text(source)
    assert _findings(source, run, sliced=True) == _findings(source, run, sliced=False)
    assert [f.code for f in _findings(source, run, sliced=True)] == ["FDS101", "FDS200"]


def test_source_ast_cannot_parse_is_left_whole() -> None:
    facts = gate.Facts()
    assert slices.plan("app.run(\n", facts, DEFAULT_SETTINGS) == slices.Plan(facts, "app.run(\n")
    assert slices.exports("app.run(\n", "app") is None
    assert slices.exports("", "app") is None


def test_exports_keep_what_the_name_depends_on() -> None:
    source = (
        "import os\nfrom flask import Flask\nfrom .ext import db\n"
        "def helper():\n    return 1\n"
        "def unrelated():\n    return 2\n"
        "def create_app(name=helper()):\n    app = Flask(__name__)\n    db.init_app(app)\n    return app\n"
        "class Other(Base):\n    pass\n"
        "other = Other()\n"
    )
    kept = slices.exports(source, "create_app")
    assert kept == (
        "import os\nfrom flask import Flask\nfrom .ext import db\n"
        "def helper():\n    return 1\n"
        "def create_app(name=helper()):\n    app = Flask(__name__)\n    db.init_app(app)\n    return app\n"
    )
    assert slices.exports(source, "other") == (
        "import os\nfrom flask import Flask\nfrom .ext import db\nclass Other(Base):\n    pass\nother = Other()\n"
    )


def test_exports_do_not_follow_call_statements_or_imports_inside_definitions() -> None:
    source = (
        "from flask import Flask\n"
        "def register(app):\n    from .views import bp\n    app.register_blueprint(bp)\n"
        "def configure():\n    return {}\n"
        "def setup():\n    global app\n    app = object()\n"
        "def create_app():\n    app = Flask(__name__, **configure())\n    register(app)\n    setup()\n    return app\n"
    )
    # register() only as a call statement, with an import inside: left out; configure() gives
    # a value: kept; setup() binds the global ``app`` that create_app mentions: kept
    assert slices.exports(source, "create_app") == (
        "from flask import Flask\n"
        "def configure():\n    return {}\n"
        "def setup():\n    global app\n    app = object()\n"
        "def create_app():\n    app = Flask(__name__, **configure())\n    register(app)\n    setup()\n    return app\n"
    )
    # the same name used otherwise too (``x = register``) is followed
    assert "def register" in (slices.exports(source + "x = register\n", "x") or "")


def test_factories_registering_things_resolve_as_with_whole_modules(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from flask import Flask\n"
        "def register_blueprints(app):\n    from .views import bp\n    app.register_blueprint(bp)\n"
        "def create_app():\n    app = Flask(__name__)\n    register_blueprints(app)\n    return app\n"
    )
    run = tmp_path / "run.py"
    source = "from shop import create_app\napp = create_app()\nif __name__ == '__main__':\n    app.run(debug=True)\n"
    run.write_text(source)
    assert _findings(source, run, sliced=True) == _findings(source, run, sliced=False)
    assert [f.code for f in _findings(source, run, sliced=True)] == ["FDS101", "FDS200"]


def _plan(source: str) -> slices.Plan | None:
    facts = gate.facts(source, None, DEFAULT_SETTINGS)
    assert facts is not None, "the text gate lets it through"
    return slices.plan(source, facts, DEFAULT_SETTINGS)


@pytest.mark.parametrize(
    "source",
    [
        "import subprocess\nfrom flask import Flask\nsubprocess.run(['ls'])\n",
        "import asyncio as aio\nfrom flask import Flask\naio.run(main())\n",
        "from flask import Flask\nclass Task:\n    def go(self, *args):\n        return self.run(*args)\n",
        "from flask import Flask\nundefined.run()\n",
        "import os\nclass DevelopmentConfig:\n    DEBUG = True\n",
        "import os\nclass Config:\n    DEBUG = 10\n    X = DEBUG = 0\n",
        "import os\nclass TestingConfig(Config):\n    DEBUG = True\nclass Config:\n    DEBUG = False\n",
        'from flask import Flask\nif settings.LOG_LEVEL != "DEBUG":\n    pass\n',  # not a dict key after all
        'from flask import Flask\nLEVELS = {"DEBUG": 10}\nsetup(DEBUG=levels)\n',  # a dict and a call, no switch
    ],
)
def test_ast_rules_out(source: str) -> None:
    assert _plan(source) is None


@pytest.mark.parametrize(
    "source",
    [
        "from flask import Flask\napp = Flask(__name__)\napp.run()\n",
        "import flask.current_app as ca\nca.run()\n",
        "from flask import Flask\ndef serve(app: Flask):\n    app.run()\n",
        "import subprocess\nfrom flask import Flask\nsubprocess = Flask(__name__)\nsubprocess.run()\n",
        "from flask import Flask\nfor runner in [Flask(__name__)]:\n    runner.run()\n",
        "from flask import Flask\nmake().run()\n",
        "import os\nclass Config:\n    DEBUG = True\n",
        "import os\nclass Base(*mixins, BaseConfig):\n    DEBUG = '1'\nclass BaseConfig:\n    pass\n",
        "import os\nclass Production(BaseConfig):\n    DEBUG = os.environ.get('DEBUG')\nclass BaseConfig:\n    pass\n",
        'from flask import Flask\napp.config["DEBUG"] = 10\n',  # any number but 0 is on
        'from flask import Flask\napp.config["DEBUG",] = "yes"\n',
        "from flask import Flask\napp.debug, x = True, 1\n",
        "from flask import Flask\nconfig.update(**{'DEBUG': True})\n",
        "from flask import Flask\nconfig.from_mapping(dict(DEBUG=1))\n",
        "import os\nos.putenv('FLASK_ENV', 'development')\n",
        "import os\nos.environ.setdefault('FLASK_DEBUG', '1')\n",
    ],
)
def test_ast_keeps(source: str) -> None:
    assert _plan(source) is not None


def test_files_ruled_out_by_ast_never_import_libcst() -> None:
    import subprocess
    import sys

    code = (
        "import sys, flake8_flask_devserver.engine as e\n"
        "src = 'import subprocess\\nfrom flask import Flask\\nsubprocess.run([1])\\n'\n"
        "assert e.check_source(src, 'cli.py') == []\n"
        "print('libcst' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
