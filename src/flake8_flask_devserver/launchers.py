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
as ``target=serve``; and the commands of a command-line dispatcher the guard runs
(:func:`dispatched`: Flask-Script's ``manager.run()``, a click group's ``cli()``, a
typer app's ``app()``), since ``python manage.py runserver`` runs them. Methods,
other callbacks, and commands of a dispatcher the guard does not run are not: a
function that only other modules or another command line call stays FDS102. A function that a module-level call
outside any guard reaches (``main()`` at the bottom, unguarded) starts the server at
import time, for gunicorn and every importer too: FDS100. The walk is breadth-first over a
work list, bounded by :data:`MAX_FUNCTIONS`, so the shortest path is the one
named and no input controls recursion depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from . import kindbounds
from .apps import Context, Kind, Resolver, Scope, Site

#: What ``x.run()`` dispatches argv through: a Flask-Script manager (a family object).
_MANAGERS = frozenset({Kind.FAMILY_OBJECT})
#: Functions followed from the guard before giving up (a bound on the work, not a depth limit).
MAX_FUNCTIONS = 256


@dataclass(frozen=True)
class Reach:
    """The functions a module's ``__main__`` launcher runs: innermost function scope -> call path."""

    paths: dict[int, tuple[str, ...]]
    #: every call the launcher runs, with the path to it (crosslaunch.py follows those into other modules)
    calls: tuple[tuple[Site, tuple[str, ...]], ...] = ()

    def path_to(self, site: Site) -> tuple[str, ...] | None:
        """The chain of function names from the guard to the function holding ``site`` (None: not reached)."""
        scope = _function_scope(site.scope)
        return self.paths.get(id(scope)) if scope is not None else None


def dispatched(resolver: Resolver) -> dict[str, list[tuple[str, Scope]]]:
    """Command-line dispatchers of the module and the functions they may run: name -> [(command, scope)].

    * Flask-Script (flask_script/__init__.py, 2.0.6): ``@manager.command`` registers the function
      under its name (``Manager.command``: ``add_command(func.__name__, Command(func))``),
      ``@manager.option(...)`` does too (``Manager.option``: ``command.run = func``), and
      ``manager.add_command("name", MyCommand())`` registers a ``Command`` whose ``run`` method
      ``handle`` calls. ``manager.run()`` runs the one ``sys.argv`` names.
    * click (src/click/core.py, ``Group.command``/``Group.group``/``Group.add_command``):
      ``@cli.command()``/``@cli.group()`` and ``cli.add_command(f)`` add subcommands that
      ``cli()`` (``BaseCommand.__call__`` -> ``main`` -> ``invoke``) runs when argv names them;
      typer's ``@app.command()`` on ``app = typer.Typer()`` the same (typer/main.py).

    ``python manage.py runserver`` runs such a command exactly as the guard's ``main()`` runs
    main: a start inside one is the launcher's, named by the command.
    """
    module = resolver.model.index.module_scope
    found: dict[str, list[tuple[str, Scope]]] = {}
    for bindings in module.bindings.values():
        for binding in bindings:
            node = binding.node
            if binding.kind != "function" or not isinstance(node, cst.FunctionDef) or binding.inner is None:
                continue
            for decorator in node.decorators:
                expr = decorator.decorator
                func = expr.func if isinstance(expr, cst.Call) else expr
                if (
                    isinstance(func, cst.Attribute)
                    and isinstance(func.value, cst.Name)
                    and func.attr.value in ("command", "option", "group")
                ):
                    given = _command_name(expr) if func.attr.value != "option" else None  # option's are flags
                    name = given or node.name.value
                    found.setdefault(func.value.value, []).append((name, binding.inner))
    for site in resolver.model.index.calls:
        call = site.node
        assert isinstance(call, cst.Call)
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add_command" and isinstance(func.value, cst.Name)):
            continue
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        for value in positional[:2]:
            target = value.func if isinstance(value, cst.Call) else value  # MyCommand() / a click command
            if not isinstance(target, cst.Name):
                continue
            binding = resolver.lookup(target.value, site.scope, site.seq)
            scope = _command_scope(binding, resolver)
            if scope is not None:
                name = next((text for text in map(_string, positional) if text), target.value)
                found.setdefault(func.value.value, []).append((name, scope))
    return found


def _command_name(expr: cst.BaseExpression) -> str | None:
    """``@cli.command("serve")``: the name given (the first argument, when a string)."""
    if isinstance(expr, cst.Call) and expr.args and expr.args[0].keyword is None:
        return _string(expr.args[0].value)
    return None


def _string(node: cst.BaseExpression) -> str | None:
    return node.evaluated_value if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str) else None


def _command_scope(binding: object, resolver: Resolver) -> Scope | None:
    """The scope a registered command runs: a function's, or a ``Command`` class's ``run`` method."""
    from .apps import Binding

    if not isinstance(binding, Binding):
        return None
    if binding.kind == "function":
        return binding.inner
    if binding.kind == "class" and isinstance(binding.node, cst.ClassDef):
        body = resolver.model.index.class_scopes.get(id(binding.node))
        run = body.bindings.get("run") if body is not None else None
        if run and run[-1].kind == "function":
            return run[-1].inner
    return None


def reach(
    calls: list[Site],
    resolver: Resolver,
    context: Context | frozenset[Context] | None = Context.MAIN,
    entries: dict[int, tuple[str, ...]] | None = None,
) -> Reach:
    """Breadth-first from the calls that run in ``context``: under the ``__main__`` guard (or at
    the top of ``__main__.py``), or at import time (a module-level ``main()`` with no guard), or
    both (a file run as a script runs its module level and its guard: crosslaunch.script_reach);
    and from the function scopes in ``entries`` (id -> the path that reached them from elsewhere)."""
    contexts = frozenset({context}) if isinstance(context, Context) else context or frozenset()
    by_function: dict[int, list[Site]] = {}
    lambdas: dict[int, Scope] = {}  # id(Lambda node) -> its scope, for lambdas holding calls
    roots: list[Site] = []
    for site in calls:
        if site.context in contexts:
            roots.append(site)
        elif site.context is Context.FUNCTION:
            scope = _function_scope(site.scope)
            if scope is not None:
                by_function.setdefault(id(scope), []).append(site)
                if isinstance(scope.node, cst.Lambda):
                    lambdas[id(scope.node)] = scope
    paths: dict[int, tuple[str, ...]] = dict(entries or {})
    queue: list[tuple[Site, tuple[str, ...]]] = [(site, ()) for site in roots]
    for key, path in paths.items():
        queue.extend((inner, path) for inner in by_function.get(key, ()))
    commands: dict[str, list[tuple[str, Scope]]] | None = None
    head = 0
    while head < len(queue) and len(paths) < MAX_FUNCTIONS:
        site, path = queue[head]
        head += 1
        targets = [(target, f"{target.name or '<lambda>'}()") for target in _called_functions(site, resolver, lambdas)]
        dispatcher = _dispatcher(site, resolver)
        if dispatcher is not None:
            if commands is None:
                commands = dispatched(resolver)
            targets.extend((scope, f"the {name} command") for name, scope in commands.get(dispatcher, ()))
        for target, name in targets:
            if id(target) in paths:
                continue
            paths[id(target)] = (*path, name)
            queue.extend((inner, paths[id(target)]) for inner in by_function.get(id(target), ()))
    return Reach(paths, tuple(queue[:head]))


def _called_functions(site: Site, resolver: Resolver, lambdas: dict[int, Scope] | None = None) -> list[Scope]:
    """The scopes of the module's functions a call runs: ``name(...)``, and a ``target=name`` it is
    handed to run (``threading.Thread(target=serve).start()``, ``multiprocessing.Process``)."""
    call = site.node
    if not isinstance(call, cst.Call):
        return []
    names = [call.func] if isinstance(call.func, cst.Name) else []
    names.extend(arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value in ("target", "function"))
    found: list[Scope] = []
    for name in names:
        if isinstance(name, cst.Lambda) and lambdas is not None and id(name) in lambdas:
            found.append(lambdas[id(name)])  # Thread(target=lambda: app.run(...)).start()
        elif isinstance(name, cst.Name):
            binding = resolver.lookup(name.value, site.scope, site.seq)
            if binding is not None and binding.kind == "function" and binding.inner is not None:
                found.append(binding.inner)
    return found


def _dispatcher(site: Site, resolver: Resolver) -> str | None:
    """The name of the command-line dispatcher a call runs: ``manager.run()`` on a Flask-Script
    Manager, ``cli()`` on a click group (``@click.group()``) or a typer app (``typer.Typer()``)."""
    call = site.node
    if not isinstance(call, cst.Call):
        return None
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "run" and isinstance(func.value, cst.Name):
        if not kindbounds.may_give(resolver, func.value, site.scope, site.seq, _MANAGERS):
            return None  # no manager whatever it resolves to (kindbounds.py)
        value = resolver.resolve(func.value, site.scope, site.seq)
        if value is not None and value.kind is Kind.FAMILY_OBJECT and value.qualname == "flask_script.Manager":
            return func.value.value
        return None
    if not isinstance(func, cst.Name):
        return None
    binding = resolver.lookup(func.value, site.scope, site.seq)
    if binding is None:
        return None
    node = binding.node
    if binding.kind == "function" and isinstance(node, cst.FunctionDef):
        for decorator in node.decorators:
            expr = decorator.decorator
            head = expr.func if isinstance(expr, cst.Call) else expr
            if isinstance(head, (cst.Name, cst.Attribute)) and _last(head) == "group":
                value = resolver.resolve(head, binding.scope, binding.seq)
                if value is not None and (value.qualname or "").startswith("click.") or isinstance(head, cst.Attribute):
                    return func.value  # click.group / a group's .group(): a click group
        return None
    if binding.kind == "assign" and isinstance(node, cst.Call):
        value = resolver.resolve(node.func, binding.scope, binding.seq)
        if value is not None and value.qualname in ("typer.Typer", "click.Group", "click.core.Group"):
            return func.value
    return None


def _last(node: cst.BaseExpression) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""


def _function_scope(scope: Scope | None) -> Scope | None:
    """The innermost function (or lambda) scope around ``scope`` (comprehensions run inside it)."""
    while scope is not None and scope.kind != "function":
        if scope.kind in ("module", "class"):
            return None
        scope = scope.parent
    return scope


def describe(path: tuple[str, ...]) -> str:
    """``through main()`` / ``through main() -> serve()`` / ``through the runserver command``, and
    ``of bot.py through keep_alive() -> run()`` for another module's launcher (crosslaunch.py)."""
    if path and path[0].endswith(".py"):
        return f"of {path[0]} through " + " -> ".join(path[1:])
    return "through " + " -> ".join(path)
