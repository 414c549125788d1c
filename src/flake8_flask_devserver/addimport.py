"""``import name`` added where isort would put it: the imports a fix's new code uses (``os``).

Moved out of fixer.py (which applies the fixes) as it stands apart: it reads and edits
only the module's leading block of imports.
"""

from __future__ import annotations

import sys

import libcst as cst

_STDLIB: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())


def add_import(module: cst.Module, name: str) -> cst.Module:
    """``import name`` where isort would put it, unless the module imports it at top level already.

    After the docstring and ``__future__`` imports; in the leading block of
    imports, among the standard-library ``import x`` lines in sorted order, or
    else as a standard-library section of its own before the other imports (or
    before the code), set apart by a blank line.
    """
    body = list(module.body)
    if any(_imports(statement, name) for statement in body):
        return module
    start = 1 if body and _is_docstring(body[0]) else 0
    while start < len(body) and _is_future(body[start]):
        start += 1
    end = start
    while end < len(body) and _import_module(body[end]) is not None:
        end += 1
    stdlib = [i for i in range(start, end) if _top(_import_module(body[i])) in _STDLIB]
    plain = [i for i in stdlib if _is_plain_import(body[i])]
    later = [i for i in plain if (_import_module(body[i]) or "") > name]
    if later:
        index, separate = later[0], False
    elif plain:
        index, separate = plain[-1] + 1, False
    elif stdlib:
        index, separate = stdlib[0], False  # ``import x`` lines go before ``from x import y``
    else:
        index, separate = start, True
    new = cst.SimpleStatementLine([cst.Import([cst.ImportAlias(cst.Name(name))])])
    if index < len(body) and (index == start or separate):
        # First of its block: take the blank lines above the statement it goes before.
        following = body[index]
        lines = list(following.leading_lines)
        blank = 0
        while blank < len(lines) and lines[blank].comment is None:
            blank += 1
        new = new.with_changes(leading_lines=lines[:blank])
        gap = (lines[:blank] or [cst.EmptyLine()]) if separate else []
        body[index] = following.with_changes(leading_lines=[*gap, *lines[blank:]])
    if index == start and start > 0 and _is_future(body[start - 1]) and not new.leading_lines:
        new = new.with_changes(leading_lines=[cst.EmptyLine()])  # isort: a blank line after __future__
    body.insert(index, new)
    return module.with_changes(body=body)


def _is_plain_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Import)


def _imports(statement: cst.BaseStatement, name: str) -> bool:
    """Whether a top-level statement is ``import name`` (or ``import name.sub``), which binds ``name``."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                if alias.asname is None and _top(_dotted(alias.name)) == name:
                    return True
    return False


def _import_module(statement: cst.BaseStatement) -> str | None:
    """The module a one-import line imports (``""`` for a relative import), else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return _dotted(small.names[0].name)
    if isinstance(small, cst.ImportFrom):
        return "" if small.relative else _dotted(small.module)
    return None


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _top(module: str | None) -> str:
    return (module or "").split(".")[0]


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future(statement: cst.BaseStatement) -> bool:
    return _import_module(statement) == "__future__"
