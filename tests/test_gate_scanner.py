"""The gate's scanner: linear work on texts built to defeat it, and what it reads as code.

Work is counted, not timed: :attr:`scanner.Scanner.visited` adds every character
the scanner looks at and every stretch a ``str.find`` passes over.
"""

from __future__ import annotations

import itertools

import pytest

from flake8_flask_devserver import gate, scanner
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Launcher, Settings

#: Every word the gate reacts to (a configured launcher too), and ``Config``.
TRIGGERS = (
    "run",
    "run_server",
    "debug",
    "DEBUG",
    "FLASK_DEBUG",
    "FLASK_ENV",
    "DebuggedApplication",
    "run_simple",
    "make_server",
    "serve",
    "Config",
)
#: What follows a trigger: comment marks, brackets, continuations, spaces, quotes, operators.
FILLERS = ("#", "(", ")", "\\", " ", "'", '"', "'''", '"""', "\n", "\\\n", "\r", ".", ":", "=", ",", "[", "]", "{", "}")
FILLERS += ("f'{", 'f"{', "# x.\n", "0", ":=", "rb'", "\\'")
#: What comes before it: nothing, a dot, an open quote or field, a comment.
BEFORE = ("", ".", "x.", "'", '"', "f'{", "(", "# ", "f'''{", "\\")
LAUNCHERS = frozenset({"run_simple", "make_server", "serve"})

#: At most this many characters visited per character of text (plus a little).
LIMIT = 24


def _work(source: str) -> int:
    scan = scanner.Scanner(source, LAUNCHERS)
    scan.read()
    scan.assigned("x")
    scan.assigned(source[:3].strip("#.'\"(f{\\ ") or "x")
    return scan.visited


def _texts(size: int) -> list[tuple[str, str]]:
    texts = []
    for word, filler, before in itertools.product(TRIGGERS, FILLERS, BEFORE):
        name = f"{before!r}{word}{filler!r}"
        texts.append((name + "-run", before + word + filler * size))
        texts.append((name + "-each", (before + word + filler) * size + filler * size))
        texts.append((name + "-triple", (before + word + filler * 3) * (size // 3)))
    return texts


def test_work_is_linear_on_hostile_texts() -> None:
    worst = max(((_work(text) / len(text), name) for name, text in _texts(120)), key=lambda pair: pair[0])
    assert worst[0] <= LIMIT, worst


@pytest.mark.parametrize(
    "text",
    [
        "#" * 79 + "\n# DEBUG\n" + "#" * 79 + "\nDEBUG = False\n",
        "from flask import Flask\nserver = Thread(target=app.run)\n# server.start()\n" + "#" * 79 + "\n",
        "# see app.run\n" + "#" * 79 + "\n",
        "# FLASK_ENV\n" + "#" * 79 + "\n",
        "# config['DEBUG'])\n" + "#" * 79 + "\n",
    ],
)
def test_banners_cost_no_more_when_longer(text: str) -> None:
    """The shapes of issue 12's hang: the work per character does not grow with the banner."""
    short = _work(text)
    long = _work(text.replace("#" * 79, "#" * 7900))
    assert long / (len(text) + 7821) <= LIMIT
    assert long / (len(text) + 7821) <= 2 * short / len(text) + 1


def test_work_does_not_grow_with_size() -> None:
    small = _texts(60)[::13]
    bigger = dict(_texts(1200)[::13])
    for name, text in small:
        assert _work(bigger[name]) / len(bigger[name]) <= max(LIMIT, 1.5 * _work(text) / len(text)), name


def _shapes(source: str, settings: Settings = DEFAULT_SETTINGS) -> gate.Shapes:
    return gate.shapes(source, settings)


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        ("app.run()", "run_call"),
        ("(app\n  # a note.\n  .run)()", "run_call"),
        ("f'{app.run()}'", "run_call"),
        ('f"{x!r:{app.run()}}"', "run_call"),
        ("f'''{\n  app.run()  # in a field (3.12)\n}'''", "run_call"),
        ("rb'x' + f'{app.debug}'; app.debug = 1", "app_switch"),
        ("x = '''#'''; app.debug = True", "app_switch"),
        ("x = '#'; os.environ.setdefault(\n  'FLASK_DEBUG', '1')", "env_switch"),
        ("os.putenv(  # note\n  'FLASK_ENV', 'development')", "env_switch"),
        ("os.environ[  # (\n  'FLASK_DEBUG'\n] = '1'", "env_switch"),
        ('settings = {\n    "DEBUG": True,  # on.\n}', "app_switch"),
        ("RATE = 1.\nDEBUG = True", "app_switch"),
        ("SECRET = ...\nDEBUG = True", "app_switch"),
        ("DEBUG: Annotated[\n    bool, 'x'\n] = True", "app_switch"),
        ("DEBUG = False or True", "app_switch"),
        ("f(DEBUG=False\n  or True)", "app_switch"),
        ("DebuggedApplication(app)", "debugged"),
        ("serving.run_simple('', 1, app)", "launcher"),
    ],
)
def test_code_is_read(source: str, shape: str) -> None:
    assert getattr(_shapes(source), shape)


@pytest.mark.parametrize(
    "source",
    [
        "# app.run()\n",
        "'''app.run(debug=True)'''\n",
        "x = 'app.debug = True'\n",
        "r'\\' app.run()'\n",
        "x = f'{{app.run()}}'\n",
        "x = f'app.run()'\n",
        "b'''\n# '''; y = '''\napp.run()'''\n",
        "DEBUG = False\nDEBUG: bool = None\nx = {DEBUG: 1}\n",
        "x = settings.  \\\n  DEBUG\n",
        "print(settings.  # note.\n  DEBUG)\n",
        "os.environ['FLASK_DEBUG'] = 0  # off.\n",
        "# run_simple, make_server, DebuggedApplication\n",
        "'run_simple'\n",
    ],
)
def test_comments_and_strings_are_not_code(source: str) -> None:
    found = _shapes(source, Settings(server_launchers=(Launcher("shop.serve"),)))
    assert not (found.run_call or found.launcher or found.debugged or found.app_switch or found.env_switch), found


def test_quick_look_is_never_less_than_the_full_read() -> None:
    """The quick look (no lexing) may see more than the full pass, never less, on every hostile text."""
    for _name, text in _texts(12):
        scan = scanner.Scanner(text, LAUNCHERS)
        quick = scan.quick()
        read = scan.read()
        full = (
            read.run_call * scanner.RUN_CALL
            | read.launcher * scanner.LAUNCHER
            | read.debugged * scanner.DEBUGGED_CALL
            | read.app_switch * scanner.APP_SWITCH
            | read.env_switch * scanner.ENV_SWITCH
            | read.bare_debug * scanner.BARE_DEBUG
        )
        assert full & ~quick == 0, _name


def test_receivers() -> None:
    assert not gate.run_receiver_assigned("import subprocess\nsubprocess.run(['ls'])\n")
    assert gate.run_receiver_assigned("app = Flask(__name__)\napp.run()\n")
    assert gate.run_receiver_assigned("app: Flask = make()\napp.run()\n")
    assert gate.run_receiver_assigned("make().run()\n")
    assert gate.run_receiver_assigned("a.b.run()\n")
    assert not gate.run_receiver_assigned("def f(app):\n    app.run()  # an unannotated parameter\n")
