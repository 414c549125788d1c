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
* a name: its binding's value, in the innermost function that binds it (Python's scopes; class
  bodies enclose nothing). A parameter's is read from its annotation, which gives an app or a
  Socket.IO object at most (``_param_value``; so is ``self`` in a function nested in a method:
  moduleindex gives only a method's own scope a ``self``); a name a function assigns with ``=``
  is what those values may be; a name bound any other way (a loop, ``with``, an import,
  ``global``...) or by none of the enclosing functions (the module's) may be anything;
* a call, subscript, ``await`` or literal: never (``_resolve_call`` gives apps, family objects
  and environment reads; a subscript an environment read; ``await`` an app).
"""

from __future__ import annotations

import ast
from typing import Callable, Union

from . import classparts

#: Calls whose keys configvalues._written reads (and debugswitches: ``setdefault``).
WRITERS = frozenset({"update", "from_mapping", "setdefault"})

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]


def writes(function: Function, self_attribute: Callable[[str], bool] | None = None) -> bool:
    """Whether ``function`` or a function nested in it may write a string key or call an
    ``update``-like method on what may be a config (see the module docstring). For a method,
    ``self_attribute(attr)`` says whether ``self.attr`` may be a config; None for a function."""
    work: list[tuple[Function, _Scope | None, Callable[[str], bool] | None]] = [(function, None, self_attribute)]
    while work:
        current, parent, stored = work.pop()
        scope = _Scope(current, parent, stored)
        if any(scope.may_be_config(receiver) for receiver in scope.receivers):
            return True
        for nested in scope.nested:
            if isinstance(nested, ast.ClassDef):
                for statement in nested.body:
                    if isinstance(statement, _FUNCTIONS):
                        work.append((statement, scope, lambda _: True))  # a nested class's method: its own self
                    elif _Scope.receivers_in(statement):
                        return True  # a write in a nested class's body: not judged
            else:
                work.append((nested, scope, None))
    return False


def keyed(assigns: list[ast.Assign | ast.AnnAssign]) -> bool:
    """Whether one of ``assigns`` stores under a string key (``x["KEY"] = v``)."""
    return any(
        type(node) is ast.Subscript and type(node.ctx) is ast.Store and _string_key(node.slice)  # type: ignore[attr-defined]
        for assign in assigns
        for target in classparts.targets(assign)
        for node in ast.walk(target)
    )


def stored_config(method: ast.FunctionDef | ast.AsyncFunctionDef, attr: str) -> bool:
    """Whether a method's ``self.attr = value`` may store a config (any ``self.other`` in it may be one).

    moduleindex records only the method's own ``self.attr = value`` (not its nested functions');
    a ``self.attr`` among other targets (``self.a, self.b = ...``: paired with the elements) is
    taken to store one."""
    scope = _Scope(method, None, lambda _: True)
    for assign in scope.assigns:
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


def _own(function: Function) -> tuple[list[ast.AST], list[ast.AST]]:
    """The nodes of ``function``'s own scope, and the functions and classes nested in it (whose
    decorators, defaults and bases run in this scope: counted among its nodes)."""
    nodes: list[ast.AST] = []
    nested: list[ast.AST] = []
    stack: list[ast.AST] = [function.body] if isinstance(function, ast.Lambda) else list(function.body)
    while stack:
        node = stack.pop()
        nodes.append(node)
        if isinstance(node, _SCOPES):
            nested.append(node)
            if isinstance(node, ast.ClassDef):
                stack.extend([*node.decorator_list, *node.bases, *node.keywords])
            else:
                stack.extend(getattr(node, "decorator_list", ()))
                stack.extend([*node.args.defaults, *(default for default in node.args.kw_defaults if default is not None)])
                if not isinstance(node, ast.Lambda):
                    stack.extend(arg.annotation for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs) if arg.annotation)
                    if node.returns is not None:
                        stack.append(node.returns)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return nodes, nested


class _Scope:
    """One function's names as the receivers' ways read them: ``=`` values, parameters, the rest."""

    def __init__(self, function: Function, parent: _Scope | None, self_attribute: Callable[[str], bool] | None) -> None:
        arguments = function.args
        positional = [*arguments.posonlyargs, *arguments.args]
        self.own = positional[0].arg if positional and self_attribute is not None else None
        self.self_attribute = self_attribute
        self.parent = parent
        nodes, self.nested = _own(function)
        self.assigns: list[ast.Assign | ast.AnnAssign] = []
        self.values: dict[str, list[ast.expr]] = {}
        self.receivers: list[ast.expr] = []
        targets: set[int] = set()
        for node in nodes:
            kind = type(node)
            if kind is ast.Assign or (kind is ast.AnnAssign and node.value is not None):  # type: ignore[attr-defined]
                self.assigns.append(node)  # type: ignore[arg-type]
                for target in classparts.targets(node):  # type: ignore[arg-type]
                    if type(target) is ast.Name:
                        targets.add(id(target))
                        self.values.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
            self.receivers.extend(self.receivers_in(node, walk=False))
        self.other = _bound_otherwise(nodes, targets)
        parameters = {arg.arg for arg in (*positional, *arguments.kwonlyargs)}
        parameters.update(arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None)
        self.parameters = parameters - self.other
        self._active: set[str] = set()

    @staticmethod
    def receivers_in(node: ast.AST, walk: bool = True) -> list[ast.expr]:
        """What ``node`` (with ``walk``, anything in it) writes a string key into or calls ``update`` on."""
        found: list[ast.expr] = []
        for inner in ast.walk(node) if walk else (node,):
            kind = type(inner)
            if kind is ast.Subscript:
                if type(inner.ctx) is ast.Store and _string_key(inner.slice):  # type: ignore[attr-defined]
                    found.append(inner.value)  # type: ignore[attr-defined]
            elif kind is ast.Call:
                func = inner.func  # type: ignore[attr-defined]
                if type(func) is ast.Attribute and func.attr in WRITERS:
                    found.append(func.value)
        return found

    def may_be_config(self, node: ast.expr) -> bool:
        kind = type(node)
        if kind is ast.Attribute:
            if node.attr == "config":  # type: ignore[attr-defined]
                return True
            value = node.value  # type: ignore[attr-defined]
            if type(value) is ast.Name and value.id == self.own and self.own not in self.other and self.self_attribute is not None:
                return self.self_attribute(node.attr)  # type: ignore[attr-defined]
            return self.may_be_module(value)
        if kind is ast.Name:
            return self._name(node.id, config=True)  # type: ignore[attr-defined]
        return False  # calls, subscripts, await, literals, operators

    def may_be_module(self, node: ast.expr) -> bool:
        kind = type(node)
        if kind is ast.Attribute:
            return True  # a submodule, a module's export
        if kind is ast.Name:
            return self._name(node.id, config=False)  # type: ignore[attr-defined]
        return False

    def _name(self, name: str, config: bool) -> bool:
        if name in self.other:
            return True  # bound some other way: anything
        if name not in self.values and name not in self.parameters:
            # not this function's: the enclosing function's, else the module's (anything)
            return self.parent._name(name, config) if self.parent is not None else True
        if name in self._active:
            return False  # ``x = x.y`` again: the other values decide
        self._active.add(name)
        try:
            test = self.may_be_config if config else self.may_be_module
            return any(test(value) for value in self.values.get(name, ()))
        finally:
            self._active.discard(name)


def _bound_otherwise(nodes: list[ast.AST], assigned: set[int]) -> set[str]:
    """Names the scope's ``nodes`` bind other than as a target of ``=`` (``assigned``: those targets' nodes)."""
    return classparts.names_bound(nodes, assigned, inner_params=False)
