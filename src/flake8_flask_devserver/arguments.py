"""Arguments as a callee sees them, and the literal values rules compare (no knowledge of apps).

Split from analysis.py, which re-exports these names.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Callable, Iterator

import libcst as cst

from .apps import evaluated


@dataclass(frozen=True, eq=False)
class Arg:
    """An argument as the callee sees it: ``anchor`` is what a finding points at."""

    name: str
    anchor: cst.CSTNode
    value: cst.BaseExpression


def bind_arguments(
    call: cst.Call,
    params: tuple[str, ...],
    deref: Callable[[cst.BaseExpression], cst.BaseExpression | None] | None = None,
) -> dict[str, Arg]:
    """Map a call's arguments to parameter names: positional, keyword, ``**{...}`` and ``**dict(...)``.

    ``deref`` turns a ``**name`` into the dict expression the name is bound to.
    """
    bound: dict[str, Arg] = {}
    index = 0
    positional_open = True
    for arg in call.args:
        if arg.star == "*":
            positional_open = False
        elif arg.star == "**":
            mapping = arg.value
            if isinstance(mapping, cst.Name) and deref is not None:
                mapping = deref(mapping) or mapping
            for name, anchor, value in _double_star_items(mapping):
                bound.setdefault(name, Arg(name, anchor, value))
        elif arg.keyword is not None:
            bound[arg.keyword.value] = Arg(arg.keyword.value, arg, arg.value)
        elif positional_open:
            if index < len(params):
                bound[params[index]] = Arg(params[index], arg, arg.value)
            index += 1
    return bound


def _double_star_items(value: cst.BaseExpression) -> Iterator[tuple[str, cst.CSTNode, cst.BaseExpression]]:
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is not None:
                    yield key, element, element.value
    elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
        for arg in value.args:
            if arg.keyword is not None and not arg.star:
                yield arg.keyword.value, arg, arg.value


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain (not formatted, not bytes) string literal."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = evaluated(node)
        return value if isinstance(value, str) else None
    return None


_ZERO_IPV4 = re.compile(r"(?:0+|0[xX]0+)(?:\.(?:0+|0[xX]0+)){0,3}")


def binds_all_interfaces(host: str, empty_binds_all: bool) -> bool:
    """Whether binding ``host`` listens on every interface (checked against Werkzeug's rules)."""
    host = host.strip()
    if not host:
        return empty_binds_all
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if _ZERO_IPV4.fullmatch(host):
        return True  # inet_aton spellings: 0, 0.0, 0.0.0.0, 0x0
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _mapping_items(call: cst.Call, method: str) -> Iterator[tuple[str, cst.CSTNode, cst.BaseExpression]]:
    """(key, item node, value) pairs a ``update``/``from_mapping``/``setdefault`` call sets."""
    if method == "setdefault":
        if len(call.args) == 2 and not any(arg.keyword or arg.star for arg in call.args):
            key = string_value(call.args[0].value)
            if key is not None:
                yield key, call, call.args[1].value
        return
    for arg in call.args:
        if arg.keyword is not None and not arg.star:
            yield arg.keyword.value, arg, arg.value
        elif not arg.star or arg.star == "**":
            yield from _double_star_items(arg.value)
