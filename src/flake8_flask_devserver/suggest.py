"""Fix suggestions tailored to the file: the real ``flask --app`` and ``gunicorn`` commands for it."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .analysis import Analysis, ServerStart
from .apps import Context, Kind, Origin, Site, Value

#: Names Flask's (and Quart's) CLI finds by itself in ``--app module``.
_DISCOVERED = {"app", "application"}
_DISCOVERED_FACTORIES = {"create_app", "make_app"}


@dataclass(frozen=True)
class Commands:
    dev: str | None  # how to run the development server on purpose
    prod: str  # how to serve the app in production

    def prod_bound(self) -> str:
        """The production command binding every interface on port 8000 (containers)."""
        server, _, rest = self.prod.partition(" ")
        return f"{server} --bind 0.0.0.0:8000 {rest}"

    def advice(self) -> str:
        if self.dev is None:
            return f"in production: {self.prod}"
        return f"in development: {self.dev}; in production: {self.prod}"


def app_origin(analysis: Analysis, app: Value | None, site: Site | None = None) -> Origin:
    """Where the served app lives.

    When the value does not say, the linted module's own ``app`` (or ``application``,
    or factory) is used; failing that, ``<module>:app`` for a start outside functions
    (the app there should be bound at module level) and a placeholder otherwise.
    """
    if app is not None and app.origin is not None:
        origin = app.origin
        return Origin(origin.module or analysis.module_name, origin.attr, origin.factory, origin.needs_args)
    own = _module_app(analysis)
    if own is not None and own.origin is not None:
        return Origin(own.origin.module or analysis.module_name, own.origin.attr, own.origin.factory, own.origin.needs_args)
    if site is not None and site.context is Context.FUNCTION:
        return Origin("<module>", "<app>")
    return Origin(analysis.module_name, "app")


def cli_target(origin: Origin) -> str:
    """The ``--app`` value: just the module when the CLI discovers the app by itself."""
    assert origin.module is not None
    discovered = origin.attr in (_DISCOVERED_FACTORIES if origin.factory else _DISCOVERED)
    if discovered and not origin.needs_args:
        return origin.module
    return f"'{origin.spec(origin.module)}'"


def for_app(analysis: Analysis, family: str | None, app: Value | None, site: Site | None = None) -> Commands:
    """Commands for an app of a Flask-family framework."""
    origin = app_origin(analysis, app, site)
    assert origin.module is not None
    spec = origin.spec(origin.module)
    if family == "quart":
        return Commands(f"quart --app {cli_target(origin)} run --reload", f"hypercorn '{spec}'")
    if family == "dash":
        # gunicorn cannot load 'module:app.server'; Dash apps expose ``server = app.server``.
        return Commands(None, f"gunicorn '{origin.module}:server' (with server = {origin.attr}.server)")
    return Commands(f"flask --app {cli_target(origin)} run --debug", f"gunicorn '{spec}'")


def for_start(analysis: Analysis, start: ServerStart) -> Commands:
    """Commands that replace one development-server start."""
    if start.kind == "socketio":
        origin = app_origin(analysis, start.app, start.site)
        assert origin.module is not None
        # Flask-SocketIO's threading mode under gunicorn: one worker, many threads.
        return Commands(
            f"flask --app {cli_target(origin)} run --debug",
            f"gunicorn -w 1 --threads 100 '{origin.spec(origin.module)}'",
        )
    if start.kind == "connexion":
        # connexion 2's App is a WSGI application (AbstractApp.__call__); Flask's CLI cannot load it
        # (flask/cli.py, find_best_app: a Flask instance), and connexion's own CLI serves a spec file.
        return Commands(None, f"gunicorn '{_wsgi_spec(analysis, start)}'")
    if start.kind in ("run_simple", "make_server", "custom"):
        return Commands(None, f"gunicorn '{_wsgi_spec(analysis, start)}'")
    return for_app(analysis, start.kind, start.app, start.site)


def _wsgi_spec(analysis: Analysis, start: ServerStart) -> str:
    app = start.app
    if app is not None and app.kind is Kind.APP:
        origin = app_origin(analysis, app, start.site)
        assert origin.module is not None
        return origin.spec(origin.module)
    arg = start.args.get("application") or start.args.get("app")
    if arg is not None and isinstance(arg.value, cst.Name) and start.site.scope.kind == "module":
        return f"{analysis.module_name}:{arg.value.value}"
    return "<module>:<app>"


def for_module(analysis: Analysis) -> Commands:
    """Commands when a finding is not tied to one start call (config, environment)."""
    starts = analysis.starts
    if starts:
        return for_start(analysis, starts[0])
    app = _module_app(analysis)
    if app is None:  # no app here to name: the generic commands
        return Commands("flask run --debug", "gunicorn '<module>:<app>'")
    return for_app(analysis, "flask", app)


def _module_app(analysis: Analysis) -> Value | None:
    for name in ("app", "application", "create_app", "make_app"):
        value = analysis.resolver.export(name)
        if value is not None and value.kind is Kind.APP:
            return value
        if value is not None and value.kind is Kind.FACTORY:
            return Value(Kind.APP, value.family, origin=value.origin)
    return None
