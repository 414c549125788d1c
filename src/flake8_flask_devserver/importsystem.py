"""Python's path-based import, modelled for a linted file: which file does ``import a.b`` load?

Nothing is imported or executed; folders are listed, files are never opened here.

Locating a module (:func:`find_spec`) follows CPython's ``importlib._bootstrap_external``
(Lib/importlib/_bootstrap_external.py, 3.10-3.14, unchanged in what is modelled here):

* ``PathFinder._get_spec`` tries each ``sys.path`` entry in order. The first entry whose
  finder returns a spec with a loader wins at once. A namespace portion (a spec with no
  loader) is remembered and the search goes on, so a module or package in a *later*
  entry still beats it; only when no entry has one do the gathered portions, from every
  entry in order, become a namespace package.
* ``FileFinder.find_spec``, per entry: a directory named like the module that holds
  ``__init__`` + a suffix is a package; else a file named like the module with a suffix
  is a module; else a bare directory of that name is a namespace portion. Suffixes are
  tried in ``_get_supported_file_loaders`` order: extension modules, then source
  (``.py``), then bytecode (``.pyc``), so ``m.cpython-312-x86_64-linux-gnu.so`` hides
  ``m.py``. Names are matched against the folder's listing (``_fill_cache``), so case
  matters as it does for CPython (``PYTHONCASEOK`` is not modelled). An entry that is
  not a folder has no finder (``FileFinder.path_hook``), and is skipped.
* ``a.b`` is looked up in ``a.__path__`` once ``a`` is found (``_bootstrap._find_and_load``
  imports parents first): the package's folder, or every portion of a namespace package.
  A module that is not a package has no submodules.

Which ``sys.path`` (:func:`search_paths`): a file can run in two ways, and each puts a
different folder first.

* As a script, ``python path/run.py``: the script's own folder comes first, whether or
  not it holds an ``__init__.py``.
* As a module of its package, ``python -m pkg.mod``, ``__main__.py``, or imported by a
  server or a test: the folder above its package (the import root) comes first. Folders
  above that one, when their names are identifiers, may be import roots too: the file's
  folder is then a namespace package (PEP 420), ``views/pages.py`` imported as
  ``views.pages`` by a script beside ``views/``. They are tried after, nearest first.

Both usually also have the project root and its ``src/`` (the working folder, an
editable install). Those come after the standard library on a real ``sys.path``, so a
standard-library name is never taken from them. A file with a ``__main__`` guard is a
script, tried as a script first and then as a module of its package: the first
interpretation under which the imported module is found wins. Any other file is a
module of its package (inside a package, ``import json`` next to ``pkg/json.py`` is the
standard library). Only source files inside the linted file's project are ever read.
"""

from __future__ import annotations

import importlib.machinery
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import project

#: Suffixes in the order FileFinder tries them (``_get_supported_file_loaders``: extensions, source, bytecode).
SUFFIXES: tuple[str, ...] = (
    *importlib.machinery.EXTENSION_SUFFIXES,
    *importlib.machinery.SOURCE_SUFFIXES,
    *importlib.machinery.BYTECODE_SUFFIXES,
)
_SOURCE = tuple(importlib.machinery.SOURCE_SUFFIXES)

#: Top-level names the interpreter finds before any project folder that follows the standard library.
_STANDARD = frozenset(getattr(sys, "stdlib_module_names", ())) | frozenset(sys.builtin_module_names)

#: ``if __name__ == "__main__":`` at the start of a line (either operand order); linear, no nested quantifiers.
_MAIN_GUARD = re.compile(
    r"""^[ \t]*if[ \t(]+(?:__name__[ \t]*==[ \t]*['"]__main__['"]|['"]__main__['"][ \t]*==[ \t]*__name__)""", re.M
)


@dataclass(frozen=True)
class Spec:
    """What ``importlib.util.find_spec`` says, as far as this linter cares."""

    name: str
    origin: Path | None  # the module's file (a package's ``__init__``); None for a namespace package
    locations: tuple[Path, ...] = ()  # ``submodule_search_locations``: () for a module that is no package


def find_spec(fullname: str, path: tuple[Path, ...], before_standard: int | None = None) -> Spec | None:
    """The spec ``importlib.util.find_spec(fullname)`` gives with ``sys.path == path`` (parents first).

    ``before_standard``: how many leading entries of ``path`` come before the standard
    library on the real ``sys.path`` (None: all); later ones never provide its names.
    """
    parts = fullname.split(".")
    if not all(parts):
        return None
    entries = path
    if before_standard is not None and parts[0] in _STANDARD:
        entries = path[:before_standard]
    spec: Spec | None = None
    for index, part in enumerate(parts):
        if spec is not None:
            if not spec.locations:
                return None  # ``a.b`` where ``a`` is a module: "a is not a package"
            entries = spec.locations
        spec = _path_finder(".".join(parts[: index + 1]), part, entries)
        if spec is None:
            return None
    return spec


def _path_finder(fullname: str, tail: str, entries: tuple[Path, ...]) -> Spec | None:
    """``PathFinder._get_spec``: the first entry with a module or package wins; portions gather."""
    portions: list[Path] = []
    for entry in entries:
        found = _file_finder(entry, tail)
        if found is None:
            continue
        kind, where = found
        if kind == "package":
            return Spec(fullname, where, (where.parent,))
        if kind == "module":
            return Spec(fullname, where)
        portions.append(where)
    return Spec(fullname, None, tuple(portions)) if portions else None


@lru_cache(maxsize=65536)
def _file_finder(entry: Path, tail: str) -> tuple[str, Path] | None:
    """``FileFinder.find_spec`` in one folder: ("package", its ``__init__``), ("module", file) or ("namespace", folder).

    Folder listings are read once (``FileFinder._fill_cache``) and answers kept per
    (folder, name), so the many files of one folder share them.
    """
    listing = _listing(str(entry))
    if not listing:
        return None
    namespace = False
    if tail in listing:
        base = os.path.join(entry, tail)
        inner = _listing(base)
        for suffix in SUFFIXES:
            init = "__init__" + suffix
            if init in inner and os.path.isfile(os.path.join(base, init)):
                return "package", Path(base, init)
        namespace = os.path.isdir(base)
    for suffix in SUFFIXES:
        name = tail + suffix
        if name in listing and os.path.isfile(os.path.join(entry, name)):
            return "module", Path(entry, name)
    if namespace:
        return "namespace", Path(entry, tail)
    return None


@lru_cache(maxsize=16384)
def _listing(folder: str) -> frozenset[str]:
    """The names in a folder; empty when it is not a readable folder (no finder for it)."""
    try:
        return frozenset(os.listdir(folder))
    except (OSError, ValueError):
        return frozenset()


def is_script(path: Path) -> bool:
    """Whether a file is meant to run as ``python path/file.py``: it has a ``__main__`` guard.

    ``__main__.py`` runs as ``python -m package``, with the import root first.
    """
    if path.name == "__main__.py":
        return False
    return _has_main_guard(path)


def remember_source(path: Path, source: str) -> None:
    """Tell a file's text when the caller has it already (the linted text, or a module just read)."""
    if path not in _GUARDS:
        if len(_GUARDS) >= 65536:
            _GUARDS.clear()
        _GUARDS[path] = _main_guard_in(source)


def _has_main_guard(path: Path) -> bool:
    found = _GUARDS.get(path)
    if found is None:
        source = project.read_source(path)
        found = _GUARDS[path] = source is not None and _main_guard_in(source)
    return found


def _main_guard_in(source: str) -> bool:
    return "__main__" in source and _MAIN_GUARD.search(source) is not None


_GUARDS: dict[Path, bool] = {}


def search_paths(importer: Path) -> tuple[tuple[Path, ...], ...]:
    """The ``sys.path`` folders of each way ``importer`` may run, the likeliest first (inside its project)."""
    return _search_paths(importer, _project_root(importer))


def _project_root(importer: Path) -> Path:
    """project.project_root of the importer's folder, kept per importer (and working folder).

    Asked for every import line the gate and the resolver follow: ``importer.parent`` made a new
    path each time, whose hash (for project.py's cache) cost more than the answer.
    """
    try:
        invoked = os.getcwd()
    except OSError:  # the working directory was removed (as project.project_root)
        invoked = ""
    return _root_of(importer, invoked)


@lru_cache(maxsize=16384)
def _root_of(importer: Path, invoked: str) -> Path:
    return project._project_root(importer.parent, invoked)


@lru_cache(maxsize=4096)
def _search_paths(importer: Path, root: Path) -> tuple[tuple[Path, ...], ...]:
    folder = importer.parent
    common = [entry for entry in (root / "src", root) if os.path.isdir(entry)]
    script = _unique([folder, *common], root)
    top = project.package_root(folder)
    module = _unique([top, *common], root)
    ways = [script, module] if is_script(importer) else [module]
    # A folder without __init__.py is still a package when a folder above it is on sys.path
    # (PEP 420 namespace packages): service/views/pages.py is imported as views.pages by
    # ``python service/boot.py``, with service/ first. Each such import root, nearest first,
    # up to the project root; a folder whose name is no identifier cannot be a package.
    # (The project root itself is in every way already.)
    while top.name.isidentifier() and top.parent != root and project._within(top.parent, root):
        top = top.parent
        ways.append(_unique([top, *common], root))
    return tuple(dict.fromkeys(way for way in ways if way))


def _unique(entries: list[Path], root: Path) -> tuple[Path, ...]:
    found: list[Path] = []
    for entry in entries:
        if entry not in found and project._within(entry, root):
            found.append(entry)
    return tuple(found)


def locate(name: str, level: int, importer: Path) -> Path | None:
    """The source file of a first-party module that ``importer`` imports (None: not first-party, or not source).

    ``level`` is the number of leading dots of a relative import, resolved in the
    importer's own package folder (its ``__path__``).
    """
    if not importer.is_absolute():
        importer = Path(os.path.abspath(importer))
    return _locate(name, level, importer, _project_root(importer))


@lru_cache(maxsize=16384)
def _locate(name: str, level: int, importer: Path, root: Path) -> Path | None:
    if level:
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
        spec = _shared_spec(name, (base,), None) if name else _package_spec(base)
        return _source(spec, root, importer)
    for path in search_paths(importer):
        spec = _shared_spec(name, path, 1)  # the script's folder or the import root comes before the stdlib
        found = _source(spec, root, importer)
        if found is not None:
            return found
    return None


#: find_spec, kept per (name, sys.path): the files of one folder share their answers.
_shared_spec = lru_cache(maxsize=65536)(find_spec)


def _package_spec(folder: Path) -> Spec | None:
    """``from . import x`` names the importer's own package (its ``__init__``)."""
    init = folder / "__init__.py"
    return Spec(folder.name, init, (folder,)) if os.path.isfile(init) else None


def _source(spec: Spec | None, root: Path, importer: Path) -> Path | None:
    """The spec's file when it is Python source inside the project (and not the importer itself)."""
    if spec is None or spec.origin is None or not spec.origin.name.endswith(_SOURCE):
        return None
    origin = spec.origin
    if origin == importer or not project._within(origin, root):
        return None
    return origin


def submodule(package: Path, attr: str) -> Path | None:
    """``pkg.attr`` as a submodule of the package whose ``__init__.py`` is ``package``."""
    if package.name != "__init__.py":
        return None
    spec = find_spec(attr, (package.parent,))
    root = project.project_root(package.parent)
    return _source(spec, root, package)


def flask_ext(qualname: str) -> str:
    """``flask.ext.X...`` as Flask before 1.0 imported it: ``flask_X...``.

    Flask 0.8-0.12 installed ``flask.exthook.ExtensionImporter(['flask_%s', 'flaskext.%s'],
    'flask.ext')`` (flask/ext/__init__.py), which maps ``flask.ext.foo.bar`` to
    ``flask_foo.bar``, and to ``flaskext.foo.bar`` when that import fails. Flask 1.0
    removed it. The first choice is what installed extensions provide.
    """
    if qualname.startswith("flask.ext."):
        return "flask_" + qualname[len("flask.ext.") :]
    return qualname


def clear_caches() -> None:
    for cached in (_listing, _file_finder, _shared_spec, _search_paths, _locate, _root_of):
        cached.cache_clear()
    _GUARDS.clear()
