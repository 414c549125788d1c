"""Whether a file is a Flask-family library's own source: its server, defined, not used.

``Flask.run`` calls ``run_simple`` (src/flask/app.py), ``flask run`` does too (src/flask/cli.py),
Flask-SocketIO's ``SocketIO.run`` calls ``app.run`` (src/flask_socketio/__init__.py), and
Flask-Script's ``Server`` command does as well: each library's own code *is* the
development server its users start. Nothing there is a start the library's users ship,
so the engine reports nothing in it: not in the library's own repository, and not in a copy
of it committed into a project (App Engine's standard runtime once required vendoring
Flask and Werkzeug next to the app, ``lib/flask/...``).

A file is the library's own when a folder above it (up to its project root) is named like
a family module (family.MODULES) and that package's ``__init__.py`` binds what the library exists to provide (or lists it, as a lazy
loader's table or ``__all__`` does) (``Flask``,
``Dash``, ``run_simple``, ... from family.py's table). The second test keeps a project's own
``dash/`` or ``eve/`` package (a dashboard, a game) checked: Python cannot import the real
library under a name the project's own package takes, so a package that does not provide
the library's names is the project's, not the library.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from . import family, project
from .regularfile import NotRegular, TooLarge, read_capped

#: What each family package provides, the words its ``__init__`` names (family.py's table, plus
#: the two packages the table knows by functions rather than classes).
_PROVIDES: dict[str, frozenset[str]] = {}
for _member in family.TABLE:
    for _name in _member.names:
        _top, _, _rest = _name.partition(".")
        if _rest:
            _PROVIDES.setdefault(_top, frozenset())
            _PROVIDES[_top] |= {_name.rpartition(".")[2]}
_PROVIDES["werkzeug"] = _PROVIDES.get("werkzeug", frozenset()) | {"run_simple"}
_PROVIDES["flask_socketio"] = _PROVIDES.get("flask_socketio", frozenset()) | {"SocketIO"}

#: The largest ``__init__.py`` read (the libraries' are a few KB).
_MAX_INIT_BYTES = 200_000


def is_library_source(path: Path) -> bool:
    """Whether ``path`` (absolute) lies in a Flask-family library's own package folder.

    Any folder above it up to its project root counts (a library's ``testsuite/multipart/``
    helpers sit in folders without ``__init__.py``): one named like a family module whose
    ``__init__.py`` provides that library's names.
    """
    root = project.project_root(path.parent)
    for folder in path.parents:
        words = _PROVIDES.get(folder.name)
        if words and _provides(str(folder / "__init__.py"), words):
            return True
        if folder == root or not project._within(folder, root):
            return False
    return False


@lru_cache(maxsize=256)
def _provides(init: str, words: frozenset[str]) -> bool:
    """Whether the ``__init__.py`` binds one of ``words`` at its top level (an import, a class, a def,
    an assignment), as the library's own does (``from .app import Flask as Flask``)."""
    try:
        data, _info = read_capped(init, _MAX_INIT_BYTES)
    except (OSError, ValueError, NotRegular, TooLarge):
        return False
    if not any(word.encode() in data for word in words):
        return False
    source = project.decode_source(data)
    try:
        tree = ast.parse(source) if source is not None else None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return tree is not None and not words.isdisjoint(_bound(tree))


def _bound(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for statement in tree.body:  # (top level only: a flat walk, whatever the file's depth)
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).partition(".")[0] for alias in statement.names)
        elif isinstance(statement, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
            if statement.value is not None:
                # a lazy loader's table names what the package provides as strings: Werkzeug 0.x's
                # ``all_by_module = {"werkzeug.serving": ["run_simple"], ...}``, and ``__all__``
                names.update(
                    node.value
                    for node in ast.walk(statement.value)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier()
                )
    return names


def clear_caches() -> None:
    _provides.cache_clear()
