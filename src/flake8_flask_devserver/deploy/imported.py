"""What importing a module runs: a development server started at import time.

A production server loads the app by importing its module. gunicorn's ``run:app``
(gunicorn/util.py, ``import_app``: ``importlib.import_module(module)``, then the
attribute), ``waitress-serve run:app`` (waitress/runner.py, ``resolve``: ``__import__`` of the
module), uWSGI's ``--module run:app``/``-w run:app`` (the Python plugin
imports the module in each worker) and the ASGI servers (uvicorn/hypercorn ``import_from_string``)
all execute the module's top-level code, as any import does (the language reference,
"The import system", 5.3: the module's code is executed in its namespace), and, before it,
its packages' ``__init__.py`` and every first-party module it imports at module level.
A module-level ``app.run(...)`` there (FDS100 in that module) therefore starts
Werkzeug's development server inside the worker, which blocks the import and serves the
requests itself: ``web: gunicorn run:app`` is then the development server in production.

A file run as a script (``python main.py``) imports its modules the same way, so a
module-level start in a first-party module it imports is reached too.

Only what runs at import is followed: imports in module-level statements, also inside
``if``/``try``/``with`` blocks; not those inside functions or classes, nor, for an
imported module, those under its ``if __name__ == "__main__":`` guard (``__name__`` is
the module's name when it is imported). The start is the module's own FDS100 finding
(a start at module level, or in a function a module-level call runs). Breadth first,
:data:`MAX_MODULES` modules at most, each read once.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import engine, importsystem, project
from ..model import Settings

if TYPE_CHECKING:
    from .command import ProductionRun
    from .facts import Builder, Scope, Trail

#: Modules read per question (the loaded module, its packages and what they import at module level).
MAX_MODULES = 32
#: The engine's code for a start that runs at import time.
AT_IMPORT = frozenset({"FDS100"})


def import_start(path: Path, settings: Settings, as_script: bool = False) -> tuple[Path, int, tuple[Path, ...]] | None:
    """The first module-level start that importing ``path`` (or running it as a script, with
    ``as_script``: its guard's imports count too, and its own starts are not looked for) runs:
    (the module holding it, its line, the chain of modules from ``path`` to it)."""
    path = Path(os.path.abspath(path))
    # A script's own packages are not imported (``python pkg/main.py`` runs the file alone).
    queue: list[tuple[Path, tuple[Path, ...]]] = [] if as_script else [(package, (package,)) for package in _packages(path)]
    queue.append((path, (path,)))
    seen = {module for module, _ in queue}
    head = 0
    while head < len(queue) and head < MAX_MODULES:
        module, chain = queue[head]
        head += 1
        source = project.read_source(module)
        if source is None:
            continue
        script = as_script and module == path
        if not script:
            line = _start_line(module, source, settings)
            if line is not None:
                return module, line, chain
        for imported in _imports_at_import(module, source, script):
            for target in (*_packages(imported), imported):
                if target not in seen:
                    seen.add(target)
                    queue.append((target, (*chain, target)))
    return None


def _start_line(module: Path, source: str, settings: Settings) -> int | None:
    if not _may_start_at_import(module, source, settings):
        return None  # (no libcst for a module whose only start is under its guard: gunicorn's usual case)
    try:
        findings = engine.check_source(source, module, settings, select=AT_IMPORT)
    except engine.SourceError:
        return None
    return min(finding.line for finding in findings) if findings else None


def _may_start_at_import(module: Path, source: str, settings: Settings) -> bool:
    """False when the engine's text gate and ast checks rule a start out once the bodies of the
    module's ``__main__`` guards are left out (they never run at import); a start at import is
    never inside one, so this only spares the libcst parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True  # the engine decides
    guards = [node for node in _top_level(tree.body, script=True) if isinstance(node, ast.If) and _main_guard(node.test)]
    if not guards:
        return True
    for guard in guards:
        guard.body = [ast.Pass()]
    try:
        reduced = ast.unparse(tree)
    except (RecursionError, ValueError):
        return True
    return engine.needs_libcst(reduced, module, settings)


def _packages(module: Path) -> list[Path]:
    """The ``__init__.py`` of the packages above ``module``, outermost first (imported before it)."""
    found: list[Path] = []
    folder = module.parent if module.name != "__init__.py" else module.parent.parent
    while (folder / "__init__.py").is_file() and len(found) < 16:
        found.append(folder / "__init__.py")
        folder = folder.parent
    return list(reversed(found))


def _imports_at_import(module: Path, source: str, script: bool) -> list[Path]:
    """The first-party modules ``module``'s top-level code imports (its guard's too when ``script``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: list[Path] = []
    for node in _top_level(tree.body, script):
        if isinstance(node, ast.Import):
            for alias in node.names:
                _add(found, importsystem.locate(alias.name, 0, module))
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            _add(found, importsystem.locate(name, node.level, module) if name or node.level else None)
            for alias in node.names:
                if alias.name != "*":  # ``from pkg import sub``: a submodule is imported too
                    _add(found, importsystem.locate(f"{name}.{alias.name}" if name else alias.name, node.level, module))
    return found


def _add(found: list[Path], path: Path | None) -> None:
    if path is not None and path not in found:
        found.append(path)


def _top_level(body: list[ast.stmt], script: bool) -> list[ast.stmt]:
    """The statements that run when the module runs: into ``if``/``try``/``with`` blocks, not into
    functions or classes; a ``__main__`` guard's body only for a script."""
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        found.append(node)
        inner: list[ast.stmt] = []
        if isinstance(node, ast.If):
            if not _main_guard(node.test) or script:
                inner = [*node.body, *node.orelse]
            else:
                inner = list(node.orelse)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            inner = [*node.body, *node.orelse, *node.finalbody]  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                inner.extend(handler.body)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            inner = list(node.body)
        stack.extend(reversed(inner))
    return found


def _main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either order)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


def production_server_import(builder: Builder, run: ProductionRun, scope: Scope, trail: Trail) -> None:
    """``gunicorn run:app`` (any server given a ``module:name``): when importing ``run`` starts a
    development server, record it as a script the deployment command runs (FDS401), the
    production server named as what imports it."""
    from . import dockerfile, python
    from .facts import ScriptServer, relative

    if run.app is None:
        return
    module = dockerfile.expand(run.app.partition(":")[0], builder._env(scope, run.env))
    path = scope.runtime.find_module(module) if module else None
    if path is None:
        return
    start = python.import_start(path, builder.settings)
    if start is None:
        return
    place = builder.place(run.anchor, trail)
    key = ("script", place, path)
    if key in builder.facts.seen:
        return
    builder.facts.seen.add(key)
    builder.facts.scripts.append(
        ScriptServer(
            place,
            builder.where(run.anchor, scope, trail),
            builder.hops(run.anchor, trail),
            f"{run.server} {run.app}",
            relative(path, scope.base),
            replace(start, loader=run.server),
            f"keep {run.server} and put that start under if __name__ == \"__main__\": (or remove it)",
        )
    )
