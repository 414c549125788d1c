"""Following names across first-party modules: what ``from shop.web import app`` is in shop/web.py.

Modules are read, never imported: firstparty.py parses only the statements a name needs,
and a model (the parsed statements and their index) is kept for a few names at a time.
What a name turns out to be is kept for the process in :data:`_EXPORTS`, unless the
answer was cut short (a depth limit or an import cycle), so results never depend on the
order files are linted in. A chain of re-exports is answered from its far end first,
so its length costs no stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from . import firstparty, project
from .model import Settings
from .moduleindex import _END, ModuleIndex

if TYPE_CHECKING:
    from . import apps
    from .apps import Value

#: Nesting of cross-module and recursive lookups before giving up (cycles, deep chains).
MAX_DEPTH = 24


def _own_name(path: Path | None) -> str | None:
    """The last part of the module's import name: its stem, or its package's folder for ``__init__.py``."""
    if path is None:
        return None
    return path.parent.name if path.stem == "__init__" else path.stem


class ModuleModel:
    """A parsed module with its index."""

    def __init__(self, module: cst.Module, path: Path | None) -> None:
        self.module = module
        self.path = path
        self.name = project.module_name(path) if path is not None else None
        self.index = ModuleIndex(module, is_main_module=path is not None and path.name == "__main__.py", own_name=_own_name(path)).run(module)
        self.resolvers: dict[Settings, apps.Resolver] = {}  # for first-party modules read by others


def load_model(path: Path, name: str | None = None, reach: bool = False) -> ModuleModel | None:
    """A first-party module, parsed only as far as ``name`` needs (all of it without a name); with
    ``reach``, as far as a walk of calls from function ``name`` (or from the ``__main__`` guard,
    without a name) needs (firstparty.reach_module).

    Models are kept for a few names at a time; firstparty.py parses each statement at
    most once, and what resolution learns is kept in :data:`_EXPORTS`.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (path, name, reach)
    cached = _MODELS.get(key)
    if cached is not None and cached[0] == stamp:
        _MODELS[key] = _MODELS.pop(key)  # most recently used last
        return cached[1]
    model: ModuleModel | None = None
    module = firstparty.reach_module(path, name) if reach else firstparty.module(path, name)
    if module is not None:
        try:
            model = ModuleModel(module, path)
        except (RecursionError, ValueError):
            model = None
    _MODELS[key] = (stamp, model)
    while len(_MODELS) > _MAX_MODELS:
        _MODELS.pop(next(iter(_MODELS)))
    return model


#: Recently parsed first-party modules: (path, name) -> (file stamp, model), least recently used first.
_MODELS: dict[tuple[Path, str | None, bool], tuple[tuple[int, int], ModuleModel | None]] = {}
_MAX_MODELS = 32

#: What a name in a first-party module is, per process: (path, name, settings) -> (file stamp, value).
_EXPORTS: dict[tuple[Path, str, Settings], tuple[tuple[int, int], Value | None]] = {}
_MAX_EXPORTS = 65536
#: Exports being answered: asking again means an import cycle.
_ACTIVE: set[tuple[Path, str]] = set()
#: Modules part-way through their own code: path -> the position (seq) of the import statement
#: being run. Python puts a module in ``sys.modules`` before running it, so an import cycle back
#: into it finds the names bound above that statement (``importlib._bootstrap._load_unlocked``;
#: the language reference, "The import system", 5.3.1). Flask's "larger applications" layout
#: depends on it: ``app = Flask(...)`` then ``from .views import *``, where views does
#: ``from pkg import app``.
_EXECUTING: dict[Path, int] = {}


def clear_caches() -> None:
    from . import configflow, crosslaunch, kindbounds

    crosslaunch.clear_caches()
    kindbounds.clear_caches()
    _MODELS.clear()
    _EXPORTS.clear()
    firstparty.clear_caches()
    configflow.clear_caches()


class _Cut:
    """Whether a lookup gave up (depth limit, cycle) since the last memo decision.

    Process-wide, since lookups cross modules: a partial answer must not be
    memoised by any resolver on the way, or results would depend on lint order.
    """

    gave_up = False
    walking = False  # answering a chain of re-exports from its far end


_cut = _Cut()


def _module_export(path: Path, name: str, settings: Settings, depth: int) -> Value | None:
    """What ``name`` is in the first-party module at ``path`` (read, never imported)."""
    if depth > MAX_DEPTH:
        _cut.gave_up = True
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (path, name, settings)
    cached = _EXPORTS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if (path, name) in _ACTIVE:
        _cut.gave_up = True  # an import cycle: this answer depends on where the cycle began
        return _partly_run_export(path, name, settings, depth)
    if not _ACTIVE and not _cut.walking:
        _answer_reexports_first(path, name, settings)
    outer_cut, _cut.gave_up = _cut.gave_up, False
    _ACTIVE.add((path, name))
    try:
        model = load_model(path, name)
        value = _resolver_for(model, settings).export(name, depth + 1) if model is not None else None
    finally:
        _ACTIVE.discard((path, name))
    if not _cut.gave_up:  # partial answers are not kept: results must not depend on lint order
        if len(_EXPORTS) >= _MAX_EXPORTS:
            _EXPORTS.pop(next(iter(_EXPORTS)))
        _EXPORTS[key] = (stamp, value)
    _cut.gave_up = _cut.gave_up or outer_cut
    return value


def importing(path: Path | None, seq: int, target: Path, name: str, settings: Settings, depth: int) -> Value | None:
    """:func:`_module_export` of ``target`` asked by the statement at ``seq`` of the module at ``path``."""
    if path is None or path in _EXECUTING:
        return _module_export(target, name, settings, depth)
    _EXECUTING[path] = seq
    try:
        return _module_export(target, name, settings, depth)
    finally:
        del _EXECUTING[path]


def _partly_run_export(path: Path, name: str, settings: Settings, depth: int) -> Value | None:
    """``name`` in a module that an import cycle re-enters: its binding above the running import."""
    seq = _EXECUTING.get(path)
    model = load_model(path, name) if seq is not None else None
    if model is None or seq is None:
        return None
    resolver = _resolver_for(model, settings)
    binding = resolver.lookup(name, model.index.module_scope, seq)
    return resolver._binding_value(binding, name, depth + 1) if binding is not None else None


#: Longest chain of re-exports (``from b import x`` in a, ``from c import x`` in b...) followed.
MAX_REEXPORTS = 10_000


def _answer_reexports_first(path: Path, name: str, settings: Settings) -> None:
    """Answer the far end of a chain of re-exports first, then each link back towards ``path``.

    Each link then finds the next one answered (in :data:`_EXPORTS`), so a chain of any
    length resolves without the stack growing with it, and the answer does not depend on
    how deep the question was asked. A walk, no recursion; import cycles end it.
    """
    chain: list[tuple[Path, str]] = []
    seen = {(path, name)}
    while len(chain) < MAX_REEXPORTS:
        model = load_model(path, name)
        if model is None:
            break
        resolver = _resolver_for(model, settings)
        binding = resolver.lookup(name, model.index.module_scope, _END)
        if binding is None or binding.kind != "from":
            break
        target = resolver._import_target(binding)
        if target is None or (target, binding.imported) in seen:
            break
        path, name = target, binding.imported
        seen.add((path, name))
        chain.append((path, name))
    _cut.walking = True
    try:
        for link_path, link_name in reversed(chain[1:]):  # the first link is answered by the caller
            _module_export(link_path, link_name, settings, 0)
    finally:
        _cut.walking = False


def _resolver_for(model: ModuleModel, settings: Settings) -> apps.Resolver:
    """One resolver per model and settings (its memo lives as long as the model)."""
    from . import apps  # (apps imports this module)

    resolver = model.resolvers.get(settings)
    if resolver is None:
        resolver = model.resolvers[settings] = apps.Resolver(model, settings)
    return resolver
