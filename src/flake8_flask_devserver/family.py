"""The Flask family: which third-party names give an app whose ``run`` starts a development server.

One table, read by the resolver (apps.py: what a name is), by the text gate
(project.py: which imports can lead to an app) and by the docs (docs/rules.md).
Each entry was checked against the package's own source, cited below: the class
keeps (or forwards to) the development server's ``run``, which reaches
Werkzeug's ``run_simple`` (Flask) or Hypercorn's ``serve`` (Quart).

Precision first: a class whose ``run`` starts another server stays out, and so
does one whose ``run`` depends on a version the source cannot tell. connexion 2
starts Flask's server, connexion 3 uvicorn: its ``.app`` attribute, a ``flask.Flask``
in both, is an app, and its own ``run`` is a start only where the project pins
connexion below 3 or the call uses options only connexion 2 takes (connexionrun.py). Extensions that take the app and keep it
(``Api(app)``, ``CORS(app)``) are not apps: their objects have no ``run``.

Plain data, no libcst: the gate imports it on every file.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.Enum):
    APP_CLASS = "app class"  # calling it gives an app; ``.run`` starts the dev server
    HOLDER_CLASS = "holds an app"  # its instances' ``attribute`` is an app (``connexion.FlaskApp().app``)
    RETURNS_APP = "returns its app"  # a helper that returns the app it was given (``cors(app)``)
    MANAGER_CLASS = "command manager"  # ``Manager(app).run()`` dispatches argv, ``runserver`` by default
    SERVER_COMMAND = "server command"  # ``Server(host=..., use_debugger=...)``: the options runserver uses
    NO_RUN = "no run"  # takes the app, gives something without the dev server's run (documented only)


@dataclass(frozen=True)
class Member:
    """One entry: where it is imported from, what it is, and the source that says so."""

    names: tuple[str, ...]  # dotted import paths, the public one first
    role: Role
    package: str  # on PyPI, with the version read
    version: str
    source: str  # the file (in that version) where ``run`` reaches the server, or what shows the role
    family: str | None = None  # the start kind its ``run`` behaves as: flask, quart, dash, apiflask
    attribute: str | None = None  # HOLDER_CLASS: the attribute that is the app
    note: str = ""

    @property
    def name(self) -> str:
        return self.names[0]


_FLASK_RUN = "flask/app.py: Flask.run calls werkzeug.serving.run_simple"
_QUART_RUN = "quart/app.py: Quart.run -> run_task -> hypercorn.asyncio.serve"
_DASH_RUN = "dash/dash.py: Dash.run -> backend.run -> self.server.run (flask.Flask.run) with the default flask backend"

TABLE: tuple[Member, ...] = (
    # -- the frameworks themselves -----------------------------------------
    Member(("flask.Flask", "flask.app.Flask"), Role.APP_CLASS, "flask", "3.1.3", _FLASK_RUN, "flask"),
    Member(("quart.Quart", "quart.app.Quart"), Role.APP_CLASS, "quart", "0.22.0", _QUART_RUN, "quart"),
    Member(
        ("apiflask.APIFlask", "apiflask.app.APIFlask"),
        Role.APP_CLASS,
        "apiflask",
        "3.1.2",
        "apiflask/app.py: class APIFlask(APIScaffold, Flask), no run of its own",
        "apiflask",
    ),
    Member(("dash.Dash", "dash.dash.Dash"), Role.APP_CLASS, "dash", "4.4.1", _DASH_RUN, "dash"),
    # -- REST / OpenAPI frameworks that are Flask or Quart apps --------------
    Member(
        ("flask_openapi3.OpenAPI", "flask_openapi3.openapi.OpenAPI"),
        Role.APP_CLASS,
        "flask-openapi3",
        "4.3.2",
        "flask_openapi3/openapi.py: class OpenAPI(APIScaffold, Flask), no run of its own",
        "flask",
    ),
    Member(
        ("flask_api.FlaskAPI", "flask_api.app.FlaskAPI"),
        Role.APP_CLASS,
        "Flask-API",
        "3.1",
        "flask_api/app.py: class FlaskAPI(Flask), no run of its own",
        "flask",
    ),
    Member(
        ("eve.Eve", "eve.flaskapp.Eve"),
        Role.APP_CLASS,
        "Eve",
        "2.3.1",
        "eve/flaskapp.py: class Eve(Flask, Events); Eve.run(host, port, debug, **options) calls Flask.run",
        "flask",
    ),
    Member(
        ("flask_unchained.FlaskUnchained", "flask_unchained.flask_unchained.FlaskUnchained"),
        Role.APP_CLASS,
        "Flask-Unchained",
        "0.9.0",
        "flask_unchained/flask_unchained.py: class FlaskUnchained(flask.Flask), no run of its own",
        "flask",
    ),
    Member(
        ("quart_openapi.Pint", "quart_openapi.pint.Pint"),
        Role.APP_CLASS,
        "quart-openapi",
        "1.7.2",
        "quart_openapi/pint.py: class Pint(BaseRest, Quart), no run of its own",
        "quart",
    ),
    Member(
        ("quart_trio.QuartTrio", "quart_trio.app.QuartTrio"),
        Role.APP_CLASS,
        "quart-trio",
        "0.12.0",
        "quart_trio/app.py: QuartTrio.run(host, port, debug, ...) -> run_task -> hypercorn.trio.serve",
        "quart",
        note="host, port and debug where Quart has them; no loop parameter",
    ),
    Member(
        ("dash_extensions.enrich.DashProxy",),
        Role.APP_CLASS,
        "dash-extensions",
        "2.0.6",
        "dash_extensions/enrich.py: class DashProxy(dash.Dash), no run of its own",
        "dash",
    ),
    Member(
        ("jupyter_dash.JupyterDash", "jupyter_dash.jupyter_app.JupyterDash"),
        Role.APP_CLASS,
        "jupyter-dash",
        "0.4.2",
        "jupyter_dash/jupyter_app.py: JupyterDash.run_server(mode, width, height, inline_exceptions, **kwargs) "
        "calls Dash.run_server (in a thread inside IPython)",
        "dash",
        note="run_server takes display options first: host and debug are read as keywords only there",
    ),
    # -- objects that hold an app --------------------------------------------
    Member(
        ("connexion.FlaskApp", "connexion.App", "connexion.apps.flask_app.FlaskApp", "connexion.apps.flask.FlaskApp"),
        Role.HOLDER_CLASS,
        "connexion",
        "2.14.2, 3.3.0",
        "connexion/apps/flask_app.py (2.x): self.app = flask.Flask(...); connexion/apps/flask.py (3.x): "
        "self.app = self._middleware_app.app, a flask.Flask",
        "flask",
        attribute="app",
        note="its own run: Flask's server in 2.x (flask_app.py: self.app.run(self.host, ...), host '0.0.0.0' by "
        "default), uvicorn in 3.x (connexion/middleware/main.py): a start only when the project pins connexion < 3 "
        "or the call passes an option only 2.x takes (connexionrun.py)",
    ),
    # -- helpers that return the app they were given -------------------------
    Member(
        ("quart_cors.cors",),
        Role.RETURNS_APP,
        "quart-cors",
        "0.8.0",
        "quart_cors/__init__.py: cors(app_or_blueprint, ...) registers hooks and returns app_or_blueprint",
    ),
    # -- launchers from extensions --------------------------------------------
    Member(
        ("flask_script.Manager",),
        Role.MANAGER_CLASS,
        "Flask-Script",
        "2.0.6",
        "flask_script/__init__.py: Manager.add_default_commands adds runserver = Server(); Manager.run "
        "dispatches sys.argv; flask_script/commands.py: Server.__call__ calls app.run",
        "flask",
    ),
    Member(
        ("flask_script.Server", "flask_script.commands.Server"),
        Role.SERVER_COMMAND,
        "Flask-Script",
        "2.0.6",
        "flask_script/commands.py: Server(host='127.0.0.1', port=5000, use_debugger=None, ...); "
        "__call__ runs app.run(host=host, debug=use_debugger, use_debugger=use_debugger, ...)",
        "flask",
    ),
    # -- wrappers whose result has no development server (silent) ------------
    Member(
        ("flask_cors.CORS", "flask_cors.extension.CORS"),
        Role.NO_RUN,
        "flask-cors",
        "6.0.5",
        "flask_cors/extension.py: CORS(app) returns the extension object (no run)",
    ),
    Member(
        ("werkzeug.middleware.proxy_fix.ProxyFix",),
        Role.NO_RUN,
        "werkzeug",
        "3.1.9",
        "werkzeug/middleware/proxy_fix.py: a WSGI middleware (no run)",
    ),
    Member(
        ("werkzeug.middleware.dispatcher.DispatcherMiddleware",),
        Role.NO_RUN,
        "werkzeug",
        "3.1.9",
        "werkzeug/middleware/dispatcher.py: a WSGI middleware (no run)",
    ),
)

#: Checked and left out, with why (rendered into the docs; the resolver never sees these).
LEFT_OUT: tuple[tuple[str, str, str], ...] = (
    (
        "connexion.FlaskApp.run (connexion 3, or no version known)",
        "connexion 2.14.2 / 3.2.0",
        "uvicorn in 3.x; where neither the dependency files (pins.py) nor the call's options show connexion 2, "
        "the source does not say which; `server='tornado'`/`'gevent'` serve with those",
    ),
    ("flask_restx.Api", "flask-restx 1.3.2", "an extension (class Api(object)); the app keeps its own run"),
    ("flask_restful.Api", "Flask-RESTful 0.3.10", "an extension (class Api(object))"),
    ("flask_smorest.Api", "flask-smorest 0.47.0", "an extension (class Api(APISpecMixin, ErrorHandlerMixin))"),
    ("flasgger.Swagger", "flasgger 0.9.7.1", "an extension"),
    ("spectree.SpecTree", "spectree 3.0.0", "an extension"),
    ("flask_admin.Admin", "Flask-Admin 2.2.1", "an extension"),
    ("flask_appbuilder.AppBuilder", "flask-appbuilder 5.3.0", "an extension (class AppBuilder)"),
    ("quart_schema.QuartSchema", "quart-schema 0.25.0", "an extension"),
    ("flask_rebar.Rebar", "flask-rebar 3.5.0", "an extension"),
    ("flask_classful.FlaskView", "Flask-Classful 0.16.0", "a view class"),
    ("flask_sockets.Sockets", "Flask-Sockets 0.2.1", "an extension; served by gevent"),
    ("flask_ngrok.run_with_ngrok", "flask-ngrok 0.0.25", "patches app.run and returns None: the app is still the app"),
    ("flaskwebgui.FlaskUI", "flaskwebgui 1.1.8", "runs waitress or app.run depending on options"),
    ("pywebio.platform.flask.start_server", "pywebio 1.8.4", "a launcher of its own app (use_evalex=False)"),
    ("dash.Dash(backend='fastapi')", "dash 4.4.1", "runs uvicorn (dash/backends/_fastapi.py): such a Dash is no Werkzeug app"),
)

BY_NAME: dict[str, Member] = {name: member for member in TABLE for name in member.names}

#: Top-level modules whose import can lead to an app or a development server (the gate's test).
MODULES: tuple[str, ...] = tuple(
    sorted({name.split(".")[0] for member in TABLE if member.role is not Role.NO_RUN for name in member.names} | {"flask_socketio", "werkzeug"})
)


def markdown() -> str:
    """The table as Markdown, for docs/rules.md."""
    rows = ["| name | is | package (version read) | where the source says so |", "|---|---|---|---|"]
    for member in TABLE:
        what = member.role.value
        if member.role is Role.APP_CLASS:
            what = f"app class ({member.family} run)"
        elif member.role is Role.HOLDER_CLASS:
            what = f"holds an app in `.{member.attribute}`"
        names = ", ".join(f"`{name}`" for name in member.names)
        note = f" ({member.note})" if member.note else ""
        rows.append(f"| {names} | {what}{note} | {member.package} {member.version} | {member.source} |")
    rows += ["", "Checked and left out:", "", "| name | package (version read) | why |", "|---|---|---|"]
    rows.extend(f"| `{name}` | {package} | {why} |" for name, package, why in LEFT_OUT)
    return "\n".join(rows)
