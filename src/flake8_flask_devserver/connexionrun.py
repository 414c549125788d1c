"""connexion's own ``run``: Flask's development server in connexion 2, uvicorn in connexion 3.

What the source says (spec-first/connexion, read at its tags):

- 2.0.0 to 2.14.2 (and 1.1 to 1.5.3), connexion/apps/flask_app.py: ``FlaskApp.run(self,
  port=None, server=None, debug=None, host=None, **options)`` (``extra_files`` after
  ``host`` from 2.11.0). ``self.host = host or self.host or '0.0.0.0'`` and the port
  defaults to 5000; with ``self.server == 'flask'`` (``FlaskApp.__init__(import_name,
  server='flask', ...)``) it calls ``self.app.run(self.host, port=self.port,
  debug=self.debug, **options)``: Flask's development server, on every interface
  unless a host is given here or to the constructor (``AbstractApp.__init__(import_name,
  api_cls, port=None, specification_dir='', host=None, server=None, ..., debug=None)``,
  connexion/apps/abstract.py). ``'tornado'`` and ``'gevent'`` serve the app with those
  servers instead. ``connexion.App`` is ``FlaskApp`` (connexion/__init__.py), and
  ``AbstractApp.__call__(environ, start_response)`` hands requests to the Flask app:
  the connexion object itself is a WSGI application (``gunicorn 'module:app'``).
- 3.0.0 to 3.2.0 (and main of June 2025), connexion/apps/abstract.py and connexion/middleware/main.py:
  ``run(self, import_string=None, **kwargs)`` calls ``uvicorn.run(app, **kwargs)``;
  ``FlaskApp.__init__(import_name, *, lifespan=None, ..., server_args=None, ...)`` takes
  no ``host``, ``port``, ``debug`` or ``server``. uvicorn's ``run(app, *, host=...,
  port=..., ...)`` (uvicorn/main.py, 0.18.0 to 0.35.0; 0.17.6 passes ``**kwargs`` to
  ``Config.__init__``, which lists its parameters the same way) has no ``**kwargs``:
  Werkzeug's options raise TypeError there.

So the source alone does not say which server starts; the project does (pins.py), or
the call does: an option only Werkzeug or connexion 2 takes means connexion 2, one only
uvicorn takes means connexion 3. Either unknown or contradicting: no start.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from . import pins
from .analysis import Analysis, Arg, ServerStart, string_value
from .apps import Kind, Origin, Site, Value

#: connexion 2's ``FlaskApp.run`` parameters, in positional order (2.11.0+; ``extra_files`` is new there).
RUN_PARAMS = ("port", "server", "debug", "host", "extra_files")
#: Its constructor's positional parameters as a caller sees them (``FlaskApp.__init__``, 2.11.0+).
INIT_PARAMS = ("import_name", "server", "extra_files")

#: Options ``run`` hands on to ``Flask.run`` and Werkzeug's ``run_simple`` (werkzeug/serving.py),
#: and connexion 2's own: all TypeError in uvicorn.run.
CONNEXION2_OPTIONS = frozenset(
    {
        "server",
        "extra_files",
        "load_dotenv",
        "use_reloader",
        "use_debugger",
        "use_evalex",
        "exclude_patterns",
        "reloader_interval",
        "reloader_type",
        "threaded",
        "processes",
        "request_handler",
        "static_files",
        "passthrough_errors",
        "ssl_context",
    }
)
#: Options of uvicorn.run that neither Flask.run nor run_simple takes (TypeError in connexion 2).
UVICORN_OPTIONS = frozenset(
    {
        "import_string",
        "uds",
        "fd",
        "loop",
        "http",
        "ws",
        "lifespan",
        "interface",
        "reload",
        "reload_dirs",
        "reload_includes",
        "reload_excludes",
        "reload_delay",
        "workers",
        "env_file",
        "log_config",
        "log_level",
        "access_log",
        "proxy_headers",
        "server_header",
        "date_header",
        "forwarded_allow_ips",
        "root_path",
        "limit_concurrency",
        "backlog",
        "limit_max_requests",
        "timeout_keep_alive",
        "timeout_graceful_shutdown",
        "ssl_keyfile",
        "ssl_certfile",
        "ssl_keyfile_password",
        "ssl_ca_certs",
        "ssl_ciphers",
        "use_colors",
        "app_dir",
        "factory",
    }
)
#: Constructor keywords connexion 3's FlaskApp does not take (AbstractApp.__init__ of 2.x does).
CONNEXION2_INIT = frozenset({"host", "port", "debug", "server"})


@dataclass(frozen=True, eq=False)
class DefaultHost(Arg):
    """The host connexion 2 binds when neither ``run`` nor the constructor gives one: ``'0.0.0.0'``.

    Its anchor is the ``run`` call; nothing is written there to fix.
    """


def start(analysis: Analysis, site: Site) -> ServerStart | None:
    """``<connexion app>.run(...)`` as a start of Flask's development server, when it is connexion 2's."""
    call = site.node
    assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
    args = analysis.bind(call, RUN_PARAMS, site)
    init = _constructor(analysis, call.func.value, site)
    init_args = analysis.bind(init, INIT_PARAMS, site) if init is not None else {}
    server = args.get("server") or init_args.get("server")
    if server is not None and string_value(server.value) != "flask":
        return None  # tornado, gevent (their own servers), or a value not known here
    if not _connexion2(analysis, call, args, init, init_args):
        return None
    merged = {name: arg for name, arg in init_args.items() if name in ("host", "debug")}
    # ``host or self.host or '0.0.0.0'`` and ``if debug is not None``: a falsy host or a None
    # debug given to run leaves the constructor's (or the default) in place
    merged.update((name, arg) for name, arg in args.items() if not _falls_back(name, arg.value))
    starred = any(arg.star for arg in call.args) or (init is not None and any(arg.star for arg in init.args))
    if "host" not in merged and init is not None and not starred:
        merged["host"] = DefaultHost("host", call, cst.SimpleString('"0.0.0.0"'))
    return ServerStart(site, "connexion", _app(analysis, call.func.value, site), merged)


def _falls_back(name: str, value: cst.BaseExpression) -> bool:
    if name == "host":
        return (isinstance(value, cst.Name) and value.value == "None") or string_value(value) == ""
    return name == "debug" and isinstance(value, cst.Name) and value.value == "None"


def _connexion2(
    analysis: Analysis, call: cst.Call, args: dict[str, Arg], init: cst.Call | None, init_args: dict[str, Arg]
) -> bool:
    """Whether this is connexion 2: the call does not contradict it, and the pins or the call say so."""
    keywords = {arg.keyword.value for arg in call.args if arg.keyword is not None} | set(args)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if keywords & UVICORN_OPTIONS or (positional and string_value(positional[0]) is not None):
        return False  # written for connexion 3 (``run("module:app", reload=True)``)
    pinned = pins.below(analysis.path.parent, "connexion", 3) if analysis.path is not None else None
    if pinned is not None:
        return pinned
    if keywords & CONNEXION2_OPTIONS or len(positional) > 1 or (positional and isinstance(positional[0], cst.Integer)):
        return True  # connexion 3's run(import_string=None, **kwargs) takes none of these
    if init is not None:
        init_keywords = {arg.keyword.value for arg in init.args if arg.keyword is not None}
        init_positional = [arg for arg in init.args if arg.keyword is None and not arg.star]
        return bool(init_keywords & CONNEXION2_INIT) or len(init_positional) > 1
    return False


def _constructor(analysis: Analysis, receiver: cst.BaseExpression, site: Site) -> cst.Call | None:
    """The ``connexion.App(...)`` call the receiver was bound to, when it is in this module."""
    bound = analysis.resolver.constant(receiver, site.scope, site.seq)
    if bound is None or bound[0] is not analysis.resolver or not isinstance(bound[1], cst.Call):
        return None
    made = analysis.resolver.resolve(bound[1].func, bound[2], bound[3])
    return bound[1] if made is not None and made.kind is Kind.FAMILY else None


def _app(analysis: Analysis, receiver: cst.BaseExpression, site: Site) -> Value:
    """The served app: the connexion object itself (a WSGI application in 2.x), by its module-level name."""
    if isinstance(receiver, cst.Name):
        binding = analysis.resolver.lookup(receiver.value, site.scope, site.seq)
        if binding is not None and binding.scope.kind == "module":
            return Value(Kind.APP, "flask", origin=Origin(None, receiver.value))
    return Value(Kind.APP, "flask")
