"""Facts about one module that rules report on: server starts, debug switches, config classes.

Built once per file from the ``apps`` index and resolver; every rule reads the
same facts, so no rule walks the tree or re-decides what an app is.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

import libcst as cst

from .apps import Context, Kind, ModuleModel, Resolver, Scope, Site, Value, class_assignments, evaluated, quote_counts
from .model import Settings, is_dev_config_name
from .project import FAMILY_MODULES

#: Parameters of each dev-server entry point, in positional order.
POSITIONAL: dict[str, tuple[str, ...]] = {
    "flask": ("host", "port", "debug", "load_dotenv"),
    "apiflask": ("host", "port", "debug", "load_dotenv"),
    "quart": ("host", "port", "debug", "use_reloader", "loop", "ca_certs", "certfile", "keyfile"),
    "dash": ("host", "port", "proxy", "debug"),
    "socketio": ("app", "host", "port"),
    "run_simple": ("hostname", "port", "application", "use_reloader", "use_debugger", "use_evalex"),
    "make_server": ("host", "port", "app"),
}

#: Display names for messages.
SERVER_NAMES = {
    "flask": "Flask",
    "apiflask": "APIFlask",
    "quart": "Quart",
    "dash": "Dash",
    "socketio": "Flask-SocketIO",
    "run_simple": "Werkzeug",
    "make_server": "Werkzeug",
    "custom": "Werkzeug",
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


@dataclass(frozen=True, eq=False)
class Arg:
    """An argument as the callee sees it: ``anchor`` is what a finding points at."""

    name: str
    anchor: cst.CSTNode
    value: cst.BaseExpression


@dataclass(eq=False)
class ServerStart:
    site: Site
    kind: str  # a key of POSITIONAL, or "custom"
    app: Value | None  # the app being served, when known
    args: dict[str, Arg] = field(default_factory=dict)

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
    "quart": ("debug",),
    "run_simple": ("use_debugger",),
    "custom": ("debug",),
}


@dataclass(eq=False)
class DebugSwitch:
    """A statement or call that turns debug on (or tries to, with a raw string)."""

    anchor: cst.CSTNode
    site: Site
    what: str  # for the message: app.debug, app.config["DEBUG"], FLASK_DEBUG, ...
    truth: Truth
    value: cst.BaseExpression
    item: cst.CSTNode | None = None  # the key/value item inside an update()/from_mapping() call


def bind_arguments(
    call: cst.Call,
    params: tuple[str, ...],
    deref: Callable[[cst.BaseExpression], cst.BaseExpression | None] | None = None,
) -> dict[str, Arg]:
    """Map a call's arguments to parameter names: positional, keyword, ``**{...}`` and ``**dict(...)``.

    ``deref`` turns a ``**name`` into the dict expression the name is bound to.
    """
    bound: dict[str, Arg] = {}
    index = 0
    positional_open = True
    for arg in call.args:
        if arg.star == "*":
            positional_open = False
        elif arg.star == "**":
            mapping = arg.value
            if isinstance(mapping, cst.Name) and deref is not None:
                mapping = deref(mapping) or mapping
            for name, anchor, value in _double_star_items(mapping):
                bound.setdefault(name, Arg(name, anchor, value))
        elif arg.keyword is not None:
            bound[arg.keyword.value] = Arg(arg.keyword.value, arg, arg.value)
        elif positional_open:
            if index < len(params):
                bound[params[index]] = Arg(params[index], arg, arg.value)
            index += 1
    return bound


def _double_star_items(value: cst.BaseExpression) -> Iterator[tuple[str, cst.CSTNode, cst.BaseExpression]]:
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None:
                    yield key, element, element.value
    elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
        for arg in value.args:
            if arg.keyword is not None and not arg.star:
                yield arg.keyword.value, arg, arg.value


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain (not formatted, not bytes) string literal."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = evaluated(node)
        return value if isinstance(value, str) else None
    return None


_ZERO_IPV4 = re.compile(r"(?:0+|0[xX]0+)(?:\.(?:0+|0[xX]0+)){0,3}")


def binds_all_interfaces(host: str, empty_binds_all: bool) -> bool:
    """Whether binding ``host`` listens on every interface (checked against Werkzeug's rules)."""
    host = host.strip()
    if not host:
        return empty_binds_all
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if _ZERO_IPV4.fullmatch(host):
        return True  # inet_aton spellings: 0, 0.0, 0.0.0.0, 0x0
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


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
    def resolve(self, node: cst.BaseExpression, site: Site) -> Value | None:
        return self.resolver.resolve(node, site.scope, site.seq)

    def truth(
        self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0, resolver: Resolver | None = None
    ) -> Truth:
        """How ``bool()`` sees a value, as far as it can be told statically."""
        resolver = resolver or self.resolver
        if depth > 8:
            return Truth.UNKNOWN
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return Truth.TRUE if node.value == "True" else Truth.FALSE
        if isinstance(node, (cst.Name, cst.Attribute)):
            bound = resolver.constant(node, scope, seq)
            if bound is not None:
                other, expr, where, when = bound
                return self.truth(expr, where, when, depth + 1, other)
            return Truth.UNKNOWN
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
            bound = resolver.constant(node, scope, seq)
            if bound is None:
                return None
            other, expr, where, when = bound
            return self.string(expr, where, when, depth + 1, other)
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            left = resolver.resolve(node.left, scope, seq)
            if left is not None and left.kind is Kind.ENV_READ:
                return self.string(node.right, scope, seq, depth + 1, resolver)
            return None
        if isinstance(node, cst.Call):
            value = resolver.resolve(node, scope, seq)
            if value is not None and value.kind is Kind.ENV_READ:
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
            start = self._start(site)
            if start is not None:
                found.append(start)
        return found

    @cached_property
    def launched(self) -> dict[int, str]:
        """Functions of the module the ``__main__`` launcher calls, directly or through others.

        ``id(scope) -> "main()"`` (or ``"main() -> serve()"``): a call of a plain name
        under the guard (also ``sys.exit(main())``, ``asyncio.run(main())``, a click
        command, all of ``__main__.py``) reaches that function, and calls in its body
        reach further, breadth first so the shortest path is named. A walk, no recursion.
        """
        by_owner: dict[int, list[Site]] = {}
        for site in self.model.index.calls:
            owner = _owning_function(site.scope)
            if owner is not None:
                by_owner.setdefault(id(owner), []).append(site)
        paths: dict[int, list[str]] = {}
        todo: list[Scope] = []

        def reach(site: Site, trail: list[str]) -> None:
            func = site.node.func if isinstance(site.node, cst.Call) else None
            if not isinstance(func, cst.Name):
                return
            binding = self.resolver.lookup(func.value, site.scope, site.seq)
            if binding is None or binding.kind != "function" or binding.inner is None or id(binding.inner) in paths:
                return
            paths[id(binding.inner)] = [*trail, func.value]
            todo.append(binding.inner)

        for site in self.model.index.calls:
            if site.context is Context.MAIN:
                reach(site, [])
        position = 0
        while position < len(todo):
            scope = todo[position]
            position += 1
            for site in by_owner.get(id(scope), ()):
                reach(site, paths[id(scope)])
        return {key: " -> ".join(f"{name}()" for name in trail) for key, trail in paths.items()}

    def launch_path(self, start: ServerStart) -> str | None:
        """How the ``__main__`` launcher reaches a start made in a function (None: it does not)."""
        if start.site.context is not Context.FUNCTION:
            return None
        owner = _owning_function(start.site.scope)
        return self.launched.get(id(owner)) if owner is not None else None

    def _start(self, site: Site) -> ServerStart | None:
        call = site.node
        assert isinstance(call, cst.Call)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("run", "run_server"):
            receiver = self.resolve(func.value, site)
            if receiver is None:
                return None
            if receiver.kind is Kind.APP and receiver.family is not None:
                if func.attr.value == "run_server" and receiver.family != "dash":
                    return None
                return ServerStart(site, receiver.family, receiver, self.bind(call, POSITIONAL[receiver.family], site))
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
        app = self.resolve(app_arg.value, site) if app_arg is not None else None
        return ServerStart(site, kind, app, args)

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
    def debug_switches(self) -> list[DebugSwitch]:
        """``app.debug = ...``, ``app.config["DEBUG"] = ...``, config.update(...), FLASK_DEBUG writes."""
        found: list[DebugSwitch] = []
        for site in self.model.index.assigns:
            switch = self._assigned_switch(site)
            if switch is not None:
                found.append(switch)
        for site in self.model.index.calls:
            found.extend(self._call_switches(site))
        return found

    def _assigned_switch(self, site: Site) -> DebugSwitch | None:
        target, value = site.node, site.value
        assert value is not None
        if isinstance(target, cst.Attribute) and target.attr.value == "debug":
            owner = self.resolve(target.value, site)
            if owner is not None and owner.kind is Kind.APP:
                return DebugSwitch(target, site, "app.debug", self.truth(value, site.scope, site.seq), value)
            return None
        if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
            return None
        index = target.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if key is None:
            return None
        owner = self.resolve(target.value, site)
        if owner is None:
            return None
        if owner.kind is Kind.CONFIG and key == "DEBUG":
            return DebugSwitch(target, site, 'app.config["DEBUG"]', self.truth(value, site.scope, site.seq), value)
        if owner.kind is Kind.ENVIRON:
            truth = self._env_truth(key, value, site)
            if truth is not None:
                return DebugSwitch(target, site, key, truth, value)
        return None

    def _env_truth(self, key: str, value: cst.BaseExpression, site: Site) -> Truth | None:
        """Whether setting environment variable ``key`` to ``value`` turns Flask's debug on."""
        if key not in ("FLASK_DEBUG", "FLASK_ENV"):
            return None
        text = self.string(value, site.scope, site.seq)
        if text is None:
            return None
        if key == "FLASK_ENV":
            return Truth.TRUE if text == "development" else Truth.FALSE
        # flask.helpers.get_debug_flag
        return Truth.TRUE if text and text.lower() not in ("0", "false", "no") else Truth.FALSE

    def _call_switches(self, site: Site) -> Iterator[DebugSwitch]:
        call = site.node
        assert isinstance(call, cst.Call)
        method = _last_name(call.func)
        if method == "putenv" and len(call.args) == 2:
            func = self.resolve(call.func, site)
            key = string_value(call.args[0].value)
            if func is not None and func.kind is Kind.PUTENV and key is not None:
                truth = self._env_truth(key, call.args[1].value, site)
                if truth is not None:
                    yield DebugSwitch(call, site, key, truth, call.args[1].value)
            return
        if method not in ("update", "from_mapping", "setdefault") or not isinstance(call.func, cst.Attribute):
            return
        owner = self.resolve(call.func.value, site)
        if owner is None:
            return
        if owner.kind is Kind.CONFIG:
            for key, item, value in _mapping_items(call, method):
                if key == "DEBUG":
                    truth = self.truth(value, site.scope, site.seq)
                    yield DebugSwitch(call, site, f"app.config.{method}(DEBUG=...)", truth, value, item)
        elif owner.kind is Kind.ENVIRON and method in ("update", "setdefault"):
            for key, item, value in _mapping_items(call, method):
                truth = self._env_truth(key, value, site)
                if truth is not None:
                    yield DebugSwitch(call, site, key, truth, value, item)

    @cached_property
    def debugged_apps(self) -> list[tuple[Site, Arg | None]]:
        """``DebuggedApplication(...)`` calls with their ``evalex`` argument."""
        found: list[tuple[Site, Arg | None]] = []
        for site in self.model.index.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            if _last_name(call.func) is None:
                continue
            value = self.resolve(call.func, site)
            if value is not None and value.kind is Kind.DEBUGGED_APP_CLASS:
                found.append((site, bind_arguments(call, ("app", "evalex")).get("evalex")))
        return found

    @cached_property
    def config_classes(self) -> list[tuple[Site, cst.ClassDef]]:
        """Classes that look like configuration objects: named ``*Config*`` or derived from one here.

        None in modules of other web frameworks (Django, Sanic, ...), whose DEBUG means something else.
        """
        names: set[str] = set()
        found: list[tuple[Site, cst.ClassDef]] = []
        if self.uses_other_framework:
            return found
        for site in self.model.index.classes:
            node = site.node
            assert isinstance(node, cst.ClassDef)
            bases = {_last_name(base.value) for base in node.bases}
            if self._settings_library_class(node, site):
                continue
            if "Config" in node.name.value or "Configuration" in node.name.value or bases & names:
                names.add(node.name.value)
                found.append((site, node))
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
        scope = self.model.index.class_scopes.get(id(node))
        if scope is None:
            return self.truth(value, site.scope, site.seq)
        seqs = [binding.seq for bindings in scope.bindings.values() for binding in bindings if binding.node is value]
        return self.truth(value, scope, seqs[0] if seqs else site.seq)

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


def _mapping_items(call: cst.Call, method: str) -> Iterator[tuple[str, cst.CSTNode, cst.BaseExpression]]:
    """(key, item node, value) pairs a ``update``/``from_mapping``/``setdefault`` call sets."""
    if method == "setdefault":
        if len(call.args) == 2 and not any(arg.keyword or arg.star for arg in call.args):
            key = string_value(call.args[0].value)
            if key is not None:
                yield key, call, call.args[1].value
        return
    for arg in call.args:
        if arg.keyword is not None and not arg.star:
            yield arg.keyword.value, arg, arg.value
        elif not arg.star or arg.star == "**":
            yield from _double_star_items(arg.value)


def _owning_function(scope: Scope | None) -> Scope | None:
    """The function whose body runs a statement of ``scope`` when it is called (None: a lambda's, or none)."""
    while scope is not None and scope.kind == "comprehension":
        scope = scope.parent
    if scope is None or scope.kind != "function" or not isinstance(scope.node, cst.FunctionDef):
        return None
    return scope


def function_name(site: Site) -> str | None:
    """Name of the innermost named function around a site (for messages)."""
    scope: Scope | None = site.scope
    while scope is not None:
        if scope.kind == "function" and scope.name:
            return scope.name
        scope = scope.parent
    return None
