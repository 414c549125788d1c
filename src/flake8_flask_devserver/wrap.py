"""Keep fixed lines short: wrap a line a fix made too long the way black wraps it.

A fix never writes a line longer than :data:`MAX_LINE` characters, or than the file's
longest line when that is longer (a file with long lines keeps its own limit). Since
no line of the original is over that limit, a line over it was made by a fix. Such a
line is wrapped the way black wraps it, so that black leaves the result alone:

- a line that starts a statement gets black's right-hand split: the bracket that
  closes last on the line (the outermost one when two close together) is opened. A
  call's arguments go on one line of their own when they fit there, else one per line
  with a trailing comma; a tuple, list, set or dict literal always gets one item per
  line and a trailing comma (black's "magic trailing comma");
- a line inside brackets (an argument on its own line) whose item is a comparison or
  a boolean operation is split before its operator (black's delimiter split), and
  otherwise gets the right-hand split too.

The new lines are checked again, until every line fits or nothing is left to split.
"""

from __future__ import annotations

import re
from typing import Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

#: Black's default line length.
MAX_LINE = 88
#: Explosions per fixing round at most (each one splits a line; a handful is the most a fix needs).
MAX_SPLITS = 32

_LINE = re.compile(r"\r\n|\r|\n")

Bracketed = Union[cst.Call, cst.Tuple, cst.List, cst.Set, cst.Dict]


def line_limit(source: str) -> int:
    """The longest line a fix may write in ``source``: 88, or the file's longest line."""
    return max([MAX_LINE, *(len(line) for line in _LINE.split(source))])


def wrap_long_lines(module: cst.Module, limit: int) -> cst.Module:
    """``module`` with every line over ``limit`` wrapped as far as brackets allow."""
    for _ in range(MAX_SPLITS):
        lines = _LINE.split(module.code)
        long = [number for number, line in enumerate(lines, 1) if len(line) > limit]
        if not long:
            return module
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        starts = {where.start.line for node, where in positions.items() if isinstance(node, _STATEMENTS)}
        for line in long:
            indent = re.match(r"[ \t]*", lines[line - 1]).group()  # type: ignore[union-attr]
            inner = indent + module.default_indent
            split = _operator_split(positions, line, indent) if line not in starts else None
            if split is not None:
                old, new = split
                break
            target = _last_bracket(positions, line)
            if target is not None:
                old, new = target, _right_hand_split(target, indent, inner, limit, module)
                break
        else:
            return module  # nothing left to split: keep what the fix wrote
        module = module.deep_replace(old, new)  # type: ignore[assignment]
    return module


_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


def _operator_split(positions: object, line: int, indent: str) -> tuple[cst.CSTNode, cst.CSTNode] | None:
    """An item line ``name=a not in b`` split before its operator, at the item's own indent."""
    for node, where in positions.items():  # type: ignore[attr-defined]
        if where.start.line != line or where.start.column != len(indent):
            continue
        value = node.value if isinstance(node, (cst.Arg, cst.Element, cst.DictElement)) else None
        if isinstance(value, cst.Comparison) and not value.lpar and len(value.comparisons) == 1:
            target = value.comparisons[0]
            operator = target.operator.with_changes(whitespace_before=_newline(indent))
            return value, value.with_changes(comparisons=[target.with_changes(operator=operator)])
        if isinstance(value, cst.BooleanOperation) and not value.lpar:
            operator = value.operator.with_changes(whitespace_before=_newline(indent))
            return value, value.with_changes(operator=operator)
    return None


def _right_hand_split(node: Bracketed, outer: str, inner: str, limit: int, module: cst.Module) -> Bracketed:
    """A call's arguments on one line of their own when they fit; else (and for literals) one per line."""
    if isinstance(node, cst.Call) and not any(arg.comma is not cst.MaybeSentinel.DEFAULT for arg in node.args[-1:]):
        body = module.code_for_node(node.with_changes(func=cst.Name("f"))).strip()[2:-1]
        if len(inner) + len(body) <= limit:
            last = node.args[-1].with_changes(whitespace_after_arg=_newline(outer))
            return node.with_changes(args=[*node.args[:-1], last], whitespace_before_args=_newline(inner))
    return _explode(node, outer, inner)


def _last_bracket(positions: object, line: int) -> Bracketed | None:
    """The non-empty bracket written wholly on ``line`` that closes last (outermost on a tie)."""
    best = None
    best_key = None
    for node, where in positions.items():  # type: ignore[attr-defined]
        if not isinstance(node, (cst.Call, cst.Tuple, cst.List, cst.Set, cst.Dict)):
            continue
        if where.start.line != line or where.end.line != line or not _items(node):
            continue
        if isinstance(node, cst.Tuple) and not node.lpar:
            continue  # a bare tuple has no bracket to split at
        key = (where.end.column, -where.start.column)
        if best_key is None or key > best_key:
            best, best_key = node, key
    return best


def _items(node: Bracketed) -> list[cst.CSTNode]:
    return list(node.args if isinstance(node, cst.Call) else node.elements)


def _newline(indent: str) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), empty_lines=[], indent=False, last_line=cst.SimpleWhitespace(indent)
    )


def _explode(node: Bracketed, outer: str, inner: str) -> Bracketed:
    """One item per line at ``inner``, a trailing comma, the closing bracket at ``outer``."""
    items = _items(node)
    exploded = []
    for index, item in enumerate(items):
        last = index == len(items) - 1
        comma = cst.Comma(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=_newline(outer if last else inner))
        if isinstance(item, cst.Arg):
            item = item.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace(""))
        else:
            item = item.with_changes(comma=comma)
        exploded.append(item)
    if isinstance(node, cst.Call):
        return node.with_changes(args=exploded, whitespace_before_args=_newline(inner))
    if isinstance(node, cst.Tuple):
        lpar = [node.lpar[0].with_changes(whitespace_after=_newline(inner)), *node.lpar[1:]]
        rpar = [node.rpar[0].with_changes(whitespace_before=cst.SimpleWhitespace("")), *node.rpar[1:]]
        return node.with_changes(elements=exploded, lpar=lpar, rpar=rpar)
    brackets = (
        {"lbracket": node.lbracket, "rbracket": node.rbracket}
        if isinstance(node, cst.List)
        else {"lbrace": node.lbrace, "rbrace": node.rbrace}
    )
    opening, closing = list(brackets)
    return node.with_changes(
        elements=exploded,
        **{
            opening: brackets[opening].with_changes(whitespace_after=_newline(inner)),
            closing: brackets[closing].with_changes(whitespace_before=cst.SimpleWhitespace("")),
        },
    )
