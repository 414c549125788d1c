"""Where a file sits in its project: its import path, and the first-party modules it can reach.

Pure filesystem reading, no libcst, so the cheap gate can use it. Nothing is
imported or executed, and nothing outside the project root is ever read.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

#: Files or folders whose presence marks a project root.
_ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

#: Modules that can create a Flask-family app or a development server. Text that
#: imports none of them (directly or through a first-party module) cannot hold
#: an app, so the engine never parses it.
FAMILY_MODULES = ("flask", "quart", "apiflask", "dash", "flask_socketio", "werkzeug")

_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|(?:[^\\\n]|\\[^\n]|\\\n)*)", re.MULTILINE
)
_PLAIN_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+)", re.MULTILINE)
_FAMILY_IMPORT = re.compile(
    r"^[ \t]*(?:from|import)[ \t][^\n]*\b(?:" + "|".join(FAMILY_MODULES) + r")\b",
    re.MULTILINE,
)

#: Largest file the engine reads to resolve an import (bytes).
MAX_MODULE_BYTES = 2_000_000


def imports_family(source: str) -> bool:
    """Whether the text has an import line that names a Flask-family module."""
    return _FAMILY_IMPORT.search(source) is not None


@lru_cache(maxsize=4096)
def project_root(directory: Path) -> Path:
    """The nearest folder at or above ``directory`` with a project marker.

    Without one, the top of the package that holds ``directory``.
    """
    # os.path.exists/isfile/isdir throughout, not Path's: they say False for a folder we
    # may not search, where Path.is_file raises PermissionError (before Python 3.14).
    for folder in (directory, *directory.parents):
        if any(os.path.exists(folder / marker) for marker in _ROOT_MARKERS):
            return folder
    return package_root(directory)


@lru_cache(maxsize=4096)
def package_root(directory: Path) -> Path:
    """The folder that would be on ``sys.path`` for a module in ``directory``."""
    folder = directory
    while os.path.isfile(folder / "__init__.py") and folder.parent != folder:
        folder = folder.parent
    return folder


def module_name(path: Path | None) -> str | None:
    """The dotted import path of a file (``src/shop/web.py`` -> ``shop.web``)."""
    if path is None or path.suffix not in (".py", ".pyi"):
        return None
    path = _absolute(path)
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while os.path.isfile(folder / "__init__.py") and folder.parent != folder:
        parts.append(folder.name)
        folder = folder.parent
    if not parts:
        return path.parent.name or None
    return ".".join(reversed(parts))


def is_test_file(path: Path) -> bool:
    """Test code (``test_*.py``, ``*_test.py``, ``conftest.py``, or under a ``tests`` folder of the project).

    Tests start servers and switch debug on for good reasons; none of it ships.
    """
    name = path.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    path = _absolute(path)
    root = project_root(path.parent)
    try:
        folders = path.parent.relative_to(root).parts
    except ValueError:
        return False
    return any(folder in ("tests", "test") for folder in folders)


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


@lru_cache(maxsize=4096)
def _search_roots(directory: Path) -> tuple[Path, ...]:
    """Folders an absolute import from a file in ``directory`` is looked up in."""
    root = project_root(directory)
    candidates = [package_root(directory), directory, root / "src", root]
    seen: list[Path] = []
    for folder in candidates:
        if os.path.isdir(folder) and _within(folder, root) and folder not in seen:
            seen.append(folder)
    return tuple(seen)


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def find_module(name: str, level: int, importer: Path) -> Path | None:
    """The source file of a first-party module imported from ``importer``.

    ``level`` is the number of leading dots of a relative import. Returns None
    for anything that is not a readable file inside the importer's project.
    """
    importer = _absolute(importer)
    directory = importer.parent
    root = project_root(directory)
    parts = [part for part in name.split(".") if part]
    if level:
        base = directory
        for _ in range(level - 1):
            base = base.parent
        bases: tuple[Path, ...] = (base,)
    else:
        bases = _search_roots(directory)
    for base in bases:
        found = _module_file(base, tuple(parts))
        if found is not None and _within(found, root) and found != importer:
            return found
    return None


@lru_cache(maxsize=8192)
def _module_file(base: Path, parts: tuple[str, ...]) -> Path | None:
    target = base.joinpath(*parts) if parts else base
    if parts:
        module = target.with_name(target.name + ".py")
        if os.path.isfile(module):
            return module
    package = target / "__init__.py"
    if os.path.isfile(package):
        return package
    return None


def read_source(path: Path) -> str | None:
    """A module's text, or None when it cannot be read as Python source."""
    try:
        if path.stat().st_size > MAX_MODULE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return decode_source(data)


def decode_source(data: bytes) -> str | None:
    """Decode Python source bytes the way the interpreter does (BOM, coding cookie)."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def first_party_imports(source: str) -> list[tuple[int, str]]:
    """``(level, module)`` of every module an import line in the text may name.

    ``from pkg import a, b`` yields ``pkg`` and also ``pkg.a`` and ``pkg.b``,
    which may be submodules.
    """
    found: list[tuple[int, str]] = []
    for dots, module, names in _FROM_IMPORT.findall(source):
        found.append((len(dots), module))
        for name in _imported_names(names):
            found.append((len(dots), f"{module}.{name}" if module else name))
    found.extend((0, module) for module in _PLAIN_IMPORT.findall(source))
    return found


def _imported_names(text: str) -> list[str]:
    """Names of a ``from X import`` list, parenthesised or continued over lines (aliases dropped)."""
    names: list[str] = []
    for item in re.sub(r"#[^\n]*", "", text).strip("()").replace("\\", " ").split(","):
        words = item.split()
        if words and words[0].isidentifier():
            names.append(words[0])
    return names


_may_provide_cache: dict[Path, bool] = {}


def may_provide_app(path: Path, extra_modules: tuple[str, ...] = ()) -> bool:
    """Whether a first-party module could hand out an app, a factory or a launcher.

    True when its text imports a Flask-family module (or a configured one), or
    when it imports from another first-party module for which this holds. Read
    once per process; cycles count as False.
    """
    path = _absolute(path)
    cached = _may_provide_cache.get(path)
    if cached is not None:
        return cached
    _may_provide_cache[path] = False  # guards import cycles
    result = False
    source = read_source(path)
    if source is not None:
        if imports_family(source) or imports_any(source, extra_modules):
            result = True
        else:
            for level, module in first_party_imports(source):
                target = find_module(module, level, path)
                if target is not None and may_provide_app(target, extra_modules):
                    result = True
                    break
    _may_provide_cache[path] = result
    return result


def imports_any(source: str, modules: tuple[str, ...]) -> bool:
    if not modules:
        return False
    for level, module in first_party_imports(source):
        top = module.split(".")[0]
        if not level and top in modules:
            return True
    return False


def clear_caches() -> None:
    """Forget everything read so far (tests, long-running editors)."""
    _may_provide_cache.clear()
    for cached in (project_root, package_root, _search_roots, _module_file):
        cached.cache_clear()
