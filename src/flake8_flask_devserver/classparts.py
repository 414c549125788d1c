"""A top-level class in parts for the statement slices (slices.py): its shell, and each of its methods.

A long class (a framework's application class, a server class) often holds one
statement a finding can depend on, in one of dozens of methods; slices.py kept the
whole class, and libcst parsed all of it. Python gives a method no part in anything
outside it but through what it stores:

* a method's body runs only when it is called, and its names are its own: it binds no
  name of the module (unless it declares one ``global``: counted) and none of the class
  body (its ``def`` binds only its name in the class namespace, which code in methods
  or outside the class never looks up: class bodies are not enclosing scopes);
* the engine reads a method in these ways only (apps.py, launchers.py, paramflow.py):
  the sites in its body, found by their shapes as for any statement, and the writes
  the engine reads in every scope (configvalues._written: config writes;
  launchers.dispatched: ``add_command``); ``self.attr`` through the ``self.attr = ...``
  assignments of the class's methods (apps.Resolver._self_attribute); a ``Command``
  class's ``run`` method, which a dispatcher runs (launchers._command_scope); its name
  in the class body (``x = property(get_x)``). Methods are never resolved as values,
  followed from the ``__main__`` guard or given arguments by paramflow.

So the *shell* (decorators, the ``class`` line, and every statement of the body that is
not a ``def``: class attributes, nested classes) is one unit, bound to the class's name,
and each method is another, bound to the names it declares ``global``. A method is kept as
any unit is (it can hold a finding, or binds a name a kept unit mentions); keeping a
method keeps its shell, and the methods of its class that assign an attribute it reads
on its first parameter (``self.app.run()`` keeps those with ``self.app = value``: the
assignments moduleindex records for the resolver); keeping a shell keeps the methods its
own code names and, when an ``add_command(...)`` of the module names the class, its ``run``
method. A shell whose body would be left empty keeps its shortest method (the body must hold
a statement); the class's docstring is no part of it (:func:`docstring`). ``ast`` only.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, Iterable

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Part:
    """Lines of one part of a class (0-based, inclusive), and its statements."""

    first: int
    last: int
    statements: tuple[ast.stmt, ...]

    @property
    def method(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        only = self.statements[0] if len(self.statements) == 1 else None
        return only if isinstance(only, _DEFS) else None


def split(
    node: ast.ClassDef, first: int, last: int, end: Callable[[ast.stmt], int], continued: Callable[[int], bool] | None = None
) -> tuple[tuple[int, int], list[Part]] | None:
    """The header's lines and the body's parts of a top-level class spanning lines ``first``-``last``
    (0-based), or None when it is better left whole (no method, or a body on the ``class`` line).

    ``end(statement)`` is the statement's last line (1-based), over backslash continuations
    (slices._units says why)."""
    body = node.body
    if not any(isinstance(statement, _DEFS) for statement in body):
        return None
    starts: list[int] = []
    floor = node.lineno
    for statement in body:
        starts.append(start(statement, floor, continued) - 1)
        floor = max(floor, end(statement))
    if starts[0] <= node.lineno - 1 or starts[0] <= first:
        return None  # ``class A: x = 1``: the body shares the header's line
    parts: list[Part] = []
    for statement, begin in zip(body, starts):
        stop = end(statement) - 1
        if parts and begin <= parts[-1].last:  # ``a = 1; b = 2``: one part
            previous = parts[-1]
            parts[-1] = Part(previous.first, max(previous.last, stop), (*previous.statements, statement))
        else:
            parts.append(Part(begin, stop, (statement,)))
    if parts[-1].last > last:
        return None  # (never: the class's own range holds its body)
    return (first, starts[0] - 1), parts


def start(statement: ast.stmt, floor: int = 0, continued: Callable[[int], bool] | None = None) -> int:
    """A statement's first line (1-based), its decorators' included.

    ``ast`` gives a decorator the line of its expression, not of its ``@``: in ``@ \\`` then
    ``app.route("/")`` the ``@`` is a line above. With ``continued(n)`` (line ``n`` ends in a
    backslash), the start moves up over such lines, but never to ``floor`` (the line where the
    previous statement ends) or above: lines between two statements are blank lines, comments and
    the next statement's own continued lines, so taking a comment that ends in ``\\`` is harmless.
    """
    decorators = getattr(statement, "decorator_list", None)
    first = min(statement.lineno, *(decorator.lineno for decorator in decorators)) if decorators else statement.lineno
    if continued is not None:
        while first - 1 > floor and continued(first - 1):
            first -= 1
    return first


def assignments(method: ast.AST) -> tuple[list[ast.Assign | ast.AnnAssign], set[str]]:
    """The method's assignments with a value (nested blocks and definitions included), and the names
    it declares ``global``: read from its statements only, never its expressions (cheaper than a walk).

    Only ``=`` and annotated ``=`` record what the engine reads of an attribute or a subscript
    written (moduleindex: ``self.attr = value`` for the resolver, ``x["KEY"] = value`` for
    configvalues); ``for``/``with`` targets and augmented assignments carry no value it reads.
    """
    found: list[ast.Assign | ast.AnnAssign] = []
    declared: set[str] = set()
    stack: list[ast.AST] = list(getattr(method, "body", ()))
    while stack:
        statement = stack.pop()
        kind = type(statement)
        if kind is ast.Assign:
            found.append(statement)  # type: ignore[arg-type]
        elif kind is ast.AnnAssign:
            if statement.value is not None:  # type: ignore[attr-defined]
                found.append(statement)  # type: ignore[arg-type]
        elif kind is ast.Global:
            declared.update(statement.names)  # type: ignore[attr-defined]
        else:
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                stack.extend(getattr(statement, name, ()))
    return found, declared


def targets(assignment: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return assignment.targets if isinstance(assignment, ast.Assign) else [assignment.target]


def stored_attributes(target: ast.AST) -> set[str]:
    """Attribute names an assignment target stores (``self.app = ...`` binds ``app``): an attribute
    stores only as the target or an element of one (Python marks nothing else in it ``Store``)."""
    kind = type(target)
    if kind is ast.Attribute:
        return {target.attr} if type(target.ctx) is ast.Store else set()  # type: ignore[attr-defined]
    if kind is ast.Starred:
        return stored_attributes(target.value)  # type: ignore[attr-defined]
    if kind is ast.Tuple or kind is ast.List:
        found: set[str] = set()
        for element in target.elts:  # type: ignore[attr-defined]
            found |= stored_attributes(element)
        return found
    return set()


def code_names(method: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[set[str], set[str]]:
    """One walk: the names and attribute names in the method's code (not its strings' words), and
    the attribute names read on its first parameter (``self.app.run()`` reads ``app``), where
    apps.Resolver._self_attribute looks for what the class's methods store."""
    positional = [*method.args.posonlyargs, *method.args.args]
    own = positional[0].arg if positional else None
    names: set[str] = set()
    reads: set[str] = set()
    for node in ast.walk(method):
        kind = type(node)
        if kind is ast.Name:
            names.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            names.add(node.attr)  # type: ignore[attr-defined]
            value = node.value  # type: ignore[attr-defined]
            if type(value) is ast.Name and value.id == own:
                reads.add(node.attr)  # type: ignore[attr-defined]
    return names, reads


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def identifiers(node: ast.AST) -> set[str]:
    """The names, attribute names and words in strings of an expression (as slices' mentions, erring on more)."""
    found: set[str] = set()
    for inner in ast.walk(node):
        kind = type(inner)
        if kind is ast.Name:
            found.add(inner.id)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            found.add(inner.attr)  # type: ignore[attr-defined]
        elif kind is ast.keyword and inner.arg:  # type: ignore[attr-defined]
            found.add(inner.arg)  # type: ignore[attr-defined]
        elif kind is ast.Constant and isinstance(inner.value, str):  # type: ignore[attr-defined]
            found.update(_IDENTIFIER.findall(inner.value))  # type: ignore[attr-defined]
    return found


_TRIPLES = ('"""', "'''")


def docstring(node: ast.AST, source: str, starts: list[int]) -> tuple[int, int] | None:
    """The lines (0-based, inclusive) of the docstring heading the body of a ``def`` or ``class``,
    when libcst may be spared them; None when there is none to leave out.

    A docstring is a bare string: Python stores it as ``__doc__`` and evaluates nothing in it,
    and the engine reads no string statement (its sites are calls, assignments and classes;
    its names are looked up in code, never in text). Left out only when it is one triple-quoted
    literal on lines of its own (the next statement starts on a later line, nothing but a
    comment follows it: a backslash would join the next line), and another statement follows
    (a body must hold one). A triple-quoted literal is no one-line ``'``/``"`` string
    (moduleindex.quote_counts, which the fixes' quote follows, counts only those).
    """
    body = getattr(node, "body", None)
    if not body or len(body) < 2:
        return None
    first = body[0]
    if type(first) is not ast.Expr or type(first.value) is not ast.Constant or not isinstance(first.value.value, str):  # type: ignore[attr-defined]
        return None
    top, bottom = first.lineno, first.end_lineno or first.lineno
    if start(body[1]) <= bottom or bottom >= len(starts):
        return None
    text = source[starts[top - 1] : starts[bottom]]
    opening = text.lstrip().lstrip("rRuU")[:3]
    if opening not in _TRIPLES or text.count(opening) != 2:
        return None
    if not text.rstrip().endswith(opening):
        return None  # a comment or a backslash after it: kept as it is
    return top - 1, bottom - 1


class Stores:
    """What resolving ``self.attr`` reads of a method that stores it (:meth:`needs`), built once per method."""

    def __init__(self, method: ast.FunctionDef | ast.AsyncFunctionDef, assigns: list[ast.Assign | ast.AnnAssign]) -> None:
        self.method = method
        positional = [*method.args.posonlyargs, *method.args.args]
        self.own = positional[0].arg if positional else None
        self.by_attribute: dict[str, list[ast.expr]] = {}
        self.locals: dict[str, list[ast.expr]] = {}
        self.targets: set[int] = set()
        for assign in assigns:
            for target in targets(assign):
                for attr in stored_attributes(target):
                    self.by_attribute.setdefault(attr, []).append(assign.value)  # type: ignore[arg-type]
                for node in ast.walk(target):
                    if type(node) is ast.Name:
                        self.targets.add(id(node))
                        self.locals.setdefault(node.id, []).append(assign.value)  # type: ignore[arg-type]
        self.parameters = {arg.arg for arg in (*positional, *method.args.kwonlyargs)}
        self.parameters.update(arg.arg for arg in (method.args.vararg, method.args.kwarg) if arg is not None)
        self._other: set[str] | None = None

    def needs(self, attributes: set[str]) -> tuple[set[str], set[str]] | None:
        """The names the values stored in ``attributes`` mention (through the method's own ``=``
        assignments of names they read) and the attributes they read on ``self``; None when a name
        they read is bound in the method some other way (a loop, ``with``, an import, a nested
        definition...: read the whole method).

        apps.Resolver._self_attribute resolves the value of each ``self.attr = value`` in the
        method's scope: a local name by its assignments there, a parameter by its annotation,
        anything else in the module (or through ``self.other``, the class's methods again).
        """
        values = [value for attr in attributes for value in self.by_attribute.get(attr, ())]
        names: set[str] = set()
        reads: set[str] = set()
        followed: set[str] = set()
        while values:
            value = values.pop()
            for node in ast.walk(value):
                if type(node) is ast.Attribute and type(node.value) is ast.Name and node.value.id == self.own:  # type: ignore[attr-defined]
                    reads.add(node.attr)  # type: ignore[attr-defined]
            for name in identifiers(value):
                names.add(name)
                if name in self.locals and name not in followed:
                    followed.add(name)
                    values.extend(self.locals[name])
        if self._other is None:
            self._other = bound_otherwise(self.method, self.targets)
        if not names.isdisjoint(self._other):
            return None
        if not names.isdisjoint(self.parameters):
            names |= identifiers(self.method.args)  # annotations (apps.Resolver._param_value) and defaults
        return names, reads


def bound_otherwise(method: ast.FunctionDef | ast.AsyncFunctionDef, assigned: set[int]) -> set[str]:
    """Names a method binds other than as a target of ``=`` (``assigned``: those targets' nodes) or as its parameters
    (the parameters of functions and lambdas inside it count)."""
    return names_bound((node for statement in method.body for node in ast.walk(statement)), assigned, inner_params=True)


def names_bound(nodes: Iterable[ast.AST], assigned: set[int], inner_params: bool) -> set[str]:
    """Names ``nodes`` bind other than as a target of ``=`` (``assigned``): stores, definitions, imports,
    ``global``/``nonlocal``, except and match captures; with ``inner_params``, parameters (``ast.arg``) too."""
    found: set[str] = set()
    for node in nodes:
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load and id(node) not in assigned:  # type: ignore[attr-defined]
                found.add(node.id)  # type: ignore[attr-defined]
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            found.add(node.name)  # type: ignore[attr-defined]
        elif kind in (ast.Import, ast.ImportFrom):
            found.update((alias.asname or alias.name).split(".")[0] for alias in node.names)  # type: ignore[attr-defined]
        elif kind in (ast.Global, ast.Nonlocal):
            found.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.arg and inner_params:
            found.add(node.arg)  # type: ignore[attr-defined]
        elif kind in (ast.ExceptHandler, ast.MatchAs, ast.MatchStar) and node.name:  # type: ignore[attr-defined]
            found.add(node.name)  # type: ignore[attr-defined]
        elif kind is ast.MatchMapping and node.rest:  # type: ignore[attr-defined]
            found.add(node.rest)  # type: ignore[attr-defined]
    return found
