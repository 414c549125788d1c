"""Property-based fuzzing of the engine.

Two sources of modules: hypothesmith (any valid Python, which mostly exercises the
parser and the gate) and a Flask-flavoured strategy of our own that assembles
apps, launchers, hosts, debug values, config writes and lookalikes from pieces,
so the rules run on every draw, and knows which findings each module must give.

CI runs a few hundred derandomized examples. For a long local run:

    FDS_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py

which uses that many examples per test, with fresh random seeds each time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import hypothesmith
import libcst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_flask_devserver import gate
from flake8_flask_devserver._cst import analyse
from flake8_flask_devserver.engine import SourceError, check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Finding
from flake8_flask_devserver.nesting import nesting_bound

_LONG_RUN = int(os.environ.get("FDS_FUZZ_EXAMPLES", "0"))


def fuzz(ci_examples: int) -> settings:
    """Settings for one property: ``ci_examples`` reproducible examples, or FDS_FUZZ_EXAMPLES fresh ones."""
    return settings(
        max_examples=_LONG_RUN or ci_examples,
        derandomize=not _LONG_RUN,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
    )


# hypothesmith compiles what it generates; the odd code it makes warns ("'int' object is not callable").
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")

FLASK_HEAD = "from flask import Flask\n\napp = Flask(__name__)\n"
FLASK_TAIL = "\napp.run(host='0.0.0.0', debug=True)\n"
#: Codes that need a development-server start, which needs a Flask-family import.
START_CODES = frozenset({"FDS100", "FDS101", "FDS102", "FDS103", "FDS200", "FDS300"})


def _check(source: str) -> list[Finding] | None:
    """Findings, or None when the engine refuses the source (its only allowed exception)."""
    try:
        return check_source(source)
    except SourceError:
        return None


def _positions_inside(source: str, findings: list[Finding]) -> None:
    # The lines Python's tokenizer counts: \r\n, \r and \n end them; \x0c, \x1c, \u2028... do not.
    lines = re.split(r"\r\n|\r|\n", source)
    for finding in findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 0 <= finding.col <= len(lines[finding.line - 1]), finding


def _libcst_depth(module: libcst.CSTNode) -> int:
    deepest, stack = 0, [(module, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children)
    return deepest


# -- any valid Python (hypothesmith) --------------------------------------------------------------


@fuzz(150)
@given(source=hypothesmith.from_grammar(), wrap=st.booleans())
def test_grammar_sources_never_crash_the_engine(source: str, wrap: bool) -> None:
    """Raw, most sources stop at the gate; wrapped in a Flask app they reach libcst and the rules."""
    if wrap:
        source = FLASK_HEAD + source + FLASK_TAIL
    findings = _check(source)
    if findings is not None:
        _positions_inside(source, findings)
        assert _check(source) == findings


@fuzz(25)
@given(source=hypothesmith.from_node(), wrap=st.booleans())
def test_node_sources_never_crash_the_engine(source: str, wrap: bool) -> None:
    if wrap:
        source = FLASK_HEAD + source + FLASK_TAIL
    findings = _check(source)
    if findings is not None:
        _positions_inside(source, findings)


@fuzz(100)
@given(source=hypothesmith.from_grammar())
def test_nesting_bound_covers_libcst_depth(source: str) -> None:
    """The guard in front of libcst is an upper bound: libcst's tree is never much deeper."""
    try:
        module = libcst.parse_module(source)
    except Exception:  # noqa: BLE001 - hypothesmith's grammar is wider than libcst's in places
        return
    assert _libcst_depth(module) <= 3 * nesting_bound(source) + 12


# -- Flask-flavoured modules ----------------------------------------------------------------------


@dataclass
class Generated:
    """A module and the ``(line, code)`` findings it must give, exactly."""

    lines: list[str] = field(default_factory=list)
    expected: set[tuple[int, str]] = field(default_factory=set)

    @property
    def source(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add(self, text: str, *codes: str) -> None:
        """Append lines; ``codes`` are expected on the last one."""
        self.lines.extend(text.split("\n"))
        self.expected.update((len(self.lines), code) for code in codes)


#: The same value in many spellings: (expression, how bool() sees it: true / false / raw / unknown).
DEBUG_VALUES = [
    ("True", "true"),
    ("1", "true"),
    ("-1", "true"),
    ("not False", "true"),
    ("bool(1)", "true"),
    ("DEBUG_FLAG", "true"),  # a module constant bound to True
    ("False", "false"),
    ("0", "false"),
    ("None", "false"),
    ("0.0", "false"),
    ('""', "false"),
    ("bool('')", "false"),
    ('"0"', "raw"),
    ("'false'", "raw"),
    ('"no"', "raw"),
    ('os.environ.get("FLASK_DEBUG")', "raw"),
    ('os.getenv("DEBUG", "0")', "raw"),
    ('bool(os.environ.get("DEBUG"))', "raw"),
    ('os.environ["DEBUG"]', "raw"),
    ('os.environ.get("FLASK_DEBUG") == "1"', "unknown"),
    ("settings.debug", "unknown"),
    ("DEBUG_OFF", "false"),  # a module constant bound to False
    ("0x1", "true"),
    ("0b0", "false"),
    ("1_000", "true"),
    ("0e0", "false"),
    ("0x" + "f" * 400, "true"),  # too large for a float
]

#: Hosts: (string, binds every interface for Flask-style starts, for quart/run_simple).
HOSTS = [
    ("0.0.0.0", True, True),
    ("::", True, True),
    ("0", True, True),
    ("[::]", True, True),
    ("0.0", True, True),
    (" 0.0.0.0 ", True, True),
    ("127.0.0.1", False, False),
    ("localhost", False, False),
    ("::1", False, False),
    ("example.com", False, False),
    ("", False, True),
]


#: String literal spellings: (format, whether the engine evaluates it). f-strings it does not.
QUOTES = [("'{}'", True), ('"{}"', True), ('"""{}"""', True), ("r'{}'", True), ("u'{}'", True), ("f'{}'", False)]


def _quote(text: str, double: bool) -> str:
    return f'"{text}"' if double else f"'{text}'"


@dataclass(frozen=True)
class Framework:
    name: str  # the analysis' kind: flask, quart, apiflask, dash, socketio, run_simple
    imports: tuple[tuple[str, str], ...]  # (import lines, expression naming the app class)
    subclassable: bool = True


_FLASK_IMPORTS = (
    ("from flask import Flask", "Flask"),
    ("from flask import Flask as Application", "Application"),
    ("import flask", "flask.Flask"),
    ("import flask as fl", "fl.Flask"),
    ("from flask.app import Flask", "Flask"),
)
FRAMEWORKS = [
    Framework("flask", _FLASK_IMPORTS),
    Framework("quart", (("from quart import Quart", "Quart"), ("import quart", "quart.Quart"))),
    Framework("apiflask", (("from apiflask import APIFlask", "APIFlask"),)),
    Framework("dash", (("import dash", "dash.Dash"), ("from dash import Dash", "Dash"))),
    Framework("socketio", _FLASK_IMPORTS),
    Framework("run_simple", _FLASK_IMPORTS),
]

LOOKALIKES = [
    'import subprocess\nsubprocess.run(["echo", "hi"], check=True)',
    'import uvicorn\nuvicorn.run("main:api", host="0.0.0.0", reload=True)',
    'from sanic import Sanic\nsanic_app = Sanic("svc")\nsanic_app.run(host="0.0.0.0", debug=True)',
    "import asyncio\nasyncio.run(asyncio.sleep(0))",
    "import threading\nworker = threading.Thread(target=print)\nworker.run()",
    "class Runner:\n    def run(self, debug=True):\n        pass\n\n\nRunner().run(debug=True)",
    'from bottle import run as bottle_run\nbottle_run(host="0.0.0.0", debug=True)',
    'settings_map = {"DEBUG": True}\nsettings_map["DEBUG"] = True',
    "class Settings:\n    debug = True\n    DEBUG_MODE = True",
    'from fastapi import FastAPI\napi = FastAPI(debug=True)\napi.debug = True',
]


@st.composite
def flask_modules(draw: st.DrawFn) -> Generated:
    """A module with one Flask-family development-server start, in many shapes."""
    module = Generated()
    framework = draw(st.sampled_from(FRAMEWORKS))
    import_line, app_class = draw(st.sampled_from(framework.imports))
    double = draw(st.booleans())
    lookalikes = draw(st.lists(st.sampled_from(LOOKALIKES), max_size=3, unique=True))
    split = draw(st.integers(0, len(lookalikes)))

    module.add("import os\n" + import_line)
    if framework.name == "socketio":
        module.add("from flask_socketio import SocketIO")
    if framework.name == "run_simple":
        module.add(draw(st.sampled_from(["from werkzeug.serving import run_simple", "import werkzeug.serving"])))
    module.add("DEBUG_FLAG = True\nDEBUG_OFF = False")
    for text in lookalikes[:split]:
        module.add("\n\n" + text)

    host, all_flask, all_quart = draw(st.sampled_from(HOSTS))
    host_style = draw(st.sampled_from(["absent", "literal", "positional", "constant", "env", "getenv", "or"]))
    quote, evaluated = draw(st.sampled_from(QUOTES))
    literal = quote.format(host)
    if len(host) > 1 and draw(st.booleans()):  # implicit concatenation: "0.0." "0.0"
        literal = f"{quote.format(host[:1])} {quote.format(host[1:])}"
    if host_style == "constant":
        module.add(f"\nHOST = {literal}")
        host_expr = "HOST"
    elif host_style == "env":
        host_expr = f"os.environ.get('HOST', {literal})"
    elif host_style == "getenv":
        host_expr = f"os.getenv('HOST', {literal})"
    elif host_style == "or":
        host_expr = f"os.environ.get('HOST') or {literal}"
    else:
        host_expr = literal

    # The app: inline, from a factory, or from a subclass.
    creation = draw(st.sampled_from(["inline", "factory", "subclass"] if framework.subclassable else ["inline"]))
    if creation == "factory":
        module.add(f"\n\ndef create_app():\n    application = {app_class}(__name__)\n    return application\n\n\napp = create_app()")
    elif creation == "subclass":
        module.add(f"\n\nclass MyApp({app_class}):\n    pass\n\n\napp = MyApp(__name__)")
    else:
        module.add(f"\napp = {app_class}(__name__)")
    if framework.name == "socketio":
        module.add("socketio = SocketIO(app)")

    # Debug written into the app's configuration (Flask and Quart apps only).
    if framework.name != "dash":
        for _ in range(draw(st.integers(0, 2))):
            value, truth = draw(st.sampled_from(DEBUG_VALUES))
            target = draw(st.sampled_from(['app.config["DEBUG"] = {}', "app.debug = {}", "app.config.update(DEBUG={})"]))
            codes = {"true": ("FDS201",), "raw": ("FDS203",)}.get(truth, ())
            module.add(target.format(value), *codes)
    if draw(st.booleans()):
        text = draw(st.sampled_from(["1", "true", "yes", "0", "false", "no", ""]))
        enabled = text and text.lower() not in ("0", "false", "no")
        module.add(f"os.environ['FLASK_DEBUG'] = {_quote(text, double)}", *(("FDS201",) if enabled else ()))

    # A configuration class, flagged unless its name marks it for development.
    if draw(st.booleans()):
        name = draw(st.sampled_from(["Config", "BaseConfig", "ProductionConfig", "DevelopmentConfig", "TestingConfig"]))
        value, truth = draw(st.sampled_from(DEBUG_VALUES))
        flagged = not any(word in name for word in ("Development", "Testing"))
        if truth == "true" and not _boolean_spelling(value):
            truth = "not judged"  # FDS204 reads True, 1 and constants only: DEBUG = 10 is a log level
        codes = {"true": ("FDS204",), "raw": ("FDS203",)}.get(truth, ()) if flagged else ()
        module.add(f"\n\nclass {name}:\n    SECRET = 'x'\n    DEBUG = {value}", *codes)

    # The start: its arguments (each with the codes anchored on it), its layout, where it runs.
    debug_value, debug_truth = draw(st.sampled_from([("", "absent"), *DEBUG_VALUES]))
    debug_codes = {"true": {"FDS200"}, "raw": {"FDS203"}}.get(debug_truth, set())
    all_interfaces = all_quart if framework.name in ("quart", "run_simple") else all_flask
    host_codes = {"FDS300"} if all_interfaces and evaluated and host_style != "absent" else set()
    args: list[tuple[str, set[str]]] = []
    rebound = False
    if framework.name == "run_simple":
        receiver = "run_simple" if "from werkzeug" in module.source else "werkzeug.serving.run_simple"
        args.append((host_expr if host_style != "absent" else "'127.0.0.1'", host_codes))
        args += [("5000", set()), ("app", set())]
        if debug_value:
            args.append((f"use_debugger={debug_value}", debug_codes))
    else:
        receiver = "socketio" if framework.name == "socketio" else "app"
        if draw(st.booleans()):  # an alias: the same app under another name
            module.add(f"server = {receiver}")
            receiver = "server"
        if framework.name == "socketio":
            args.append(("app", set()))
        debug_arg = (f"debug={debug_value}", debug_codes) if debug_value else None
        if framework.name != "quart" and debug_value and draw(st.booleans()):
            debug_arg = (f"debug={debug_value}, use_debugger=False", set())  # the debugger forced off
        if host_style != "absent" and debug_arg and "use_debugger" not in debug_arg[0] and draw(st.booleans()):
            # Both through **{...}: the findings point at the dictionary's items (one line here).
            items = f'"host": {host_expr}, "debug": {debug_value}'
            args.append((f"**{{{items}}}", host_codes | debug_codes))
        else:
            if host_style == "positional":
                args.append((host_expr, host_codes))
            elif host_style != "absent":
                args.append((f"host={host_expr}", host_codes))
            if debug_arg:
                args.append(debug_arg)
        if framework.name == "socketio" and draw(st.booleans()):
            args.append(("allow_unsafe_werkzeug=True", {"FDS103"}))
        receiver += "." + (draw(st.sampled_from(["run", "run_server"])) if framework.name == "dash" else "run")
        # Rebound before the start: whatever it names now is not an app, and nothing starts.
        if framework.name != "socketio" and draw(st.integers(0, 5)) == 0:
            module.add(draw(st.sampled_from(['app = None', 'app = Sanic("x")', "app = create_app"])))
            args = [(text, set()) for text, _ in args]
            receiver = "app.run"
            rebound = True

    place, indent, context = draw(
        st.sampled_from(
            [
                ("", "", "FDS100"),
                ("try:", "    ", "FDS100"),
                ("with open(os.devnull):", "    ", "FDS100"),
                ("for _ in range(1):", "    ", "FDS100"),
                ("if DEBUG_FLAG:", "    ", "FDS100"),
                ('if __name__ == "__main__":', "    ", "FDS101"),
                ("if '__main__' == __name__:", "    ", "FDS101"),
                ('if __name__ == "__main__" and os.environ.get("RUN"):', "    ", "FDS101"),
                ('if __name__ != "__main__":\n    pass\nelse:', "    ", "FDS101"),
                ('try:\n    if __name__ == "__main__":', "        ", "FDS101"),
                ("def main():", "    ", "FDS102"),
                ("class Server:\n    def start(self):", "        ", "FDS102"),
                ("async def serve():", "    ", "FDS102"),
            ]
        )
    )
    if rebound:
        context = None
    # A __main__ guard that calls main() makes its start the launcher's (launchers.py).
    launched = place == "def main():" and draw(st.booleans())
    if launched and context:
        context = "FDS101"
    module.add("\n\n" + place if place else "\n")
    if draw(st.booleans()):
        module.add(f"{indent}{receiver}({', '.join(text for text, _ in args)})", *((context,) if context else ()))
        module.expected.update((len(module.lines), code) for _, codes in args for code in codes)
    else:  # one argument per line
        module.add(f"{indent}{receiver}(", *((context,) if context else ()))
        for text, codes in args:
            module.add(f"{indent}    {text},", *codes)
        module.add(f"{indent})")
    if place.startswith("try:"):
        module.add("except KeyboardInterrupt:\n    pass")
    elif launched:
        module.add('\n\nif __name__ == "__main__":\n    main()')

    for text in lookalikes[split:]:
        module.add("\n\n" + text)
    return module


@st.composite
def lookalike_modules(draw: st.DrawFn) -> Generated:
    """No Flask-family import at all: servers of other frameworks, run() of everything else."""
    module = Generated()
    for text in draw(st.lists(st.sampled_from(LOOKALIKES), min_size=1, max_size=6)):
        module.add(text + "\n\n")
    if draw(st.booleans()):
        value, _ = draw(st.sampled_from(DEBUG_VALUES))
        module.add(f"import os\nDEBUG_FLAG = True\nDEBUG_OFF = False\nHOST = '0.0.0.0'\nprint(HOST, {value})")
    return module


def _boolean_spelling(value: str) -> bool:
    if value.isidentifier():
        return True
    try:
        return int(value, 0) == 1
    except ValueError:
        return False


def _found(module: Generated, findings: list[Finding]) -> set[tuple[int, str]]:
    _positions_inside(module.source, findings)
    return {(finding.line, finding.code) for finding in findings}


@fuzz(300)
@given(module=flask_modules())
def test_flask_modules_give_exactly_the_expected_findings(module: Generated) -> None:
    source = module.source
    findings = check_source(source)  # valid and shallow: no SourceError either
    assert _found(module, findings) == module.expected, source
    assert check_source(source) == findings  # deterministic, caches included


#: What a half-edited buffer gains: unclosed brackets and strings, stray escapes, NULs.
_DEBRIS = st.text(alphabet="([{}])'\"\\:,.=#\n\r\t\x00\x0c\ufeff\u2028 fx0", max_size=12)


@fuzz(200)
@given(module=flask_modules(), edits=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), _DEBRIS), max_size=4))
def test_half_edited_modules_never_crash_the_engine(
    module: Generated, edits: list[tuple[float, float, str]]
) -> None:
    """Cut, splice and truncate a Flask module the way an editor buffer looks mid-keystroke."""
    source = module.source
    for start, length, debris in edits:
        at = int(start * len(source))
        source = source[:at] + debris + source[at + int(length * 40) :]
    findings = _check(source)
    if findings is not None:
        _positions_inside(source, findings)


@fuzz(100)
@given(module=flask_modules())
def test_gate_never_hides_a_finding(module: Generated) -> None:
    """The text gate may say yes too often, never no to a file with findings."""
    source = module.source
    if analyse(source, None, DEFAULT_SETTINGS, None):
        assert gate.could_have_findings(source, None, DEFAULT_SETTINGS)


@fuzz(100)
@given(module=lookalike_modules())
def test_modules_without_flask_never_report_a_start(module: Generated) -> None:
    findings = check_source(module.source)
    assert not {finding.code for finding in findings} & START_CODES, module.source
    assert analyse(module.source, None, DEFAULT_SETTINGS, None) == findings  # the gate agrees
