"""Resolution bounds (issue 16, kindbounds.py): what a question can only be answered by one kind of
value does not read other modules for values of other kinds. Each test compares the findings
with the audit mode (every shortcut off) and counts the libcst parses of the module not read."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from flake8_flask_devserver import apps, firstparty, kindbounds, paramflow, slices
from flake8_flask_devserver.apps import Kind, ModuleModel, Resolver
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Settings


#: Each test starts and ends with empty caches and slices on (conftest.fresh_caches).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def _both_ways(path: Path) -> tuple[list[str], list[str]]:
    """Findings with every shortcut, then in the audit mode (caches cleared in between)."""
    apps.clear_caches()
    fast = [str(f) for f in check_source(path.read_text(), path)]
    apps.clear_caches()
    slices.ENABLED = False
    try:
        full = [str(f) for f in check_source(path.read_text(), path)]
    finally:
        slices.ENABLED = True
    return fast, full


def _parses(path: Path, other: Path, audit: bool = False) -> int:
    """libcst parses of ``other`` while ``path`` is checked (caches cleared first)."""
    apps.clear_caches()
    slices.ENABLED = not audit
    try:
        check_source(path.read_text(), path)
    finally:
        slices.ENABLED = True
    return firstparty.parses(other)


WRAPPERS = (
    "class Response:\n    def __init__(self, body, mimetype=None):\n        self.body = body\n\n"
    "    def __call__(self, environ, start_response):\n        return [self.body]\n"
)


def _project(tmp_path: Path, main: str, with_flask: bool = True, **modules: str) -> tuple[Path, dict[str, Path]]:
    """shop/serve.py (``main``) and shop/<name>.py for each module given; with ``with_flask``, one more
    module of the project imports Flask (so the project may hold apps)."""
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    if with_flask:
        (package / "web.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    written = {}
    for name, text in modules.items():
        written[name] = package / f"{name}.py"
        written[name].write_text(text)
    path = package / "serve.py"
    path.write_text(main)
    return path, written


UPLOAD = (
    "from werkzeug.serving import run_simple\n\nfrom .wrappers import Response\n\n\n"
    "def view(req):\n    return Response('no file uploaded')\n\n\n"
    "def application(environ, start_response):\n    resp = view(environ)\n    return resp(environ, start_response)\n\n\n"
    "if __name__ == '__main__':\n    run_simple('localhost', 5000, application, use_debugger=True)\n"
)


@pytest.mark.parametrize("with_flask", [True, False])
def test_a_function_served_by_run_simple_is_not_resolved(tmp_path: Path, with_flask: bool) -> None:
    # werkzeug's examples/upload.py: a def is never an app, so its returns (and the module they
    # import) are not read; nor is view() resolved to learn whether it is functools.partial
    path, written = _project(tmp_path, UPLOAD, with_flask, wrappers=WRAPPERS)
    fast, full = _both_ways(path)
    assert fast == full, (fast, full)
    assert any("FDS101" in f and "gunicorn 'shop.serve:application'" in f for f in fast), fast
    assert any("FDS200" in f for f in fast), fast
    assert _parses(path, written["wrappers"]) == 0
    assert _parses(path, written["wrappers"], audit=True) > 0  # the audit mode resolves it


FACTORY_WITHOUT_APP = "from .wrappers import Response\n\n\ndef make_app(name='x'):\n    return Response(name)\n"
FACTORY_WITH_APP = "from flask import Flask\n\n\ndef make_app():\n    return Flask(__name__)\n"
MANAGE = (
    "from werkzeug.serving import run_simple\n\nfrom .factory import make_app\n\n\n"
    "def runserver(hostname='localhost', port=5000):\n    app = make_app()\n    run_simple(hostname, port, app)\n\n\n"
    "if __name__ == '__main__':\n    runserver()\n"
)


def test_a_factory_of_a_project_without_apps_is_not_read(tmp_path: Path) -> None:
    # werkzeug's examples/manage-*.py: no module of the project imports a Flask-family module, so
    # no first-party name is an app, and make_app's module is not parsed to learn it
    path, written = _project(tmp_path, MANAGE, with_flask=False, factory=FACTORY_WITHOUT_APP, wrappers=WRAPPERS)
    fast, full = _both_ways(path)
    assert fast == full and any("FDS101" in f and "gunicorn '<module>:<app>'" in f for f in fast), fast
    assert _parses(path, written["factory"]) == 0
    assert _parses(path, written["factory"], audit=True) > 0


@pytest.mark.parametrize(
    ("where", "factory"),
    [
        ("factory", FACTORY_WITH_APP),  # the factory itself builds a Flask app
        ("web", None),  # another module of the project imports Flask: the factory may hand out an app
    ],
)
def test_a_factory_is_read_when_the_project_may_hold_apps(tmp_path: Path, where: str, factory: str | None) -> None:
    path, written = _project(tmp_path, MANAGE, with_flask=where == "web", factory=factory or FACTORY_WITHOUT_APP, wrappers=WRAPPERS)
    fast, full = _both_ways(path)
    assert fast == full, (fast, full)
    assert _parses(path, written["factory"]) > 0
    if factory is not None:  # the fix names the factory, as before
        assert any("gunicorn 'shop.factory:make_app()'" in f for f in fast), fast


def test_a_call_result_assigned_to_self_is_not_resolved_as_a_launcher(tmp_path: Path) -> None:
    # werkzeug's examples/couchy/application.py: ``self.dispatch = SharedDataMiddleware(self.dispatch)``
    # then ``self.dispatch(environ, start_response)``: a call's result is never a launcher
    main = (
        "from werkzeug.wrappers import Request\n\nfrom .db import Server\nfrom .middleware import Shared\n\n\n"
        "class App:\n    def __init__(self, uri):\n        self.server = Server(uri)\n        self.dispatch = Shared(self.dispatch)\n\n"
        "    def dispatch(self, environ, start_response):\n        start_response('200 OK', [])\n        return []\n\n"
        "    def __call__(self, environ, start_response):\n        return self.dispatch(environ, start_response)\n"
    )  # (the plan keeps __call__, the class's shortest method: slices._keep)
    middleware = "class Shared:\n    def __init__(self, app):\n        self.app = app\n"
    path, written = _project(tmp_path, main, middleware=middleware, db="class Server:\n    pass\n")
    fast, full = _both_ways(path)
    assert fast == full == []
    assert _parses(path, written["middleware"]) == 0
    assert _parses(path, written["middleware"], audit=True) > 0


def test_a_launcher_assigned_to_self_is_still_resolved(tmp_path: Path) -> None:
    main = (
        "from werkzeug.serving import run_simple\n\nfrom .web import app\n\n\n"
        "class Runner:\n    def __init__(self):\n        self.serve = run_simple\n\n"
        "    def go(self):\n        self.serve('0.0.0.0', 5000, app)\n\n\n"
        "if __name__ == '__main__':\n    Runner().go()\n"
    )
    path, _ = _project(tmp_path, main)
    fast, full = _both_ways(path)
    assert fast == full and any("FDS10" in f for f in fast), fast


def test_a_run_receiver_of_a_project_without_apps_is_not_read(tmp_path: Path) -> None:
    main = "from .engine import make_engine\n\nengine = make_engine()\n\nif __name__ == '__main__':\n    engine.run(debug=True)\n"
    engine = "import werkzeug\n\n\ndef make_engine():\n    return object()\n"
    path, written = _project(tmp_path, main, with_flask=False, engine=engine)
    fast, full = _both_ways(path)
    assert fast == full == []
    assert _parses(path, written["engine"]) == 0
    assert _parses(path, written["engine"], audit=True) > 0


# -- kinds -------------------------------------------------------------------------------------


def _module(path: Path, settings: Settings = DEFAULT_SETTINGS) -> tuple[Resolver, ModuleModel]:
    model = ModuleModel(cst.parse_module(path.read_text()), path)
    return Resolver(model, settings), model


def _kinds(path: Path, expression: str, settings: Settings = DEFAULT_SETTINGS) -> frozenset[Kind]:
    resolver, model = _module(path, settings)
    return kindbounds.kinds(resolver, cst.parse_expression(expression), model.index.module_scope, 10_000)


def _may_give(path: Path, expression: str, wanted: frozenset[Kind], settings: Settings = DEFAULT_SETTINGS) -> bool:
    resolver, model = _module(path, settings)
    return kindbounds.may_give(resolver, cst.parse_expression(expression), model.index.module_scope, 10_000, wanted)


def test_kinds_follow_the_resolver(tmp_path: Path) -> None:
    main = (
        "import os\nfrom flask import Flask\nfrom .factory import make_app\n\n\n"
        "def handler(environ, start_response):\n    return []\n\n\n"
        "def build():\n    return Flask(__name__)\n\n\n"
        "def env(name):\n    return os.environ.get(name) or 'x'\n\n\n"
        "app = Flask(__name__)\n"
    )
    path, _ = _project(tmp_path, main, factory=FACTORY_WITHOUT_APP)
    assert not _kinds(path, "handler") & {Kind.APP, Kind.QUALNAME, Kind.FACTORY}  # a def returning no app
    assert Kind.FACTORY in _kinds(path, "build") and Kind.APP in _kinds(path, "build()")
    assert Kind.ENV_GET in _kinds(path, "env") and Kind.ENV_READ in _kinds(path, "env('X')")
    assert Kind.APP in _kinds(path, "app") and Kind.CONFIG in _kinds(path, "app.config")
    assert _kinds(path, "os.environ") == {Kind.ENVIRON}
    assert _kinds(path, "make_app") == kindbounds.ANY  # another module's export
    assert _may_give(path, "make_app()", frozenset({Kind.APP}))  # the project holds apps (shop/web.py)
    assert not _kinds(path, "'text'") and not _kinds(path, "undefined")


def test_kinds_of_first_party_names_in_a_project_without_apps(tmp_path: Path) -> None:
    main = "from .factory import make_app\nfrom . import factory\n"
    path, _ = _project(tmp_path, main, with_flask=False, factory=FACTORY_WITHOUT_APP, wrappers=WRAPPERS)
    for expression in ("make_app", "make_app()", "factory.make_app()", "factory.make_app().config"):
        assert not _may_give(path, expression, kindbounds.APP_LIKE), expression
    assert _may_give(path, "make_app", frozenset({Kind.FUNCTION}))  # what is not app-like still may be
    configured = Settings(app_factories=("shop.factory.make_app",))
    assert Kind.FACTORY in _kinds(path, "make_app", configured)  # a configured name is what it is configured as
    assert _may_give(path, "make_app()", frozenset({Kind.APP}), configured)


@pytest.mark.parametrize(
    ("layout", "holds"),
    [
        ({}, False),
        ({"shop/views.py": "def index():\n    from flask import render_template\n"}, True),  # inside a function
        ({"shop/views.py": "try: import quart\nexcept ImportError: pass\n"}, True),  # after a colon
        ({"shop/views.py": "import werkzeug.serving\n"}, False),  # werkzeug's names are no apps
        ({"flask/__init__.py": ""}, True),  # a module named like a family one builds its names
        ({"tools/dash.py": ""}, True),
        ({"shop/naive.py": "import ｆｌａｓｋ\n"}, True),  # as Python reads the name (NFKC)
        ({".venv/lib/python3.12/site-packages/app.py": "import flask\n"}, False),  # no import reaches it
        ({"docs/conf.py": "import flask\n"}, True),  # an identifier folder of the project: it may
    ],
)
def test_which_projects_may_hold_apps(tmp_path: Path, layout: dict[str, str], holds: bool) -> None:
    path, _ = _project(tmp_path, "import werkzeug\n", with_flask=False)
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert kindbounds.may_hold_apps(path, DEFAULT_SETTINGS) is holds


def test_the_linted_files_own_folder_is_read_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    folder = tmp_path / "examples" / "my-app"
    folder.mkdir(parents=True)
    (folder / "helpers.py").write_text("from flask import Flask\n")  # ``import helpers`` from run.py finds it
    path = folder / "run.py"
    path.write_text("import helpers\n")
    assert kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)
    other = tmp_path / "examples" / "other.py"
    other.write_text("import werkzeug\n")
    assert not kindbounds.may_hold_apps(other, DEFAULT_SETTINGS)  # my-app is no identifier: never imported from there


def test_configured_modules_make_a_project_hold_apps(tmp_path: Path) -> None:
    path, _ = _project(tmp_path, "import werkzeug\n", with_flask=False, core="import myframework\n")
    assert not kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)
    assert kindbounds.may_hold_apps(path, Settings(app_classes=("myframework.App",)))


# -- paramflow's name counts ---------------------------------------------------------------------


class _Counter(cst.CSTVisitor):
    """The libcst visitor paramflow used: names read, less ``def`` names and keyword names."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def visit_Name(self, node: cst.Name) -> None:
        self.counts[node.value] = self.counts.get(node.value, 0) + 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.counts[node.name.value] = self.counts.get(node.name.value, 0) - 1

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.counts[node.keyword.value] = self.counts.get(node.keyword.value, 0) - 1


NAMES = (
    "import a.b as c\nfrom x import (serve, y as z)\n\n\n@deco(serve=1)\ndef serve(debug=True, *, host: str = 'h'):\n"
    "    global q\n    return [serve for serve in serve(debug=debug)] + obj.serve + f'{serve!r}'\n\n\n"
    "class K(serve, metaclass=M):\n    serve = lambda serve: serve\n\n\nserve(1, debug=serve)\n"
)


def test_name_counts_are_the_visitors() -> None:
    module = cst.parse_module(NAMES)
    visitor = _Counter()
    module.visit(visitor)
    counts = paramflow.name_counts(module)
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in visitor.counts.items() if v}
    assert counts["serve"] == visitor.counts["serve"] and counts["debug"] == visitor.counts["debug"]


def test_parameter_flows_count_names_without_libcsts_traversal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # libcst's traversal rebuilds every node it passes (Werkzeug's serving.py: more than its parse)
    main = (
        "from .web import app\n\n\ndef serve(debug=True):\n    app.run(debug=debug)\n\n\n"
        "def later(callback):\n    return callback\n\n\nlater(serve)\n\nif __name__ == '__main__':\n    serve()\n"
    )
    path, _ = _project(tmp_path, main)
    expected = [str(f) for f in check_source(path.read_text(), path)]
    assert any("FDS200" in f or "FDS205" in f for f in expected), expected

    def refuse(self: cst.CSTNode, visitor: object) -> cst.CSTNode:
        raise AssertionError("libcst traversal")

    monkeypatch.setattr(cst.Module, "visit", refuse)
    apps.clear_caches()
    assert [str(f) for f in check_source(path.read_text(), path)] == expected


# -- crosslaunch: which launcher candidates have a guard -----------------------------------------


@pytest.mark.parametrize(
    ("text", "guard"),
    [
        ('"""Run with ``if __name__ == "__main__":``."""\nimport typing as t\n\nif t.TYPE_CHECKING:\n    import os\n', False),
        ("def main():\n    if __name__ == '__main__':\n        pass\n", False),  # not at the top
        ("if __name__ == '__main__':\n    main()\n", True),
        ("if (\n    __name__\n    == '__main__'\n):\n    main()\n", True),  # the test runs on in brackets
        ("if DEBUG and \\\n        __name__ == '__main__':\n    main()\n", True),
        ('if x == """\n""" or __name__ == "__main__":\n    main()\n', True),
        ("\fif __name__ == '__main__':\n    main()\n", True),
        ("if __name__ == '__main__':\r    main()\r", True),
        ("if __ｎａｍｅ__ == '__main__':\n    main()\n", True),  # NFKC: ast reads __name__
    ],
)
def test_a_guard_is_looked_for_in_the_text_first(tmp_path: Path, text: str, guard: bool) -> None:
    path = tmp_path / "mod.py"
    path.write_text(text, encoding="utf-8")
    assert firstparty.has_main_guard(path) is guard
    if not guard and text.isascii():
        assert path not in firstparty._TEXTS  # told from the text: no ast parse


# -- launcher walks --------------------------------------------------------------------------------

TOOLS = (
    "class Worker:\n    def run(self):\n        pass\n\n    def connect(self):\n        pass\n\n\n"
    "def make_worker():\n    return Worker()\n"
)


def test_another_modules_guard_does_not_resolve_a_call_result_as_a_module(tmp_path: Path) -> None:
    # crosslaunch: ``client.connect()`` under bot.py's guard calls no function of another module
    # (a call's result is never a module), so shop/tools.py is not parsed to learn it
    server = "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef serve():\n    app.run(host='0.0.0.0')\n"
    path, written = _project(tmp_path, server, tools=TOOLS)
    (tmp_path / "bot.py").write_text(
        "from shop.serve import serve\nfrom shop.tools import make_worker\n\nclient = make_worker()\n\n"
        "if __name__ == '__main__':\n    client.connect()\n    serve()\n"
    )
    fast, full = _both_ways(path)
    assert fast == full and any("FDS101" in f and "bot.py through serve()" in f for f in fast), fast
    assert _parses(path, written["tools"]) == 0
    assert _parses(path, written["tools"], audit=True) > 0


def test_a_guard_running_no_manager_is_not_resolved_in_a_project_without_apps(tmp_path: Path) -> None:
    # launchers: ``worker.run()`` dispatches argv only on a Flask-Script manager, which a project
    # importing no Flask-family module never has
    main = (
        "from werkzeug.serving import run_simple\n\nfrom .tools import make_worker\n\nworker = make_worker()\n\n\n"
        "def serve(app):\n    run_simple('0.0.0.0', 5000, app)\n\n\nif __name__ == '__main__':\n    worker.run()\n    serve(None)\n"
    )
    path, written = _project(tmp_path, main, with_flask=False, tools=TOOLS)
    fast, full = _both_ways(path)
    assert fast == full and any("FDS101" in f for f in fast), fast
    assert _parses(path, written["tools"]) == 0
    assert _parses(path, written["tools"], audit=True) > 0


def test_symbolic_links_are_followed_once(tmp_path: Path) -> None:
    path, _ = _project(tmp_path, "import werkzeug\n", with_flask=False)
    (path.parent / "up").symlink_to(tmp_path, target_is_directory=True)  # a loop: read once
    assert not kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)
    outside = tmp_path.parent / f"{tmp_path.name}_vendor"
    outside.mkdir()
    (outside / "web.py").write_text("from quart import Quart\n")
    (path.parent / "vendor").symlink_to(outside, target_is_directory=True)  # ``shop.vendor.web`` is importable
    apps.clear_caches()
    assert kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)


def test_past_the_file_budget_a_project_may_hold_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _project(tmp_path, "import werkzeug\n", with_flask=False, one="", two="", three="")
    monkeypatch.setattr(kindbounds, "MAX_SCANNED", 2)
    assert kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)  # maybe: not all read
    monkeypatch.setattr(kindbounds, "MAX_SCANNED", 100)
    apps.clear_caches()
    assert not kindbounds.may_hold_apps(path, DEFAULT_SETTINGS)
