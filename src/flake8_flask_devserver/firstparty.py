"""First-party modules read to answer what one of their names is: each statement parsed at most once per run.

The resolver (apps.py) asks for one name of a module at a time (``from settings import
HOST, DEBUG`` asks twice). Only the statements that name can depend on are handed to
libcst (see slices.py), and libcst costs about 100 us and 0.5 KB per byte of source, so
what is paid per module, not per name, is:

* reading and ``ast.parse`` of the file, once per file version;
* libcst: each top-level statement is parsed on its own, the first time a name needs it;
  a module for a name is put together from the parsed statements.

Both are kept for the most recently used modules, up to :data:`MAX_CACHED_BYTES` of
source (``ast`` keeps about 50 bytes per byte of source, libcst some 500 for what it
parsed); a module dropped from the cache is read again when asked again.

The work budget: a statement longer than :data:`MAX_STATEMENT_BYTES` (a data table, a
generated blob) is never parsed. The names it binds are unknown instead (a ``for``
statement over nothing binds them, so a name rebound by it is not taken for its earlier
value). A 1.9 MB module of data costs one ``ast.parse``, whatever its importers ask.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import classparts, engine, importsystem, project, slices

#: A top-level statement longer than this is not parsed by libcst: the names it binds are unknown.
MAX_STATEMENT_BYTES = 64_000
#: Source of the modules whose trees and parsed statements are kept (most recently used first).
MAX_CACHED_BYTES = 4_000_000

Stamp = tuple[int, int]
_LINE_END = re.compile("\n")
#: What ``from module import *`` binds: (names, whether from ``__all__``, the module's own star imports).
_Public = tuple[frozenset[str], bool, tuple[tuple[int, str], ...]]


@dataclass(eq=False)
class _Text:
    """One version of a first-party module's text, split into top-level units."""

    stamp: Stamp
    source: str
    tree: ast.Module | None
    #: (first line, last line) of each unit, 1-based inclusive: statements that share lines are one unit.
    units: list[tuple[int, int]]
    starts: list[int]  # offset of each line
    big: set[int] = field(default_factory=set)  # units over MAX_STATEMENT_BYTES: never parsed, never sliced
    small: ast.Module | None = None  # the tree less the big units, which slicing reads
    public: _Public | None = None  # what a star import of the module binds
    names: _Names | None = None  # what each unit binds and mentions (reach_module)
    parsed: dict[int, list[Any]] = field(default_factory=dict)  # unit index -> libcst statements
    parses: int = 0  # libcst parses done for this version (tests count them)

    def text(self, unit: int) -> str:
        first, last = self.units[unit]
        end = self.starts[last] if last < len(self.starts) else len(self.source)
        return self.source[self.starts[first - 1] : end]


_TEXTS: dict[Path, _Text] = {}  # least recently used first


def module(path: Path, name: str | None) -> Any | None:
    """A ``libcst.Module`` of what ``name`` in the module at ``path`` depends on (None: unreadable).

    Without ``name``, every statement. Never imports or runs the module.
    """
    text = _text(path)
    if text is None:
        return None
    if text.tree is None:
        return _whole(text)
    wanted = range(len(text.units)) if name is None else _units_for(text, name)
    return _build(text, wanted)


def reach_module(path: Path, function: str | None) -> Any | None:
    """A ``libcst.Module`` of what a walk of calls (launchers.reach, crosslaunch.py) sees from the
    module's ``__main__`` guard (``function`` None) or from its function ``function``.

    The walk follows names only: a called function, a ``target=``, a dispatcher and the commands
    registered on it, a module or object an attribute is read from, each looked up by name where
    it runs. So the units kept are those holding a guard (or binding ``function``), every unit
    binding a name a kept unit mentions, and every unit registering commands on a name a kept unit
    mentions (``@cli.command()``, ``cli.add_command(f)``), to a fixed point; and star imports. A
    name's every binding is kept, so each lookup finds the binding it finds in the whole module.
    A model of what ``function``'s value depends on (:func:`module`) leaves out the functions it
    calls; the whole module reads a long launcher (a bot of 800 lines) for a three-line guard.
    """
    text = _text(path)
    if text is None:
        return None
    if text.tree is None:
        return _whole(text)
    if not slices.ENABLED or (function is None and path.name == "__main__.py"):  # (all of it runs)
        return _build(text, range(len(text.units)))
    return _build(text, _reach_units(text, function))


def _build(text: _Text, wanted: Any) -> Any:
    import libcst as cst

    body: list[Any] = []
    for unit in sorted({*wanted, *text.big}):  # big units bind their names to unknown
        body.extend(_statements(text, unit))
    return cst.Module(body=body)


#: Decorators that register a command on a dispatcher (launchers.dispatched: ``@cli.command()``...).
_REGISTERING = frozenset({"command", "option", "group"})


@dataclass(eq=False)
class _Names:
    """Per unit of a module: the names it binds, mentions and registers commands on (from its ``ast``)."""

    binds: dict[str, set[int]] = field(default_factory=dict)
    registers: dict[str, set[int]] = field(default_factory=dict)
    mentions: list[set[str]] = field(default_factory=list)
    guards: set[int] = field(default_factory=set)
    stars: set[int] = field(default_factory=set)


def _reach_units(text: _Text, function: str | None) -> list[int]:
    names = text.names
    if names is None:
        names = text.names = _read_names(text)
    kept = set(names.guards if function is None else names.binds.get(function, ())) | names.stars
    todo = list(kept)
    while todo:
        unit = todo.pop()
        for name in names.mentions[unit]:
            for other in (*names.binds.get(name, ()), *names.registers.get(name, ())):
                if other not in kept:
                    kept.add(other)
                    todo.append(other)
    return sorted(kept)


def _read_names(text: _Text) -> _Names:
    assert text.tree is not None
    names = _Names(mentions=[set() for _ in text.units])
    firsts = [first for first, _ in text.units]
    for statement in text.tree.body:
        unit = bisect.bisect_right(firsts, statement.lineno) - 1
        bound: set[str] = set()
        _bound(statement, bound, walrus=True)  # (a superset: names bound in nested scopes too)
        for node in ast.walk(statement):  # names ``_bound`` leaves to string fields: ``except E as e``, ``case [*rest]``
            if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
                bound.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                bound.add(node.rest)
        for name in bound:
            names.binds.setdefault(name, set()).add(unit)
        mentions = names.mentions[unit]
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                mentions.add(node.id)
                if node.id == "__name__":
                    names.guards.add(unit)
            elif isinstance(node, ast.Global):
                mentions.update(node.names)
            elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
                names.stars.add(unit)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for decorator in node.decorator_list:
                    head = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(head, ast.Attribute) and isinstance(head.value, ast.Name) and head.attr in _REGISTERING:
                        names.registers.setdefault(head.value.id, set()).add(unit)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                if node.func.attr == "add_command":
                    names.registers.setdefault(node.func.value.id, set()).add(unit)
    return names


def has_main_guard(path: Path) -> bool:
    """Whether the module at ``path`` has a top-level ``if __name__ == "__main__":`` (from its ``ast``).

    Its text is read first (:func:`_may_hold_guard`): a module whose every top-level ``if`` has no
    ``__name__`` in its test is not parsed (Flask's ``app.py``, ``__main__`` only in a docstring).
    """
    if path not in _TEXTS:
        source = project.read_source(path)
        if source is None:
            return False
        if not _may_hold_guard(source):
            return False
    text = _text(path)
    if text is None or text.tree is None:
        return False
    for statement in text.tree.body:
        if isinstance(statement, ast.If) and any(
            isinstance(node, ast.Compare)
            and any(isinstance(side, ast.Name) and side.id == "__name__" for side in (node.left, *node.comparators))
            and any(isinstance(side, ast.Constant) and side.value == "__main__" for side in (node.left, *node.comparators))
            for node in ast.walk(statement.test)
        ):
            return True
    return False


#: A line that may start a top-level ``if`` (no indentation; a form feed resets it), with its rest.
_TOP_IF = re.compile(r"^\f*if\b[^\n]*", re.MULTILINE)
#: What lets an ``if`` test run on past its first line: brackets, a backslash, a triple-quoted string.
_CONTINUED = ("(", "[", "{", "\\", '"""', "'''")


def _may_hold_guard(source: str) -> bool:
    """False only when no top-level ``if`` of ``source`` can test ``__name__``: a top-level statement
    starts a line at column 0, and an ``if`` whose first line neither names ``__name__`` nor opens a
    bracket, a backslash continuation or a triple-quoted string ends its test on that line. Text
    that is not ASCII is left to ``ast`` (it reads identifiers NFKC-normalised)."""
    if not source.isascii():
        return True
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    for match in _TOP_IF.finditer(source):
        line = match.group()
        if "__name__" in line or any(opener in line for opener in _CONTINUED):
            return True
    return False


def tree(path: Path) -> ast.Module | None:
    """The ``ast`` of the module at ``path`` (kept with its text; None: unreadable or unparsable)."""
    text = _text(path)
    return text.tree if text is not None else None


def top_level_kind(path: Path, name: str) -> str | None:
    """How the module at ``path`` last binds ``name`` at its top, from its ``ast`` (no libcst):
    "function", "import" (a re-export to follow), "other", or None (unbound, unreadable)."""
    text = _text(path)
    if text is None or text.tree is None:
        return None
    kind: str | None = None
    for statement in text.tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = "function" if statement.name == name else kind
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            if any((alias.asname or alias.name.split(".")[0]) == name for alias in statement.names):
                kind = "import"
            elif any(alias.name == "*" for alias in statement.names):
                kind = kind or "import"
        elif isinstance(statement, ast.ClassDef):
            kind = "other" if statement.name == name else kind
        elif any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store) for node in ast.walk(statement)):
            kind = "other" if not isinstance(statement, (ast.If, ast.Try)) else kind or "other"
    return kind


def first_line(path: Path, statement: Any) -> int | None:
    """The line in the file at ``path`` where a top-level statement that :func:`module` gave starts
    (the module it builds holds only some statements, so its own line numbers are not the file's)."""
    text = _TEXTS.get(path)
    if text is None:
        return None
    for unit, statements in text.parsed.items():
        if any(found is statement for found in statements):
            return text.units[unit][0]  # (statements sharing a unit share its first line)
    return None


def parses(path: Path) -> int:
    """libcst parses done for the current version of ``path`` (for tests)."""
    text = _TEXTS.get(path)
    return text.parses if text is not None else 0


def clear_caches() -> None:
    _TEXTS.clear()


def _text(path: Path) -> _Text | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    text = _TEXTS.pop(path, None)
    if text is None or text.stamp != stamp:
        source = project.read_source(path)
        if source is None:
            return None
        importsystem.remember_source(path, source)  # (its imports are looked up next)
        starts = [0]
        starts.extend(found.end() for found in _LINE_END.finditer(source))  # (a loop over characters cost more than ast.parse)
        tree = slices.parse(source)
        text = _Text(stamp, source, tree, _unit_lines(tree, source, starts) if tree is not None else [], starts)
        text.big = {unit for unit in range(len(text.units)) if len(text.text(unit)) > MAX_STATEMENT_BYTES}
        if tree is not None:
            big_lines = {text.units[unit][0] for unit in text.big}
            body = [statement for statement in tree.body if _unit_of(text, statement) not in big_lines]
            text.small = ast.Module(body=body, type_ignores=[]) if text.big else tree
    _TEXTS[path] = text
    _evict()
    return text


def _evict() -> None:
    """Forget the least recently used modules past :data:`MAX_CACHED_BYTES` (read again when asked again)."""
    total = 0
    for path, text in reversed(list(_TEXTS.items())):
        total += len(text.source)
        if total > MAX_CACHED_BYTES and len(_TEXTS) > 1:
            del _TEXTS[path]


def _unit_lines(tree: ast.Module, source: str, starts: list[int]) -> list[tuple[int, int]]:
    """Line ranges of the top-level statements, decorators included; statements sharing a line merge.

    The same units as slices.py's, so a slice is a concatenation of whole units: a unit takes the
    backslash-continued lines above its first decorator (``@ \\``) and below its last line.
    """

    def continued(line: int) -> bool:
        return line < len(starts) and source[starts[line - 1] : starts[line]].rstrip("\r\n").endswith("\\")

    units: list[tuple[int, int]] = []
    for statement in tree.body:
        first = classparts.start(statement, units[-1][1] if units else 0, continued)
        last = statement.end_lineno or statement.lineno
        while continued(last) and last < len(starts) - 1:
            last += 1
        if units and first <= units[-1][1]:
            units[-1] = (units[-1][0], max(units[-1][1], last))
        else:
            units.append((first, last))
    return units


def _units_for(text: _Text, name: str) -> list[int]:
    """The units slices.py keeps for ``name`` (every unit when it keeps all)."""
    assert text.small is not None
    if not slices.ENABLED:
        return list(range(len(text.units)))
    # slices.exports() on a tree kept per file version (exports() would parse the source again per name).
    sliced = slices._slice(text.small, text.source, slices._NOTHING, slices.DEFAULT_SETTINGS, (name,), exported=True)
    if sliced is None:
        return list(range(len(text.units)))
    kept_lines = set(sliced[1])
    return [index for index, (first, _) in enumerate(text.units) if first in kept_lines]


def _unit_of(text: _Text, statement: ast.stmt) -> int:
    """The first line of the unit that holds ``statement``."""
    for first, last in text.units:  # (called only for modules with big units, once per statement)
        if first <= statement.lineno <= last:
            return first
    return 0


def _statements(text: _Text, unit: int) -> list[Any]:
    found = text.parsed.get(unit)
    if found is None:
        found = text.parsed[unit] = _parse_unit(text, unit)
    return found


def _parse_unit(text: _Text, unit: int) -> list[Any]:
    source = text.text(unit)
    if len(source) <= MAX_STATEMENT_BYTES:
        text.parses += 1
        try:
            return list(engine.parse_module(engine.normalize_identifiers(source)).body)
        except engine.SourceError:
            pass
    return _unknown(text, unit)


def _unknown(text: _Text, unit: int) -> list[Any]:
    """``for a, b in (): pass``: binds the unit's names, to nothing known."""
    assert text.tree is not None
    first, last = text.units[unit]
    names: set[str] = set()
    walrus = ":=" in text.text(unit)
    for statement in text.tree.body:
        if first <= statement.lineno <= last:
            _bound(statement, names, walrus)
    if not names:
        return []
    import libcst as cst

    text.parses += 1
    return list(cst.parse_module(f"for {', '.join(sorted(names))}, in ():\n    pass\n").body)


def _bound(statement: ast.stmt, names: set[str], walrus: bool) -> None:
    """Names a top-level statement may bind (a superset); ``walrus``: the text holds ``:=``."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(statement.name)
        return
    roots: list[ast.AST] = [statement]
    if not walrus:  # then only the targets bind: a data table's values are not walked
        if isinstance(statement, ast.Assign):
            roots = list(statement.targets)
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            roots = [statement.target]
        elif isinstance(statement, ast.Expr):
            return
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name != "*")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Global):
                names.update(node.names)


def _whole(text: _Text) -> Any | None:
    """A module ``ast`` cannot parse (newer syntax than this Python): libcst tries it whole, once."""
    if 0 not in text.parsed:
        text.parsed[0] = []
        if len(text.source) <= MAX_STATEMENT_BYTES:
            text.parses += 1
            try:
                text.parsed[0] = [engine.parse_module(engine.normalize_identifiers(text.source))]
            except engine.SourceError:
                pass
    found = text.parsed[0]
    return found[0] if found else None


def star_provides(path: Path, name: str, external: Callable[[str], bool]) -> bool:
    """Whether ``from <the module at path> import *`` binds ``name``.

    As Python does it (the ``import_from``/``import_all_from`` steps of ceval): the names
    in ``__all__`` when the module sets it, else every module-level name that does not
    start with an underscore, including those the module itself star-imports.
    ``external(qualname)`` says whether a module outside the project has ``name``
    (``from flask import *`` binds ``Flask``). A walk over the star imports, no recursion.
    """
    todo = [path]
    seen: set[Path] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        public = _public_names(current)
        if public is None:
            continue
        names, listed, stars = public
        if name in names:
            return True
        if listed or name.startswith("_"):
            continue  # __all__ is the whole list (or the name is private)
        for level, module in stars:
            target = importsystem.locate(module, level, current)
            if target is not None:
                todo.append(target)
            elif not level and external(f"{module}.{name}"):
                return True
    return False


def _public_names(path: Path) -> _Public | None:
    """(names, whether they come from ``__all__``, the module's own star imports) of a module."""
    text = _text(path)
    if text is None or text.tree is None:
        return None
    if text.public is None:
        text.public = _read_public(text.tree)
    return text.public


def _read_public(tree: ast.Module) -> _Public:
    listed = _dunder_all(tree)
    stars = tuple(
        (statement.level, statement.module or "")
        for statement in tree.body
        if isinstance(statement, ast.ImportFrom) and any(alias.name == "*" for alias in statement.names)
    )
    if listed is not None:
        return frozenset(listed), True, stars
    names: set[str] = set()
    for statement in tree.body:
        _bound(statement, names, walrus=True)
    return frozenset(name for name in names if not name.startswith("_")), False, stars


def _dunder_all(tree: ast.Module) -> list[str] | None:
    """The names of a module-level ``__all__`` made of literals (``=``, ``+=``, ``.extend``, ``.append``).

    None when there is none, or one we cannot read (then the public names stand in: a superset).
    """
    found: list[str] | None = None
    for statement in tree.body:
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign) and any(_is_all(target) for target in statement.targets):
            found, value = [], statement.value
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and _is_all(statement.target):
            if isinstance(statement, ast.AnnAssign) or found is None:
                found = []
            value = statement.value
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and _is_all(statement.value.func.value)
            and statement.value.func.attr in ("extend", "append")
            and len(statement.value.args) == 1
        ):
            if found is None:
                return None
            argument = statement.value.args[0]
            value = ast.List([argument], ast.Load()) if statement.value.func.attr == "append" else argument
        else:
            continue
        if found is None or not isinstance(value, (ast.List, ast.Tuple)):
            return None
        for element in value.elts:
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                return None
            found.append(element.value)
    return found


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"
