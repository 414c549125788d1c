"""Facts about one module that rules report on: server starts, debug switches, config classes.

Built once per file from the ``apps`` index and resolver; every rule reads the
same facts, so no rule walks the tree or re-decides what an app is. The debug
switches are found in debugswitches.py (:attr:`Analysis.debug_switches`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import libcst as cst

from . import configflow, configvalues, crosslaunch, debugswitches, family, handoff, kindbounds, launchers, paramflow
from .callbounds import DEBUGGED_WORDS
# Re-exported: rules and deploy/ import these from here.
from .arguments import Arg, _mapping_items, bind_arguments, binds_all_interfaces, string_value  # noqa: F401
from .apps import Context, Kind, ModuleModel, Resolver, Scope, Site, Value, class_assignments, evaluated, quote_counts
from .debugswitches import DebugSwitch  # re-exported: rules, configflow and _cst import it here
from .when_unset import Environment, Gate
from .model import Settings, is_dev_config_name
from .project import FAMILY_MODULES

#: Parameters of each dev-server entry point, in positional order.
POSITIONAL: dict[str, tuple[str, ...]] = {
    "flask": ("host", "port", "debug", "load_dotenv"),
    "apiflask": ("host", "port", "debug", "load_dotenv"),
    "quart": ("host", "port", "debug", "use_reloader", "loop", "ca_certs", "certfile", "keyfile"),
    "dash": ("host", "port", "proxy", "debug"),
    "socketio": ("app", "host", "port"),
    "connexion": ("port", "server", "debug", "host", "extra_files"),  # connexion 2 (connexionrun.py)
    "run_simple": ("hostname", "port", "application", "use_reloader", "use_debugger", "use_evalex"),
    "make_server": ("host", "port", "app"),
    # Flask-Script: Manager.run(commands, default_command) dispatches argv (runserver by default);
    # Server(...) holds the options runserver passes to app.run (flask_script/commands.py).
    "flask_script": ("commands", "default_command"),
    "flask_script_server": (
        "host",
        "port",
        "use_debugger",
        "use_reloader",
        "threaded",
        "processes",
        "passthrough_errors",
        "ssl_crt",
        "ssl_key",
    ),
}

#: Display names for messages.
SERVER_NAMES = {
    "flask": "Flask",
    "apiflask": "APIFlask",
    "quart": "Quart",
    "dash": "Dash",
    "socketio": "Flask-SocketIO",
    "connexion": "Flask (connexion 2)",
    "run_simple": "Werkzeug",
    "make_server": "Werkzeug",
    "custom": "Werkzeug",
    "flask_script": "Flask",
    "flask_script_server": "Flask",
}


#: Frameworks with DEBUG settings of their own, which FDS204 must not judge.
OTHER_FRAMEWORKS = frozenset(
    {"aiohttp", "bottle", "django", "falcon", "fastapi", "litestar", "pyramid", "sanic", "starlette", "tornado"}
)

#: Settings libraries whose classes are not Flask configuration objects (``class AppConfig(BaseSettings)``).
SETTINGS_LIBRARIES = frozenset({"configurations", "dynaconf", "environ", "pydantic", "pydantic_settings"})


class Truth(enum.Enum):
    TRUE = "true"
    FALSE = "false"
    RAW_ENV = "raw environment string"  # os.environ.get(...) and friends
    RAW_LITERAL = "raw string literal"  # "false", "0", ...
    UNKNOWN = "unknown"


@dataclass(eq=False)
class ServerStart:
    site: Site
    kind: str  # a key of POSITIONAL, or "custom"
    app: Value | None  # the app being served, when known (a launcher's: resolved only when it can be an app)
    args: dict[str, Arg] = field(default_factory=dict)
    #: Flask-Script: the command-line commands that start the server (None: any run starts it)
    commands: tuple[str, ...] | None = None

    @property
    def call(self) -> cst.Call:
        assert isinstance(self.site.node, cst.Call)
        return self.site.node

    @property
    def server(self) -> str:
        return SERVER_NAMES.get(self.kind, "Werkzeug")

    def host_param(self) -> str:
        return "hostname" if self.kind == "run_simple" else "host"

    def debug_params(self) -> tuple[str, ...]:
        """Parameters that switch Werkzeug's debugger on for this kind of start."""
        return _DEBUG_PARAMS.get(self.kind, ())


#: Flask.run forwards ``use_debugger`` to run_simple; Dash and Flask-SocketIO forward to Flask.run.
_DEBUG_PARAMS: dict[str, tuple[str, ...]] = {
    "flask": ("debug", "use_debugger"),
    "apiflask": ("debug", "use_debugger"),
    "dash": ("debug", "use_debugger"),
    "socketio": ("debug", "use_debugger"),
    "connexion": ("debug", "use_debugger"),
    "quart": ("debug",),
    "run_simple": ("use_debugger",),
    "custom": ("debug",),
    "flask_script_server": ("use_debugger",),
}


#: What a ``.run(``/``.run_server(`` receiver must be to start a server (Analysis._start).
_RUN_RECEIVERS = frozenset({Kind.APP, Kind.FAMILY_OBJECT, Kind.SOCKETIO})
#: What the application a launcher serves is read for (suggest.py: its origin, for an app only).
_SERVED = frozenset({Kind.APP})


class Analysis:
    """Everything the rules need to know about one parsed module."""

    def __init__(self, module: cst.Module, path: Path | None, settings: Settings) -> None:
        self.model = ModuleModel(module, path)
        self.path = path
        self.settings = settings
        self.resolver = Resolver(self.model, settings)

    # -- naming ----------------------------------------------------------
    @cached_property
    def module_name(self) -> str:
        """Import path of the linted module, for suggestions (``app`` when unknown)."""
        return self.model.name or "app"

    # -- values ----------------------------------------------------------
    @cached_property
    def environment(self) -> Environment:
        """Values and conditions as they are when the environment sets nothing (FDS205)."""
        return Environment(self.resolver)

    def on_when_unset(self, node: cst.BaseExpression, scope: Scope, seq: int) -> frozenset[str] | None:
        """The variables whose absence turns a debug value on, when it is read from the environment
        and true with nothing set (None otherwise; raw strings are FDS203's)."""
        if self.truth(node, scope, seq) in (Truth.TRUE, Truth.RAW_ENV, Truth.RAW_LITERAL):
            return None
        found = self.environment.value(node, scope, seq)
        return found.keys if found.on else paramflow.env_on(self, node, scope, seq)

    def resolve(self, node: cst.BaseExpression, site: Site) -> Value | None:
        return self.resolver.resolve(node, site.scope, site.seq)

    def truth(
        self,
        node: cst.BaseExpression,
        scope: Scope,
        seq: int,
        depth: int = 0,
        resolver: Resolver | None = None,
        defaults: bool = False,
    ) -> Truth:
        """How ``bool()`` sees a value, as far as it can be told statically. A parameter's value is
        the one its calls give (paramflow.py); with ``defaults``, also a command-line option's default
        and the default no call is seen to override (FDS205's, not FDS200's)."""
        resolver = resolver or self.resolver
        if depth > 8:
            return Truth.UNKNOWN
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return Truth.TRUE if node.value == "True" else Truth.FALSE
        if isinstance(node, (cst.Name, cst.Attribute)):
            bound = resolver.constant(node, scope, seq) or configvalues.instance_attribute(resolver, node, scope, seq)
            if bound is not None:
                other, expr, where, when = bound
                found = self.truth(expr, where, when, depth + 1, other)
                if found is Truth.TRUE:
                    # ``if <condition>: debug = True``: on only where the condition holds (FDS205)
                    gate, _ = self.environment.for_resolver(other).binding_gate(expr)
                    if gate is Gate.NEVER and isinstance(node, cst.Name):
                        return self.truth(node, where, when, depth + 1, other)  # the binding before
                    if gate is not Gate.ALWAYS:
                        return Truth.UNKNOWN
                return found
            flow = paramflow.given(self, node, scope, seq) if resolver is self.resolver else None
            picked = flow.pick_truth(self, depth, defaults) if flow is not None else None
            return picked if picked is not None else Truth.UNKNOWN
        if isinstance(node, (cst.Integer, cst.Float)):
            # bool(), not float(): 0x<5000 digits> is valid Python and too large for a float.
            value = evaluated(node)
            return Truth.UNKNOWN if value is None else Truth.TRUE if value else Truth.FALSE
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return self.truth(node.expression, scope, seq, depth + 1, resolver)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            inner = self.truth(node.expression, scope, seq, depth + 1, resolver)
            return {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE}.get(inner, Truth.UNKNOWN)
        text = string_value(node)
        if text is not None:
            return Truth.RAW_LITERAL if text else Truth.FALSE
        if isinstance(node, (cst.Call, cst.Subscript)):
            loaded = configvalues.config_values(resolver, node, scope, seq)  # app.config["DEBUG"], .get(...)
            if loaded:
                truths = {self.truth(expr, where, when, depth + 1, other) for other, expr, where, when in loaded}
                return truths.pop() if len(truths) == 1 else Truth.UNKNOWN
            value = resolver.resolve(node, scope, seq)
            if value is not None and value.kind is Kind.ENV_READ:
                return Truth.RAW_ENV
            if isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].star:
                func = resolver.resolve(node.func, scope, seq)
                if func is not None and func.kind is Kind.BOOL:
                    inner = self.truth(node.args[0].value, scope, seq, depth + 1, resolver)
                    return Truth.RAW_ENV if inner is Truth.RAW_LITERAL else inner
        return Truth.UNKNOWN

    def string(
        self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0, resolver: Resolver | None = None
    ) -> str | None:
        """The string a host expression evaluates to: literal, constant, or an env lookup's default."""
        resolver = resolver or self.resolver
        if depth > 8:
            return None
        text = string_value(node)
        if text is not None:
            return text
        if isinstance(node, (cst.Name, cst.Attribute)):
            bound = resolver.constant(node, scope, seq) or configvalues.instance_attribute(resolver, node, scope, seq)
            if bound is None:  # a parameter: what its calls pass, else its (or its option's) default
                flow = paramflow.given(self, node, scope, seq) if resolver is self.resolver else None
                return flow.pick_string(self, depth) if flow is not None else None
            other, expr, where, when = bound
            return self.string(expr, where, when, depth + 1, other)
        if isinstance(node, (cst.Call, cst.Subscript)):
            loaded = configvalues.config_values(resolver, node, scope, seq)  # app.config["HOST"], .get(...)
            if loaded:
                texts = {self.string(expr, where, when, depth + 1, other) for other, expr, where, when in loaded}
                return texts.pop() if len(texts) == 1 else None
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            left = resolver.resolve(node.left, scope, seq)
            if left is not None and left.kind is Kind.ENV_READ:
                return self.string(node.right, scope, seq, depth + 1, resolver)
            return None
        if isinstance(node, cst.Call):
            value = resolver.resolve(node, scope, seq)
            if value is not None and value.kind is Kind.ENV_READ:
                func = resolver.resolve(node.func, scope, seq)
                if func is not None and func.qualname:  # a project's own helper: its return, with these arguments
                    found = self.environment.for_resolver(resolver).value(node, scope, seq).value
                    return found if isinstance(found, str) else None
                default = bind_arguments(node, ("key", "default")).get("default")
                if default is not None:
                    return self.string(default.value, scope, seq, depth + 1, resolver)
        return None

    def bind(self, call: cst.Call, params: tuple[str, ...], site: Site) -> dict[str, Arg]:
        """``bind_arguments`` that also reads ``**options`` from a dict bound in this module."""

        def deref(node: cst.BaseExpression) -> cst.BaseExpression | None:
            bound = self.resolver.constant(node, site.scope, site.seq)
            # only this module's nodes: findings must point into the linted file
            return bound[1] if bound is not None and bound[0] is self.resolver else None

        return bind_arguments(call, params, deref)

    def string_literal(self, node: cst.BaseExpression, scope: Scope, seq: int) -> cst.SimpleString | None:
        """The literal written inside ``node`` that :meth:`string` takes its value from.

        The literal itself, an environment lookup's default, or the fallback of
        ``os.getenv(...) or "..."``; None when the value comes through a name (its
        literal is elsewhere, perhaps used for more than this).
        """
        if isinstance(node, cst.SimpleString):
            return node if string_value(node) is not None else None
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            left = self.resolver.resolve(node.left, scope, seq)
            if left is not None and left.kind is Kind.ENV_READ:
                return self.string_literal(node.right, scope, seq)
            return None
        if isinstance(node, cst.Call):
            value = self.resolver.resolve(node, scope, seq)
            if value is not None and value.kind is Kind.ENV_READ:
                default = bind_arguments(node, ("key", "default")).get("default")
                if default is not None:
                    return self.string_literal(default.value, scope, seq)
        return None

    @cached_property
    def preferred_quote(self) -> str:
        """The quote most one-line string literals of the module use (``"`` when tied); fixes follow it."""
        single, double = quote_counts(self.model.module)
        return "'" if single > double else '"'

    # -- facts -----------------------------------------------------------
    @cached_property
    def starts(self) -> list[ServerStart]:
        """Every call that starts a development server."""
        found: list[ServerStart] = []
        for site in self.model.index.calls:
            start = self._start(site) or handoff.start(self, site, self._start)  # Thread(target=app.run)
            if start is not None:
                found.append(start)
        return found

    def _start(self, site: Site) -> ServerStart | None:
        call = site.node
        assert isinstance(call, cst.Call)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("run", "run_server"):
            if not kindbounds.may_give(self.resolver, func.value, site.scope, site.seq, _RUN_RECEIVERS):
                return None  # no app, manager or Socket.IO object: nothing below starts a server
            receiver = self.resolve(func.value, site)
            if receiver is None:
                return None
            if receiver.kind is Kind.APP and receiver.family is not None:
                if func.attr.value == "run_server" and receiver.family != "dash":
                    return None
                return ServerStart(site, receiver.family, receiver, self.bind(call, POSITIONAL[receiver.family], site))
            if receiver.kind is Kind.FAMILY_OBJECT and func.attr.value == "run":
                member = family.BY_NAME.get(receiver.qualname or "")
                if member is not None and member.package == "connexion":
                    from . import connexionrun  # (it imports this module)

                    return connexionrun.start(self, site)  # Flask's server in connexion 2 only
                if member is None or member.role is not family.Role.MANAGER_CLASS:
                    return None
                commands = self._server_commands_of_managers
                if not commands:
                    return None  # runserver replaced by a command of the project's own, and no Server added
                app = Value(Kind.APP, member.family, origin=receiver.origin)
                args = self.bind(call, POSITIONAL["flask_script"], site)
                default = string_value(args["default_command"].value) if "default_command" in args else None
                given = ("",) if default in commands else ()  # "": no command given, the default one runs
                return ServerStart(site, "flask_script", app, args, (*sorted(commands), *given))
            if receiver.kind is Kind.SOCKETIO and func.attr.value == "run":
                args = self.bind(call, POSITIONAL["socketio"], site)
                if "app" not in args and not any(arg.star for arg in call.args):
                    # flask_socketio.SocketIO.run(self, app, host=None, port=None, **kwargs):
                    # without the app it raises TypeError and starts nothing
                    return None
                app = self.resolve(args["app"].value, site) if "app" in args else None
                return ServerStart(site, "socketio", app, args)
            return None
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None
        value = self.resolve(func, site)
        if value is None or value.kind is not Kind.LAUNCHER:
            return None
        if value.launcher is not None:
            return self._custom_start(site, value)
        kind = value.qualname or "run_simple"
        args = self.bind(call, POSITIONAL[kind], site)
        app_arg = args.get("application") or args.get("app")
        app = None
        # The served value names the app in the fix only when it is one (suggest.py, _wsgi_spec):
        # resolved only when it can be (kindbounds.py; a ``def application(environ, ...)`` never is).
        if app_arg is not None and kindbounds.may_give(self.resolver, app_arg.value, site.scope, site.seq, _SERVED):
            app = self.resolve(app_arg.value, site)
        return ServerStart(site, kind, app, args)

    @cached_property
    def server_commands(self) -> list[ServerStart]:
        """Flask-Script ``Server(...)`` calls: the host and debugger its ``runserver`` passes to app.run.

        Not starts (nothing runs where they are written), but their arguments are what a
        start uses, so the host and debugger rules read them too.
        """
        if not any(
            binding.qualname.split(".")[0] == "flask_script"
            for bindings in self.model.index.module_scope.bindings.values()
            for binding in bindings
            if binding.kind in ("import", "from")
        ):
            return []
        found: list[ServerStart] = []
        for site in self.model.index.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            if _last_name(call.func) is None:
                continue
            value = self.resolve(call.func, site)
            member = family.BY_NAME.get(value.qualname or "") if value is not None and value.kind is Kind.FAMILY else None
            if member is not None and member.role is family.Role.SERVER_COMMAND:
                args = self.bind(call, POSITIONAL["flask_script_server"], site)
                found.append(ServerStart(site, "flask_script_server", None, args))
        return found

    @cached_property
    def _server_commands_of_managers(self) -> frozenset[str]:
        """Flask-Script commands of this module that run the dev server: ``runserver`` (added by
        Manager.add_default_commands unless a command of that name exists) and every name given to
        ``add_command(name, Server(...))`` (flask_script/__init__.py, 2.0.6)."""
        servers: set[str] = set()
        replaced = False
        for site in self.model.index.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            if _last_name(call.func) != "add_command" or len(call.args) < 2 or call.args[0].keyword is not None:
                continue
            name = string_value(call.args[0].value)
            value = self.resolve(call.args[1].value, site)
            if value is not None and value.kind is Kind.FAMILY_OBJECT and value.qualname == "flask_script.Server":
                servers.update([name] if name is not None else [])
            elif name == "runserver" or name is None:
                replaced = True
        for bindings in self.model.index.module_scope.bindings.values():
            for binding in bindings:
                node = binding.node
                if binding.kind == "function" and isinstance(node, cst.FunctionDef) and node.name.value == "runserver":
                    # @manager.command / @manager.option(...) def runserver(): the project's own runserver
                    replaced = replaced or any(
                        _last_name(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator)
                        in ("command", "option", "shell")
                        for d in node.decorators
                    )
        return frozenset(servers if replaced else {*servers, "runserver"})

    @property
    def servers(self) -> list[ServerStart]:
        """Starts and the server commands whose host and debugger settings they use."""
        return [*self.starts, *self.server_commands]

    def _custom_start(self, site: Site, value: Value) -> ServerStart:
        launcher = value.launcher
        assert launcher is not None and isinstance(site.node, cst.Call)
        params: list[str] = []
        for role in ("host", "debug"):
            spec = getattr(launcher, role)
            if isinstance(spec, int):
                params.extend([""] * (spec + 1 - len(params)))
                params[spec] = role
        args = self.bind(site.node, tuple(params), site)
        for role in ("host", "debug"):
            spec = getattr(launcher, role)
            if isinstance(spec, str) and spec in args:
                args[role] = args[spec]
        return ServerStart(site, "custom", None, args)

    @cached_property
    def main_reach(self) -> launchers.Reach:
        """The functions this module's ``__main__`` launcher runs (see launchers.py)."""
        return launchers.reach(self.model.index.calls, self.resolver)

    @cached_property
    def import_reach(self) -> launchers.Reach:
        """The functions this module runs when imported (a module-level ``main()`` outside a guard)."""
        return launchers.reach(self.model.index.calls, self.resolver, Context.IMPORT)

    def launched_through(self, start: ServerStart) -> tuple[str, ...] | None:
        """For a start inside a function: the calls by which the ``__main__`` guard reaches it
        (None when an import reaches it too: that is FDS100's)."""
        if start.site.context is not Context.FUNCTION or self.imported_through(start) is not None:
            return None
        path = self.main_reach.path_to(start.site)
        if path is not None:
            return path
        memo: dict[int, tuple[str, ...] | None] = self.__dict__.setdefault("_cross_launched", {})
        if id(start) not in memo:
            memo[id(start)] = crosslaunch.path_to(self, start)  # another module's guard
        return memo[id(start)]

    def imported_through(self, start: ServerStart) -> tuple[str, ...] | None:
        """For a start inside a function: the calls by which importing the module reaches it."""
        if start.site.context is not Context.FUNCTION:
            return None
        return self.import_reach.path_to(start.site)

    @cached_property
    def debug_switches(self) -> list[DebugSwitch]:
        """``app.debug = ...``, ``app.config["DEBUG"] = ...``, config.update(...), FLASK_DEBUG writes."""
        return debugswitches.find(self)

    def may_call(self, func: cst.BaseExpression, site: Site, words: frozenset[str]) -> bool:
        return True  # whether the call may reach what ``words`` name: always here; see _cst.py

    @cached_property
    def debugged_apps(self) -> list[tuple[Site, Arg | None]]:
        """``DebuggedApplication(...)`` calls with their ``evalex`` argument."""
        found: list[tuple[Site, Arg | None]] = []
        for site in self.model.index.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            if _last_name(call.func) is None or not self.may_call(call.func, site, DEBUGGED_WORDS):
                continue
            value = self.resolve(call.func, site)
            if value is not None and value.kind is Kind.DEBUGGED_APP_CLASS:
                found.append((site, bind_arguments(call, ("app", "evalex")).get("evalex")))
        return found

    @cached_property
    def config_classes(self) -> list[tuple[Site, cst.ClassDef]]:
        """Classes that look like configuration objects: named ``*Config*`` or derived from one here.

        None in modules of other web frameworks (Django, Sanic, ...), whose DEBUG means something else,
        and none without evidence that they configure a Flask-family app (configflow.configures_flask).
        """
        names: set[str] = set()
        found: list[tuple[Site, cst.ClassDef]] = []
        if self.uses_other_framework:
            return found
        for site in self.model.index.classes:
            node = site.node
            assert isinstance(node, cst.ClassDef)
            bases = {_last_name(base.value) for base in node.bases}
            if not ("Config" in node.name.value or "Configuration" in node.name.value or bases & names):
                continue  # (before resolving its bases: that may read other modules)
            if not self._settings_library_class(node, site):
                names.add(node.name.value)
                found.append((site, node))
        if found:  # evidence that these classes configure a Flask-family app
            if not configflow.configures_flask(self, [node.name.value for _, node in found]):
                return []
        return found

    def _settings_library_class(self, node: cst.ClassDef, site: Site) -> bool:
        for base in node.bases:
            value = self.resolve(base.value, site)
            if value is not None and value.qualname and value.qualname.split(".")[0] in SETTINGS_LIBRARIES:
                return True
        return False

    @cached_property
    def uses_other_framework(self) -> bool:
        """Whether the module imports another web framework (and no Flask-family one) at module level."""
        tops = {
            binding.qualname.split(".")[0]
            for bindings in self.model.index.module_scope.bindings.values()
            for binding in bindings
            if binding.kind in ("import", "from") and not binding.level
        }
        return bool(tops & OTHER_FRAMEWORKS) and not tops & set(FAMILY_MODULES)

    def is_dev_config_name(self, name: str) -> bool:
        """Whether a class name marks it for development or testing (``DevelopmentConfig``).

        A pattern is a word prefix (``Dev`` also matches ``DevelopConfig``) or a glob.
        """
        return is_dev_config_name(name, self.settings.dev_config_classes)

    def class_body_assignments(self, node: cst.ClassDef, name: str) -> list[tuple[cst.Name, cst.BaseExpression]]:
        """``name = value`` statements directly in a class body: (target, value)."""
        return class_assignments(node, name)

    def class_truth(self, node: cst.ClassDef, value: cst.BaseExpression, site: Site) -> Truth:
        """How ``bool()`` sees a value assigned in a class body, evaluated in that body."""
        return self.truth(value, *self.class_place(node, value, site))

    def class_place(self, node: cst.ClassDef, value: cst.BaseExpression, site: Site) -> tuple[Scope, int]:
        """Where a value assigned in a class body is evaluated: the body's scope, just before the assignment."""
        scope = self.model.index.class_scopes.get(id(node))
        if scope is None:
            return site.scope, site.seq
        seqs = [binding.seq for bindings in scope.bindings.values() for binding in bindings if binding.node is value]
        return scope, seqs[0] if seqs else site.seq

    def switch_gate(self, switch: DebugSwitch) -> tuple[Gate, frozenset[str]]:
        """Whether a switch's statement runs when the environment sets nothing (see when_unset.py)."""
        return self.environment.gate(switch.site)

    def debugger_args(self, start: ServerStart) -> list[tuple[Arg, Truth]]:
        """The debug arguments of a start with how bool() sees them; empty when the debugger is forced off."""
        found: list[tuple[Arg, Truth]] = []
        for param in start.debug_params():
            arg = start.args.get(param)
            if arg is None:
                continue
            truth = self.truth(arg.value, start.site.scope, start.site.seq)
            if param == "use_debugger" and truth is Truth.FALSE:
                return []  # ``use_debugger=False`` wins over ``debug=True``
            found.append((arg, truth))
        return found


def _last_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def function_name(site: Site) -> str | None:
    """Name of the innermost named function around a site (for messages)."""
    scope: Scope | None = site.scope
    while scope is not None:
        if scope.kind == "function" and scope.name:
            return scope.name
        scope = scope.parent
    return None
