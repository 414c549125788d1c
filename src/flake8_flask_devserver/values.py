"""What an expression evaluates to, as far as this linter cares: the answers of apps.py's resolver.

:class:`Kind` says what a value is (an app, a factory, a launcher, ``os.environ``, ...),
:class:`Origin` where an app can be loaded from, and ``KNOWN`` the values of the
dotted names the resolver knows without reading any source (Flask-family classes
from family.py's table, Werkzeug's launchers and debugger, the environment).
Split from apps.py, which re-exports these names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from . import family
from .model import Launcher


class Kind(enum.Enum):
    APP_CLASS = "app class"
    APP = "app"
    FACTORY = "factory"
    SOCKETIO_CLASS = "socketio class"
    SOCKETIO = "socketio"
    LAUNCHER = "launcher"
    DEBUGGED_APP_CLASS = "DebuggedApplication"
    CONFIG = "app.config"
    ENVIRON = "os.environ"
    ENV_GET = "environment getter"
    ENV_READ = "environment string"
    PUTENV = "os.putenv"
    BOOL = "bool"
    MODULE = "first-party module"
    QUALNAME = "other"
    FUNCTION = "function"
    FAMILY = "family-table helper or class"  # see family.py: qualname is the table entry's name
    FAMILY_OBJECT = "instance of a family-table class"  # qualname: the class's entry


@dataclass(frozen=True)
class Origin:
    """Where an app can be loaded from: ``module:attr`` or ``module:attr()`` for a factory."""

    module: str | None
    attr: str
    factory: bool = False
    needs_args: bool = False  # a factory with required parameters

    def spec(self, fallback_module: str) -> str:
        module = self.module or fallback_module
        if self.factory:
            return f"{module}:{self.attr}(<args>)" if self.needs_args else f"{module}:{self.attr}()"
        return f"{module}:{self.attr}"


@dataclass(frozen=True)
class Value:
    """What an expression evaluates to, as far as this linter cares."""

    kind: Kind
    family: str | None = None  # flask, quart, apiflask, dash
    qualname: str | None = None
    origin: Origin | None = None
    launcher: Launcher | None = None
    path: Path | None = None  # for MODULE: its source file
    returns_arg: tuple[int, str] | None = None  # FUNCTION that returns a parameter: (position or -1, name)
    coroutine: bool = False  # FACTORY defined with ``async def``: calling it gives a coroutine, not the app


def _app_class(family: str) -> Value:
    return Value(Kind.APP_CLASS, family=family)


KNOWN: dict[str, Value] = {
    # Flask-family classes and helpers: the one table in family.py.
    **{
        name: _app_class(member.family or "flask")
        if member.role is family.Role.APP_CLASS
        else Value(Kind.FAMILY, family=member.family, qualname=member.name)
        for name, member in family.BY_NAME.items()
        if member.role is not family.Role.NO_RUN
    },
    "flask.current_app": Value(Kind.APP, family="flask"),
    "flask.globals.current_app": Value(Kind.APP, family="flask"),
    "quart.current_app": Value(Kind.APP, family="quart"),
    "flask_socketio.SocketIO": Value(Kind.SOCKETIO_CLASS),
    "werkzeug.serving.run_simple": Value(Kind.LAUNCHER, qualname="run_simple"),
    "werkzeug.run_simple": Value(Kind.LAUNCHER, qualname="run_simple"),
    "werkzeug.serving.make_server": Value(Kind.LAUNCHER, qualname="make_server"),
    "werkzeug.debug.DebuggedApplication": Value(Kind.DEBUGGED_APP_CLASS),
    "werkzeug.DebuggedApplication": Value(Kind.DEBUGGED_APP_CLASS),
    "os.environ": Value(Kind.ENVIRON, qualname="os.environ"),
    "os.getenv": Value(Kind.ENV_GET),
    "os.environ.get": Value(Kind.ENV_GET),
    "os.putenv": Value(Kind.PUTENV),
    "builtins.bool": Value(Kind.BOOL),
}
