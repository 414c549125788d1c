"""The one place that decides what a name means: is this a Flask app, a factory, a server launcher?

moduleindex.py indexes a module's bindings per scope (imports, assignments,
functions, classes, parameters) in source order, and records the sites rules
care about (calls, attribute/subscript assignments, classes) with the context
they run in. ``Resolver.resolve`` then answers, lazily and with memoisation,
what an expression evaluates to (a values.py :class:`Value`): only the receivers
of candidate calls are ever resolved.

This is a small flow-ordered resolver of our own rather than libcst's
``ScopeProvider``/``QualifiedNameProvider``: those annotate every node of every
scope, which costs several times the parse itself, while the questions asked
here touch a handful of names per file. Ordering matters too: a name rebound to
something else is no longer an app, which a flow-insensitive scope cannot say.

Which file an import loads is importsystem.py's answer; names in first-party
modules are followed by reading (never importing) their source (crossmodule.py,
firstparty.py), and the answer, not the tree, is kept for the process.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from . import family, firstparty, importsystem, instances, project
from .crossmodule import (  # noqa: F401 - clear_caches and ModuleModel are reached through this module
    MAX_DEPTH,
    ModuleModel,
    _cut,
    _module_export,
    _resolver_for,
    clear_caches,
    importing,
    load_model,
)
from .model import Settings
from .moduleindex import (  # noqa: F401 - the index's names are also reached through this module
    _END,
    Binding,
    Context,
    ModuleIndex,
    Scope,
    Site,
    _dotted,
    _has_required_params,
    _is_static,
    _main_guard,
    class_assignments,
    class_attribute,
    evaluated,
    quote_counts,
)
from .values import KNOWN, Kind, Origin, Value  # noqa: F401 - rules and helpers import these from here


class Resolver:
    """Answers what expressions of one module evaluate to."""

    def __init__(self, model: ModuleModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings
        self._memo: dict[int, Value | None] = {}
        self._active: set[int] = set()
        self._launchers = {launcher.qualname: launcher for launcher in settings.server_launchers}
        self._stars: dict[tuple[int, str], Binding] = {}  # (star import, name) -> its binding of the name

    # -- public ----------------------------------------------------------
    def resolve(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Value | None:
        """The value of ``node`` evaluated in ``scope`` just after sequence point ``seq``."""
        if depth > MAX_DEPTH:
            _cut.gave_up = True
            return None
        if isinstance(node, cst.Name):
            return self._resolve_name(node.value, scope, seq, depth)
        if isinstance(node, cst.Attribute):
            return self._resolve_attribute(node, scope, seq, depth)
        if isinstance(node, cst.Call):
            return self._resolve_call(node, scope, seq, depth)
        if isinstance(node, cst.Subscript):
            base = self.resolve(node.value, scope, seq, depth + 1)
            if base is not None and base.kind is Kind.ENVIRON:
                return Value(Kind.ENV_READ)
        if isinstance(node, cst.Await):  # ``app = await make_app()``: the coroutine's return value
            return self._awaited(node.expression, scope, seq, depth)
        return None

    def _awaited(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value | None:
        """What running the coroutine ``node`` returns: the app, for a call of an ``async def`` factory."""
        if not isinstance(node, cst.Call):
            return None
        func = self.resolve(node.func, scope, seq, depth + 1)
        if func is not None and func.kind is Kind.FACTORY and func.coroutine:
            return Value(Kind.APP, family=func.family, origin=func.origin if not func.origin or not func.origin.needs_args else None)
        return None

    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        """The binding of ``name`` visible from ``scope`` at ``seq`` (the latest one wins)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent  # class bodies are not enclosing scopes
                continue
            if name in current.globals:
                current = self.model.index.module_scope
                first = False  # a global is read when the function runs: the module's last binding
            bindings = current.bindings.get(name)
            limit = seq if first else _END
            if current.stars:
                star = self._star_binding(name, current, limit, bindings)
                if star is not None:
                    return star
            if bindings:
                visible = [binding for binding in bindings if binding.seq < limit]
                if visible:
                    return visible[-1]
                if current.kind in ("function", "comprehension") and first:
                    return None  # a local used before it is bound
            first = False
            current = current.parent
        return None

    def _star_binding(self, name: str, scope: Scope, limit: int, bindings: list[Binding] | None) -> Binding | None:
        """``from m import *`` as ``from m import name``, when it is the latest binding of ``name`` before ``limit``."""
        latest = max((binding.seq for binding in bindings or () if binding.seq < limit), default=-1)
        for star in reversed(scope.stars):
            if latest < star.seq < limit and self._star_provides(star, name):
                key = (id(star), name)
                found = self._stars.get(key)
                if found is None:
                    found = self._stars[key] = Binding(
                        star.seq, "from", scope, star.node, qualname=star.qualname, level=star.level, imported=name
                    )
                return found
        return None

    def _star_provides(self, star: Binding, name: str) -> bool:
        def external(qualname: str) -> bool:
            return qualname in KNOWN or self._configured(qualname) is not None

        if self.model.path is not None:
            target = importsystem.locate(star.qualname, star.level, self.model.path)
            if target is not None:
                return firstparty.star_provides(target, name, external)
        module = self._absolute_module(star.qualname, star.level)
        return not name.startswith("_") and external(f"{module}.{name}")

    def export(self, name: str, depth: int = 0) -> Value | None:
        """What ``from <this module> import name`` gives."""
        binding = self.lookup(name, self.model.index.module_scope, _END)
        if binding is None:
            return None
        return self._binding_value(binding, name, depth)

    def constant(
        self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0
    ) -> tuple[Resolver, cst.BaseExpression, Scope, int] | None:
        """The expression a name or attribute was assigned, and where to evaluate it.

        Follows ``DEBUG``, ``Config.DEBUG`` (class attributes, also inherited), ``settings.HOST``,
        ``from settings import HOST``, ``from config import Config`` then ``Config.HOST`` and
        ``config.Config.HOST`` (first-party modules).
        """
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
            if binding is None:
                return None
            if binding.kind == "assign" and isinstance(binding.node, cst.BaseExpression):
                return self, binding.node, binding.scope, binding.seq
            if binding.kind == "from":
                other = self._imported_resolver(binding)
                if other is not None:
                    return other.constant(cst.Name(binding.imported), other.model.index.module_scope, _END, depth + 1)
            return None
        if not isinstance(node, cst.Attribute):
            return None
        attr = node.attr.value
        if isinstance(node.value, cst.Name):
            binding = self.lookup(node.value.value, scope, seq)
            elsewhere = instances.attribute_elsewhere(self, node, binding, scope, seq, depth) if binding is not None else None
            if elsewhere is not None:
                return elsewhere
            if binding is not None and binding.kind == "class" and isinstance(binding.node, cst.ClassDef):
                value = class_attribute(binding.node, attr)
                if value is not None:
                    return self, value, binding.scope, binding.seq
                for base in binding.node.bases:
                    inherited = cst.Attribute(value=base.value, attr=cst.Name(attr))
                    found = self.constant(inherited, binding.scope, binding.seq, depth + 1)
                    if found is not None:
                        return found
                return None
        elsewhere = instances.attribute_elsewhere(self, node, None, scope, seq, depth)
        if elsewhere is not None:
            return elsewhere
        base = self.resolve(node.value, scope, seq, depth + 1)
        if base is not None and base.kind is Kind.MODULE and base.path is not None:
            model = load_model(base.path, attr)
            if model is not None:
                other = _resolver_for(model, self.settings)
                return other.constant(cst.Name(attr), model.index.module_scope, _END, depth + 1)
        return None

    def _imported_resolver(self, binding: Binding) -> Resolver | None:
        target = self._import_target(binding)
        model = load_model(target, binding.imported) if target is not None else None
        return _resolver_for(model, self.settings) if model is not None else None

    # -- names -----------------------------------------------------------
    def _resolve_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value | None:
        binding = self.lookup(name, scope, seq)
        if binding is None:
            return Value(Kind.BOOL) if name == "bool" else None
        return self._binding_value(binding, name, depth)

    def _binding_value(self, binding: Binding, name: str, depth: int) -> Value | None:
        key = id(binding)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            _cut.gave_up = True  # a cycle: this answer is partial
            return None
        outer_cut, _cut.gave_up = _cut.gave_up, False
        self._active.add(key)
        try:
            value = self._compute_binding(binding, name, depth + 1)
        finally:
            self._active.discard(key)
        if not _cut.gave_up:  # an answer cut short by depth or a cycle is not the binding's answer
            self._memo[key] = value
        _cut.gave_up = _cut.gave_up or outer_cut
        return value

    def _compute_binding(self, binding: Binding, name: str, depth: int) -> Value | None:
        kind = binding.kind
        if kind == "import":
            return self._from_qualname(binding.qualname, depth)
        if kind == "from":
            return self._from_import(binding, depth)
        if kind in ("assign", "unpack") and isinstance(binding.node, cst.BaseExpression):
            if kind == "assign":
                value = self.resolve(binding.node, binding.scope, binding.seq, depth)
            else:
                value = self._unpacked(binding, depth)
            if (
                value is not None
                and value.kind is Kind.APP
                and binding.scope.kind == "module"
                and (value.origin is None or value.origin.needs_args)
            ):
                # a module-level name is where a WSGI server can load the app from
                return Value(Kind.APP, value.family, origin=Origin(self.model.name, name))
            return value
        if kind == "function" and isinstance(binding.node, cst.FunctionDef):
            return self._function_value(binding, depth)
        if kind == "class" and isinstance(binding.node, cst.ClassDef):
            return self._class_value(binding.node, binding.scope, binding.seq, depth)
        if kind == "param" and isinstance(binding.node, cst.Param):
            return self._param_value(binding.node, binding.scope, depth)
        return None

    def _unpacked(self, binding: Binding, depth: int) -> Value | None:
        """One element of ``a, b = f()``, read from ``f``'s ``return x, y`` statements."""
        call = binding.node
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name):
            return None
        function = self.lookup(call.func.value, binding.scope, binding.seq)
        return self._returned_element(function, binding.index, depth)

    def _returned_element(self, function: Binding | None, index: int, depth: int) -> Value | None:
        if function is None or depth > MAX_DEPTH:
            return None
        if function.kind == "from":
            target = self._import_target(function)
            if target is None:
                return None
            model = load_model(target, function.imported)
            if model is None:
                return None
            other = _resolver_for(model, self.settings)
            return other._returned_element(other.lookup(function.imported, model.index.module_scope, _END), index, depth + 1)
        if function.kind != "function" or function.inner is None:
            return None
        for seq, expr in function.inner.returns:
            if isinstance(expr, (cst.Tuple, cst.List)) and index < len(expr.elements):
                element = expr.elements[index]
                if isinstance(element, cst.StarredElement):
                    continue
                value = self.resolve(element.value, function.inner, seq, depth + 1)
                if value is not None and value.kind in (Kind.APP, Kind.SOCKETIO):
                    return value
        return None

    def _import_target(self, binding: Binding) -> Path | None:
        if self.model.path is None:
            return None
        return importsystem.locate(binding.qualname, binding.level, self.model.path)

    def _qualname_in_module(self, name: str, scope: Scope) -> str:
        prefix = self.model.name or ""
        if scope.kind != "module":
            return ""  # nested definitions cannot be named from configuration
        return f"{prefix}.{name}" if prefix else name

    def _from_qualname(self, qualname: str, depth: int) -> Value | None:
        """A value known only by its dotted name (a third-party or configured object)."""
        qualname = importsystem.flask_ext(qualname)
        known = KNOWN.get(qualname)
        if known is not None:
            return known
        configured = self._configured(qualname)
        if configured is not None:
            return configured
        if self.model.path is not None:
            target = importsystem.locate(qualname, 0, self.model.path)
            if target is not None:
                return Value(Kind.MODULE, qualname=qualname, path=target)
        return Value(Kind.QUALNAME, qualname=qualname)

    def _configured(self, qualname: str) -> Value | None:
        settings = self.settings
        if qualname in settings.app_classes:
            return Value(Kind.APP_CLASS, family="flask", qualname=qualname)
        if qualname in settings.app_factories:
            module, _, attr = qualname.rpartition(".")
            return Value(Kind.FACTORY, family="flask", origin=Origin(module or None, attr, factory=True))
        launcher = self._launchers.get(qualname)
        if launcher is not None:
            return Value(Kind.LAUNCHER, qualname="custom", launcher=launcher)
        return None

    def _absolute_module(self, module: str, level: int) -> str:
        if not level:
            return module
        base = (self.model.name or "").split(".")
        if self.model.path is not None and self.model.path.stem != "__init__":
            base = base[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module] if module else base)

    def _from_import(self, binding: Binding, depth: int) -> Value | None:
        module = self._absolute_module(binding.qualname, binding.level)
        name = binding.imported
        qualname = importsystem.flask_ext(f"{module}.{name}" if module else name)
        known = KNOWN.get(qualname) or self._configured(qualname)
        if known is not None:
            return known
        if self.model.path is None:
            return Value(Kind.QUALNAME, qualname=qualname)
        target = self._import_target(binding)
        if target is not None:
            exported = importing(self.model.path, binding.seq, target, name, self.settings, depth)
            if exported is not None:
                return exported
        submodule = self._submodule(binding, depth)
        if submodule is not None:
            return submodule
        return Value(Kind.QUALNAME, qualname=qualname) if target is None else None

    def _submodule(self, binding: Binding, depth: int) -> Value | None:
        assert self.model.path is not None
        dotted = f"{binding.qualname}.{binding.imported}" if binding.qualname else binding.imported
        target = importsystem.locate(dotted, binding.level, self.model.path)
        if target is None:
            return None
        return Value(Kind.MODULE, qualname=project.module_name(target), path=target)

    def _function_value(self, binding: Binding, depth: int) -> Value | None:
        node = binding.node
        assert isinstance(node, cst.FunctionDef)
        qualname = self._qualname_in_module(node.name.value, binding.scope)
        configured = self._configured(qualname) if qualname else None
        if configured is not None:
            return configured
        scope = binding.inner
        if scope is not None:
            for seq, expr in scope.returns:
                value = self.resolve(expr, scope, seq, depth)
                if value is not None and value.kind is Kind.APP:
                    module = self.model.name if binding.scope.kind == "module" else None
                    origin = Origin(module, node.name.value, factory=True, needs_args=_has_required_params(node))
                    return Value(Kind.FACTORY, value.family, origin=origin, coroutine=node.asynchronous is not None)
            if binding.scope.kind != "class":  # ``def configure(app): ...; return app`` (not methods)
                for seq, expr in scope.returns:
                    passed = self._passed_param(expr, scope, seq, depth + 1)
                    if passed is not None:
                        return Value(Kind.FUNCTION, qualname=qualname, returns_arg=passed)
            if scope.returns and all(self._env_string(expr, scope, seq, depth) for seq, expr in scope.returns):
                # ``def get_env(name, default=None): return os.getenv(name) or default``: its call is the
                # environment's raw string, as ``os.getenv(...)`` is (when_unset.py evaluates it with the
                # call's arguments)
                return Value(Kind.ENV_GET, qualname=qualname or node.name.value)
        return Value(Kind.FUNCTION, qualname=qualname)

    def _env_string(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> bool:
        """``os.getenv(...)``, ``os.environ[...]``, ``os.environ.get(...)``, or one of those ``or`` a fallback."""
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            expr = expr.left
        value = self.resolve(expr, scope, seq, depth + 1)
        return value is not None and value.kind is Kind.ENV_READ

    def _passed_param(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> tuple[int, str] | None:
        """The parameter of the function ``scope`` that ``expr`` gives back, through helpers that do too."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            binding = self.lookup(expr.value, scope, seq)
            if binding is None or binding.kind != "param" or binding.scope is not scope:
                return None
            params = scope.node.params if isinstance(scope.node, cst.FunctionDef) else None
            if params is None or not isinstance(binding.node, cst.Param):
                return None
            positional = [*params.posonly_params, *params.params]
            index = next((i for i, param in enumerate(positional) if param is binding.node), -1)
            return index, expr.value
        if isinstance(expr, cst.Call):
            argument = self._returned_argument(expr, scope, seq, depth)
            return self._passed_param(argument, scope, seq, depth + 1) if argument is not None else None
        return None

    def _returned_argument(self, call: cst.Call, scope: Scope, seq: int, depth: int) -> cst.BaseExpression | None:
        """The argument a call returns as it is: of a helper that returns its parameter, or of quart_cors.cors."""
        func = self.resolve(call.func, scope, seq, depth + 1)
        if func is None:
            return None
        if func.kind is Kind.FAMILY:
            member = family.BY_NAME.get(func.qualname or "")
            passed = (0, "") if member is not None and member.role is family.Role.RETURNS_APP else None
        else:
            passed = func.returns_arg if func.kind is Kind.FUNCTION else None
        if passed is None:
            return None
        index, name = passed
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        if 0 <= index < len(positional):
            return positional[index]
        return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)

    def _class_value(self, node: cst.ClassDef, scope: Scope, seq: int, depth: int) -> Value | None:
        qualname = self._qualname_in_module(node.name.value, scope)
        configured = self._configured(qualname) if qualname else None
        if configured is not None:
            return configured
        for base in node.bases:
            value = self.resolve(base.value, scope, seq, depth)
            if value is None:
                continue
            if value.kind is Kind.APP_CLASS:
                return Value(Kind.APP_CLASS, family=value.family, qualname=qualname)
            if value.kind is Kind.SOCKETIO_CLASS:
                return value
        return None

    def _param_value(self, param: cst.Param, scope: Scope, depth: int) -> Value | None:
        if param.annotation is None or scope.parent is None:
            return None
        annotation = param.annotation.annotation
        value = self.resolve(annotation, scope.parent, _END, depth)
        if value is None:
            return None
        if value.kind is Kind.APP_CLASS:
            return Value(Kind.APP, family=value.family)
        if value.kind is Kind.SOCKETIO_CLASS:
            return Value(Kind.SOCKETIO)
        return None

    # -- expressions -----------------------------------------------------
    def _resolve_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> Value | None:
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and scope.self_name == node.value.value:
            return self._self_attribute(attr, scope, depth)
        base = self.resolve(node.value, scope, seq, depth + 1)
        if base is None:
            # ``web.app`` where ``web = Dashboard(...)``: what the first-party class's instances hold
            return instances.app_attribute(self, node, scope, seq, depth)
        if base.kind is Kind.APP:
            if attr == "config":
                return Value(Kind.CONFIG, family=base.family, origin=base.origin)
            if attr == "server" and base.family == "dash":
                return Value(Kind.APP, family="flask")
            return None
        if base.kind is Kind.FAMILY_OBJECT:
            member = family.BY_NAME.get(base.qualname or "")
            if member is not None and member.role is family.Role.HOLDER_CLASS and attr == member.attribute:
                return Value(Kind.APP, family=member.family)
            return None
        if base.kind is Kind.MODULE and base.path is not None:
            return self._module_attribute(base, attr, depth)
        if base.kind in (Kind.QUALNAME, Kind.ENVIRON) and base.qualname:
            return self._from_qualname(f"{base.qualname}.{attr}", depth)
        return None

    def _module_attribute(self, module: Value, attr: str, depth: int) -> Value | None:
        """``pkg.name`` on a first-party module: a known name, its export, or a submodule."""
        assert module.path is not None
        qualname = f"{module.qualname}.{attr}"
        known = KNOWN.get(qualname) or self._configured(qualname)
        if known is not None:
            return known
        exported = _module_export(module.path, attr, self.settings, depth + 1)
        if exported is not None:
            return exported
        submodule = importsystem.submodule(module.path, attr)
        if submodule is not None:
            return Value(Kind.MODULE, qualname=qualname, path=submodule)
        return Value(Kind.QUALNAME, qualname=qualname)

    def _self_attribute(self, attr: str, scope: Scope, depth: int) -> Value | None:
        owner = scope.parent
        if owner is None or owner.kind != "class":
            return None
        for seq, expr, method in owner.self_assigns.get(attr, []):
            value = self.resolve(expr, method, seq, depth + 1)
            if value is not None:
                return value
        return None

    def _resolve_call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Value | None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "run_until_complete" and node.args:
            return self._awaited(node.args[0].value, scope, seq, depth)  # any event loop's
        func = self.resolve(node.func, scope, seq, depth + 1)
        if func is None:
            return None
        if func.kind is Kind.APP_CLASS:
            if func.family == "dash" and not _flask_backend(node):
                return None  # Dash(backend="fastapi") serves with uvicorn (see family.LEFT_OUT)
            return Value(Kind.APP, family=func.family)
        if func.kind is Kind.FAMILY:
            return self._family_call(node, func, scope, seq, depth)
        if func.kind is Kind.FUNCTION and func.returns_arg is not None:
            argument = self._returned_argument(node, scope, seq, depth)
            value = self.resolve(argument, scope, seq, depth + 1) if argument is not None else None
            return value if value is not None and value.kind is Kind.APP else None
        if func.kind is Kind.FACTORY:
            # an ``async def`` factory called gives a coroutine (no ``run``): the app is what awaits it
            return None if func.coroutine else Value(Kind.APP, family=func.family, origin=func.origin)
        if func.kind is Kind.QUALNAME and node.args and not node.args[0].star and node.args[0].keyword is None:
            return self._event_loop_run(func.qualname or "", node, scope, seq, depth)
        if func.kind is Kind.SOCKETIO_CLASS:
            return Value(Kind.SOCKETIO)
        if func.kind is Kind.ENV_GET:
            return Value(Kind.ENV_READ)
        return None

    def _event_loop_run(self, qualname: str, node: cst.Call, scope: Scope, seq: int, depth: int) -> Value | None:
        """``asyncio.run(create_app())`` / ``loop.run_until_complete(create_app())`` return what the
        coroutine returns (Lib/asyncio/runners.py, base_events.py); ``trio.run(create_app)`` and
        ``anyio.run(create_app)`` call the async function themselves and return its result."""
        first = node.args[0].value
        if qualname == "asyncio.run":
            return self._awaited(first, scope, seq, depth)
        if qualname in ("trio.run", "anyio.run"):
            return self._awaited(cst.Call(func=first), scope, seq, depth)
        return None

    def _family_call(self, node: cst.Call, func: Value, scope: Scope, seq: int, depth: int) -> Value | None:
        """A call to a family-table name that is no app class (family.py says what it gives)."""
        member = family.BY_NAME.get(func.qualname or "")
        if member is None:
            return None
        first = next((arg.value for arg in node.args if arg.keyword is None and not arg.star), None)
        if member.role is family.Role.RETURNS_APP:
            value = self.resolve(first, scope, seq, depth + 1) if first is not None else None
            return value if value is not None and value.kind is Kind.APP else None
        origin = None
        if member.role is family.Role.MANAGER_CLASS:  # Manager(app) or Manager(create_app)
            # Manager(app, with_default_commands=False) has no runserver unless one is added
            positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
            defaults = positional[1] if len(positional) > 1 else _keyword_value(node, "with_default_commands")
            if isinstance(defaults, cst.Name) and defaults.value == "False":
                return None
            app_arg = first or _keyword_value(node, "app")
            app = self.resolve(app_arg, scope, seq, depth + 1) if app_arg is not None else None
            origin = app.origin if app is not None and app.kind in (Kind.APP, Kind.FACTORY) else None
        return Value(Kind.FAMILY_OBJECT, family=member.family, qualname=member.name, origin=origin)


def _keyword_value(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def _flask_backend(call: cst.Call) -> bool:
    """Whether a ``Dash(...)`` call keeps the default flask backend (Dash 4: ``backend=``)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "backend":
            return isinstance(arg.value, cst.SimpleString) and evaluated(arg.value) == "flask"
        if arg.star == "**":
            return True  # unknown: as before
    return True
