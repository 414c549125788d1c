"""Where a file sits in its project: its import path, and the first-party modules it can reach.

Pure filesystem reading, no libcst, so the cheap gate can use it. Nothing is
imported or executed, and nothing outside the project root is ever read.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Hashable, Iterator

from . import family

#: Files or folders whose presence marks a project root.
_ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")

#: Modules that can create a Flask-family app or a development server (the table in
#: family.py). Text that imports none of them (directly or through a first-party
#: module) cannot hold an app, so the engine never parses it.
FAMILY_MODULES = family.MODULES

_COMMENT = re.compile(r"#[^\n]*")

#: An import statement at the start of a line: ``from ..pkg import`` or ``import``.
_IMPORT_STATEMENT = re.compile(r"[ \t]*(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import\b[ \t]*(\(?)|import[ \t]+)")
#: An import statement's line (with backslash continuations), after a line start, ``;`` or ``:``.
_IMPORT_LINE = re.compile(
    # (a backslash takes the next character with it, so the two alternatives never start alike)
    r"(?:^|[;:])[ \t]*(?:from|import)[ \t\\](?:[^\n\\]|\\\r?[\s\S])*",
    re.MULTILINE,
)
_FAMILY_WORDS = frozenset(FAMILY_MODULES)

#: Largest file the engine reads to resolve an import (bytes).
MAX_MODULE_BYTES = 2_000_000


def imports_family(source: str) -> bool:
    """Whether the text has an import line that names a Flask-family module."""
    # str.find for each literal, then the whole identifier around a hit, then its line: far
    # cheaper than one alternation of the table's names tried at every character, and short
    # names (``eve``) hide in many words (``level``, ``event``). Each line is read once.
    size = len(source)
    spans: dict[int, list[tuple[int, int]]] = {}  # logical line start -> import statements on it
    starts: dict[int, int] = {}  # physical line start -> logical line start
    for literal in _FAMILY_LITERALS:
        line_start, line_end, maybe = 0, -1, False  # the physical line of the last hit (hits come in order)
        start = source.find(literal)
        while start != -1:
            left, right = start, start + len(literal)
            while left and _identifier(source[left - 1]):
                left -= 1
            while right < size and _identifier(source[right]):
                right += 1
            if source[left:right] in _FAMILY_WORDS:
                if not line_start <= left < line_end:
                    line_start = source.rfind("\n", 0, left) + 1
                    line_end = source.find("\n", left)
                    line_end = size if line_end == -1 else line_end
                    line = source[line_start:line_end]
                    # an import statement starts on this line, or on one it continues
                    maybe = "import" in line or "from" in line or (line_start > 0 and _continued(source, line_start - 1))
                if maybe and _in_import(source, left, right, line_start, spans, starts):
                    return True
            start = source.find(literal, right)
    return False


def _identifier(char: str) -> bool:
    return char.isalnum() or char == "_"


def _continued(source: str, newline: int) -> bool:
    """Whether the line ending at ``newline`` (the index of its ``\\n``) ends with a backslash."""
    return source[newline - 1 : newline] == "\\" or source[newline - 2 : newline] == "\\\r"


def _in_import(
    source: str, left: int, right: int, physical: int, spans: dict[int, list[tuple[int, int]]], starts: dict[int, int]
) -> bool:
    """Whether ``source[left:right]`` (on the line starting at ``physical``) is in an import statement
    of its (backslash-continued) line."""
    logical = starts.get(physical)
    if logical is None:
        walked = [physical]
        logical = physical
        while logical and _continued(source, logical - 1):
            logical = source.rfind("\n", 0, logical - 1) + 1
            known = starts.get(logical)
            if known is not None:
                logical = known
                break
            walked.append(logical)
        for line in walked:
            starts[line] = logical
    found = spans.get(logical)
    if found is None:
        end = source.find("\n", logical)
        while end != -1 and _continued(source, end):
            end = source.find("\n", end + 1)
        statements = _IMPORT_LINE.finditer(source, logical, len(source) if end == -1 else end)
        found = spans[logical] = [(statement.start(), statement.end()) for statement in statements]
    return any(first <= left and last >= right for first, last in found)


#: Literals to test before the regular expression: the module names, less those that
#: contain another (``flask`` covers flask_socketio and apiflask).
_FAMILY_LITERALS = tuple(name for name in FAMILY_MODULES if not any(other != name and other in name for other in FAMILY_MODULES))


def project_root(directory: Path) -> Path:
    """The nearest folder at or above ``directory`` with a project marker.

    Without one, the folder the run was started from (the working directory), when
    ``directory`` is inside it and it is neither the home folder nor the filesystem's
    root: ``flake8 .`` in an unpacked project, a folder that is not a repository. That
    is where flake8 itself starts (``flake8/options/config.py``, ``load_config``:
    ``pwd = os.path.abspath(".")``, its config search walking up from there and stopping
    at the home folder), and what a user means by "the project" when they lint it.
    Otherwise (a file outside the working directory, or a run from home), the top
    of the package that holds ``directory``.
    """
    try:
        invoked = os.getcwd()
    except OSError:  # the working directory was removed
        invoked = ""
    return _project_root(directory, invoked)


@lru_cache(maxsize=4096)
def _project_root(directory: Path, invoked: str) -> Path:
    # os.path.exists/isfile/isdir throughout, not Path's: they say False for a folder we
    # may not search, where Path.is_file raises PermissionError (before Python 3.14).
    for folder in (directory, *directory.parents):
        if _has_marker(str(folder)):
            return folder
    if invoked and _within(directory, Path(invoked)) and not _too_broad(invoked):
        return Path(invoked)
    return package_root(directory)


@lru_cache(maxsize=8192)
def _has_marker(folder: str) -> bool:
    """Whether ``folder`` holds a project marker: asked once per folder (sibling folders share their parents)."""
    return any(os.path.exists(os.path.join(folder, marker)) for marker in _ROOT_MARKERS)


def _too_broad(folder: str) -> bool:
    """The filesystem's root or the home folder: never a project by themselves."""
    if os.path.dirname(folder) == folder:
        return True
    home = os.path.expanduser("~")
    return home != "~" and os.path.normcase(os.path.abspath(home)) == os.path.normcase(folder)


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
    try:
        invoked = os.getcwd()
    except OSError:  # the working directory was removed
        invoked = ""
    return _in_test_folder(os.path.dirname(os.path.abspath(path)), invoked)


@lru_cache(maxsize=4096)
def _in_test_folder(folder: str, invoked: str) -> bool:
    """:func:`_test_folder` of ``folder`` in its project, per folder name (every file flake8 checks asks)."""
    return _test_folder(folder, str(_project_root(Path(folder), invoked)))


@lru_cache(maxsize=4096)
def _test_folder(folder: str, top: str) -> bool:
    """Whether a folder is a ``tests``/``test`` folder of its project (root ``top``), or inside one."""
    if folder == top or not _within(Path(folder), Path(top)):
        return False
    inner = folder[len(top) :].strip(os.sep).split(os.sep)
    return "tests" in inner or "test" in inner


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _within(path: Path, root: Path) -> bool:
    # Strings, not Path.parents: this runs for every import line the gate follows.
    inside = str(path)
    top = str(root)
    return inside == top or inside.startswith(top if top.endswith(os.sep) else top + os.sep)


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
    """``(level, module)`` of every module an import statement in the text may name.

    ``from pkg import a, b`` yields ``pkg`` and also ``pkg.a`` and ``pkg.b``,
    which may be submodules; ``import a.b, c`` yields ``a.b`` and ``c``. Only
    statements that start a line are read (parenthesised and continued name
    lists included).
    """
    if "\r" in source:  # lines as Python splits them (only names come out: offsets need not stay)
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    found: list[tuple[int, str]] = []
    line = -1
    at = source.find("import")
    while at != -1:
        start = _logical_start(source, source.rfind("\n", 0, at) + 1)
        if start != line:  # each line once (``from importlib import x`` holds two)
            line = start
            # The logical line, joined as Python joins it, without spaces inside dotted names
            # (``from pkg \\`` / ``    .mod import x``, ``import blog.\tviews``)
            text = _joined_line(source, start)
            statement = _IMPORT_STATEMENT.match(text)
            if statement is not None:
                dots, module, paren = statement.groups()
                if paren:  # the names run on over the following lines: read them where they are
                    names = _name_list(source, source.find("(", start) + 1, True)
                else:
                    names = _name_list(text, statement.end(), False)
                if dots is None and module is None:
                    found.extend((0, name) for name in names)
                else:
                    level = len(dots)
                    found.append((level, module))
                    found.extend((level, f"{module}.{name}" if module else name) for name in names)
        at = source.find("import", at + 6)
    return found


def _logical_start(source: str, start: int) -> int:
    """The start of the logical line that the physical line at ``start`` continues (a few lines back at most)."""
    for _ in range(_MAX_CONTINUED):
        ending = source[max(0, start - 3) : start]
        if ending.endswith("\\\r\n"):
            backslash = start - 3
        elif ending.endswith(("\\\n", "\\\r")):
            backslash = start - 2
        else:
            break
        start = max(source.rfind("\n", 0, backslash), source.rfind("\r", 0, backslash)) + 1
    return start


#: Continuation lines followed back to an import statement's start.
_MAX_CONTINUED = 32


def _joined_line(source: str, start: int) -> str:
    """The logical line from ``start``: backslash continuations joined, spaces around dots dropped."""
    line = source[start : _logical_end(source, start)].replace("\\\r\n", " ").replace("\\\n", " ").replace("\\\r", " ")
    return _SPACE_AFTER_DOT.sub("", _SPACE_BEFORE_DOT.sub("", line))


def _logical_end(source: str, start: int) -> int:
    """Where the logical line from ``start`` ends: its first line break (``\\n``, ``\\r\\n`` or a lone
    ``\\r``, as Python reads them) not joined by a backslash, else the text's end."""
    at = start
    while True:
        found = _LINE_BREAK.search(source, at)
        if found is None:
            return len(source)
        end = found.start()
        if source[end - 1 : end] != "\\":
            return end
        at = end + (2 if source[end : end + 2] == "\r\n" else 1)


_LINE_BREAK = re.compile(r"[\r\n]")
#: Spaces inside a dotted name (``pkg . mod``, as a continuation leaves it): Python reads ``pkg.mod``.
#: The lookbehinds fail at once inside a run of spaces, so each run is scanned once.
_SPACE_BEFORE_DOT = re.compile(r"(?<=\w)(?<!\bfrom)(?<!\bimport)[ \t]++(?=\.)")  # (``from . import x`` keeps its space)
_SPACE_AFTER_DOT = re.compile(r"(?<=\.)[ \t]++(?=\w)(?!import\b)")


def _name_list(source: str, start: int, parenthesised: bool) -> list[str]:
    """The imported names (``a.b`` of ``a.b as c``) from ``start`` to the end of the statement."""
    if parenthesised:
        end = source.find(")", start)
        end = len(source) if end == -1 else end
    else:
        end = _logical_end(source, start)
    text = _COMMENT.sub("", source[start:end])
    if not parenthesised:
        text = text.split(";", 1)[0]
    names = []
    for item in text.replace("\\", " ").split(","):
        words = item.split()
        if words and all(part.isidentifier() for part in words[0].split(".")):
            names.append(words[0])
    return names


#: Transitive answers per (module, question); only answers known to be final are kept.
_REACHES: dict[tuple[Path, Hashable], bool] = {}
#: Per module: the first-party modules its import lines name, and direct answers per question.
_IMPORTS: dict[Path, tuple[Path, ...]] = {}
_DIRECT: dict[tuple[Path, Hashable], bool] = {}

#: Most modules one search reads. Past it the answer is "maybe" (True, never cached): the
#: gate then lets the resolver decide, which is bounded on its own, so the result is the
#: same whatever the cache holds, the tree's size or flake8's ``-j``.
MAX_REACHED_MODULES = 5_000


def reaches(path: Path, question: Hashable, direct: Callable[[str], bool]) -> bool:
    """Whether ``direct`` holds for the text of ``path`` or of a first-party module it imports, transitively.

    Files are read once per process and never imported or executed. ``question``
    names ``direct`` in the caches (equal questions must mean equal functions).
    An iterative depth-first search: no recursion, whatever the import graph's depth.
    """
    path = _absolute(path)
    cached = _REACHES.get((path, question))
    if cached is not None:
        return cached
    visited: set[Path] = {path}
    # The path from ``path`` down to the module being expanded: (module, its imports not yet tried).
    trail: list[tuple[Path, Iterator[Path]]] = []
    if _holds(path, question, direct):
        _REACHES[(path, question)] = True
        return True
    trail.append((path, iter(_IMPORTS[path])))
    while trail:
        if len(visited) > MAX_REACHED_MODULES:
            return True  # too much to read: maybe (not cached)
        _module, pending = trail[-1]
        target = next(pending, None)
        if target is None:
            trail.pop()
            continue
        if target in visited:
            continue  # answered no already, or on the trail (an import cycle)
        visited.add(target)
        cached = _REACHES.get((target, question))
        if cached is False:
            continue
        if cached or _holds(target, question, direct):
            # Every module on the trail imports the next one down to ``target``: all reach it.
            for module, _ in trail:
                _REACHES[(module, question)] = True
            _REACHES[(target, question)] = True
            return True
        trail.append((target, iter(_IMPORTS[target])))
    # Nothing reachable from here holds, so nothing visited on the way does either.
    for module in visited:
        _REACHES[(module, question)] = False
    return False


def _holds(path: Path, question: Hashable, direct: Callable[[str], bool]) -> bool:
    """``direct`` on the text of ``path`` (read once per process), recording its imports on the way."""
    answer = _DIRECT.get((path, question))
    imports = _IMPORTS.get(path)
    if answer is None or imports is None:
        source = read_source(path)
        answer = _DIRECT[(path, question)] = source is not None and direct(source)
        if imports is None:
            _IMPORTS[path] = _imported_modules(source, path) if source is not None else ()
    return answer


def _imported_modules(source: str, path: Path) -> tuple[Path, ...]:
    from . import importsystem  # (it reads project roots from here)

    found: dict[Path, None] = {}
    importsystem.remember_source(path, source)
    for level, module in first_party_imports(source):
        target = importsystem.locate(module, level, path)
        if target is not None:
            found[target] = None
    return tuple(found)


def imported_modules(source: str, path: Path) -> tuple[Path, ...]:
    """The first-party modules the import lines of ``source`` (the file at ``path``) may name."""
    return _imported_modules(source, _absolute(path))


def may_provide_app(path: Path, extra_modules: tuple[str, ...] = ()) -> bool:
    """Whether a first-party module could hand out an app, a factory or a launcher.

    True when its text imports a Flask-family module (or a configured one), or
    when it imports from another first-party module for which this holds.
    """
    return reaches(path, ("family", extra_modules), lambda source: imports_family(source) or imports_any(source, extra_modules))


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
    _REACHES.clear()
    _IMPORTS.clear()
    _DIRECT.clear()
    for cached in (_project_root, _has_marker, package_root, _test_folder, _in_test_folder):
        cached.cache_clear()
    from . import importsystem, librarysource, pins

    importsystem.clear_caches()
    librarysource.clear_caches()
    pins.clear_caches()
