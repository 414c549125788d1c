"""The debug-switch facts of a module: statements and calls that turn Flask's debug mode on.

``app.debug = ...``, ``app.config["DEBUG"] = ...``, ``app.config.update(DEBUG=...)`` /
``from_mapping`` / ``setdefault``, and writes of ``FLASK_DEBUG`` / ``FLASK_ENV`` to the
environment (``os.environ[...]``, ``os.putenv``, ``os.environ.update``). Split from
analysis.py, whose :attr:`Analysis.debug_switches` builds them here and which re-exports
:class:`DebugSwitch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from . import configflow, configvalues
from .apps import Kind, Site
from .arguments import _mapping_items, string_value

if TYPE_CHECKING:  # analysis.py imports this module
    from .analysis import Analysis, Truth


@dataclass(eq=False)
class DebugSwitch:
    """A statement or call that turns debug on (or tries to, with a raw string)."""

    anchor: cst.CSTNode
    site: Site
    what: str  # for the message: app.debug, app.config["DEBUG"], FLASK_DEBUG, ...
    truth: Truth
    value: cst.BaseExpression
    item: cst.CSTNode | None = None  # the key/value item inside an update()/from_mapping() call


def find(analysis: Analysis) -> list[DebugSwitch]:
    """``app.debug = ...``, ``app.config["DEBUG"] = ...``, config.update(...), FLASK_DEBUG writes."""
    found: list[DebugSwitch] = []
    for site in analysis.model.index.assigns:
        switch = _assigned_switch(analysis, site)
        if switch is not None:
            found.append(switch)
    for site in analysis.model.index.calls:
        found.extend(_call_switches(analysis, site))
    if "DEBUG" in analysis.model.index.module_scope.bindings:  # a module the project loads into a config
        found.extend(configflow.module_switches(analysis))
    return found


def _assigned_switch(analysis: Analysis, site: Site) -> DebugSwitch | None:
    target, value = site.node, site.value
    assert value is not None
    if isinstance(target, cst.Attribute) and target.attr.value == "debug":
        owner = analysis.resolve(target.value, site)
        if owner is not None and owner.kind is Kind.APP:
            return DebugSwitch(target, site, "app.debug", analysis.truth(value, site.scope, site.seq), value)
        return None
    if not isinstance(target, cst.Subscript) or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    key = string_value(index.value) if isinstance(index, cst.Index) else None
    if key is None:
        return None
    owner = analysis.resolve(target.value, site)
    if owner is None:
        return None
    if owner.kind is Kind.CONFIG and key == "DEBUG":
        return DebugSwitch(target, site, 'app.config["DEBUG"]', analysis.truth(value, site.scope, site.seq), value)
    if owner.kind is Kind.ENVIRON:
        truth = _env_truth(analysis, key, value, site)
        if truth is not None:
            return DebugSwitch(target, site, key, truth, value)
    return None


def _env_truth(analysis: Analysis, key: str, value: cst.BaseExpression, site: Site) -> Truth | None:
    """Whether setting environment variable ``key`` to ``value`` turns Flask's debug on."""
    from .analysis import Truth  # at call time: analysis.py imports this module
    if key not in ("FLASK_DEBUG", "FLASK_ENV"):
        return None
    text = analysis.string(value, site.scope, site.seq)
    if text is None:
        return None
    if key == "FLASK_ENV":
        if analysis.path is not None:
            from . import pins  # (packaging: only where FLASK_ENV is written)

            if pins.ignores_flask_env(analysis.path.parent):
                return None  # Flask 2.3+ reads no FLASK_ENV
        return Truth.TRUE if text == "development" else Truth.FALSE
    # flask.helpers.get_debug_flag
    return Truth.TRUE if text and text.lower() not in ("0", "false", "no") else Truth.FALSE


def _call_switches(analysis: Analysis, site: Site) -> Iterator[DebugSwitch]:
    call = site.node
    assert isinstance(call, cst.Call)
    from .analysis import _last_name  # at call time: analysis.py imports this module

    method = _last_name(call.func)
    if method == "putenv" and len(call.args) == 2:
        func = analysis.resolve(call.func, site)
        key = string_value(call.args[0].value)
        if func is not None and func.kind is Kind.PUTENV and key is not None:
            truth = _env_truth(analysis, key, call.args[1].value, site)
            if truth is not None:
                yield DebugSwitch(call, site, key, truth, call.args[1].value)
        return
    if method not in ("update", "from_mapping", "setdefault") or not isinstance(call.func, cst.Attribute):
        return
    owner = analysis.resolve(call.func.value, site)
    if owner is None:
        return
    if owner.kind is Kind.CONFIG:
        named = configvalues.named_mapping_items(analysis.resolver, call, method, site.scope, site.seq)
        for key, item, value in (*_mapping_items(call, method), *named):
            if key == "DEBUG":
                truth = analysis.truth(value, site.scope, site.seq)
                yield DebugSwitch(call, site, f"app.config.{method}(DEBUG=...)", truth, value, item)
    elif owner.kind is Kind.ENVIRON and method in ("update", "setdefault"):
        for key, item, value in _mapping_items(call, method):
            truth = _env_truth(analysis, key, value, site)
            if truth is not None:
                yield DebugSwitch(call, site, key, truth, value, item)
