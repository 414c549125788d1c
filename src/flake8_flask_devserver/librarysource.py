"""Whether a file is a Flask-family library's own source: its server, defined, not used.

``Flask.run`` calls ``run_simple`` (src/flask/app.py), ``flask run`` does too (src/flask/cli.py),
Flask-SocketIO's ``SocketIO.run`` calls ``app.run`` (src/flask_socketio/__init__.py), and
Flask-Script's ``Server`` command does as well: each library's own code *is* the
development server its users start. Nothing there is a start the library's users ship,
so the engine reports nothing in it: not in the library's own repository, and not in a copy
of it committed into a project (App Engine's standard runtime once required vendoring
Flask and Werkzeug next to the app, ``lib/flask/...``).

A module is the library's own when its import path (project.module_name: the chain of
``__init__.py`` folders above it) starts with a family module's name (family.MODULES) and
that package's ``__init__.py`` binds what the library exists to provide (``Flask``,
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
    """Whether ``path`` (absolute) is a module of a Flask-family library itself."""
    module = project.module_name(path)
    if not module:
        return False
    top = module.partition(".")[0]
    words = _PROVIDES.get(top)
    if not words:
        return False
    folder = path.parent
    for _ in range(module.count(".") - (0 if path.stem == "__init__" else 1)):
        folder = folder.parent
    if folder.name != top:
        return False  # (a single-module library, ``quart_cors.py``: the module is its own top)
    return _provides(str(folder / "__init__.py"), words)


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
    return names


def clear_caches() -> None:
    _provides.cache_clear()
