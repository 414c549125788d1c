"""Whether a function or method may write into an app's config, read on ``ast`` for the slices (slices.py).

configvalues._written reads ``x["KEY"] = value`` and ``x.update(...)``/``x.from_mapping(...)``
only where ``x`` resolves to a config (``Kind.CONFIG``), and apps.Resolver makes that value in
one place: the attribute ``config`` of an app (``_resolve_attribute``). From there it reaches
``x`` only by these ways, so a receiver that takes none of them is never a config:

* ``a.config`` itself;
* ``self.attr``: what the class's methods store with ``self.attr = value`` (``_self_attribute``,
  from moduleindex's ``self_assigns``): a config when one of those values may be one in its
  method (:func:`stored_config`), where a ``self.other`` again may be anything;
* ``a.attr`` for another attribute: only the export of a first-party module ``a`` (an app's
  other attributes, a family object's, a known dotted name's are never a config), so only when
  ``a`` may be a module: not a call, a subscript, a literal, nor a parameter;
* a name: its binding's value. A parameter's is read from its annotation, which gives an app or
  a Socket.IO object at most (``_param_value``); a name the function assigns with ``=`` is what
  those values may be; a name bound any other way (a module's, an import, a loop...) may be anything;
* a call, subscript, ``await`` or literal: never (``_resolve_call`` gives apps, family objects
  and environment reads; a subscript an environment read; ``await`` an app).
"""

from __future__ import annotations

import ast
from typing import Callable

from . import classparts

#: Calls whose keys configvalues._written reads (and debugswitches: ``setdefault``).
WRITERS = frozenset({"update", "from_mapping", "setdefault"})


def writes(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    assigns: list[ast.Assign | ast.AnnAssign],
    self_attribute: Callable[[str], bool] | None = None,
) -> bool:
    """Whether ``function`` (its ``assigns``: classparts.assignments) may write a string key or call
    an ``update``-like method on what may be a config (see the module docstring). For a method,
    ``self_attribute(attr)`` says whether ``self.attr`` may be a config; None for a function."""
    keyed: list[ast.expr] = []
    for assign in assigns:
        for target in classparts.targets(assign):
            for node in ast.walk(target):
                if type(node) is ast.Subscript and type(node.ctx) is ast.Store and _string_key(node.slice):  # type: ignore[attr-defined]
                    keyed.append(node.value)  # type: ignore[attr-defined]
    for node in ast.walk(function):
        if type(node) is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr in WRITERS:
                keyed.append(func.value)
    if not keyed:
        return False
    scope = _Scope(function, assigns, self_attribute)
    return any(scope.may_be_config(receiver) for receiver in keyed)


def stored_config(method: ast.FunctionDef | ast.AsyncFunctionDef, assigns: list[ast.Assign | ast.AnnAssign], attr: str) -> bool:
    """Whether a method's ``self.attr = value`` may store a config (any ``self.other`` in it may be one).

    A ``self.attr`` among other targets (``self.a, self.b = ...``: moduleindex pairs them with
    the elements) is taken to."""
    scope = _Scope(method, assigns, lambda _: True, method=True)
    for assign in assigns:
        for target in classparts.targets(assign):
            if type(target) is ast.Attribute and target.attr == attr and type(target.value) is ast.Name and target.value.id == scope.own:  # type: ignore[attr-defined]
                if scope.may_be_config(assign.value):  # type: ignore[arg-type]
                    return True
            elif type(target) is not ast.Attribute and attr in classparts.stored_attributes(target):
                return True
    return False


def _string_key(key: ast.expr) -> bool:
    if type(key) is ast.Tuple and len(key.elts) == 1:  # x["KEY",]: libcst reads the one element
        key = key.elts[0]  # type: ignore[attr-defined]
    return type(key) is ast.Constant and isinstance(key.value, str)  # type: ignore[attr-defined]


class _Scope:
    """A function's names as the receivers' ways read them: ``=`` values, parameters, the rest."""

    def __init__(
        self,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        assigns: list[ast.Assign | ast.AnnAssign],
        self_attribute: Callable[[str], bool] | None,
        method: bool = False,
    ) -> None:
        positional = [*function.args.posonlyargs, *function.args.args]
        self.own = positional[0].arg if positional and (method or self_attribute is not None) else None
        self.self_attribute = self_attribute
        self.values: dict[str, list[ast.expr]] = {}
        targets: set[int] = set()
        for assign in assigns:
            for target in classparts.targets(assign):
                if type(target) is ast.Name:
                    targets.add(id(target))
                    self.values.setdefault(target.id, []).append(assign.value)  # type: ignore[arg-type]
        parameters = {arg.arg for arg in (*positional, *function.args.kwonlyargs)}
        parameters.update(arg.arg for arg in (function.args.vararg, function.args.kwarg) if arg is not None)
        other = classparts.bound_otherwise(function, targets)
        # a name a nested function, lambda or class stores there is its own there: the outer one
        # may be any other binding (``cfg`` of the module)
        for node in ast.walk(function):
            if node is not function and type(node) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
                other.update(inner.id for inner in ast.walk(node) if type(inner) is ast.Name and type(inner.ctx) is not ast.Load)  # type: ignore[attr-defined]
        # a parameter the body also binds otherwise, or a name bound otherwise: anything
        self.parameters = parameters - other
        self.other = other
        self._active: set[str] = set()

    def may_be_config(self, node: ast.expr) -> bool:
        kind = type(node)
        if kind is ast.Attribute:
            if node.attr == "config":  # type: ignore[attr-defined]
                return True
            value = node.value  # type: ignore[attr-defined]
            if type(value) is ast.Name and value.id == self.own and self.own not in self.other and self.self_attribute is not None:
                return self.self_attribute(node.attr)  # type: ignore[attr-defined]
            return self._may_be_module(value)
        if kind is ast.Name:
            return self._name(node.id, self.may_be_config)  # type: ignore[attr-defined]
        return False  # calls, subscripts, await, literals, operators

    def _may_be_module(self, node: ast.expr) -> bool:
        kind = type(node)
        if kind is ast.Attribute:
            return True  # a submodule, a module's export
        if kind is ast.Name:
            return self._name(node.id, self._may_be_module)  # type: ignore[attr-defined]
        return False

    def _name(self, name: str, test: object) -> bool:
        if name in self.other or (name not in self.values and name not in self.parameters):
            return True  # bound some other way, or not in this function: anything
        if name in self._active:
            return False  # ``x = x.y`` again: the other values decide
        self._active.add(name)
        try:
            return any(test(value) for value in self.values.get(name, ()))  # type: ignore[operator]
        finally:
            self._active.discard(name)
