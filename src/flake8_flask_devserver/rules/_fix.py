"""What a rule's fix returns (an :class:`Edit`), and node-building helpers the fixes share.

A fix never edits text: it names a node of the analysed tree and what becomes of
it. The fixer (``flake8_flask_devserver.fixer``) applies the edits of a file in
one libcst pass, so everything outside the edited nodes is printed back exactly
as it was parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal, Sequence, TypeVar

import libcst as cst

from ..analysis import Analysis
from ..apps import Scope, Site

Safety = Literal["safe", "unsafe"]
Action = Literal["replace", "remove", "guard"]


@dataclass(frozen=True, eq=False)
class Edit:
    """One change to one node of the analysed tree.

    - ``replace``: ``target`` becomes ``build(updated)``, where ``updated`` is the
      target after any edits inside it were applied (so nested edits compose);
    - ``remove``: ``target`` (a small statement: an assignment, an expression) is
      deleted; a line left empty goes with it, the comment lines above it stay;
    - ``guard``: ``target`` (a statement line) is wrapped in
      ``if __name__ == "__main__":``; adjacent guarded lines share one guard.

    ``imports`` names modules the new code uses (``os``); the fixer adds
    ``import os`` once, where isort would put it, when the module lacks it.
    """

    target: cst.CSTNode
    action: Action
    build: Callable[[Any], cst.CSTNode] | None = None
    imports: tuple[str, ...] = ()


def quote(analysis: Analysis) -> str:
    """The quote character the module mostly uses for strings (``"`` when tied)."""
    return analysis.preferred_quote


def string(text: str, analysis: Analysis) -> cst.SimpleString:
    """A plain string literal in the module's quote style (``text`` must be plain ASCII)."""
    q = quote(analysis)
    return cst.SimpleString(f"{q}{text}{q}")


def retext(node: cst.SimpleString, text: str) -> cst.SimpleString:
    """The same literal (prefix, quotes, parentheses) with new plain-ASCII contents."""
    head = len(node.prefix) + len(node.quote)
    return node.with_changes(value=node.value[:head] + text + node.value[-len(node.quote) :])


def expression(code: str, analysis: Analysis) -> cst.BaseExpression:
    """Parse ``code`` written with double quotes, in the module's quote style."""
    return cst.parse_expression(code.replace('"', quote(analysis)))


_Item = TypeVar("_Item", cst.Arg, cst.BaseDictElement)


def without(items: Sequence[_Item], index: int) -> list[_Item]:
    """``items`` minus one, keeping the separators right.

    Removing the last item hands its comma (or its absence) to the one before, so
    ``f(a=1, b=2)`` becomes ``f(a=1)`` and a trailing comma on its own line keeps
    the closing bracket where it was.
    """
    kept = list(items)
    removed = kept.pop(index)
    if index == len(kept) and kept:
        kept[-1] = kept[-1].with_changes(comma=removed.comma)
    return kept


def written_in(call: cst.Call, anchor: cst.CSTNode) -> bool:
    """Whether an argument's anchor is written in the call itself (not in a ``**options``
    dict bound elsewhere, which may serve more than this call: left for the user)."""
    for arg in call.args:
        if arg is anchor:
            return True
        if arg.star == "**" and isinstance(arg.value, cst.Dict):
            if any(element is anchor for element in arg.value.elements):
                return True
        elif arg.star == "**" and isinstance(arg.value, cst.Call):
            if any(inner is anchor for inner in arg.value.args):
                return True
    return False


def small_statement(site: Site, node: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The small statement of the site's statement line that is ``node`` or assigns to it.

    None unless the site's statement is a plain line (``a = 1`` or ``a = 1; b = 2``):
    a one-line ``if x: y = 1`` suite is left alone.
    """
    line = site.stmt
    if not isinstance(line, cst.SimpleStatementLine):
        return None
    for small in line.body:
        if isinstance(small, cst.Expr) and small.value is node:
            return small
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and small.targets[0].target is node:
            return small
        if isinstance(small, cst.AnnAssign) and small.value is not None and small.target is node:
            return small
    return None


def os_import(analysis: Analysis, site: Site) -> tuple[str, ...] | None:
    """What ``os.environ`` at ``site`` needs: ``()`` when ``os`` is imported, ``("os",)``
    when it is free to import, None when ``os`` names something else there."""
    binding = analysis.resolver.lookup("os", site.scope, site.seq)
    if binding is not None:
        return () if _is_os(binding) else None
    scope: Scope | None = site.scope
    while scope is not None:  # a later local or module binding would shadow the import
        if any(not _is_os(binding) for binding in scope.bindings.get("os", ())):
            return None
        scope = scope.parent
    return ("os",)


def _is_os(binding: Any) -> bool:
    return bool(binding.kind == "import" and binding.qualname == "os")
