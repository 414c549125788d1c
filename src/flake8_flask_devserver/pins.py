"""Which major version of a distribution a project's dependency files allow: ``below(folder, "connexion", 3)``.

Read from the folder of the linted file up to its project root (project.py); the
nearest folder whose files name the distribution decides. The files read:

- ``requirements*.txt`` and the files they include with ``-r``/``-c`` (constraints
  bound the install too), relative to the including file, inside the project root;
- ``Pipfile`` (``[packages]``) and ``Pipfile.lock`` (``default``);
- ``pyproject.toml``: ``[project] dependencies``, ``[tool.poetry.dependencies]``
  (Poetry's ``^``/``~`` constraints); ``poetry.lock``, ``uv.lock``, ``pdm.lock`` (a
  locked ``version``);
- ``setup.cfg`` (``install_requires``) and ``setup.py`` (every string literal that is a
  requirement of the distribution: ``install_requires`` is often a module constant).

Requirements are parsed with ``packaging`` (PEP 508 names, extras, markers; PEP 440
specifiers): a runtime dependency of the plugin. Environment markers are not
evaluated (the target interpreter is unknown); optional dependencies and extras groups
are not read (not installed by default).

One clear behaviour on odd input: a file that is not a regular file, is larger than
its cap, does not decode, or does not parse adds nothing (as if absent), never an
error; a requirement line that does not parse is skipped. Reads are bounded by
regularfile.read_capped and cached per folder until :func:`clear_caches`.
"""

from __future__ import annotations

import ast
import configparser
import enum
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from . import project
from .pyproject import too_deep
from .regularfile import read_capped

#: Dependency declarations are small; lock files of large projects reach a few MB.
MAX_BYTES = 1 << 20
MAX_LOCK_BYTES = 8 << 20
#: ``-r`` chains longer than this are not followed (real ones are 1-2 deep).
MAX_INCLUDES = 8
#: Files listed per folder (``requirements*.txt``) at most.
MAX_FILES = 64

_LOCKS = ("poetry.lock", "uv.lock", "pdm.lock")


class Verdict(enum.Enum):
    BELOW = "every allowed version is below the major"
    AT_LEAST = "every allowed version is at or above the major"
    EITHER = "versions on both sides are allowed (or the declarations disagree)"


def below(directory: Path, distribution: str, major: int | str) -> bool | None:
    """Whether the project allows only versions of ``distribution`` below ``major`` (``3``, or a release: ``"2.3"``).

    True: every declaration of the nearest folder that names it admits no version
    ``>= major`` (``connexion==2.7.0``, ``<3``, ``~=2.6``, a lock's ``2.14.2``); False:
    they admit only such versions; None: nothing names it, or the specifiers allow
    both, or the files disagree.
    """
    root = project.project_root(directory)
    for folder in (directory, *directory.parents):
        verdict = folder_verdict(str(folder), canonicalize_name(distribution), major, str(root))
        if verdict is not None:
            return {Verdict.BELOW: True, Verdict.AT_LEAST: False}.get(verdict)
        if folder == root or not project._within(folder, root):
            return None
    return None


@lru_cache(maxsize=1024)
def folder_verdict(folder: str, name: str, major: int | str, root: str) -> Verdict | None:
    """What one folder's dependency files say (None: they do not name the distribution)."""
    found = declarations(Path(folder), name, Path(root))
    verdicts = {_alternatives_verdict(alternatives, major) for alternatives in found}
    if not verdicts:
        return None
    if Verdict.BELOW in verdicts and Verdict.AT_LEAST in verdicts:
        return Verdict.EITHER  # contradictory files: which one is installed is not known
    if Verdict.BELOW in verdicts:
        return Verdict.BELOW  # installed together, the narrowest bound wins
    return Verdict.AT_LEAST if Verdict.AT_LEAST in verdicts else Verdict.EITHER


def _alternatives_verdict(alternatives: tuple[SpecifierSet, ...], major: int | str) -> Verdict:
    """One declaration admitting any of its alternatives (Poetry's ``||``): decided when they all agree."""
    verdicts = {verdict_of(found, major) for found in alternatives}
    return verdicts.pop() if len(verdicts) == 1 else Verdict.EITHER


def clear_caches() -> None:
    folder_verdict.cache_clear()


# -- what admits what ---------------------------------------------------------------


def verdict_of(specifiers: SpecifierSet, major: int | str) -> Verdict:
    """Where the versions a specifier set admits lie relative to a bound: ``3`` (a major version) or
    ``"2.3"`` (a release), compared by release numbers (a pre-release of the bound counts as at it).

    Worked out from each specifier's bound (PEP 440): ``==V`` and ``===V`` bound both
    ways, ``==V.*`` and ``~=V`` by their prefix, ``<``/``<=`` from above and ``>``/``>=``
    from below; ``!=`` bounds nothing. An empty set admits every version.
    """
    bound = Version(str(major)).release
    upper_below = any(_upper_below(spec, bound) for spec in specifiers)
    lower_at_least = any(_lower_at_least(spec, bound) for spec in specifiers)
    if upper_below and not lower_at_least:
        return Verdict.BELOW
    if lower_at_least and not upper_below:
        return Verdict.AT_LEAST
    return Verdict.EITHER  # unbounded, or bounded both ways (then it admits nothing)


def _version(spec: Specifier) -> Version | None:
    text = spec.version[:-2] if spec.version.endswith(".*") else spec.version
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _padded(release: tuple[int, ...], size: int) -> tuple[int, ...]:
    """``2.3`` as ``(2, 3, 0)`` next to a three-number release: PEP 440 pads with zeros to compare."""
    return release + (0,) * (size - len(release))


def _upper_below(spec: Specifier, bound: tuple[int, ...]) -> bool:
    """Whether this one specifier admits no version whose release is at ``bound`` or above."""
    version = _version(spec)
    if version is None or version.epoch:
        return False
    release = version.release
    size = max(len(release), len(bound))
    if spec.version.endswith(".*") or spec.operator == "~=":
        # ``==2.*`` admits releases starting 2; ``~=2.6`` is ``>=2.6, ==2.*`` (``~=2.6.1``: ``==2.6.*``)
        prefix = release if spec.version.endswith(".*") else release[:-1]
        return spec.operator in ("==", "~=") and prefix < _padded(bound, len(prefix))[: len(prefix)]
    if spec.operator in ("==", "===", "<="):
        return _padded(release, size) < _padded(bound, size)
    if spec.operator == "<":
        # ``<3`` excludes 3's pre-releases too (PEP 440: "<V" does not admit pre-releases of V)
        here, there = _padded(release, size), _padded(bound, size)
        return here < there or (here == there and not version.is_prerelease)
    return False


def _lower_at_least(spec: Specifier, bound: tuple[int, ...]) -> bool:
    version = _version(spec)
    if version is None:
        return False
    if version.epoch:
        return spec.operator in ("==", "===", ">=", ">", "~=")
    if spec.operator in ("==", "===", ">=", "~=", ">"):
        size = max(len(version.release), len(bound))
        return _padded(version.release, size) >= _padded(bound, size)
    return False


# -- reading the files ---------------------------------------------------------------


def declarations(folder: Path, name: str, root: Path) -> Iterator[tuple[SpecifierSet, ...]]:
    """The specifier sets this folder's dependency files give ``name`` (canonical), file by file."""
    for path in _listing(folder):
        base = path.name
        if base.startswith("requirements") and base.endswith(".txt"):
            yield from _requirements(path, name, root, set())
        elif base == "Pipfile":
            yield from _pipfile(path, name)
        elif base == "Pipfile.lock":
            yield from _pipfile_lock(path, name)
        elif base == "pyproject.toml":
            yield from _pyproject(path, name)
        elif base in _LOCKS:
            yield from _lock(path, name)
        elif base == "setup.cfg":
            yield from _setup_cfg(path, name)
        elif base == "setup.py":
            yield from _setup_py(path, name)


def _listing(folder: Path) -> list[Path]:
    fixed = ("Pipfile", "Pipfile.lock", "pyproject.toml", *_LOCKS, "setup.cfg", "setup.py")
    found = [folder / base for base in fixed]
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count > 10_000 or len(found) > MAX_FILES + len(fixed):
                    break
                if entry.name.startswith("requirements") and entry.name.endswith(".txt"):
                    found.append(folder / entry.name)
    except OSError:
        pass
    return sorted(found)


def _text(path: Path, limit: int = MAX_BYTES) -> str | None:
    """The file's text, or None when it is absent, not regular, too large or not text."""
    try:
        data, _ = read_capped(path, limit)
    except Exception:  # noqa: BLE001 - absent, FIFO, too large, unreadable: nothing declared here
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _toml(path: Path, limit: int = MAX_BYTES) -> dict[str, object] | None:
    text = _text(path, limit)
    if text is None or too_deep(text) is not None:
        return None
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the tomli backport, a dependency there
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except Exception:  # noqa: BLE001 - malformed TOML declares nothing
        return None


def _requirement(text: str, name: str) -> SpecifierSet | None:
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    return requirement.specifier if canonicalize_name(requirement.name) == name else None


def _specifier(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text.strip())
    except InvalidSpecifier:
        return None


_INCLUDE = re.compile(r"(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_OPTION_TAIL = re.compile(r"\s+--?[A-Za-z]")


def _requirements(path: Path, name: str, root: Path, seen: set[Path]) -> Iterator[tuple[SpecifierSet, ...]]:
    """pip's requirements-file format: one requirement a line, ``#`` comments, ``\\`` continuations."""
    if len(seen) >= MAX_INCLUDES or path in seen:
        return
    seen.add(path)
    text = _text(path)
    if text is None:
        return
    for line in re.sub(r"\\\r?\n", " ", text).splitlines():
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if not line:
            continue
        include = _INCLUDE.fullmatch(line)
        if include:
            target = (path.parent / include.group(1)).resolve()
            if project._within(target, root.resolve()):
                yield from _requirements(target, name, root, seen)
            continue
        if line.startswith("-"):
            continue  # -e, --index-url, ...: no version bound
        tail = _OPTION_TAIL.search(line)  # ``pkg==1.0 --hash=sha256:...``
        found = _requirement(line[: tail.start()] if tail else line, name)
        if found is not None:
            yield (found,)


def _pipfile(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    data = _toml(path)
    packages = data.get("packages") if isinstance(data, dict) else None
    if isinstance(packages, dict):
        for key, value in packages.items():
            if canonicalize_name(str(key)) != name:
                continue
            version = value.get("version") if isinstance(value, dict) else value
            if isinstance(version, str):
                found = _specifier("" if version.strip() == "*" else version)
                if found is not None:
                    yield (found,)


def _pipfile_lock(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    text = _text(path, MAX_LOCK_BYTES)
    try:
        data = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return
    default = data.get("default") if isinstance(data, dict) else None
    if isinstance(default, dict):
        for key, value in default.items():
            if canonicalize_name(str(key)) == name and isinstance(value, dict) and isinstance(value.get("version"), str):
                found = _specifier(value["version"])
                if found is not None:
                    yield (found,)


def _pyproject(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    data = _toml(path)
    if not isinstance(data, dict):
        return
    table = data.get("project")
    dependencies = table.get("dependencies") if isinstance(table, dict) else None
    if isinstance(dependencies, list):
        for item in dependencies:
            found = _requirement(item, name) if isinstance(item, str) else None
            if found is not None:
                yield (found,)
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    table = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(table, dict):
        for key, value in table.items():
            if canonicalize_name(str(key)) != name:
                continue
            version = value.get("version") if isinstance(value, dict) else value
            if isinstance(version, str):
                found = poetry_constraint(version)
                if found is not None:
                    yield found


def _lock(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    """poetry.lock, uv.lock, pdm.lock: ``[[package]]`` tables with ``name`` and the locked ``version``."""
    data = _toml(path, MAX_LOCK_BYTES)
    packages = data.get("package") if isinstance(data, dict) else None
    if isinstance(packages, list):
        for package in packages:
            if isinstance(package, dict) and canonicalize_name(str(package.get("name", ""))) == name:
                version = package.get("version")
                found = _specifier(f"=={version}") if isinstance(version, str) else None
                if found is not None:
                    yield (found,)


def _setup_cfg(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    text = _text(path)
    if text is None:
        return
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
        value = parser.get("options", "install_requires", fallback="")
    except (configparser.Error, ValueError):
        return
    yield from _lines(value.splitlines(), name)


def _setup_py(path: Path, name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    text = _text(path)
    if text is None or name not in re.sub(r"[-_.]+", "-", text.lower()):
        return  # (cheap: most setup.py files never name it)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    strings = (node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str))
    yield from _lines((s for s in strings if len(s) < 500), name)


def _lines(lines: Iterable[str], name: str) -> Iterator[tuple[SpecifierSet, ...]]:
    for line in lines:
        line = line.split("#", 1)[0].strip()
        found = _requirement(line, name) if line else None
        if found is not None:
            yield (found,)


# -- Poetry's constraint syntax -------------------------------------------------------

_POETRY_VERSION = re.compile(r"\d+(?:\.\d+)*")


def poetry_constraint(text: str) -> tuple[SpecifierSet, ...] | None:
    """Poetry's version constraint as PEP 440 (poetry-core's ``parse_constraint``).

    ``^2.7`` is ``>=2.7,<3`` (the first non-zero number may not change), ``~2.7`` is
    ``>=2.7,<2.8``, a bare ``2.7.0`` is ``==2.7.0``, ``*`` anything, and comma- or
    space-separated PEP 440 clauses stay as they are; ``a || b`` gives both alternatives.
    """
    alternatives = tuple(_poetry_clauses(part) for part in text.split("||"))
    return None if any(found is None for found in alternatives) else alternatives  # type: ignore[return-value]


def _poetry_clauses(text: str) -> SpecifierSet | None:
    clauses: list[str] = []
    for clause in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text.strip()):
        clause = clause.strip()
        if not clause or clause == "*":
            continue
        if clause[0] in "^~" and not clause.startswith("~="):
            numbers = clause[1:].strip()
            if not _POETRY_VERSION.fullmatch(numbers):
                return None
            parts = [int(part) for part in numbers.split(".")]
            if clause[0] == "^":
                index = next((i for i, part in enumerate(parts) if part), len(parts) - 1)
            else:
                index = 0 if len(parts) == 1 else 1
            upper = [*parts[:index], parts[index] + 1]
            clauses += [f">={numbers}", f"<{'.'.join(map(str, upper))}"]
        elif clause[0].isdigit():
            clauses.append(f"=={clause}")
        else:
            clauses.append(clause)
    return _specifier(",".join(clauses))


def ignores_flask_env(directory: Path) -> bool:
    """Whether the project pins Flask 2.3 or later, which ignores ``FLASK_ENV``.

    Flask 2.2 deprecated ``FLASK_ENV`` and 2.3.0 removed it (CHANGES.rst, "Version 2.3.0":
    "The FLASK_ENV environment variable, ENV config key, and app.env property are
    removed"). With no pin, or one that admits an older Flask, it may still turn debug on.
    """
    return below(directory, "flask", "2.3") is False
