"""Library code that defines a launcher's name itself: its calls of that name never start werkzeug's server.

Werkzeug's ``serving.py`` defines ``run_simple`` and ``make_server``, and its ``run_simple``
calls ``make_server``; other libraries wrap the server under the same names. The text gate
sees a launcher word there and, without this, the engine would parse every statement that
mentions one and resolve every call of the module. The resolver (apps.py) gives a launcher
only for a dotted name reached through an import (``values.KNOWN``: ``werkzeug.serving.run_simple``,
``werkzeug.run_simple``, ``werkzeug.serving.make_server``) or a configured launcher; a name
bound by the module's own top-level ``def`` or ``class`` is that function or class
(Python's name resolution: the module's global binding), never werkzeug's.

So the launcher fact is dropped only when each of ``run_simple``/``make_server`` that the tree
names is defined by a top-level ``def``/``class`` and bound in no other way: not imported
(under that name or as an alias of it; any star import keeps the fact), not assigned, not a
parameter, never reached as an attribute (``serving.run_simple``). Configured launchers and
Flask-Script's ``Server`` keep the fact whenever they are named (a configured launcher is
found by its own qualified name, defined here or not).
"""

from __future__ import annotations

import ast

#: Launchers known by their dotted names only (values.KNOWN): a module's own definition shadows them.
BUILTIN = frozenset({"run_simple", "make_server"})


def launchers_reachable(tree: ast.Module, words: frozenset[str]) -> bool:
    """Whether a call in ``tree`` can reach a launcher named by ``words`` (False: only the module's own definitions)."""
    defined = {
        statement.name
        for statement in tree.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and statement.name in BUILTIN
    }
    if not defined:
        return True
    others = words - BUILTIN
    definitions = 0
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Name:
            name = node.id  # type: ignore[attr-defined]
            if name in others or (name in BUILTIN and (name not in defined or type(node.ctx) is not ast.Load)):  # type: ignore[attr-defined]
                return True
        elif kind is ast.Attribute:
            if node.attr in words:  # type: ignore[attr-defined]
                return True
        elif kind in (ast.Import, ast.ImportFrom):
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name == "*" or alias.name.rsplit(".", 1)[-1] in words or (alias.asname or "") in words:
                    return True
        elif kind is ast.arg:
            if node.arg in words:  # type: ignore[attr-defined]
                return True
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            if node.name in words:  # type: ignore[attr-defined]
                definitions += 1
        elif kind in (ast.Global, ast.Nonlocal):
            if not words.isdisjoint(node.names):  # type: ignore[attr-defined]
                return True
    return definitions != len(defined)  # a nested or second definition of the name: resolved as before
