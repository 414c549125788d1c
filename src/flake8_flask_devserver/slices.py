"""After the text gate, before libcst: what ``ast`` can still rule out, and what libcst must see.

Two steps on the ``ast`` tree (ten times cheaper to build than libcst's):

1. ``refine`` (astfacts.py) drops facts the text gate had to allow. A file left
   without facts never reaches libcst.
2. libcst keeps about 17 KB of objects per line of source and parses at about
   50-100 us per line, so a long module would cost far more than flake8 itself.
   Most of its statements cannot matter: libcst parses only the top-level
   statements that can (the others are left out; a line map puts findings back
   on the file's lines, columns are untouched) and the engine finds the same.
   A top-level class with methods is cut into its shell and its methods
   (classparts.py says why that is exact), and each method counts as a unit.

A unit is kept when it

* can hold a finding, by the same text shapes the gate reads, for the facts the
  gate allowed (a call to a name bound from a launcher counts as a launcher call;
  so does a call through an attribute a method stored one in; a ``def`` or ``class``
  never makes its name one: candidates.derived);
* is a ``__main__`` guard, a call statement of a name (what ``__main__.py`` runs),
  an ``add_command(...)``, or a function decorated as a dispatcher's command, when
  starts are possible: the functions it calls may start a server (launchers.py),
  and are kept as names it mentions;
* mentions ``.config``, when starts or switches are possible: a start may read what
  it writes, and ``config.update(settings)`` may write a mapping bound to a name
  (a function or method only when it writes a string key or calls ``update``-like
  methods on what may be a config: configvalues._written reads only those;
  configwrites.py says which receivers may be one);
* imports something at module level (import bindings are small, and decide other
  things; an import inside a function or method binds only its own names);
* binds one of the names asked for: those a suggestion looks up (``app``,
  ``create_app``, ...) or the one another module imports;
* binds a name that a kept unit mentions, with every binding of that name
  (a name rebound to something else is no longer an app), to a fixed point; a
  method is kept with those of its class that assign what it reads on ``self``
  (such a method, when nothing else keeps it and it holds nothing the engine's
  scans read, needs only what those values read: ``_storer``);
* is called by a kept function with parameters (paramflow.py reads the callers).

A class's shell keeps the methods its code names (not words of its strings) and its
``run`` method only when an ``add_command(...)`` of the module names the class (the one
way launchers._command_scope reads it). A kept definition's docstring is left out
(classparts.docstring: nothing evaluates it, and the engine reads no string statement).

"Mentions" reads every identifier in the statement's text (attribute names and
words in strings included, a left-out docstring's not), and "binds" every name
stored anywhere in it (nested scopes included): both err on the side of keeping. Uses ``ast``, which
parses ten times faster than libcst; no libcst here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable

from . import candidates, classparts, gate
from .astfacts import refine
from .units import Unit, bound_names, code_names, loaded_names, pieces, self_reads, text
from .model import DEFAULT_SETTINGS, Settings

#: False turns both steps off: whole modules everywhere (audits compare both ways; clear apps' caches).
ENABLED = True

#: No findings wanted: a module read only to answer what one of its names is.
_NOTHING = gate.Facts(starts=False, launchers=False, debugged=False, switches=False, config_classes=False)

#: Names suggestions look up in the linted module (see suggest._module_app).
SUGGESTED = ("app", "application", "create_app", "make_app")

_LINE_END = re.compile(r"\r\n?|\n")
_IDENTIFIER = re.compile(r"[^\W\d]\w*")


@dataclass(frozen=True)
class Plan:
    """What libcst parses for one file, and the facts left to compute."""

    facts: gate.Facts
    text: str
    lines: tuple[int, ...] | None = None  # the file's line number of each line of ``text`` (None: the same)


def plan(source: str, facts: gate.Facts, settings: Settings, tree: ast.Module | None = None) -> Plan | None:
    """None when no finding is possible after all; else what libcst has to see.

    ``tree`` is ``ast.parse(source)`` when the caller has it already.
    """
    if not ENABLED:
        return Plan(facts, source)
    if tree is None:
        tree = parse(source)
    if tree is None:
        return Plan(facts, source)  # libcst then says what is wrong, as before
    facts = refine(tree, facts, settings, source)
    if not (facts.starts or facts.launchers or facts.debugged or facts.switches or facts.config_classes):
        return None
    sliced = _slice(tree, source, facts, settings, SUGGESTED)
    if sliced is None:
        return Plan(facts, source)
    return Plan(facts, *sliced)


def exports(source: str, name: str) -> str | None:
    """Only what ``name`` in a module can depend on (imports included), or None to keep all.

    No findings are wanted from such a module: a statement matters when it
    imports at module level, or binds ``name`` or a name a kept statement
    mentions. (Mentions, not what the resolver follows today: values are also
    evaluated for truth and strings, through ``not``, ``or``, calls' arguments,
    class attributes...) A name met only as the callee of a call statement is
    not a mention (see ``Unit.followed``), and imports inside a function or
    class bind no module name.
    """
    if not ENABLED:
        return None
    tree = parse(source)
    if tree is None:
        return None
    sliced = _slice(tree, source, _NOTHING, DEFAULT_SETTINGS, (name,), exported=True)
    return sliced[0] if sliced is not None else None


def parse(source: str) -> ast.Module | None:
    """``ast.parse(source)``, or None when Python cannot parse it."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _slice(
    tree: ast.Module,
    source: str,
    facts: gate.Facts,
    settings: Settings,
    names: Iterable[str],
    exported: bool = False,
) -> tuple[str, tuple[int, ...]] | None:
    """The kept statements' text and the file's line number of each of its lines; None when all are kept.

    ``exported``: only what ``names`` are matters (no findings, no suggestions), so
    functions named only by call statements are not followed (see ``Unit.followed``)
    and definitions are not kept for the imports inside them.
    """
    starts = [0]
    starts.extend(match.end() for match in _LINE_END.finditer(source))
    units = _units(tree, source, starts, split=not exported)
    if not units:
        return None
    wanted: set[str] = set(names)
    todo = list(wanted)
    mentions = Unit.followed if exported else Unit.used
    # a kept function with parameters reads what its callers pass (paramflow.py): keep them too
    pending: list[Unit] = []

    # a class's ``run`` is read only for a class an ``add_command(...)`` names (launchers._command_scope)
    commanded = {name for unit in units if "add_command" in unit.text for name in unit.used()}

    scanned = candidates.SCANNED.union(gate.launcher_set(settings))

    def keep(unit: Unit) -> None:
        for kept, named in _keep(unit, commanded, scanned):
            todo.extend(used for used in (mentions(kept) if named is None else named) if used not in wanted)
            if not exported and named is None:
                pending.append(kept)

    for unit in list(candidates.candidates(units, facts, settings, exported)):
        keep(unit)
    binders: dict[str, list[Unit]] = {}
    for unit in units:
        for name in unit.bound():
            binders.setdefault(name, []).append(unit)
    callers: dict[str, list[Unit]] | None = None
    while todo or pending:
        while todo:
            name = todo.pop()
            wanted.add(name)
            for unit in binders.pop(name, ()):
                keep(unit)
        if pending:
            for name in _parameterised(pending.pop()):
                if callers is None:
                    callers = {}
                    for unit in units:
                        for used in unit.used():
                            callers.setdefault(used, []).append(unit)
                for unit in callers.pop(name, ()):
                    keep(unit)
    kept = [unit for unit in units if unit.kept]
    if len(kept) == len(units):
        return None
    ranges = sorted(piece for unit in kept for piece in pieces(unit))
    lines: list[int] = []
    for first, last in ranges:
        lines.extend(range(first + 1, last + 2))
    return text(source, starts, ranges), tuple(lines)


def _keep(
    unit: Unit, commanded: set[str] | frozenset[str] = frozenset(), scanned: frozenset[str] = frozenset()
) -> list[tuple[Unit, set[str] | None]]:
    """Marks ``unit`` kept with what it needs (a method its class's shell; a shell its ``run``
    method when ``commanded`` holds its name, and a method when its body would be empty:
    classparts.py); each unit newly kept or grown, with the names it newly mentions (None: all).

    A method is kept *for* some attributes when only its ``self.attr = value`` for them is read
    (another kept method reads ``self.attr``), and it holds none of the words of ``scanned`` nor a
    write under a string key (see ``_storer``): then it needs only what those values read
    (classparts.Stores). Kept otherwise (or later), it needs all it mentions.
    """
    found: list[tuple[Unit, set[str] | None]] = []
    stack: list[tuple[Unit, set[str] | None]] = [(unit, None)]
    while stack:
        current, attributes = stack.pop()
        if current.full:
            continue
        if attributes is not None:
            attributes = attributes - current.served
            if not attributes:
                continue
            needs = _storer(current, attributes, scanned)
            if needs is not None:
                current.served |= attributes
                if not current.kept:
                    current.kept = True
                    stack.append((current.owner, None))  # type: ignore[arg-type]
                found.append((current, needs[0]))
                for attr in needs[1]:
                    stack.extend((method, {attr}) for method in current.owner.storing.get(attr, ()))  # type: ignore[union-attr]
                continue
        current.kept = current.full = True
        found.append((current, None))
        if current.owner is not None:
            stack.append((current.owner, None))
            # ``self.attr`` is read through the ``self.attr = ...`` of the same class's methods (apps.py)
            for attr in self_reads(current):
                stack.extend((method, {attr}) for method in current.owner.storing.get(attr, ()))
        if current.methods:
            # the methods the class body's code names (its statements look names up in the class
            # namespace; words in its docstring or strings look nothing up), and ``run`` of a class an
            # ``add_command(...)`` names: a dispatcher runs a command class's (launchers._command_scope,
            # read only from such calls)
            named = loaded_names(current.statements)
            if current.name in commanded:
                named.add("run")
            stack.extend((method, None) for method in current.methods if method.statements[0].name in named)  # type: ignore[attr-defined]
            if current.pieces is not None and len(current.pieces) == 1:  # the header alone: the body needs a statement
                stack.append((min(current.methods, key=lambda method: method.last - method.first), None))
    return found


def _storer(unit: Unit, attributes: set[str], scanned_set: frozenset[str]) -> tuple[set[str], set[str]] | None:
    """What a method needs when kept only for the values it stores in ``attributes`` (names, and
    attributes read on ``self``), or None when it must be kept whole.

    The engine reads a method that holds no finding (candidates are kept whole first) in these
    ways only: ``self.attr`` through its assignments (apps.Resolver._self_attribute, resolve only:
    truth and strings never read instance attributes), and the sites of the whole-module scans:
    calls of ``.run``/``.start``/``add_argument``/``add_command``/``update``-like/launchers
    (analysis, handoff, cliopts, launchers.dispatched, debugswitches, configvalues), and writes
    under a string key on what may be a config (configvalues._written; candidates.writes). A method whose
    code names none of those (``scanned_set``: names and attribute names, not words in strings)
    and has no such write gives the scans nothing whatever its names resolve to; a kept function
    that it calls by name keeps it whole as a caller (paramflow reads callers: ``_slice``).
    """
    if not scanned_set.isdisjoint(code_names(unit)) or candidates.writes(unit):
        return None
    if unit.stores is None:
        unit.stores = classparts.Stores(unit.statements[0], unit.assigns)  # type: ignore[arg-type]
    return unit.stores.needs(attributes)


def _parameterised(unit: Unit) -> list[str]:
    """Names of the unit's top-level functions that take parameters."""
    if unit.owner is not None:
        return []  # methods: paramflow does not follow them
    return [
        statement.name
        for statement in unit.statements
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (statement.args.args or statement.args.posonlyargs or statement.args.kwonlyargs)
    ]


def _units(tree: ast.Module, source: str, starts: list[int], split: bool = False) -> list[Unit]:
    """The module's top-level units; with ``split``, a class with methods as its shell and its methods."""

    def end(statement: ast.stmt) -> int:
        # A statement's last line that ends in a backslash joins the next line (blank, or
        # a comment: ast ends the statement before it). Cut there, the backslash would join
        # the next kept statement instead, and the sliced text would not parse.
        last = statement.end_lineno or statement.lineno
        while last < len(starts) - 1 and source[starts[last - 1] : starts[last]].rstrip("\r\n").endswith("\\"):
            last += 1
        return last

    def continued(line: int) -> bool:
        return source[starts[line - 1] : starts[line]].rstrip("\r\n").endswith("\\")

    units: list[Unit] = []
    for statement in tree.body:
        first = classparts.start(statement, units[-1].last + 1 if units else 0, continued)
        last = end(statement)
        if units and first - 1 <= units[-1].last:
            units[-1].last = max(units[-1].last, last - 1)
            units[-1].statements.append(statement)
        else:
            units.append(Unit(first - 1, last - 1, [statement]))
    parts: list[Unit] = []
    for unit in units:
        node = unit.statements[0]
        if split and len(unit.statements) == 1 and isinstance(node, ast.ClassDef):
            split_up = classparts.split(node, unit.first, unit.last, end, continued)
            if split_up is not None:
                parts.extend(_shell(unit, node, *split_up, source, starts))
                continue
        if split and len(unit.statements) == 1 and isinstance(node, candidates.DEFINITIONS):
            unit.cut = classparts.docstring(node, source, starts)
        unit.text = text(source, starts, pieces(unit))
    return [*units, *parts]


def _shell(
    unit: Unit, node: ast.ClassDef, header: tuple[int, int], body: list[classparts.Part], source: str, starts: list[int]
) -> list[Unit]:
    """Makes ``unit`` the shell of class ``node`` (classparts.py); its methods' units."""
    unit.pieces = [header]
    shell: list[ast.stmt] = []
    doc = classparts.docstring(node, source, starts)
    for part in body:
        method = part.method
        if doc is not None and part.first == doc[0] and len(part.statements) == 1:
            continue  # the class's docstring (classparts.docstring)
        if method is None:
            unit.pieces.append((part.first, part.last))
            shell.extend(part.statements)
            continue
        member = Unit(part.first, part.last, [method], owner=unit)
        member.cut = classparts.docstring(method, source, starts)
        member.text = text(source, starts, pieces(member))
        member.assigns, member.globals = classparts.assignments(method)
        member.stored = {name for assign in member.assigns for target in classparts.targets(assign) for name in classparts.stored_attributes(target)}
        member._bound = member.globals  # (its stored attributes are read only through ``self``: _keep)
        for name in member.stored:
            unit.storing.setdefault(name, []).append(member)
        unit.methods.append(member)
    unit.statements = shell
    unit.text = text(source, starts, unit.pieces)
    unit._bound = {node.name}  # as the whole class's (see units.bound_names)
    unit.name = node.name
    if "global" in unit.text:
        for statement in shell:
            bound_names(statement, unit.text, unit._bound)
    return unit.methods


