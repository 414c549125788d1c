"""Which functions of a module its ``__main__`` launcher runs, and through which calls.

``if __name__ == "__main__": main()`` (also ``sys.exit(main())``, ``run()``, or a
click command such as ``cli()``) runs ``main`` when the file is run as a script:
a Dockerfile's ``CMD python main.py`` serves the app through it exactly as if
``app.run()`` were written under the guard. A start inside a function the guard
reaches, directly or through other functions of the same module, is therefore
the launcher's start (FDS101), not a function's (FDS102).

Only calls of a name bound to a function of this module are followed (``main()``,
``serve()``; a nested ``def`` called by its enclosing function too), as Python
resolves them where the call runs, and the function handed to a thread or process
as ``target=serve``. Methods, functions of other modules, other callbacks and
subcommands of a click group (they run only when the command line names them)
are not: a function that only other
modules or a command line call stays FDS102. A function that a module-level call
outside any guard reaches (``main()`` at the bottom, unguarded) starts the server at
import time, for gunicorn and every importer too: FDS100. The walk is breadth-first over a
work list, bounded by :data:`MAX_FUNCTIONS`, so the shortest path is the one
named and no input controls recursion depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .apps import Context, Resolver, Scope, Site

#: Functions followed from the guard before giving up (a bound on the work, not a depth limit).
MAX_FUNCTIONS = 256


@dataclass(frozen=True)
class Reach:
    """The functions a module's ``__main__`` launcher runs: innermost function scope -> call path."""

    paths: dict[int, tuple[str, ...]]

    def path_to(self, site: Site) -> tuple[str, ...] | None:
        """The chain of function names from the guard to the function holding ``site`` (None: not reached)."""
        scope = _function_scope(site.scope)
        return self.paths.get(id(scope)) if scope is not None else None


def reach(calls: list[Site], resolver: Resolver, context: Context = Context.MAIN) -> Reach:
    """Breadth-first from the calls that run in ``context``: under the ``__main__`` guard (or at
    the top of ``__main__.py``), or at import time (a module-level ``main()`` with no guard)."""
    by_function: dict[int, list[Site]] = {}
    roots: list[Site] = []
    for site in calls:
        if site.context is context:
            roots.append(site)
        elif site.context is Context.FUNCTION:
            scope = _function_scope(site.scope)
            if scope is not None:
                by_function.setdefault(id(scope), []).append(site)
    paths: dict[int, tuple[str, ...]] = {}
    queue: list[tuple[Site, tuple[str, ...]]] = [(site, ()) for site in roots]
    head = 0
    while head < len(queue) and len(paths) < MAX_FUNCTIONS:
        site, path = queue[head]
        head += 1
        for target in _called_functions(site, resolver):
            if id(target) in paths:
                continue
            name = target.name or "<lambda>"
            paths[id(target)] = (*path, name)
            queue.extend((inner, paths[id(target)]) for inner in by_function.get(id(target), ()))
    return Reach(paths)


def _called_functions(site: Site, resolver: Resolver) -> list[Scope]:
    """The scopes of the module's functions a call runs: ``name(...)``, and a ``target=name`` it is
    handed to run (``threading.Thread(target=serve).start()``, ``multiprocessing.Process``)."""
    call = site.node
    if not isinstance(call, cst.Call):
        return []
    names = [call.func] if isinstance(call.func, cst.Name) else []
    names.extend(arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "target")
    found: list[Scope] = []
    for name in names:
        if isinstance(name, cst.Name):
            binding = resolver.lookup(name.value, site.scope, site.seq)
            if binding is not None and binding.kind == "function" and binding.inner is not None:
                found.append(binding.inner)
    return found


def _function_scope(scope: Scope | None) -> Scope | None:
    """The innermost function (or lambda) scope around ``scope`` (comprehensions run inside it)."""
    while scope is not None and scope.kind != "function":
        if scope.kind in ("module", "class"):
            return None
        scope = scope.parent
    return scope


def describe(path: tuple[str, ...]) -> str:
    """``through main()`` / ``through main() -> serve()`` for messages."""
    return "through " + " -> ".join(f"{name}()" for name in path)
