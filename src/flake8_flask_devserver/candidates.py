"""Which units of a module can hold a finding, or must be kept for the engine's scans (slices.py).

The rules of slices.py's docstring that start a slice: the shapes of the facts the gate
allowed (launcher and ``DebuggedApplication`` aliases included: :func:`derived`), a
``__main__`` guard and what a dispatcher runs, writes into a config (configwrites.py),
imports. ``ast`` only.
"""

from __future__ import annotations

import ast
from typing import Iterable

from . import classparts, configwrites, gate
from .model import Settings
from .units import Unit, bound_names

def candidates(units: list[Unit], facts: gate.Facts, settings: Settings, exported: bool = False) -> Iterable[Unit]:
    """Units that can hold a finding, or import something (``exported``: at module level, not in a def or class)."""
    # Names bound from a launcher (``rs = run_simple``) or DebuggedApplication call it by another name.
    launchers = derived(units, gate.launcher_words(settings)) if facts.launchers else set()
    debugged = derived(units, ("DebuggedApplication",)) if facts.debugged else set()
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
            (facts.starts or facts.launchers or facts.switches) and _reads_config(unit) and (not (unit.owner is not None or _functions_only(unit)) or writes(unit))
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


def _reads_config(unit: Unit) -> bool:
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


def writes(unit: Unit) -> bool:
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
SCANNED = frozenset({
    "run", "run_server", "start", "add_argument", "add_argument_group", "add_mutually_exclusive_group",
    "parse_args", "add_command", "update", "from_mapping", "setdefault", "putenv", "environ", "debug",
    "Server", "DebuggedApplication", "Thread", "Process", "partial",
})


def _modules(units: list[Unit]) -> set[str]:
    """Names bound at the top only by ``import m`` (a module: ``@click.command()`` registers nothing on it)."""
    imported: set[str] = set()
    other: set[str] = set()
    for unit in units:
        if unit.owner is None and all(isinstance(statement, ast.Import) for statement in unit.statements):
            imported |= unit.bound()
        else:
            other |= unit.bound()
    return imported - other


def _may_launch(unit: Unit, modules: frozenset[str] | set[str] = frozenset()) -> bool:
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


def derived(units: list[Unit], words: Iterable[str]) -> set[str]:
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


def _flows(unit: Unit) -> list[tuple[set[str], set[str]]]:
    """(names bound, names their values may come from): a unit's, or each assignment's of a method
    (what it stores takes the assigned value only; a method declaring a global: all of it).

    The name a ``def`` or ``class`` binds is no launcher or ``DebuggedApplication`` whatever its
    body says: apps.Resolver gives a function FACTORY, FUNCTION or ENV_GET, a class APP_CLASS or
    SOCKETIO_CLASS, and a call of either an app at most (``_function_value``, ``_class_value``,
    ``_resolve_call``), unless the definition's own dotted name is configured as a launcher, whose
    last name is a launcher word the text shapes read anyway. So a definition passes on only the
    module names its body may bind (``global``, ``:=``); its locals are seen by its own body only.
    """
    if unit.stored is None and (unit.pieces is not None or any(isinstance(statement, DEFINITIONS) for statement in unit.statements)):
        return [(_bound_otherwise(unit), unit.used())]
    if unit.stored is None or unit.globals:
        return [(unit.bound(), unit.used())]
    flows: list[tuple[set[str], set[str]]] = []
    for assign in unit.assigns:
        stored = {name for target in classparts.targets(assign) for name in classparts.stored_attributes(target)}
        if stored:
            flows.append((stored, classparts.identifiers(assign.value)))  # type: ignore[arg-type]
    return flows


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bound_otherwise(unit: Unit) -> set[str]:
    """``unit.bound()`` less the names its definitions bind as such (see ``_flows``): what the
    statements of a definition's body may bind at module level (``global``), what a ``:=`` in
    its decorators, defaults or bases binds, and the other statements' names. A class's shell
    binds only what its own statements may (its name is the definition's)."""
    names: set[str] = set()
    text = unit.text
    inner = "global" in text or ":=" in text
    for statement in unit.statements:
        if unit.pieces is not None or not isinstance(statement, DEFINITIONS):
            if unit.pieces is None or inner:
                bound_names(statement, text, names)
        elif inner:
            for child in ast.iter_child_nodes(statement):
                if isinstance(child, ast.stmt):
                    bound_names(child, text, names)
                else:
                    names.update(node.target.id for node in ast.walk(child) if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name))
    return names


def _functions_only(unit: Unit) -> bool:
    return all(isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) for statement in unit.statements)


def _defines_only(unit: Unit) -> bool:
    """Whether the unit is function and class definitions only (their imports bind no module name)."""
    return all(isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for statement in unit.statements)


def _imports(unit: Unit) -> bool:
    return any(isinstance(node, (ast.Import, ast.ImportFrom)) for statement in unit.statements for node in ast.walk(statement))


