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
  so does a call through an attribute a method stored one in);
* is a ``__main__`` guard, a call statement of a name (what ``__main__.py`` runs),
  an ``add_command(...)``, or a function decorated as a dispatcher's command, when
  starts are possible: the functions it calls may start a server (launchers.py),
  and are kept as names it mentions;
* mentions ``.config``, when starts or switches are possible: a start may read what
  it writes, and ``config.update(settings)`` may write a mapping bound to a name
  (a method only when it writes a string key or calls ``update``-like methods:
  configvalues._written reads only those);
* imports something at module level (import bindings are small, and decide other
  things; an import inside a function or method binds only its own names);
* binds one of the names asked for: those a suggestion looks up (``app``,
  ``create_app``, ...) or the one another module imports;
* binds a name that a kept unit mentions, with every binding of that name
  (a name rebound to something else is no longer an app), to a fixed point; a
  method is kept with those of its class that assign what it reads on ``self``;
* is called by a kept function with parameters (paramflow.py reads the callers).

"Mentions" reads every identifier in the statement's text (attribute names and
words in strings included), and "binds" every name stored anywhere in it
(nested scopes included): both err on the side of keeping. Uses ``ast``, which
parses ten times faster than libcst; no libcst here.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from . import classparts, configwrites, gate
from .astfacts import refine
from .model import DEFAULT_SETTINGS, Settings

#: False turns both steps off: whole modules everywhere (audits compare both ways; clear apps' caches).
ENABLED = True

#: No findings wanted: a module read only to answer what one of its names is.
_NOTHING = gate.Facts(starts=False, launchers=False, debugged=False, switches=False, config_classes=False)

#: Names suggestions look up in the linted module (see suggest._module_app).
SUGGESTED = ("app", "application", "create_app", "make_app")

_LINE_END = re.compile(r"\r\n?|\n")
_IDENTIFIER = re.compile(r"[^\W\d]\w*")


@dataclass(eq=False)
class _Unit:
    """Top-level statements that share lines (``a = 1; b = 2``) are one unit."""

    first: int  # 0-based line numbers, inclusive
    last: int
    statements: list[ast.stmt] = field(default_factory=list)
    text: str = ""
    kept: bool = False
    _bound: set[str] | None = None
    #: A class split in parts (classparts.py): its shell's line ranges, its methods, and a method's shell.
    pieces: list[tuple[int, int]] | None = None
    methods: list[_Unit] = field(default_factory=list)
    owner: _Unit | None = None
    #: The attributes a method stores (launcher aliases: _flows), and a shell's methods by what they store.
    #: (A method binds no module name but its globals; its name is bound in the class body only: a shell
    #: keeps the methods it mentions; apps.py resolves ``self.attr`` through what the class's methods store.)
    stored: set[str] | None = None
    storing: dict[str, list[_Unit]] = field(default_factory=dict)
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
                _bound_names(statement, self.text, self._bound)
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
    not a mention (see ``_Unit.followed``), and imports inside a function or
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
    functions named only by call statements are not followed (see ``_Unit.followed``)
    and definitions are not kept for the imports inside them.
    """
    starts = [0]
    starts.extend(match.end() for match in _LINE_END.finditer(source))
    units = _units(tree, source, starts, split=not exported)
    if not units:
        return None
    wanted: set[str] = set(names)
    todo = list(wanted)
    mentions = _Unit.followed if exported else _Unit.used
    # a kept function with parameters reads what its callers pass (paramflow.py): keep them too
    pending: list[_Unit] = []

    # a class's ``run`` is read only for a class an ``add_command(...)`` names (launchers._command_scope)
    commanded = {name for unit in units if "add_command" in unit.text for name in unit.used()}

    scanned = _SCANNED.union(gate.launcher_set(settings))

    def keep(unit: _Unit) -> None:
        for kept, named in _keep(unit, commanded, scanned):
            todo.extend(used for used in (mentions(kept) if named is None else named) if used not in wanted)
            if not exported and named is None:
                pending.append(kept)

    for unit in list(_candidates(units, facts, settings, exported)):
        keep(unit)
    binders: dict[str, list[_Unit]] = {}
    for unit in units:
        for name in unit.bound():
            binders.setdefault(name, []).append(unit)
    callers: dict[str, list[_Unit]] | None = None
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
    pieces = sorted(piece for unit in kept for piece in _pieces(unit))
    lines: list[int] = []
    for first, last in pieces:
        lines.extend(range(first + 1, last + 2))
    return _text(source, starts, pieces), tuple(lines)


def _keep(
    unit: _Unit, commanded: set[str] | frozenset[str] = frozenset(), scanned: frozenset[str] = frozenset()
) -> list[tuple[_Unit, set[str] | None]]:
    """Marks ``unit`` kept with what it needs (a method its class's shell; a shell its ``run``
    method when ``commanded`` holds its name, and a method when its body would be empty:
    classparts.py); each unit newly kept or grown, with the names it newly mentions (None: all).

    A method is kept *for* some attributes when only its ``self.attr = value`` for them is read
    (another kept method reads ``self.attr``), and it holds none of the words of ``scanned`` nor a
    write under a string key (see ``_storer``): then it needs only what those values read
    (classparts.Stores). Kept otherwise (or later), it needs all it mentions.
    """
    found: list[tuple[_Unit, set[str] | None]] = []
    stack: list[tuple[_Unit, set[str] | None]] = [(unit, None)]
    while stack:
        current, attributes = stack.pop()
        if current.full:
            continue
        reads: Iterable[str]
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
            for attr in _self_reads(current):
                stack.extend((method, {attr}) for method in current.owner.storing.get(attr, ()))
        if current.methods:
            # the methods the class body's code names (its statements look names up in the class
            # namespace; words in its docstring or strings look nothing up), and ``run`` of a class an
            # ``add_command(...)`` names: a dispatcher runs a command class's (launchers._command_scope,
            # read only from such calls)
            named = _loaded_names(current.statements)
            if current.name in commanded:
                named.add("run")
            stack.extend((method, None) for method in current.methods if method.statements[0].name in named)  # type: ignore[attr-defined]
            if current.pieces is not None and len(current.pieces) == 1:  # the header alone: the body needs a statement
                stack.append((min(current.methods, key=lambda method: method.last - method.first), None))
    return found


def _storer(unit: _Unit, attributes: set[str], scanned_set: frozenset[str]) -> tuple[set[str], set[str]] | None:
    """What a method needs when kept only for the values it stores in ``attributes`` (names, and
    attributes read on ``self``), or None when it must be kept whole.

    The engine reads a method that holds no finding (candidates are kept whole first) in these
    ways only: ``self.attr`` through its assignments (apps.Resolver._self_attribute, resolve only:
    truth and strings never read instance attributes), and the sites of the whole-module scans:
    calls of ``.run``/``.start``/``add_argument``/``add_command``/``update``-like/launchers
    (analysis, handoff, cliopts, launchers.dispatched, debugswitches, configvalues), and writes
    under a string key on what may be a config (configvalues._written; ``_writes``). A method whose
    code names none of those (``scanned_set``: names and attribute names, not words in strings)
    and has no such write gives the scans nothing whatever its names resolve to; a kept function
    that it calls by name keeps it whole as a caller (paramflow reads callers: ``_slice``).
    """
    if not scanned_set.isdisjoint(_code_names(unit)) or _writes(unit):
        return None
    if unit.stores is None:
        unit.stores = classparts.Stores(unit.statements[0], unit.assigns)  # type: ignore[arg-type]
    return unit.stores.needs(attributes)


def _pieces(unit: _Unit) -> list[tuple[int, int]]:
    """The line ranges libcst sees of a kept unit: a shell's pieces, or its lines less its docstring's."""
    if unit.pieces is not None:
        return unit.pieces
    if unit.cut is None:
        return [(unit.first, unit.last)]
    return [(unit.first, unit.cut[0] - 1), (unit.cut[1] + 1, unit.last)]


def _loaded_names(statements: Iterable[ast.stmt]) -> set[str]:
    """The names ``statements`` read (``x = property(get_x)`` reads ``get_x``)."""
    return {node.id for statement in statements for node in ast.walk(statement) if type(node) is ast.Name}


def _text(source: str, starts: list[int], pieces: Iterable[tuple[int, int]]) -> str:
    """The text of lines ``first``-``last`` (0-based, inclusive) of each piece, joined."""
    return "".join(source[starts[first] : starts[last + 1] if last + 1 < len(starts) else len(source)] for first, last in pieces)


def _parameterised(unit: _Unit) -> list[str]:
    """Names of the unit's top-level functions that take parameters."""
    if unit.owner is not None:
        return []  # methods: paramflow does not follow them
    return [
        statement.name
        for statement in unit.statements
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (statement.args.args or statement.args.posonlyargs or statement.args.kwonlyargs)
    ]


def _units(tree: ast.Module, source: str, starts: list[int], split: bool = False) -> list[_Unit]:
    """The module's top-level units; with ``split``, a class with methods as its shell and its methods."""

    def end(statement: ast.stmt) -> int:
        # A statement's last line that ends in a backslash joins the next line (blank, or
        # a comment: ast ends the statement before it). Cut there, the backslash would join
        # the next kept statement instead, and the sliced text would not parse.
        last = statement.end_lineno or statement.lineno
        while last < len(starts) - 1 and source[starts[last - 1] : starts[last]].rstrip("\r\n").endswith("\\"):
            last += 1
        return last

    units: list[_Unit] = []
    for statement in tree.body:
        first = classparts.start(statement)
        last = end(statement)
        if units and first - 1 <= units[-1].last:
            units[-1].last = max(units[-1].last, last - 1)
            units[-1].statements.append(statement)
        else:
            units.append(_Unit(first - 1, last - 1, [statement]))
    parts: list[_Unit] = []
    for unit in units:
        node = unit.statements[0]
        if split and len(unit.statements) == 1 and isinstance(node, ast.ClassDef):
            split_up = classparts.split(node, unit.first, unit.last, end)
            if split_up is not None:
                parts.extend(_shell(unit, node, *split_up, source, starts))
                continue
        if split and len(unit.statements) == 1 and isinstance(node, _DEFINITIONS):
            unit.cut = classparts.docstring(node, source, starts)
        unit.text = _text(source, starts, _pieces(unit))
    return [*units, *parts]


def _shell(
    unit: _Unit, node: ast.ClassDef, header: tuple[int, int], body: list[classparts.Part], source: str, starts: list[int]
) -> list[_Unit]:
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
        member = _Unit(part.first, part.last, [method], owner=unit)
        member.cut = classparts.docstring(method, source, starts)
        member.text = _text(source, starts, _pieces(member))
        member.assigns, member.globals = classparts.assignments(method)
        member.stored = {name for assign in member.assigns for target in classparts.targets(assign) for name in classparts.stored_attributes(target)}
        member._bound = member.globals  # (its stored attributes are read only through ``self``: _keep)
        for name in member.stored:
            unit.storing.setdefault(name, []).append(member)
        unit.methods.append(member)
    unit.statements = shell
    unit.text = _text(source, starts, unit.pieces)
    unit._bound = {node.name}  # as the whole class's (see _bound_names)
    unit.name = node.name
    if "global" in unit.text:
        for statement in shell:
            _bound_names(statement, unit.text, unit._bound)
    return unit.methods


def _candidates(units: list[_Unit], facts: gate.Facts, settings: Settings, exported: bool = False) -> Iterable[_Unit]:
    """Units that can hold a finding, or import something (``exported``: at module level, not in a def or class)."""
    # Names bound from a launcher (``rs = run_simple``) or DebuggedApplication call it by another name.
    launchers = _derived(units, gate.launcher_words(settings)) if facts.launchers else set()
    debugged = _derived(units, ("DebuggedApplication",)) if facts.debugged else set()
    modules = _modules(units)
    for unit in units:
        text = unit.text
        if unit.owner is not None or (not exported and _functions_only(unit)):
            # Imports inside a function bind names of its own scope: read only where the function is
            # anyway. What the engine reads in every scope has its own shapes: starts, launchers (Flask-
            # Script's ``Server`` among them) and switches below, a dispatcher's ``add_command`` here
            # (launchers.dispatched), a function's callers (paramflow: ``typer.run(main)`` too) in _slice.
            if "add_command" in text:
                yield unit
                continue
        elif any(isinstance(statement, (ast.Import, ast.ImportFrom)) for statement in unit.statements) or (
            "import" in text and _imports(unit) and not (exported and _defines_only(unit))
        ):
            yield unit
            continue
        if facts.config_classes and "class" in text:
            yield unit  # config classes are told by their bases, any class may be one
            continue
        if ((facts.starts or facts.launchers) and _may_launch(unit, modules)) or (
            (facts.starts or facts.launchers or facts.switches) and _reads_config(unit) and (not (unit.owner is not None or _functions_only(unit)) or _writes(unit))
        ):
            # The functions a guard calls may start a server (launchers.py); a start may read what
            # the app's config was given, which may be a mapping bound to a name (configvalues.py).
            yield unit
            continue
        found = gate.shapes(text, settings)
        used = unit.used() if launchers or debugged else set()
        if (
            (facts.starts and found.run_call)
            or (facts.launchers and (found.launcher or used & launchers))
            or (facts.debugged and (found.debugged or used & debugged))
            or (facts.switches and (found.app_switch or found.env_switch))
            or (getattr(facts, "module_debug", False) and "DEBUG" in unit.bound())
        ):
            yield unit


def _reads_config(unit: _Unit) -> bool:
    """Whether the unit names an attribute ``config`` (``app.config``; also ``app. config``,
    ``app.\\`` / ``config``, which the text alone does not show)."""
    text = unit.text
    if ".config" in text:
        return True
    return "config" in text and any(
        type(node) is ast.Attribute and node.attr == "config"  # type: ignore[attr-defined]
        for statement in unit.statements
        for node in ast.walk(statement)
    )


def _writes(unit: _Unit) -> bool:
    """Whether a function or method may write into a config: a string key stored (``x["KEY"] = v``),
    or an ``update``-like call, on a receiver that may be a config (configwrites.py).

    Only such writes of a function reach other statements (configvalues._written reads them, for
    a key written as a string, for any start; ``config.update(settings)`` a mapping bound to a
    name; a ``self.attr = app.config`` is kept with what mentions ``attr``, as any binding).
    """
    if unit._writes is None:
        owner = unit.owner
        assigns = unit.assigns if owner is not None else [a for f in unit.statements for a in classparts.assignments(f)[0]]
        if not configwrites.keyed(assigns) and not any(writer in unit.text for writer in configwrites.WRITERS):
            unit._writes = False  # (moduleindex records a subscript written by ``=`` only)
        elif owner is None:
            unit._writes = any(configwrites.writes(function) for function in unit.statements)  # type: ignore[arg-type]
        else:

            def stored(attr: str) -> bool:  # whether ``self.attr`` may be a config: what the class stores
                if attr not in owner.configs:
                    owner.configs[attr] = any(
                        configwrites.stored_config(method.statements[0], attr)  # type: ignore[arg-type]
                        for method in owner.storing.get(attr, ())
                    )
                return owner.configs[attr]

            unit._writes = configwrites.writes(unit.statements[0], stored)  # type: ignore[arg-type]
    return unit._writes


#: Names of what the engine's whole-module scans read (see ``_storer``), besides the launchers'.
_SCANNED = frozenset({
    "run", "run_server", "start", "add_argument", "add_argument_group", "add_mutually_exclusive_group",
    "parse_args", "add_command", "update", "from_mapping", "setdefault", "putenv", "environ", "debug",
    "Server", "DebuggedApplication", "Thread", "Process", "partial",
})


def _code_names(unit: _Unit) -> set[str]:
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


def _self_reads(unit: _Unit) -> set[str]:
    """The attributes a method reads on ``self`` (classparts.code_names)."""
    if unit._reads is None:
        _code_names(unit)
    return unit._reads or set()


def _modules(units: list[_Unit]) -> set[str]:
    """Names bound at the top only by ``import m`` (a module: ``@click.command()`` registers nothing on it)."""
    imported: set[str] = set()
    other: set[str] = set()
    for unit in units:
        if unit.owner is None and all(isinstance(statement, ast.Import) for statement in unit.statements):
            imported |= unit.bound()
        else:
            other |= unit.bound()
    return imported - other


def _may_launch(unit: _Unit, modules: frozenset[str] | set[str] = frozenset()) -> bool:
    """A top-level ``if`` that may be a ``__main__`` guard, a call statement of a name
    (``main()``, ``sys.exit(main())``: what a ``__main__.py`` runs at its top), an
    ``add_command(...)`` or a function decorated as a command (a dispatcher's). Errs on keeping."""
    for statement in unit.statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and unit.owner is None:
            if any(_command(decorator, modules) for decorator in statement.decorator_list):
                return True  # a dispatcher's command: launchers.dispatched finds it by its decorator, not its name
        elif isinstance(statement, ast.If):
            if "__main__" in unit.text and "__name__" in unit.text:
                return True
        elif isinstance(statement, ast.Expr) and "(" in unit.text:
            if "add_command" in unit.text:
                return True  # a command a dispatcher the guard runs may dispatch to (launchers.dispatched)
            if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) for node in ast.walk(statement)):
                return True
    return False


def _command(decorator: ast.expr, modules: frozenset[str] | set[str]) -> bool:
    """``@cli.command()``, ``@manager.option(...)``, ``@cli.group``: what launchers.dispatched and
    Analysis._server_commands_of_managers read (``shell`` too: a runserver so decorated replaces
    Flask-Script's). Not on a module (``@click.command()``): no dispatcher is a module."""
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("command", "option", "group", "shell")
        and not (isinstance(func.value, ast.Name) and func.value.id in modules)
    )


def _derived(units: list[_Unit], words: Iterable[str]) -> set[str]:
    """Names bound by statements that mention one of ``words`` or such a name, to a fixed point."""
    wanted = frozenset(words)
    flows = [flow for unit in units for flow in _flows(unit)]
    derived: set[str] = set()
    changed = True
    while changed:
        changed = False
        for bound, used in flows:
            if not bound <= derived and (not wanted.isdisjoint(used) or not derived.isdisjoint(used)):
                derived |= bound
                changed = True
    return derived


def _flows(unit: _Unit) -> list[tuple[set[str], set[str]]]:
    """(names bound, names their values may come from): a unit's, or each assignment's of a method
    (what it stores takes the assigned value only; a method declaring a global: all of it).

    The name a ``def`` or ``class`` binds is no launcher or ``DebuggedApplication`` whatever its
    body says: apps.Resolver gives a function FACTORY, FUNCTION or ENV_GET, a class APP_CLASS or
    SOCKETIO_CLASS, and a call of either an app at most (``_function_value``, ``_class_value``,
    ``_resolve_call``), unless the definition's own dotted name is configured as a launcher, whose
    last name is a launcher word the text shapes read anyway. So a definition passes on only the
    module names its body may bind (``global``, ``:=``); its locals are seen by its own body only.
    """
    if unit.stored is None and (unit.pieces is not None or any(isinstance(statement, _DEFINITIONS) for statement in unit.statements)):
        return [(_bound_otherwise(unit), unit.used())]
    if unit.stored is None or unit.globals:
        return [(unit.bound(), unit.used())]
    flows: list[tuple[set[str], set[str]]] = []
    for assign in unit.assigns:
        stored = {name for target in classparts.targets(assign) for name in classparts.stored_attributes(target)}
        if stored:
            flows.append((stored, classparts.identifiers(assign.value)))  # type: ignore[arg-type]
    return flows


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bound_otherwise(unit: _Unit) -> set[str]:
    """``unit.bound()`` less the names its definitions bind as such (see ``_flows``): what the
    statements of a definition's body may bind at module level (``global``), what a ``:=`` in
    its decorators, defaults or bases binds, and the other statements' names. A class's shell
    binds only what its own statements may (its name is the definition's)."""
    names: set[str] = set()
    text = unit.text
    inner = "global" in text or ":=" in text
    for statement in unit.statements:
        if unit.pieces is not None or not isinstance(statement, _DEFINITIONS):
            if unit.pieces is None or inner:
                _bound_names(statement, text, names)
        elif inner:
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, ast.stmt):
                    _bound_names(child, text, names)
                else:
                    names.update(node.target.id for node in ast.walk(child) if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name))
    return names


def _functions_only(unit: _Unit) -> bool:
    return all(isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) for statement in unit.statements)


def _defines_only(unit: _Unit) -> bool:
    """Whether the unit is function and class definitions only (their imports bind no module name)."""
    return all(isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for statement in unit.statements)


def _imports(unit: _Unit) -> bool:
    return any(isinstance(node, (ast.Import, ast.ImportFrom)) for statement in unit.statements for node in ast.walk(statement))


def _bound_names(statement: ast.stmt, text: str, names: set[str]) -> None:
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
