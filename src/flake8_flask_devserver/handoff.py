"""A server started through a callable handed on: to a thread, a process, a timer or ``functools.partial``.

``multiprocessing.Process(target=app.run, args=("0.0.0.0", 8080, False)).start()`` runs
``app.run("0.0.0.0", 8080, False)`` in a child process: a development-server start like any
other, with its host, port and debug given through ``args``/``kwargs``. The finding goes
at the call that hands the server over (the ``Process(...)``/``Thread(...)`` line); its
arguments are mapped onto the server's own signature (analysis.POSITIONAL: Flask.run is
``run(host, port, debug, load_dotenv, **options)``, src/flask/app.py), so the host and
debug rules see ``"0.0.0.0"`` and ``False`` where they are written.

The signatures, from CPython 3.11's own code:

* ``threading.Thread(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)``
  (Lib/threading.py); ``run()`` calls ``self._target(*self._args, **self._kwargs)``;
* ``multiprocessing.Process(group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None)``
  (Lib/multiprocessing/process.py, ``BaseProcess.__init__``; the same ``run``);
* ``threading.Timer(interval, function, args=None, kwargs=None)`` (Lib/threading.py);
* ``_thread.start_new_thread(function, args[, kwargs])`` (Modules/_threadmodule.c);
* ``asyncio.to_thread(func, /, *args, **kwargs)`` (Lib/asyncio/threads.py);
* a thread, process or timer runs nothing until ``.start()`` is called on it: the handoff
  counts when ``Thread(...).start()`` is written, or ``t = Thread(...)`` then ``t.start()``
  (a thread kept in a list or an attribute and started elsewhere is not followed);
* ``functools.partial(func, /, *args, **keywords)`` (Lib/functools.py): calling it calls
  ``func(*args, *more, **{**keywords, **more_keywords})``. A partial is followed where it
  is handed on or called (``serve = partial(app.run, host="0.0.0.0")`` then ``serve()``
  or ``Thread(target=serve)``), never where it is only made.

The callable may be a bound server method (``app.run``, ``dash_app.run_server``,
``socketio.run`` with the app in ``args``), a launcher (``run_simple``), a name bound to
one of those in this module (``serve = app.run``), or a partial of them. Only literal
``args`` tuples/lists and ``kwargs`` dicts (or names bound to one here) are read; a
``*args`` of unknown length stops the positional mapping, as bind_arguments does.
Anything else handed on (a function of the module: ``target=serve``) is launchers.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import libcst as cst

from . import gate, kindbounds
from .apps import Context, Kind, Scope, Site

if TYPE_CHECKING:
    from .analysis import Analysis, ServerStart

#: Callables that run what they are handed: qualname -> (positional parameters, callable, args, kwargs).
HANDOFFS: dict[str, tuple[tuple[str, ...], str, str | None, str | None]] = {
    "threading.Thread": (("group", "target", "name", "args", "kwargs"), "target", "args", "kwargs"),
    "multiprocessing.Process": (("group", "target", "name", "args", "kwargs"), "target", "args", "kwargs"),
    "multiprocessing.process.BaseProcess": (("group", "target", "name", "args", "kwargs"), "target", "args", "kwargs"),
    "threading.Timer": (("interval", "function", "args", "kwargs"), "function", "args", "kwargs"),
    "_thread.start_new_thread": (("function", "args", "kwargs"), "function", "args", "kwargs"),
    "_thread.start_new": (("function", "args", "kwargs"), "function", "args", "kwargs"),
}
#: Handoffs that run the callable when called; the others run it once ``.start()`` is called on them.
STARTS_AT_ONCE = frozenset({"_thread.start_new_thread", "_thread.start_new"})
#: Callables that run the function given first with the arguments spread after it (a partial
#: only makes one: it is followed where it is handed on or called).
RUNS_SPREAD = frozenset({"asyncio.to_thread"})
#: Last names worth resolving a call's callee for (aliases still count when the callee is ``x.run``).
_NAMES = frozenset({"Thread", "Process", "BaseProcess", "Timer", "start_new_thread", "start_new", "to_thread"})
_RUN = ("run", "run_server")
#: What a handoff's callee is known by (a dotted name of HANDOFFS, RUNS_SPREAD or functools.partial).
_THIRD_PARTY = frozenset({Kind.QUALNAME})
#: Names, partials and aliases followed from the handoff to the server's method.
MAX_STEPS = 8


@dataclass
class _Pieces:
    """What a server method will be called with: positional values and keywords, with their anchors."""

    func: cst.BaseExpression
    scope: Scope
    seq: int
    positional: list[tuple[cst.CSTNode, cst.BaseExpression]]
    keywords: list[tuple[str, cst.CSTNode, cst.BaseExpression]]
    spread: bool = False  # a ``*args`` of unknown length: positions after it are unknown


def start(analysis: Analysis, site: Site, start_of: Callable[[Site], ServerStart | None]) -> ServerStart | None:
    """The server start a call hands on (``Thread(target=app.run, ...)``) or calls (``serve()`` for a
    partial or alias of ``app.run``), with its arguments anchored where they are written; else None."""
    call = site.node
    assert isinstance(call, cst.Call)
    pieces = _handed(analysis, call, site)
    if pieces is None and isinstance(call.func, (cst.Name, cst.Call)):
        pieces = _called(analysis, call, site)
    if pieces is None:
        return None
    anchors: dict[int, cst.CSTNode] = {}
    args: list[cst.Arg] = []
    for anchor, value in pieces.positional:
        arg = cst.Arg(value=value)
        anchors[id(arg)] = anchor
        args.append(arg)
    if pieces.spread:
        args.append(cst.Arg(value=cst.Name("_"), star="*"))
    for name, anchor, value in pieces.keywords:
        arg = cst.Arg(value=value, keyword=cst.Name(name))
        anchors[id(arg)] = anchor
        args.append(arg)
    synthetic = cst.Call(func=pieces.func, args=args)
    anchors[id(synthetic)] = call  # an argument anchored at the call itself (connexion 2's default host)
    found = start_of(Site(synthetic, pieces.scope, pieces.seq, site.context, site.stmt))
    if found is None:
        return None
    found.site = site
    found.args = {
        name: type(arg)(arg.name, anchors.get(id(arg.anchor), arg.anchor), arg.value) for name, arg in found.args.items()
    }
    return found


def _started(analysis: Analysis) -> set[int]:
    """The calls whose result ``.start()`` is called on: ``Thread(...).start()``, or ``t = Thread(...)``
    then ``t.start()`` (the name's binding at that point). Kept per analysis."""
    found: set[int] | None = getattr(analysis, "_handoff_started", None)
    if found is None:
        found = set()
        for site in analysis.model.index.calls:
            func = site.node.func  # type: ignore[attr-defined]
            if not (isinstance(func, cst.Attribute) and func.attr.value == "start"):
                continue
            if isinstance(func.value, cst.Call):
                found.add(id(func.value))
            elif isinstance(func.value, cst.Name):
                binding = analysis.resolver.lookup(func.value.value, site.scope, site.seq)
                if binding is not None and binding.kind == "assign":
                    found.add(id(binding.node))
        analysis._handoff_started = found  # type: ignore[attr-defined]
    return found


def _qualname(analysis: Analysis, func: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
    """The dotted name ``func`` stands for when it is a third-party one (``threading.Thread``,
    ``functools.partial``); resolved only when it can be one (kindbounds.py: a ``def`` never is)."""
    if not kindbounds.may_give(analysis.resolver, func, scope, seq, _THIRD_PARTY):
        return None
    value = analysis.resolver.resolve(func, scope, seq)
    return value.qualname if value is not None and value.kind is Kind.QUALNAME else None


def _handed(analysis: Analysis, call: cst.Call, site: Site) -> _Pieces | None:
    """``Thread(target=f, args=..., kwargs=...)`` and the other handoffs: what ``f`` is called with."""
    last = call.func.attr.value if isinstance(call.func, cst.Attribute) else getattr(call.func, "value", None)
    if last not in _NAMES and not any(_is_run(arg.value) for arg in call.args):
        return None
    qualname = _qualname(analysis, call.func, site.scope, site.seq)
    if qualname in RUNS_SPREAD:
        return _spread(analysis, call, site.scope, site.seq, 0)
    shape = HANDOFFS.get(qualname or "")
    if shape is None:
        return None
    params, target, args_name, kwargs_name = shape
    if qualname not in STARTS_AT_ONCE and id(call) not in _started(analysis):
        return None  # a thread, process or timer that is never started runs nothing
    bound = _bind(call, params)
    if target not in bound:
        return None
    pieces = _callable(analysis, bound[target][1], site.scope, site.seq, 0)
    if pieces is None:
        return None
    if args_name in bound:
        items = _elements(analysis, bound[args_name][1], site)
        if items is None:
            pieces.spread = True
        elif not pieces.spread:
            pieces.positional.extend(items)
    if kwargs_name in bound:
        pieces.keywords.extend(_items(analysis, bound[kwargs_name][1], site) or ())
    return pieces


def _called(analysis: Analysis, call: cst.Call, site: Site) -> _Pieces | None:
    """``serve(...)`` where ``serve`` is a partial or an alias of a server method, or ``partial(...)()``."""
    if isinstance(call.func, cst.Name):
        binding = analysis.resolver.lookup(call.func.value, site.scope, site.seq)
        if binding is None or binding.kind != "assign":
            return None
    elif not _partial_shaped(call.func):
        return None
    pieces = _callable(analysis, call.func, site.scope, site.seq, 0)
    if pieces is None:
        return None
    _append_call_args(pieces, call)
    return pieces


def _partial_shaped(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and (
        (isinstance(node.func, cst.Name) and node.func.value == "partial")
        or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "partial")
    )


def _callable(analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int, steps: int) -> _Pieces | None:
    """What calling ``node`` calls: a server method or launcher, with arguments a partial bound already."""
    if steps > MAX_STEPS:
        return None
    if _is_run(node):
        return _Pieces(node, scope, seq, [], [])
    if isinstance(node, cst.Call):
        first = node.args[0] if node.args else None
        if first is None or first.keyword is not None or first.star or not isinstance(first.value, _CALLABLE_SHAPES):
            return None  # _spread could make nothing of it: what is called need not be resolved
        if _qualname(analysis, node.func, scope, seq) == "functools.partial":
            return _spread(analysis, node, scope, seq, steps + 1)
        return None
    if isinstance(node, (cst.Name, cst.Attribute)):
        # (only what can be a launcher is resolved: callbounds.py, as for the calls of the module)
        if analysis.may_call(node, Site(node, scope, seq, Context.FUNCTION), gate.launcher_set(analysis.settings)):
            value = analysis.resolver.resolve(node, scope, seq)
            if value is not None and value.kind is Kind.LAUNCHER:
                return _Pieces(node, scope, seq, [], [])
        bound = analysis.resolver.constant(node, scope, seq)
        # this module's bindings only: findings must point into the linted file
        if bound is not None and bound[0] is analysis.resolver:
            return _callable(analysis, bound[1], bound[2], bound[3], steps + 1)
    return None


#: What _callable can make something of (a server method, a launcher, a name or attribute bound to one, a partial).
_CALLABLE_SHAPES = (cst.Name, cst.Attribute, cst.Call)


def _spread(analysis: Analysis, call: cst.Call, scope: Scope, seq: int, steps: int) -> _Pieces | None:
    """``partial(f, *args, **keywords)`` / ``asyncio.to_thread(f, ...)``: ``f`` with those arguments first."""
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        return None
    pieces = _callable(analysis, call.args[0].value, scope, seq, steps + 1)
    if pieces is None:
        return None
    _append_call_args(pieces, call, skip=1)
    return pieces


def _append_call_args(pieces: _Pieces, call: cst.Call, skip: int = 0) -> None:
    for arg in call.args[skip:]:
        if arg.star == "*":
            pieces.spread = True
        elif arg.star == "**":
            continue  # read by nothing here: the keywords it holds are unknown
        elif arg.keyword is not None:
            pieces.keywords.append((arg.keyword.value, arg, arg.value))
        elif not pieces.spread:
            pieces.positional.append((arg, arg.value))


def _is_run(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value in _RUN


def _bind(call: cst.Call, params: tuple[str, ...]) -> dict[str, tuple[cst.CSTNode, cst.BaseExpression]]:
    bound: dict[str, tuple[cst.CSTNode, cst.BaseExpression]] = {}
    index = 0
    for arg in call.args:
        if arg.star:
            if arg.star == "*":
                index = len(params)  # positions unknown from here
            continue
        if arg.keyword is not None:
            bound[arg.keyword.value] = (arg, arg.value)
        elif index < len(params):
            bound[params[index]] = (arg, arg.value)
            index += 1
    return bound


def _here(analysis: Analysis, node: cst.BaseExpression, site: Site) -> cst.BaseExpression:
    """A name bound in this module to a literal: that literal (anchors must be in the linted file)."""
    if isinstance(node, cst.Name):
        bound = analysis.resolver.constant(node, site.scope, site.seq)
        if bound is not None and bound[0] is analysis.resolver:
            return bound[1]
    return node


def _elements(analysis: Analysis, node: cst.BaseExpression, site: Site) -> list[tuple[cst.CSTNode, cst.BaseExpression]] | None:
    """The values of an ``args=(...)`` tuple or list, in order (None: unknown, or a starred element)."""
    node = _here(analysis, node, site)
    if not isinstance(node, (cst.Tuple, cst.List)):
        return None
    found: list[tuple[cst.CSTNode, cst.BaseExpression]] = []
    for element in node.elements:
        if isinstance(element, cst.StarredElement):
            return found if found else None
        found.append((element, element.value))
    return found


def _items(analysis: Analysis, node: cst.BaseExpression, site: Site) -> list[tuple[str, cst.CSTNode, cst.BaseExpression]] | None:
    """The string keys of a ``kwargs={...}`` dict or ``dict(...)`` call, with their values."""
    from .arguments import _double_star_items

    node = _here(analysis, node, site)
    items = list(_double_star_items(node))
    return items or None
