"""Launchers across modules: another module's ``__main__`` guard that runs this module's function.

``bot.py`` does ``from keep_alive import keep_alive`` and ends with ``if __name__ ==
"__main__": keep_alive()``; ``keep_alive()`` starts ``Thread(target=run)`` and ``run()``
calls ``app.run(host="0.0.0.0")``. ``python bot.py`` (a Procfile's ``web: python bot.py``)
serves the app with the development server exactly as if the start were under bot.py's
guard: FDS101 at the start call in keep_alive.py (the line to change, and where ``# noqa``
goes, as for a launcher within one module), the message naming the path ("by the
__main__ launcher of bot.py through keep_alive() -> run()").

Asked only for a start in a function that its own module's guard does not reach (an
FDS102 candidate, which is rare), so the cost is paid where the answer can change a
finding. The files of the project (project.project_root) whose text holds a
``__main__`` guard are listed once per root; those that mention the module's name come
first, :data:`MAX_LAUNCHERS` at most are looked at, and only those with a real
top-level guard (their ``ast``) that import the module, directly or through first-party
modules (project.py's import graph, text only), are parsed with libcst. From each guard the walk follows, breadth
first over a work list: the guard's own functions (launchers.reach), then calls of
functions imported from first-party modules (``from m import f`` then ``f()``, ``import
m`` then ``m.f()``, a re-export followed, and one handed to a thread as ``target=f``),
into those modules' functions and on, :data:`MAX_MODULES` module visits per launcher.
Each module is read through the engine's parse-once first-party cache (apps.load_model),
never imported; what each launcher reaches is kept for the process.
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from . import firstparty, kindbounds, launchers, project, regularfile
from .apps import _END, Context, Kind, ModuleModel, Resolver, Scope, Site, _resolver_for, load_model
from .model import Settings

if TYPE_CHECKING:
    from .analysis import Analysis, ServerStart

#: Guard files of a project read per question (those naming the module first).
MAX_LAUNCHERS = 32
#: Module visits per launcher (each a function entered in a first-party module).
MAX_MODULES = 16
#: Guard files listed per project root.
MAX_LISTED = 512
#: Re-exports followed to the module that defines a function.
MAX_HOPS = 4
#: What ``m.f()`` must be called on for ``f`` to be another module's function.
_MODULES = frozenset({Kind.MODULE})
#: Calls whose positional arguments are callables they run (handoff.py's, by last name).
_RUNNERS = frozenset({"Thread", "Process", "Timer", "start_new_thread", "to_thread", "submit"})

_GUARDS: dict[Path, list[Path]] = {}
#: (launcher, settings) -> (stamp, {module path: {function qualname: path from the guard}})
_REACHED: dict[tuple[Path, Settings], tuple[tuple[int, int], dict[Path, dict[str, tuple[str, ...]]]]] = {}


def clear_caches() -> None:
    _GUARDS.clear()
    _REACHED.clear()
    _SCRIPTS.clear()


def path_to(analysis: Analysis, start: ServerStart) -> tuple[str, ...] | None:
    """The path by which another module's ``__main__`` guard reaches ``start``'s function (None: none does)."""
    here = analysis.path
    name = _module_function(start.site.scope)
    if here is None or name is None or project.is_test_file(here):
        return None
    root = project.project_root(here.parent)
    for launcher in _candidates(root, here):
        if not _imports(launcher, here):
            continue  # its guard cannot run a function of a module it never imports (no parse needed)
        if launcher.name != "__main__.py" and not firstparty.has_main_guard(launcher):
            continue  # ``__main__`` only in a docstring or a string
        if not _may_enter(launcher, here, name):
            continue  # nothing its guard can run names the function (no parse needed)
        reached = _reached_from(launcher, root, analysis.settings).get(here)
        if reached and name in reached:
            return reached[name]
    return None


#: Modules of the import graph walked per question (project.py reads each once per process).
MAX_GRAPH = 256


def _imports(launcher: Path, module: Path) -> bool:
    """Whether ``launcher`` imports ``module``, directly or through first-party modules (text only:
    project.py's import graph, no libcst); True when the walk is cut short (maybe)."""
    return any(target is None or target == module for target in _graph(launcher, packages=False))


def _graph(launcher: Path, packages: bool) -> Iterator[Path | None]:
    """Every import edge's target met walking the graph from ``launcher`` (project.py reads each module
    once per process), with each package's submodules when ``packages``; None, then the end, when the
    walk passes :data:`MAX_GRAPH` modules."""
    seen = {launcher}
    stack = [launcher]
    while stack:
        if len(seen) > MAX_GRAPH:
            yield None
            return
        current = stack.pop()
        project._holds(current, _QUESTION, _never)  # reads the module once, recording its imports
        targets = list(project._IMPORTS.get(current, ()))
        if packages and current.name == "__init__.py":
            targets.extend(_submodules(current.parent))
        for target in targets:
            yield target
            if target not in seen:
                seen.add(target)
                stack.append(target)


_QUESTION = ("crosslaunch", "imports")


def _closure(launcher: Path) -> set[Path] | None:
    """The first-party modules ``launcher`` imports, directly or not, itself included (project.py's
    import graph, text only), with every submodule of a package among them (the resolver reads
    ``pkg.sub`` as a submodule without an import: importsystem.submodule); None when cut short."""
    seen = {launcher}
    for target in _graph(launcher, packages=True):
        if target is None:
            return None
        seen.add(target)
    return seen


def _submodules(folder: Path) -> list[Path]:
    """``folder``'s modules and its subpackages' ``__init__.py``."""
    found: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file():
                    found.append(Path(entry.path))
                elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    found.append(Path(entry.path, "__init__.py"))
    except OSError:
        pass
    return found


def _may_enter(launcher: Path, module: Path, qualname: str) -> bool:
    """Whether the walk from ``launcher``'s guard can reach function ``qualname`` of ``module`` at all
    (False only when it cannot: then no module need be parsed for the question).

    The walk enters a function only where code names it (issue 16: Flask's ``cli.py`` parsed itself
    whole to learn that ``__main__.py``'s ``main()`` never runs ``run_command``):

    * from another module (:func:`_imported_callees`: ``from m import f``, ``m.f``, a re-export,
      ``Thread(f)``): the name is in the text of a module the launcher imports, or its own;
    * within ``module`` (launchers.reach): a call ``f()`` or a ``target=f``/``function=f``; an
      attribute ``.f`` or ``import f`` of ``module`` itself (it may import itself);
    * as a command of a dispatcher of ``module`` (launchers.dispatched: ``@d.command``,
      ``@d.option``, ``@d.group``, ``d.add_command(f)``), when ``module`` calls ``d()`` or ``d.run()``.
    """
    modules = _closure(launcher)
    if modules is None:
        return True
    word = qualname.rsplit(".", 1)[-1]
    named = re.compile(rb"(?<![\w])" + re.escape(word.encode()) + rb"(?![\w])")  # (ASCII word characters)
    for other in modules - {module}:
        try:  # regular files under the engine's cap only (a FIFO named like a module cannot block)
            text = regularfile.read_capped(other, project.MAX_MODULE_BYTES)[0]
        except (OSError, regularfile.NotRegular, regularfile.TooLarge):
            return True  # unread: it may name the function
        if named.search(text):
            return True
        if not text.isascii():  # names as Python reads them (NFKC, PEP 3131): ``ｒｕｎ()`` is ``run()``
            source = project.read_source(other)
            if source is None or re.search(rf"\b{re.escape(word)}\b", unicodedata.normalize("NFKC", source)):
                return True
    tree = firstparty.tree(module)
    if tree is None:
        return True
    dispatchers: set[str] = set()
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if func.id == word:
                    return True
                called.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.attr == "run":
                    called.add(func.value.id)
                elif func.attr == "add_command" and any(_names(arg, word) for arg in node.args):
                    dispatchers.add(func.value.id)
            if any(keyword.arg in ("target", "function") and _names(keyword.value, word) for keyword in node.keywords):
                return True
        elif isinstance(node, ast.Attribute) and node.attr == word:
            return True
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            word in (alias.name, alias.asname) for alias in node.names
        ):
            return True
    if "." not in qualname:
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == word:
                for decorator in statement.decorator_list:
                    head = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(head, ast.Attribute) and isinstance(head.value, ast.Name):
                        dispatchers.add(head.value.id)
    return bool(dispatchers & called)


def _names(node: ast.expr, word: str) -> bool:
    """``f`` or ``f(...)``: how a call argument names a function (or a command class) ``word``."""
    if isinstance(node, ast.Call):
        node = node.func
    return isinstance(node, ast.Name) and node.id == word


def _never(source: str) -> bool:
    return False


def function_qualname(scope: Scope | None) -> str | None:
    """``run`` / ``main.inner`` / ``Server.serve``: the dotted names of the scopes around a site, up to
    the module (None outside functions, or in a lambda or comprehension with no name)."""
    names: list[str] = []
    current = scope
    while current is not None and current.kind != "module":
        if current.kind in ("function", "class"):
            if not current.name:
                return None
            names.append(current.name)
        current = current.parent
    if not names or scope is None:
        return None
    return ".".join(reversed(names))


def _module_function(scope: Scope | None) -> str | None:
    """The qualname of the function around a site when it is a module-level function or nested in one:
    only those can be imported and called (a method is reached through its object, never followed)."""
    current = scope
    while current is not None and current.kind != "module":
        if current.kind == "class":
            return None
        current = current.parent
    return function_qualname(scope)


def _candidates(root: Path, module: Path) -> list[Path]:
    """The guard files to read for ``module``: those whose text names its module first."""
    guards = _GUARDS.get(root)
    if guards is None:
        from .configflow import _python_files

        guards = []
        for name, data in _python_files(root):
            if (b"__main__" in data and b"__name__" in data) or name.endswith("__main__.py"):
                path = Path(name)
                if not project.is_test_file(path):
                    guards.append(path)
                    if len(guards) >= MAX_LISTED:
                        break
        _GUARDS[root] = guards
    stem = (module.parent.name if module.stem == "__init__" else module.stem).encode()
    naming: list[Path] = []
    others: list[Path] = []
    for path in guards:
        if path == module:
            continue
        try:
            with open(path, "rb") as handle:
                data = handle.read(project.MAX_MODULE_BYTES + 1)
        except OSError:
            continue
        (naming if stem in data else others).append(path)
    return [*naming, *others][:MAX_LAUNCHERS]


def _reached_from(launcher: Path, root: Path, settings: Settings) -> dict[Path, dict[str, tuple[str, ...]]]:
    """Every first-party function the guard of ``launcher`` runs, outside ``launcher``: by module and qualname."""
    try:
        stat = launcher.stat()
    except OSError:
        return {}
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _REACHED.get((launcher, settings))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found: dict[Path, dict[str, tuple[str, ...]]] = {}
    _REACHED[(launcher, settings)] = (stamp, found)  # (a cycle back to here finds it empty)
    model = load_model(launcher, None, reach=True)  # (its guard, and what the guard's calls can reach)
    if model is not None:
        _walk(launcher, model, root, settings, Context.MAIN, found)
    return found


#: (script, settings) -> (stamp, {module path: {function qualname: path from the script}})
_SCRIPTS: dict[tuple[Path, Settings], tuple[tuple[int, int], dict[Path, dict[str, tuple[str, ...]]]]] = {}
_RUN_AS_SCRIPT = frozenset({Context.MAIN, Context.IMPORT})


def script_reach(script: Path, root: Path, settings: Settings) -> dict[Path, dict[str, tuple[str, ...]]]:
    """Every first-party function of another module that ``python script.py`` runs: from the
    script's ``__main__`` guard and from its module-level code, by module and qualname.

    A file run as a script is executed as the ``__main__`` module, top to bottom (Python's docs,
    "__main__ -- Top-level code environment"; CPython's Modules/main.c ``pymain_run_file``, and
    runpy's ``_run_module_as_main`` for ``-m``):
    its module-level statements run exactly as its guard does, so ``keep_alive()`` written at
    the top level of main.py (the Replit keep-alive idiom: ``from keep_alive import
    keep_alive`` then ``keep_alive()``, which starts ``Thread(target=run)``) runs ``run()`` of
    keep_alive.py when a deployment file runs ``python main.py``. The walk is
    :func:`_reached_from`'s, with the same bounds, rooted at both; the whole script is read.
    """
    try:
        stat = script.stat()
    except OSError:
        return {}
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _SCRIPTS.get((script, settings))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found: dict[Path, dict[str, tuple[str, ...]]] = {}
    _SCRIPTS[(script, settings)] = (stamp, found)
    model = load_model(script, None)  # (all of it: every module-level statement runs)
    if model is not None:
        _walk(script, model, root, settings, _RUN_AS_SCRIPT, found)
    return found


def _walk(
    launcher: Path,
    model: ModuleModel,
    root: Path,
    settings: Settings,
    context: Context | frozenset[Context],
    found: dict[Path, dict[str, tuple[str, ...]]],
) -> None:
    """Fill ``found`` with the other modules' functions that the calls of ``launcher`` running in
    ``context`` reach, breadth first, :data:`MAX_MODULES` module visits at most."""
    resolver = _resolver_for(model, settings)
    try:
        label = launcher.relative_to(root).as_posix()
    except ValueError:
        label = launcher.name
    work: list[tuple[Site, tuple[str, ...], Resolver]] = [
        (site, (label, *path), resolver) for site, path in launchers.reach(model.index.calls, resolver, context).calls
    ]
    visits = 0
    seen: set[tuple[Path, str]] = set()
    head = 0
    while head < len(work) and visits < MAX_MODULES:
        site, path, owner = work[head]
        head += 1
        for target, name in _imported_callees(site, owner):
            if (target, name) in seen or target == launcher:
                continue
            seen.add((target, name))
            entered = _enter(target, name, settings)
            if entered is None:
                continue
            visits += 1
            defining, other, scope = entered
            reach = launchers.reach(other.model.index.calls, other, None, {id(scope): (*path, f"{name}()")})
            module = found.setdefault(defining, {})  # (where a re-export led)
            for key, chain in reach.paths.items():
                inner = _scope_by_id(other, key)
                qualname = function_qualname(inner) if inner is not None else None
                if qualname is not None and qualname not in module:
                    module[qualname] = chain
            work.extend((inner_site, chain, other) for inner_site, chain in reach.calls)


def _scope_by_id(resolver: Resolver, key: int) -> Scope | None:
    scopes = getattr(resolver, "_crosslaunch_scopes", None)
    if scopes is None:
        scopes = {}
        for site in resolver.model.index.calls:
            scope: Scope | None = site.scope
            while scope is not None and scope.kind != "module":
                scopes[id(scope)] = scope
                scope = scope.parent
        stack = [resolver.model.index.module_scope]
        while stack:
            current = stack.pop()
            for bindings in current.bindings.values():
                for binding in bindings:
                    if binding.inner is not None and id(binding.inner) not in scopes:
                        scopes[id(binding.inner)] = binding.inner
                        stack.append(binding.inner)
        resolver._crosslaunch_scopes = scopes  # type: ignore[attr-defined]
    return scopes.get(key)


def _imported_callees(site: Site, resolver: Resolver) -> list[tuple[Path, str]]:
    """The first-party functions of other modules a call runs: its callee, or a callable it is handed."""
    call = site.node
    if not isinstance(call, cst.Call):
        return []
    candidates: list[cst.BaseExpression] = [call.func]
    last = call.func.attr.value if isinstance(call.func, cst.Attribute) else getattr(call.func, "value", "")
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("target", "function"):
            candidates.append(arg.value)
        elif arg.keyword is None and not arg.star and last in _RUNNERS:
            candidates.append(arg.value)
    found: list[tuple[Path, str]] = []
    for node in candidates:
        if isinstance(node, cst.Name):
            binding = resolver.lookup(node.value, site.scope, site.seq)
            if binding is not None and binding.kind == "from":
                target = resolver._import_target(binding)
                if target is not None:
                    found.append((target, binding.imported))
        elif isinstance(node, cst.Attribute):
            if not kindbounds.may_give(resolver, node.value, site.scope, site.seq, _MODULES):
                continue  # ``app.run()``, ``self.x()``: no first-party module (kindbounds.py)
            base = resolver.resolve(node.value, site.scope, site.seq)
            if base is not None and base.kind is Kind.MODULE and base.path is not None:
                found.append((base.path, node.attr.value))
    return found


def _enter(target: Path, name: str, settings: Settings) -> tuple[Path, Resolver, Scope] | None:
    """The module defining function ``name`` (re-exports followed), its resolver and the function's scope.

    The defining module is read as far as a walk of calls from the function sees
    (firstparty.reach_module): the walk goes on into the functions it calls, which a model of
    what ``name``'s value depends on leaves out (a call statement in its body).
    """
    for _ in range(MAX_HOPS):
        if not str(target).endswith(".py") or not os.path.isfile(target):
            return None
        kind = firstparty.top_level_kind(target, name)
        if kind not in ("function", "import"):
            return None  # a class, an app, a constant: nothing to enter (and no libcst parse for it)
        model = load_model(target, name, reach=True) if kind == "function" else load_model(target, name)
        if model is None:
            return None
        resolver = _resolver_for(model, settings)
        binding = resolver.lookup(name, model.index.module_scope, _END)
        if binding is None:
            return None
        if binding.kind == "function" and binding.inner is not None:
            return target, resolver, binding.inner
        if binding.kind != "from":
            return None
        following = resolver._import_target(binding)
        if following is None:
            return None
        target, name = following, binding.imported
    return None
