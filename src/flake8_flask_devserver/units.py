"""The units of a module's statement slices (slices.py): top-level statements, class shells and methods.

What the slices read of each unit, each read once and kept on it: its text (less a
definition's docstring: classparts.docstring), the names it mentions and binds, the names
its code holds, and a method's reads of ``self``. ``ast`` only.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from . import classparts

_IDENTIFIER = re.compile(r"[^\W\d]\w*")


@dataclass(eq=False)
class Unit:
    """Top-level statements that share lines (``a = 1; b = 2``) are one unit."""

    first: int  # 0-based line numbers, inclusive
    last: int
    statements: list[ast.stmt] = field(default_factory=list)
    text: str = ""
    kept: bool = False
    _bound: set[str] | None = None
    #: A class split in parts (classparts.py): its shell's line ranges, its methods, and a method's shell.
    pieces: list[tuple[int, int]] | None = None
    methods: list[Unit] = field(default_factory=list)
    owner: Unit | None = None
    #: The attributes a method stores (launcher aliases: _flows), and a shell's methods by what they store.
    #: (A method binds no module name but its globals; its name is bound in the class body only: a shell
    #: keeps the methods it mentions; apps.py resolves ``self.attr`` through what the class's methods store.)
    stored: set[str] | None = None
    storing: dict[str, list[Unit]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)  # names a method declares global (it may bind them)
    assigns: list[ast.Assign | ast.AnnAssign] = field(default_factory=list)  # a method's (classparts.assignments)
    _used: set[str] | None = None
    _followed: set[str] | None = None
    name: str | None = None  # a shell's class name
    full: bool = False  # kept with all it mentions (not only for the attributes it stores: _keep)
    served: set[str] = field(default_factory=set)  # the attributes a method is kept for
    _code: set[str] | None = None
    _reads: set[str] | None = None
    stores: classparts.Stores | None = None
    _writes: bool | None = None
    configs: dict[str, bool] = field(default_factory=dict)  # a shell's: may ``self.attr`` be a config
    #: Lines (0-based, inclusive) of a definition's docstring left out (classparts.docstring).
    cut: tuple[int, int] | None = None

    def bound(self) -> set[str]:
        if self._bound is None:
            self._bound = set()
            for statement in self.statements:
                bound_names(statement, self.text, self._bound)
        return self._bound

    def used(self) -> set[str]:
        if self._used is None:
            self._used = set(_IDENTIFIER.findall(self.text))
        return self._used

    def followed(self) -> set[str]:
        """``used()`` less the names met only as the callee of a call statement (``register(app)``).

        Such a call binds nothing and gives no value, so the function it names cannot
        change what a name of the module is (a function that binds one with ``global``
        is kept anyway: it binds a wanted name).
        """
        if self._followed is None:
            callees = Counter(
                node.value.func.id
                for statement in self.statements
                for node in ast.walk(statement)
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            )
            if callees:
                words = Counter(_IDENTIFIER.findall(self.text))
                self._followed = self.used() - {name for name, count in callees.items() if words[name] == count}
            else:
                self._followed = self.used()
        return self._followed


def pieces(unit: Unit) -> list[tuple[int, int]]:
    """The line ranges libcst sees of a kept unit: a shell's pieces, or its lines less its docstring's."""
    if unit.pieces is not None:
        return unit.pieces
    if unit.cut is None:
        return [(unit.first, unit.last)]
    return [(unit.first, unit.cut[0] - 1), (unit.cut[1] + 1, unit.last)]


def loaded_names(statements: Iterable[ast.stmt]) -> set[str]:
    """The names ``statements`` read (``x = property(get_x)`` reads ``get_x``)."""
    return {node.id for statement in statements for node in ast.walk(statement) if type(node) is ast.Name}


def text(source: str, starts: list[int], pieces: Iterable[tuple[int, int]]) -> str:
    """The text of lines ``first``-``last`` (0-based, inclusive) of each piece, joined."""
    return "".join(source[starts[first] : starts[last + 1] if last + 1 < len(starts) else len(source)] for first, last in pieces)


def code_names(unit: Unit) -> set[str]:
    """The names and attribute names in the unit's code (not the words of its strings)."""
    if unit._code is None:
        if unit.owner is not None:
            unit._code, unit._reads = classparts.code_names(unit.statements[0])  # type: ignore[arg-type]
        else:
            unit._code = {
                node.id if type(node) is ast.Name else node.attr  # type: ignore[attr-defined]
                for statement in unit.statements
                for node in ast.walk(statement)
                if type(node) is ast.Name or type(node) is ast.Attribute
            }
    return unit._code


def self_reads(unit: Unit) -> set[str]:
    """The attributes a method reads on ``self`` (classparts.code_names)."""
    if unit._reads is None:
        code_names(unit)
    return unit._reads or set()


def bound_names(statement: ast.stmt, text: str, names: set[str]) -> None:
    """Every name ``statement`` may bind at module level (a superset: nested scopes count too)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(statement.name)
        if "global" not in text:
            return  # its body binds nothing at module level
    elif isinstance(statement, ast.Import):
        names.update((alias.asname or alias.name).split(".")[0] for alias in statement.names)
        return
    elif isinstance(statement, ast.ImportFrom):
        names.update(alias.asname or alias.name for alias in statement.names)
        return
    elif isinstance(statement, (ast.Expr, ast.Return, ast.Pass, ast.Break, ast.Continue, ast.Raise, ast.Assert)):
        if ":=" not in text:
            return  # only a walrus binds anything here
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
