"""Configuration that reaches a Flask app: which modules and classes a project loads into an app's config.

Read from Flask's own code (``src/flask/config.py``, pallets/flask at 2ac8988):

* ``Config.from_object(obj)``: a string is imported with Werkzeug's ``import_string``
  (``"a.b.c"`` or ``"a.b:c"``: the module ``a.b.c``, else attribute ``c`` of module
  ``a.b``; ``werkzeug/utils.py``), then every attribute of ``dir(obj)`` whose name
  ``isupper()`` is copied into the config. A module (``from_object(__name__)``,
  ``from_object("settings")``, ``from_object(settings)``) so hands over its
  module-level ``DEBUG``; a class hands over its class attributes, inherited ones too.
* ``Config.from_pyfile(filename)`` (the path resolved by configpaths.py): ``os.path.join(self.root_path, filename)`` is
  compiled and executed as a module whatever its suffix (``app.cfg`` is Python),
  then passed to ``from_object``. ``root_path`` is the app's ``root_path`` (the
  folder of the module named by ``import_name``, ``flask/helpers.py`` ``get_root_path``),
  or its instance folder when the app is built with ``instance_relative_config=True``
  (``App.make_config``; the instance folder is ``instance`` next to the package's
  import root, ``App.auto_find_instance_path``).
* ``Config.from_mapping``/``update`` write keys directly: debugswitches.py reads those.

The flake8 plugin checks the file that holds ``DEBUG = True`` (``settings.py``), so
the question asked there is the reverse one: does some module of this project load
me into a Flask config? An index answers it, built once per process for each
folder that can hold the module's loaders (:func:`scope`): every ``*.py`` file there
(virtualenvs, caches and hidden folders left out, regular files under the engine's
size cap, :data:`MAX_FILES` at most) is read as bytes and scanned; only files with
``.from_object(``/``.from_pyfile(`` are decoded (``project.decode_source``) and parsed
(through ``apps.load_model``, the engine's one guarded libcst parse), and only the
calls on a Flask-family app's ``config`` count. Test files are not loaders. Whether
any module of the project imports a Flask-family package, the evidence FDS204 needs
that a config class configures a Flask app, is another walk that stops at the first.

The index is asked only for a module whose top-level simple statements bind ``DEBUG``
(read on ``ast``, flake8's own tree when it has one), the only statements
:func:`module_switches` reports: a ``DEBUG`` in a config class, a function or a
docstring costs no walk and no libcst.

A module no loader names stays silent: Django's ``settings.py`` has ``DEBUG = True``
in every project, and no Flask app loads it.

No libcst at import: engine.screen asks :func:`screen` before libcst is paid for.
"""

from __future__ import annotations

import ast
import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import configloads, environments, gate, project, regularfile
from .configloads import MAX_STEPS, METHODS, Load  # noqa: F401 - MAX_STEPS: configvalues.py reads it here
from .model import Settings

if TYPE_CHECKING:
    from .analysis import Analysis, DebugSwitch

#: Python files read per project root for the index (a bound on the work, not on correctness:
#: a project past it has loaders left unseen, which only makes findings fewer).
MAX_FILES = 5000
#: Loader files parsed per project root.
MAX_LOADERS = 200
#: Folders the index never enters (the same spirit as the command's walk).
_SKIP = frozenset({"__pycache__", "node_modules", "site-packages", "__pypackages__"})


@dataclass(frozen=True)
class Facts(gate.Facts):
    """The gate's facts, plus: a module-level ``DEBUG`` of a module the project loads into an app's config."""

    module_debug: bool = False


@dataclass
class _Index:
    root: Path  # the folder walked: where loaders of the modules below it can live
    loader_files: list[Path] = field(default_factory=list)
    loads: dict[Settings, dict[Path, list[Load]]] = field(default_factory=dict)


_INDEXES: dict[Path, _Index] = {}
#: Per project root: whether some module imports a Flask-family package.
_FAMILY: dict[Path, bool] = {}
#: Per file, whether it is a loader (``_index``), and per loader and settings, its loads: indexes of
#: nested folders (a project inside another, a package root below the project root) overlap, and
#: each file is read, and each loader parsed, once per process.
_LOADER_FILES: dict[str, bool] = {}
_LOADS: dict[tuple[Path, Settings], list[Load]] = {}


def clear_caches() -> None:
    _INDEXES.clear()
    _FAMILY.clear()
    _LOADER_FILES.clear()
    _LOADS.clear()


# -- the index --------------------------------------------------------------
def scope(path: Path) -> Path:
    """The folder whose files may load the module at ``path`` into a config.

    ``from_object`` imports the module, so its loader has the module's import root
    on ``sys.path``: the loader lives under that root. A folder without
    ``__init__.py`` is still importable from its parent as a namespace package
    (``from_object("conf.settings")`` for ``conf/settings.py``) when its name is an
    identifier, so the root climbs over such folders up to the project root; a
    folder that cannot be a package name (``lib/python3.11``) ends the climb.
    ``from_pyfile`` reads a path relative to the app's root folder, which holds the
    loader, or to its instance folder, whose parent is the loader's import root. A
    file that is not a module (``app.cfg``, ``config/app.conf``) only ``from_pyfile``
    loads, by any path: its loader may be anywhere in the project.
    """
    folder = Path(os.path.abspath(path)).parent
    root = project.project_root(folder)
    if not str(path).endswith(".py") or not _inside(folder, root):
        return root
    top = project.package_root(folder)
    while top != root and top.name.isidentifier() and _inside(top.parent, root):
        top = top.parent
    return top if _inside(top, root) else root


def _inside(path: Path, root: Path) -> bool:
    return path == root or str(path).startswith(str(root).rstrip(os.sep) + os.sep)


def _index(path: Path) -> _Index:
    folder = scope(path)
    index = _INDEXES.get(folder)
    if index is None:
        index = _INDEXES[folder] = _Index(folder)
        for name, _size in _python_paths(folder):
            known = _LOADER_FILES.get(name)
            if known is None:
                known = _LOADER_FILES[name] = _is_loader(name)
            if known:
                index.loader_files.append(Path(name))
                if len(index.loader_files) >= MAX_LOADERS:
                    break
    return index


def _is_loader(name: str) -> bool:
    """Whether the file calls ``.from_object(``/``.from_pyfile(`` (and is no test file)."""
    data = _read(name)
    if data is None or b"from_" not in data or not (b"from_object" in data or b"from_pyfile" in data):
        return False
    source = project.decode_source(data)
    return source is not None and _calls_loader(source) and not project.is_test_file(Path(name))


def _read(name: str) -> bytes | None:
    """A file :func:`_python_paths` listed, as bytes (None: it cannot be read)."""
    try:  # (regular files only, under the engine's cap: a FIFO swapped in after the listing cannot block)
        return regularfile.read_capped(name, project.MAX_MODULE_BYTES)[0]
    except (OSError, regularfile.NotRegular, regularfile.TooLarge):
        return None


def _python_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """:func:`_python_paths`, each read as bytes (files that cannot be read are left out)."""
    for name, _size in _python_paths(root):
        data = _read(name)
        if data is not None:
            yield name, data


def _python_paths(root: Path) -> Iterator[tuple[str, int]]:
    """``*.py`` files under ``root`` with their sizes, depth first in name order, :data:`MAX_FILES` at most.

    Regular files only (never a FIFO or a device, never through a symlink), up to the
    engine's size cap; virtualenvs, caches and hidden folders are not entered. The
    caller reads them (:func:`_read`) as bytes, not text: decoding every file would
    cost several times the walk.
    """
    files = 0
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders: list[str] = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir():
                    name = entry.name
                    if not (name.startswith(".") or name in _SKIP or name.endswith(".egg-info")):
                        if not environments.is_environment_root(entry.path):
                            subfolders.append(entry.path)
                    continue
                if not entry.name.endswith(".py") or not entry.is_file():
                    continue
                size = entry.stat().st_size
                if size > project.MAX_MODULE_BYTES:
                    continue
                files += 1
                if files > MAX_FILES:
                    return
            except OSError:
                continue
            yield entry.path, size
        stack.extend(reversed(subfolders))


#: What an import of a Flask-family module spells (``flask`` covers flask_socketio and apiflask).
_FAMILY_BYTES = (b"flask", b"quart", b"dash", b"werkzeug")


def _calls_loader(source: str) -> bool:
    """``.from_object(`` or ``.from_pyfile(`` in the text (Celery's ``config_from_object`` is not)."""
    for method in METHODS:
        start = source.find(method)
        while start != -1:
            before = start - 1
            while before >= 0 and source[before] in " \t\\\r\n":
                before -= 1
            if before >= 0 and source[before] == ".":
                return True
            start = source.find(method, start + len(method))
    return False


def loads(path: Path, settings: Settings) -> dict[Path, list[Load]]:
    """Every load the project of ``path`` makes, by the file loaded (parsed on first use)."""
    index = _index(path)
    found = index.loads.get(settings)
    if found is None:
        found = index.loads[settings] = {}
        for loader in index.loader_files:
            loaded = _LOADS.get((loader, settings))
            if loaded is None:
                try:
                    loaded = configloads.loads_in(loader, settings)
                except (RecursionError, MemoryError, OSError, ValueError):
                    loaded = []  # a loader too deep or odd to read loads nothing we can tell: fewer findings, never a crash
                _LOADS[(loader, settings)] = loaded
            for load in loaded:
                found.setdefault(load.target, []).append(load)
    return found


def module_loads(path: Path, settings: Settings) -> list[Load]:
    """The loads that hand over the module-level names of the file at ``path``."""
    path = Path(os.path.abspath(path))
    return [load for load in loads(path, settings).get(path, ()) if load.attr is None]


def loaded_names(path: Path, settings: Settings) -> set[str]:
    """Names of objects in the file at ``path`` that some loader passes to ``from_object``."""
    path = Path(os.path.abspath(path))
    return {load.attr for load in loads(path, settings).get(path, ()) if load.attr is not None}


def project_uses_family(path: Path) -> bool:
    """Whether some module of the project of ``path`` imports a Flask-family package (stops at the first)."""
    root = project.project_root(Path(os.path.abspath(path)).parent)
    found = _FAMILY.get(root)
    if found is None:
        found = False
        for _, data in _python_files(root):
            if any(word in data for word in _FAMILY_BYTES):
                source = project.decode_source(data)
                if source is not None and project.imports_family(source):
                    found = True
                    break
        _FAMILY[root] = found
    return found


# -- the engine's hooks -----------------------------------------------------
def screen(
    source: str, where: Path, settings: Settings, facts: gate.Facts | None, tree: ast.AST | None = None
) -> gate.Facts | None:
    """After the gate: let a module-level ``DEBUG = ...`` through when the project loads the module into a config.

    ``tree``: ``ast.parse(source)`` when the caller has it (flake8 does). The loader index
    (:func:`module_loads`, which parses loader modules with libcst) is asked only for a module
    with a top-level ``DEBUG = ...`` statement, the only kind :func:`module_switches` reports.
    """
    if not _module_level_debug(source) or _dev_module(where, settings):
        return facts
    if not _top_level_debug(source, tree):
        return facts
    if not module_loads(where, settings):
        return facts
    if facts is None:
        facts = gate.Facts(starts=False, launchers=False, debugged=False, switches=False, config_classes=False)
    fields = {item.name: getattr(facts, item.name) for item in dataclasses.fields(gate.Facts)}
    return Facts(**{**fields, "switches": True, "module_debug": True})


def _dev_module(path: Path, settings: Settings) -> bool:
    """A module named for development or testing (``dev_settings.py``, ``local.cfg``), as config classes are
    (``dev-config-classes``): loaded for development on purpose, often under ``if app.debug:``."""
    from .model import is_dev_config_name

    return is_dev_config_name(Path(path).stem, settings.dev_config_classes)


def _module_level_debug(source: str) -> bool:
    """``DEBUG`` assigned (``DEBUG = v``, ``DEBUG: bool = v``, ``(DEBUG) = v``, across continuations), not spelled off.

    A screen that may say yes too often (the analysis decides): any whole word ``DEBUG``
    that is no attribute, followed by ``=``/``:`` past spaces, parentheses and line
    continuations. Each character is looked at a bounded number of times.
    """
    start = source.find("DEBUG")
    while start != -1:
        end = start + 5
        before = source[start - 1] if start else ""
        after = source[end] if end < len(source) else ""
        if not (before and (before.isalnum() or before in "_.")) and not (after.isalnum() or after == "_"):
            rest = _skip_gap(source, end)
            if source.startswith(":", rest) or (source.startswith("=", rest) and not source.startswith("==", rest)):
                value = _skip_gap(source, rest + 1, parens=False) if source.startswith("=", rest) else len(source)
                tail = source[value : value + 6]
                if not tail.startswith(("False", "None", "0\n", "0\r", "0 ", "0#")) and tail != "0":
                    return True
        start = source.find("DEBUG", end)
    return False


def _top_level_debug(source: str, tree: ast.AST | None) -> bool:
    """Whether a top-level simple statement binds ``DEBUG`` alone: ``DEBUG = v``, ``DEBUG: T = v``.

    Exactly the statements :func:`module_switches` reads (``Module.body``'s simple statement
    lines, one ``Assign`` target or an ``AnnAssign`` with a value, a ``Name``: parentheses
    around it, which libcst keeps, are gone in ``ast``), so a ``DEBUG`` in a class, a function,
    an ``if`` block or a docstring never builds the loader index. A source ``ast`` cannot
    parse (or too deep for it) is left to the index, as before.
    """
    if not isinstance(tree, ast.Module):
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return True
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target = statement.target
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "DEBUG":
            return True
    return False


def _skip_gap(source: str, index: int, parens: bool = True) -> int:
    """Past spaces, tabs, line continuations (and closing parentheses) from ``index``."""
    size = len(source)
    while index < size:
        char = source[index]
        if char in " \t" or (parens and char == ")"):
            index += 1
        elif char == "\\" and source.startswith(("\\\n", "\\\r"), index):
            index += 2 if not source.startswith("\\\r\n", index) else 3
        else:
            break
    return index


def module_switches(analysis: Analysis) -> list[DebugSwitch]:
    """``DEBUG = ...`` at the top of a module the project loads into an app's config (FDS201, FDS203)."""
    import libcst as cst

    from .analysis import DebugSwitch
    from .apps import Context, Site

    path = analysis.path
    index = analysis.model.index
    bindings = index.module_scope.bindings.get("DEBUG")
    if path is None or not bindings or _dev_module(path, analysis.settings):
        return []
    found_loads = module_loads(path, analysis.settings)
    if not found_loads:
        return []
    load = found_loads[0]
    what = f"DEBUG in a module loaded into the app's config ({load.describe(scope(path))})"
    seqs = {id(binding.node): binding.seq for binding in bindings}
    found: list[DebugSwitch] = []
    for line in analysis.model.module.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                target, value = small.target, small.value
            else:
                continue
            if isinstance(target, cst.Name) and target.value == "DEBUG" and id(value) in seqs:
                seq = seqs[id(value)]
                site = Site(target, index.module_scope, seq, Context.IMPORT, line, value)
                truth = analysis.truth(value, index.module_scope, seq)
                found.append(DebugSwitch(target, site, what, truth, value))
    return found


def configures_flask(analysis: Analysis, classes: list[str]) -> bool:
    """Evidence that config classes of this module configure a Flask-family app (FDS204).

    Any of: the module imports a Flask-family package (or a module whose apps, factories
    or launchers the project configured); a loader of the project passes
    one of the classes (or the module) to ``from_object``, by name, dotted name, or
    through a mapping of classes; some module of the project imports a Flask-family
    package. A Sanic or FastAPI project's config class has none of these.
    """
    tops = {
        binding.qualname.split(".")[0]
        for bindings in analysis.model.index.module_scope.bindings.values()
        for binding in bindings
        if binding.kind in ("import", "from") and not binding.level
    }
    if tops & {*project.FAMILY_MODULES, *gate.configured_modules(analysis.settings)}:
        return True  # a Flask-family import, or one of the project's configured apps, factories, launchers
    path = analysis.path
    if path is None:
        return False  # no project to look at
    if project_uses_family(path):
        return True
    loaded = loaded_names(path, analysis.settings)
    return bool(loaded & set(classes)) or bool(module_loads(path, analysis.settings))
