"""What a click command's parameter is when the command line says nothing: its option's default.

``@click.option("--host", default="0.0.0.0")`` on ``def runserver(host): app.run(host=host)``
binds on every interface unless ``--host`` is given, just as ``os.getenv("HOST", "0.0.0.0")``
does unless the variable is set; ``@click.option("--debug", default=True)`` turns the debugger
on unless the command line turns it off. The host and debug rules read the default where the
parameter reaches a start.

The parameter an option fills is named as click names it (click/core.py, 8.x,
``Option._parse_decls``): a declaration that is an identifier is the name; otherwise the
flags (``"--bind-host"``, ``"-h"``, ``"--debug/--no-debug"`` split at ``/``) are sorted
long prefix first and the first one's text, ``-`` turned to ``_`` and lowered, is the name.
Only ``click.option`` (also ``from click import option``) with a literal ``default=`` counts;
a callable default, ``show_default``-only options, typer and argparse are not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from .apps import Kind

if TYPE_CHECKING:
    from .apps import Resolver, Scope


def option_default(
    resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int
) -> tuple[Resolver, cst.BaseExpression, Scope, int] | None:
    """For a name that is a parameter of a click command: its option's ``default=`` and where to read it."""
    if not isinstance(node, cst.Name):
        return None
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None or binding.kind != "param":
        return None
    function = binding.scope.node
    if not isinstance(function, cst.FunctionDef) or not function.decorators:
        return None
    outer = binding.scope.parent or binding.scope
    for decorator in function.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, (cst.Name, cst.Attribute)):
            continue
        if _last(call.func) != "option":
            continue
        value = resolver.resolve(call.func, outer, binding.seq)
        if value is None or value.kind is not Kind.QUALNAME or value.qualname not in ("click.option", "click.decorators.option"):
            continue
        if parameter_name(call) != node.value:
            continue
        default = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "default"), None)
        return (resolver, default, outer, binding.seq) if default is not None else None
    return None


def parameter_name(call: cst.Call) -> str | None:
    """The parameter ``@click.option(*decls)`` fills (click's ``Option._parse_decls``)."""
    flags: list[tuple[str, str]] = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            continue
        if not isinstance(arg.value, cst.SimpleString):
            return None
        decl = arg.value.evaluated_value
        if not isinstance(decl, str):
            return None
        if decl.isidentifier():
            return decl
        split = ";" if decl[:1] == "/" else "/"
        first = decl.split(split, 1)[0].rstrip() if split in decl else decl
        if first:
            flags.append(_split_opt(first))
    if not flags:
        return None
    flags.sort(key=lambda flag: -len(flag[0]))
    name = flags[0][1].replace("-", "_").lower()
    return name if name.isidentifier() else None


def _split_opt(opt: str) -> tuple[str, str]:
    """click/parser.py ``_split_opt``: ("--", "host") for "--host", ("-", "h") for "-h"."""
    first = opt[:1]
    if first.isalnum():
        return "", opt
    if opt[1:2] == first:
        return opt[:2], opt[2:]
    return first, opt[1:]


def _last(node: cst.BaseExpression) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""
