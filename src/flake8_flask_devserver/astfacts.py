"""Facts of one module the text gate had to allow and ``ast`` rules out (step 1 of slices.py).

``refine`` drops a ``.run(`` whose receiver can only be a module or an unannotated
parameter (``subprocess.run(``, ``asyncio.run(``, ``self.run(``), launchers that are the
module's own functions (localdefs.py), a ``DEBUG = True`` that only sits in development
or testing config classes (or is spelled as a log level), and switches that write
nothing. A file left without facts never reaches libcst. Uses ``ast`` only.
"""

from __future__ import annotations

import ast
import dataclasses

from . import gate, localdefs
from .model import Settings, is_dev_config_name


def refine(tree: ast.Module, facts: gate.Facts, settings: Settings, source: str = "") -> gate.Facts:
    """The facts left once the tree is known (see the module docstring); never more than ``facts``."""
    # Library code defining run_simple/make_server itself (werkzeug's serving.py): see localdefs.py.
    launchers = facts.launchers and localdefs.launchers_reachable(tree, gate.launcher_set(settings))
    # The text settles the usual case (``app = Flask(...)``) without walking the tree.
    look_runs = facts.starts and not launchers and not gate.run_receiver_assigned(source, settings)
    # configflow.Facts.module_debug: a module-level DEBUG the project loads into an app's config
    look_switches = facts.switches and not getattr(facts, "module_debug", False)
    if look_runs and look_switches:
        runs, switched = _runs_and_switches(tree)  # one walk for both
    else:
        runs = look_runs and _runs_on_possible_app(tree)
        switched = look_switches and _switch_possible(tree)
    starts = facts.starts and (not look_runs or runs)
    config_classes = facts.config_classes and _reportable_config_class(tree, settings)
    switches = facts.switches and (not look_switches or switched)
    if (starts, launchers, config_classes, switches) == (facts.starts, facts.launchers, facts.config_classes, facts.switches):
        return facts
    return dataclasses.replace(facts, starts=starts, launchers=launchers, config_classes=config_classes, switches=switches)


#: Keys whose writing can switch debug on (app config, the environment).
_SWITCH_KEYS = frozenset({"DEBUG", "FLASK_DEBUG", "FLASK_ENV"})


def _runs_and_switches(tree: ast.Module) -> tuple[bool, bool]:
    """``(_runs_on_possible_app(tree), _switch_possible(tree))`` in one walk (the node kinds each reads are apart)."""
    runs: bool | None = None  # None: not settled yet
    switched = False
    receivers: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Assign or kind is ast.AnnAssign or kind is ast.Call:
            switched = switched or _switch_node(node)
        elif runs is None:
            runs = _run_node(node, receivers, bound)
        if switched and runs is not None:
            break
    return (not receivers.isdisjoint(bound) if runs is None else runs), switched


def _switch_possible(tree: ast.Module) -> bool:
    """Whether something is written that the engine may read as a debug switch.

    ``x.debug = v``, ``x["DEBUG"] = v`` (or a FLASK_ key), ``.update``/
    ``.from_mapping``/``.setdefault``/``putenv`` calls with such a key, as keyword,
    dict key or first argument; values spelled False, None or 0 switch nothing on.
    """
    return any(_switch_node(node) for node in ast.walk(tree))


def _switch_node(node: ast.AST) -> bool:
    """Whether ``node`` writes what may switch debug on (see ``_switch_possible``)."""
    kind = type(node)
    if kind is ast.Assign:
        return not _zero(node.value) and any(_switch_target(target) for target in node.targets)  # type: ignore[attr-defined]
    if kind is ast.AnnAssign:
        return node.value is not None and not _zero(node.value) and _switch_target(node.target)  # type: ignore[attr-defined]
    if kind is ast.Call:
        func = node.func  # type: ignore[attr-defined]
        method = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
        return method in ("putenv", "update", "from_mapping", "setdefault") and _switch_call(node)  # type: ignore[arg-type]
    return False
    return False


def _switch_target(target: ast.expr) -> bool:
    kind = type(target)
    if kind is ast.Attribute:
        return target.attr == "debug"  # type: ignore[attr-defined]
    if kind is ast.Subscript:
        key = target.slice  # type: ignore[attr-defined]
        if type(key) is ast.Tuple and len(key.elts) == 1:  # x["DEBUG",]
            key = key.elts[0]
        return _key(key)
    if kind in (ast.Tuple, ast.List):
        return any(_switch_target(element) for element in target.elts)  # type: ignore[attr-defined]
    if kind is ast.Starred:
        return _switch_target(target.value)  # type: ignore[attr-defined]
    return False


def _switch_call(call: ast.Call) -> bool:
    if call.args and _key(call.args[0]):  # putenv("FLASK_DEBUG", v), setdefault("DEBUG", v)
        return True
    if len(call.args) == 1 and type(call.args[0]) is ast.Name and not call.keywords:
        return True  # config.update(settings): a name bound to a mapping or pairs (configvalues.named_mapping_items)
    for keyword in call.keywords:
        if keyword.arg in _SWITCH_KEYS and not _zero(keyword.value):
            return True
        if keyword.arg is None and _mapping_has_key(keyword.value):  # **{...} / **dict(...)
            return True
    return any(_mapping_has_key(arg) for arg in call.args)


def _mapping_has_key(node: ast.expr) -> bool:
    if type(node) is ast.Starred:
        node = node.value  # type: ignore[attr-defined]
    if type(node) is ast.Dict:
        return any(
            key is not None and _key(key) and not _zero(value)
            for key, value in zip(node.keys, node.values)  # type: ignore[attr-defined]
        )
    if type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "dict":  # type: ignore[attr-defined]
        return any(keyword.arg in _SWITCH_KEYS and not _zero(keyword.value) for keyword in node.keywords)  # type: ignore[attr-defined]
    return False


def _zero(value: ast.expr) -> bool:
    """A value a debug switch reads as off: False, None, "", bytes, a zero (any other number is on)."""
    if not isinstance(value, ast.Constant):
        return False
    constant = value.value
    return constant is None or constant is False or constant == "" or isinstance(constant, (bytes, complex)) or (
        isinstance(constant, (int, float)) and constant == 0
    )


def _key(node: ast.expr) -> bool:
    return type(node) is ast.Constant and node.value in _SWITCH_KEYS  # type: ignore[attr-defined]


def _runs_on_possible_app(tree: ast.Module) -> bool:
    """Whether some ``.run``/``.run_server`` (called or handed on) has a receiver that may be an app.

    A receiver the engine can only see as a module (``import subprocess``, not
    ``import flask.current_app as x``), an unannotated parameter, or nothing at all
    is never an app; anything else might be.
    """
    receivers: set[str] = set()
    bound: set[str] = set()  # names bound in a way that may hold an app
    for node in ast.walk(tree):
        if _run_node(node, receivers, bound):
            return True
    return not receivers.isdisjoint(bound)


def _run_node(node: ast.AST, receivers: set[str], bound: set[str]) -> bool | None:
    """Reads one node for ``_runs_on_possible_app``: True when it settles that a start may exist,
    else None (its receivers and bindings noted)."""
    kind = type(node)
    if kind is ast.Attribute:
        # ``app.run(...)``, and ``app.run`` handed to a thread or ``partial`` (analysis.handoff)
        if node.attr in ("run", "run_server"):  # type: ignore[attr-defined]
            if type(node.value) is not ast.Name:  # type: ignore[attr-defined]
                return True
            receivers.add(node.value.id)  # type: ignore[attr-defined]
    elif kind is ast.Name:
        if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
            bound.add(node.id)  # type: ignore[attr-defined]
    elif kind is ast.arg:
        if node.annotation is not None:  # type: ignore[attr-defined]
            bound.add(node.arg)  # type: ignore[attr-defined]
    elif kind is ast.Import:
        # ``import a.b as x``: x is whatever a.b names; ``import a``/``import a as x``: a module
        bound.update(alias.asname for alias in node.names if alias.asname and "." in alias.name)  # type: ignore[attr-defined]
    elif kind is ast.ImportFrom:
        if node.names[0].name == "*":  # type: ignore[attr-defined]
            return True  # a star import may bind any name (the engine resolves which)
        bound.update(alias.asname or alias.name for alias in node.names)  # type: ignore[attr-defined]
    elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        bound.add(node.name)  # type: ignore[attr-defined]
    elif kind in (ast.ExceptHandler, ast.MatchAs, ast.MatchStar):
        if node.name:  # type: ignore[attr-defined]
            bound.add(node.name)  # type: ignore[attr-defined]
    elif kind is ast.MatchMapping:
        if node.rest:  # type: ignore[attr-defined]
            bound.add(node.rest)  # type: ignore[attr-defined]
    return None


def _reportable_config_class(tree: ast.Module, settings: Settings) -> bool:
    """Whether a config class not marked for development sets ``DEBUG`` to something that may be on.

    Config classes are told as the engine tells them (``Config`` in the name, or a
    base named like one of those); off means ``False``, ``None``, ``""`` or a number
    other than 1 (``DEBUG = 10`` is a log level).
    """
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    names = {node.name for node in classes if "Config" in node.name}
    grown = True
    while grown:
        grown = False
        for node in classes:
            if node.name not in names and any(_last_name(base) in names for base in node.bases):
                names.add(node.name)
                grown = True
    for node in classes:
        if node.name not in names or is_dev_config_name(node.name, settings.dev_config_classes):
            continue
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                targets = statement.targets
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets = [statement.target]
            else:
                continue
            if any(isinstance(target, ast.Name) and target.id == "DEBUG" for target in targets):
                if not _off(statement.value):  # type: ignore[arg-type]
                    return True
    return False


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Starred):  # class C(*bases): libcst sees the name after the star
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _off(value: ast.expr) -> bool:
    """A value no rule can read as on: False, None, "", bytes, a number other than 1."""
    if not isinstance(value, ast.Constant):
        return False
    constant = value.value
    if constant is None or constant is False or constant == "" or isinstance(constant, bytes):
        return True
    return isinstance(constant, (int, float, complex)) and not isinstance(constant, bool) and constant != 1
