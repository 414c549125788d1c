"""Recognise what a deployment command runs: Flask's CLI server, a Python file or module, a script.

Pure: words in, invocations out; nothing is read from disk here. Wrappers are seen
through (``exec``, ``env``, ``tini``, ``gosu``, ``poetry run``, ``sh -c "..."``, an
entrypoint script followed by the real command), and leading ``NAME=value``
assignments are collected, since ``FLASK_DEBUG=1 flask run`` is configuration too.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from .shell import split_shell
from .text import Token


@dataclass(frozen=True)
class Assignment:
    """``NAME=value`` given to a process; ``value`` is None for a pass-through (Compose's ``- NAME``)."""

    name: Token
    value: Token | None


@dataclass
class FlaskRun:
    """``flask run`` (or ``python -m flask run``) with the options that matter."""

    anchor: Token  # the ``flask`` or ``python`` word
    shown: str  # "flask run" or "python -m flask run"
    framework: str = "Flask"  # "Quart" for ``quart run`` (Quart's own CLI, a copy of Flask's)
    app: Token | None = None  # --app value
    host: tuple[Token, Token] | None = None  # (option word, value)
    port: Token | None = None
    debug: list[Token] = field(default_factory=list)  # --debug / --debugger words in effect
    env: tuple[Assignment, ...] = ()  # assignments in front of it
    cwd: str | None = None  # a ``cd`` earlier in the same shell command


@dataclass
class PythonRun:
    """``python file.py`` or ``python -m package.module``; ``anchor`` is the file or module word."""

    anchor: Token
    module: bool
    env: tuple[Assignment, ...] = ()
    cwd: str | None = None
    args: tuple[Token, ...] = ()  # the program's own arguments (``run -h 0.0.0.0`` for a FlaskGroup script)


@dataclass
class ProgramRun:
    """An executable given by path (``./boot.sh``, ``bin/start``): it may be a script worth reading."""

    anchor: Token
    env: tuple[Assignment, ...] = ()
    cwd: str | None = None


@dataclass
class ProductionRun:
    """A production server (``gunicorn 'app:app'``, ``python -m waitress``); ``app`` is its ``module:name`` if given."""

    anchor: Token
    server: str
    app: str | None = None
    env: tuple[Assignment, ...] = ()
    cwd: str | None = None


@dataclass
class ConsoleRun:
    """A bare command name (``shop-admin run``): maybe a console script of the project."""

    anchor: Token
    args: tuple[Token, ...] = ()
    env: tuple[Assignment, ...] = ()
    cwd: str | None = None


Invocation = FlaskRun | PythonRun | ProgramRun | ProductionRun | ConsoleRun

_APP_SPEC = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(?:\(.*\))?")


def _app_spec(args: list[Token]) -> str | None:
    """The ``module:name`` a production server is given (the last argument that looks like one)."""
    for arg in reversed(args):
        value = arg.value.rpartition("=")[2] if arg.value.startswith("--app=") else arg.value
        if _APP_SPEC.fullmatch(value):
            return value
    return None


@dataclass
class Found:
    invocations: list[Invocation] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    def extend(self, other: Found) -> None:
        self.invocations.extend(other.invocations)
        self.assignments.extend(other.assignments)


#: Production servers: a command that runs one of them is what we want to see.
PRODUCTION_SERVERS = frozenset(
    {"gunicorn", "uwsgi", "waitress-serve", "hypercorn", "uvicorn", "granian", "bjoern", "mod_wsgi-express", "daphne"}
)
_PRODUCTION_MODULES = frozenset({"gunicorn", "waitress", "hypercorn", "uvicorn", "granian", "daphne"})
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
_PYTHON = re.compile(r"python(?:\d+(?:\.\d+)?)?")
#: ``<tool> run <command>`` environment runners, and their options that take a value.
_RUNNERS = frozenset({"poetry", "pipenv", "pdm", "hatch", "rye", "uv", "pixi"})
_RUNNER_VALUE_OPTIONS = frozenset(
    {"--with", "--python", "-p", "--project", "--directory", "--env-file", "--package", "--group", "--extra", "-e"}
)
_PASS_THROUGH = frozenset({"exec", "command", "nohup", "builtin", "ddtrace-run"})
_INIT_WRAPPERS = frozenset({"tini", "dumb-init", "catatonit", "tini-static"})
_USER_SWITCHERS = frozenset({"gosu", "su-exec"})
_SUDO_VALUE_OPTIONS = frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t", "-T"})
_ENV_VALUE_OPTIONS = frozenset({"-u", "--unset", "-C", "--chdir"})
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_FLASK_GROUP_VALUE_OPTIONS = frozenset({"-e", "--env-file"})
_FLASK_RUN_VALUE_OPTIONS = frozenset({"--cert", "--key", "--extra-files", "--exclude-patterns"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_CONSOLE_NAME = re.compile(r"[A-Za-z][\w.-]*")
_MAX_DEPTH = 4


def program(word: str) -> str:
    """The program a command word names (``/usr/local/bin/python3`` -> ``python3``)."""
    return posixpath.basename(word)


def is_command_word(word: str) -> bool:
    """Whether a word starts a command this module understands (for ``entrypoint.sh flask run``)."""
    name = program(word)
    return name in ("flask", "quart") or _PYTHON.fullmatch(name) is not None or name in _SHELLS or name in PRODUCTION_SERVERS


def analyse_shell(source: Token, env: tuple[Assignment, ...] = (), depth: int = 0, cwd: str | None = None) -> Found:
    """What a shell command string runs (Dockerfile shell form, Procfile, ``sh -c``).

    ``cd folder`` is followed, so ``cd src && python app.py`` runs ``src/app.py``.
    """
    found = Found()
    if depth > _MAX_DEPTH:
        return found
    for command in split_shell(source):
        assignments = tuple(Assignment(name, value) for name, value in command.assignments)
        found.assignments.extend(assignments)
        words = command.words
        if words and words[0].value == "cd" and len(words) == 2 and "$" not in words[1].value:
            cwd = posixpath.join(cwd, words[1].value) if cwd else words[1].value
        elif words and words[0].value == "export":
            # ``export FLASK_DEBUG=1`` in a boot script: set for every later command.
            for word in words[1:]:
                if _ASSIGNMENT.match(word.value):
                    key = word.value.partition("=")[0]
                    exported = Assignment(word.sub(0, len(key)), word.sub(len(key) + 1))
                    found.assignments.append(exported)
                    env += (exported,)
        elif words:
            found.extend(analyse_argv(words, env + assignments, depth, cwd))
    return found


def analyse_argv(words: list[Token], env: tuple[Assignment, ...] = (), depth: int = 0, cwd: str | None = None) -> Found:
    """What an argument vector runs (exec form, Compose lists, one simple command)."""
    found = Found()
    if depth > _MAX_DEPTH:
        return found
    found.extend(_argv(words, env, depth))
    for invocation in found.invocations:
        if invocation.cwd is None:
            invocation.cwd = cwd
        elif cwd is not None:
            invocation.cwd = posixpath.join(cwd, invocation.cwd)
    return found


def _argv(words: list[Token], env: tuple[Assignment, ...], depth: int) -> Found:
    found = Found()
    i = _skip_wrappers(words, found)
    if i >= len(words):
        return found
    env = env + tuple(found.assignments)
    word, args = words[i], words[i + 1 :]
    name = program(word.value)
    if name in ("flask", "quart"):
        run = _flask(word, args, name, env)
        if run is not None:
            found.invocations.append(run)
    elif _PYTHON.fullmatch(name):
        found.extend(_python(word, args, env, depth))
    elif name in _SHELLS:
        found.extend(_shell(word, args, env, depth))
    elif name in PRODUCTION_SERVERS:
        found.invocations.append(ProductionRun(word, name, _app_spec(args), env))
    else:
        if "/" in word.value or name.endswith((".sh", ".py")):
            found.invocations.append(ProgramRun(word, env))
        elif _CONSOLE_NAME.fullmatch(name):
            found.invocations.append(ConsoleRun(word, tuple(args), env))
        # An entrypoint script that ends in ``exec "$@"`` runs its arguments; so do
        # ``wait-for-it host:port -- cmd`` and friends.
        values = [arg.value for arg in args]
        if "--" in values:
            found.extend(analyse_argv(args[values.index("--") + 1 :], env, depth + 1))
        elif args and is_command_word(args[0].value):
            found.extend(analyse_argv(args, env, depth + 1))
    return found


def _skip_wrappers(words: list[Token], found: Found) -> int:
    """Index of the real command word after wrappers; ``env`` assignments go into ``found``."""
    i = 0
    while i < len(words):
        name = program(words[i].value)
        if name in _PASS_THROUGH:
            i += 1
            if name == "exec" and i < len(words) and words[i].value == "-a":
                i += 2
        elif name == "time":
            i += 1
            while i < len(words) and words[i].value.startswith("-"):
                i += 1
        elif name == "env":
            i += 1
            while i < len(words):
                value = words[i].value
                if value in _ENV_VALUE_OPTIONS:
                    i += 2
                elif value.startswith("-"):
                    i += 1
                elif _ASSIGNMENT.match(value):
                    key, _, _ = value.partition("=")
                    found.assignments.append(Assignment(words[i].sub(0, len(key)), words[i].sub(len(key) + 1)))
                    i += 1
                else:
                    break
        elif name in _INIT_WRAPPERS:
            i += 1
            while i < len(words) and words[i].value.startswith("-"):
                i += 1
                if words[i - 1].value == "--":
                    break
        elif name in _USER_SWITCHERS:
            i += 2
        elif name == "sudo":
            i += 1
            while i < len(words) and words[i].value.startswith("-"):
                i += 2 if words[i].value in _SUDO_VALUE_OPTIONS else 1
        elif name == "newrelic-admin" and i + 1 < len(words) and words[i + 1].value == "run-program":
            i += 2
        elif name == "opentelemetry-instrument":
            i += 1
            while i < len(words) and words[i].value.startswith("-"):
                i += 1 if "=" in words[i].value else 2
        elif name in _RUNNERS and i + 1 < len(words) and words[i + 1].value == "run":
            i += 2
            while i < len(words) and words[i].value.startswith("-"):
                i += 2 if words[i].value in _RUNNER_VALUE_OPTIONS else 1
        else:
            break
    return i


def _option(words: list[Token], j: int, long: str, short: str | None) -> tuple[Token, int] | None:
    """The value of ``--long v``, ``--long=v``, ``-s v`` or ``-sv`` at ``words[j]``, and the next index."""
    value = words[j].value
    if value == long or (short is not None and value == short):
        return (words[j + 1], j + 2) if j + 1 < len(words) else None
    if value.startswith(long + "="):
        return words[j].sub(len(long) + 1), j + 1
    if short is not None and value.startswith(short) and len(value) > len(short) and not value.startswith("--"):
        return words[j].sub(len(short)), j + 1
    return None


def flask_cli(anchor: Token, args: list[Token], shown: str, env: tuple[Assignment, ...] = ()) -> FlaskRun | None:
    """``flask [group options] run [options]`` (or a ``FlaskGroup`` script's); None for any other command."""
    return _flask(anchor, args, shown, env)


def _flask(anchor: Token, args: list[Token], shown: str, env: tuple[Assignment, ...]) -> FlaskRun | None:
    run = FlaskRun(anchor, f"{shown} run", "Quart" if shown.endswith("quart") else "Flask", env=env)
    j = 0
    while j < len(args):
        value = args[j].value
        app = _option(args, j, "--app", "-A")
        if app is not None:
            run.app, j = app
        elif value in ("--debug", "--no-debug"):
            run.debug = [args[j]] if value == "--debug" else []
            j += 1
        elif value in ("--version", "--help"):
            return None
        elif value in _FLASK_GROUP_VALUE_OPTIONS:
            j += 2
        elif value.startswith("-"):
            j += 1
        else:
            break
    if j >= len(args) or args[j].value != "run":
        return None
    j += 1
    debugger: Token | None = None
    while j < len(args):
        value = args[j].value
        host = _option(args, j, "--host", "-h")
        port = _option(args, j, "--port", "-p")
        if host is not None:
            run.host = (args[j], host[0])
            j = host[1]
        elif port is not None:
            run.port, j = port
        elif value in ("--debug", "--no-debug"):
            run.debug = [args[j]] if value == "--debug" else []
            j += 1
        elif value in ("--debugger", "--no-debugger"):
            debugger = args[j] if value == "--debugger" else None
            j += 1
        elif value in _FLASK_RUN_VALUE_OPTIONS:
            j += 2
        else:
            j += 1
    if debugger is not None:
        run.debug.append(debugger)
    return run


def _python(word: Token, args: list[Token], env: tuple[Assignment, ...], depth: int) -> Found:
    found = Found()
    j = 0
    while j < len(args):
        value = args[j].value
        if value in _PYTHON_VALUE_OPTIONS:
            j += 2
            continue
        if value == "-" or value.startswith("--"):
            if value == "-":
                return found  # program from stdin
            j += 1
            continue
        if value.startswith("-") and len(value) > 1:
            # A cluster of one-letter options; m, c, W and X take a value (the rest or the next word).
            for k, letter in enumerate(value[1:], start=1):
                if letter in "mcWX":
                    rest = args[j].sub(k + 1) if k + 1 < len(value) else (args[j + 1] if j + 1 < len(args) else None)
                    after = j + 1 if k + 1 < len(value) else j + 2
                    if letter == "c" or rest is None:
                        return found
                    if letter == "m":
                        return _python_module(word, rest, args[after:], env, depth)
                    j = after
                    break
            else:
                j += 1
            continue
        found.invocations.append(PythonRun(args[j], module=False, env=env, args=tuple(args[j + 1 :])))
        return found
    return found


def _python_module(word: Token, module: Token, args: list[Token], env: tuple[Assignment, ...], depth: int) -> Found:
    found = Found()
    if module.value in ("flask", "quart"):
        run = _flask(word, args, f"python -m {module.value}", env)
        if run is not None:
            found.invocations.append(run)
    elif module.value.split(".")[0] not in _PRODUCTION_MODULES:
        found.invocations.append(PythonRun(module, module=True, env=env, args=tuple(args)))
    else:
        found.invocations.append(ProductionRun(module, module.value.split(".")[0], _app_spec(args), env))
    return found


def _shell(word: Token, args: list[Token], env: tuple[Assignment, ...], depth: int) -> Found:
    """``sh -c "..."`` runs its string; ``sh script.sh`` runs a file."""
    j = 0
    command = False
    while j < len(args) and args[j].value[:1] in ("-", "+") and args[j].value not in ("-", "--"):
        letters = args[j].value[1:]
        command = command or ("c" in letters and not args[j].value.startswith("--"))
        j += 2 if letters == "o" else 1
    if j < len(args) and args[j].value == "--":
        j += 1
    if j >= len(args):
        return Found()
    if command:
        return analyse_shell(args[j], env, depth + 1)
    return Found([ProgramRun(args[j], env)])
