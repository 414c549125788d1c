"""Project configuration: ``[tool.flake8-flask-devserver]`` in pyproject.toml and flake8 options.

Two sources, merged key by key: a flake8 option the user set (command line or
flake8 config file) wins over the nearest pyproject table, which wins over the
defaults. Nothing here imports flake8 or libcst. Every problem becomes a
:class:`ConfigError` with one line naming the file, the key and what was
expected; unknown keys only warn.
"""

from __future__ import annotations

import configparser
import importlib
import keyword
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence

from . import pyproject, warnonce
from .model import DEFAULT_SETTINGS, Launcher, Settings

TABLE = "flake8-flask-devserver"
SECTION = f"[tool.{TABLE}]"

#: pyproject key -> Settings field. The flake8 option is ``--flask-<key>``.
KEYS: dict[str, str] = {
    "app-classes": "app_classes",
    "app-factories": "app_factories",
    "server-launchers": "server_launchers",
    "dev-config-classes": "dev_config_classes",
    "allowed-hosts": "allowed_hosts",
}
FIELDS: tuple[str, ...] = tuple(KEYS.values())
LAUNCHER_KEYS = ("name", "host", "debug")

#: Python 3.11 ships tomllib; older interpreters use the tomli backport (a dependency there).
_USE_TOMLLIB = sys.version_info >= (3, 11)

#: Cheap test on raw bytes: a pyproject that never names us is never parsed.
_MENTIONS_US = re.compile(rb"flake8[-_]flask[-_]devserver", re.IGNORECASE)
_TOML_POSITION = re.compile(r" \(at line (\d+), column (\d+)\)$")
_PATTERN = re.compile(r"^[\w*?\[\]!-]+$")
_HOST = re.compile(r"^[^\s,]+$")

Warn = Callable[[str], None]


class ConfigError(Exception):
    """A configuration problem, with a one-line message naming the file and the key.

    ``where`` names the file and key (``shop/pyproject.toml: [tool.flake8-flask-devserver]
    app-classes``), ``problem`` says what was expected.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def warn_stderr(message: str) -> None:
    """The default warning sink: one line on stderr, once per run (across flake8's workers too)."""
    if warnonce.first_time(message):
        print(f"flake8-flask-devserver: warning: {message}", file=sys.stderr)


# -- the public entry point ---------------------------------------------------


def settings_for(
    path: Path | None,
    base: Settings | None = None,
    *,
    explicit: frozenset[str] | None = None,
    warn: Warn | None = None,
) -> Settings:
    """Settings for a file: ``base`` (flake8 options) over its nearest pyproject table over defaults.

    ``path`` is the linted file (or a folder); None means standard input, looked
    up from the current directory. Fields of ``base`` named in ``explicit`` win
    over the pyproject table; without ``explicit``, the fields of ``base`` that
    differ from the defaults do. ``warn`` receives unknown-key warnings the
    first time a pyproject is read (stderr by default). Raises
    :class:`ConfigError` when the governing pyproject is broken.
    """
    directory = _directory(path)
    key = (directory, base, explicit)
    cached = _SETTINGS.get(key)
    if cached is None:
        table = nearest_table(directory, warn or warn_stderr)
        cached = merge(table.values if table else {}, base, explicit)
        _SETTINGS[key] = cached
    return cached


def settings_for_file(
    filename: str, base: Settings | None = None, *, explicit: frozenset[str] | None = None
) -> Settings:
    """:func:`settings_for` a file flake8 names, remembered per folder name (no ``stat`` per file).

    The last answer is kept apart too: flake8 checks a folder's files one after another, and
    the same ``base``/``explicit`` objects then need no hashing (a Settings hashes all its fields).
    """
    folder = os.path.dirname(os.path.abspath(filename))
    last = _last_file_settings  # one read: another thread may replace it meanwhile
    if last is not None and last[0] == folder and last[1] is base and last[2] is explicit:
        return last[3]
    key = (folder, base, explicit)
    cached = _FILE_SETTINGS.get(key)
    if cached is None:
        cached = _FILE_SETTINGS[key] = settings_for(Path(folder), base, explicit=explicit)
    globals()["_last_file_settings"] = (folder, base, explicit, cached)
    return cached


_last_file_settings: tuple[str, Settings | None, frozenset[str] | None, Settings] | None = None


def merge(values: Mapping[str, Any], base: Settings | None, explicit: frozenset[str] | None) -> Settings:
    """Key by key: explicit ``base`` fields, then pyproject ``values``, then the rest of ``base``."""
    if base is None:
        base = DEFAULT_SETTINGS
        explicit = frozenset()
    elif explicit is None:
        explicit = frozenset(f for f in FIELDS if getattr(base, f) != getattr(DEFAULT_SETTINGS, f))
    chosen = {f: getattr(base, f) if f in explicit or f not in values else values[f] for f in FIELDS}
    return Settings(**chosen)


def clear_caches() -> None:
    """Forget every pyproject read so far (tests, long-running editors)."""
    global _TOML_MODULE
    _TOML_MODULE = None
    warnonce.forget()
    _TABLES.clear()
    _NEAREST.clear()
    _SETTINGS.clear()
    _FILE_SETTINGS.clear()
    globals()["_last_file_settings"] = None


# -- finding and reading pyproject.toml ---------------------------------------


@dataclass(frozen=True)
class ProjectTable:
    """A parsed ``[tool.flake8-flask-devserver]`` table: Settings field -> value."""

    path: Path
    values: Mapping[str, Any]


#: A lookup's outcome: the table, no table, or the error to raise for every file it governs.
_Found = ProjectTable | ConfigError | None

_TABLES: dict[Path, _Found] = {}  # per folder: its own pyproject.toml
_NEAREST: dict[Path, _Found] = {}  # per folder: the table that governs it
_SETTINGS: dict[tuple[Path, Settings | None, frozenset[str] | None], Settings] = {}
_FILE_SETTINGS: dict[tuple[str, Settings | None, frozenset[str] | None], Settings] = {}


def _directory(path: Path | None) -> Path:
    if path is None:
        return Path(os.getcwd())
    absolute = Path(os.path.abspath(path))
    # os.path.isdir, not Path.is_dir: it answers False for a folder the user cannot
    # search or a name over NAME_MAX, where Path.is_dir raises (flake8 says E902 there).
    return absolute if os.path.isdir(absolute) else absolute.parent


def nearest_table(directory: Path, warn: Warn = warn_stderr) -> ProjectTable | None:
    """The first pyproject.toml with our table at or above ``directory``, up to the repository root.

    Without a repository root the search stops below the home folder, as flake8's
    own configuration search does (:func:`pyproject.upward`). Each folder's file is
    read once per process; a broken one raises (again) for every directory it governs.
    """
    if directory not in _NEAREST:
        found: _Found = None
        for folder in pyproject.upward(directory):
            if folder not in _TABLES:
                _TABLES[folder] = _read_or_error(folder / "pyproject.toml", warn)
            found = _TABLES[folder]
            if found is not None or pyproject.is_repository_root(folder):
                break
        _NEAREST[directory] = found
    found = _NEAREST[directory]
    if isinstance(found, ConfigError):
        raise found
    return found


def _read_or_error(path: Path, warn: Warn) -> _Found:
    try:
        return _read_table(path, warn)
    except ConfigError as error:
        return error


def _read_table(path: Path, warn: Warn) -> ProjectTable | None:
    try:
        data = pyproject.read_regular(path)
    except pyproject.Unreadable as error:
        warn(f"{display(path)}: {error}; ignored")
        return None
    if data is None or not _MENTIONS_US.search(data):
        return None
    try:
        document = parse_toml(path, data)
    except ConfigError as error:
        if pyproject.claims_table(data):
            raise
        # It names the plugin only as a dependency, say: its syntax is not our business.
        warn(f"{error}; ignored (it has no {SECTION} table)")
        return None
    tool = document.get("tool")
    if not isinstance(tool, dict):
        return None
    if TABLE not in tool:
        import difflib  # (only for a misspelt table or key)

        for near in difflib.get_close_matches(TABLE, [str(k) for k in tool], n=1, cutoff=0.8):
            warn(f"{display(path)}: unknown table [tool.{near}] (did you mean {SECTION}?); ignored")
        return None
    table = tool[TABLE]
    where = f"{display(path)}: {SECTION}"
    if not isinstance(table, dict):
        raise ConfigError(f"{display(path)}: tool.{TABLE}", f"expected a table, got {_kind(table)}")
    values: dict[str, Any] = {}
    for key, value in table.items():
        field = KEYS.get(key)
        if field is None:
            warn(f"{where} unknown key {_show(key)}{_did_you_mean(key, KEYS)}; ignored")
            continue
        values[field] = _TOML_READERS[field](f"{where} {key}", value, warn)
    return ProjectTable(path, values)


_TOML_MODULE: ModuleType | None = None


def _toml() -> ModuleType:
    """tomllib or tomli, imported on first use (most runs never parse a pyproject)."""
    global _TOML_MODULE
    if _TOML_MODULE is None:
        _TOML_MODULE = importlib.import_module("tomllib" if _USE_TOMLLIB else "tomli")
    return _TOML_MODULE


def parse_toml(path: Path, data: bytes) -> dict[str, Any]:
    """The TOML document in ``data``; a syntax error names the file, line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        problem = f"not valid UTF-8 at line {line}, column {column}; TOML files must be UTF-8"
        raise ConfigError(display(path), problem) from None
    try:
        toml = _toml()
    except ImportError:
        raise ConfigError(display(path), "cannot read TOML: install tomli (needed on Python < 3.11)") from None
    deep = pyproject.too_deep(text)
    if deep is not None:
        problem = f"invalid TOML at line {deep}: nested more than {pyproject.MAX_DEPTH} levels deep"
        raise ConfigError(display(path), problem)
    try:
        document: dict[str, Any] = toml.loads(text)
        return document
    except RecursionError:  # a backstop: too_deep keeps tomllib's recursion far below the limit
        raise ConfigError(display(path), "invalid TOML: nested too deeply") from None
    except toml.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position:  # tomllib and tomli both end the message with "(at line L, column C)"
            line, column = int(position.group(1)), int(position.group(2))
        else:  # "(at end of document)"
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        message = message[: position.start()] if position else message.split(" (at end of document)")[0]
        raise ConfigError(display(path), f"invalid TOML at line {line}, column {column}: {message}") from None


# -- values from pyproject.toml -------------------------------------------------


def _names(what: str, example: str) -> Callable[[str, Any, Warn], tuple[str, ...]]:
    def read(where: str, value: Any, warn: Warn) -> tuple[str, ...]:
        items = _array(where, value, f"{what} such as [{example!r}]".replace("'", '"'))
        return _unique(qualified_name(where, item, example, toml=True) for item in items)

    return read


def _array(where: str, value: Any, expected: str) -> list[str]:
    if not isinstance(value, list):
        raise ConfigError(where, f"expected an array of {expected}, got {_kind(value)}")
    for item in value:
        if not isinstance(item, str):
            raise ConfigError(where, f"expected an array of {expected}, got an array with {_kind(item)}")
    return value


def _launchers(where: str, value: Any, warn: Warn) -> tuple[Launcher, ...]:
    expected = 'qualified names or tables such as ["shop.devtools.serve"] or [{name = "shop.devtools.serve", host = 0}]'
    if not isinstance(value, list):
        raise ConfigError(where, f"expected an array of {expected}, got {_kind(value)}")
    found: list[Launcher] = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            found.append(parse_launcher(where, item, toml=True))
        elif isinstance(item, dict):
            found.append(_launcher_table(f"{where}[{index}]", item, warn))
        else:
            raise ConfigError(where, f"expected an array of {expected}, got an array with {_kind(item)}")
    return _unique(found)


def _launcher_table(where: str, table: dict[str, Any], warn: Warn) -> Launcher:
    for key in table:
        if key not in LAUNCHER_KEYS:
            warn(f"{where} unknown key {_show(key)}{_did_you_mean(key, LAUNCHER_KEYS)}; ignored")
    name = table.get("name")
    if not isinstance(name, str):
        got = "no name" if name is None else f"name = {_kind(name)}"
        raise ConfigError(where, f'expected name = "module.function" such as "shop.devtools.serve", got {got}')
    roles: dict[str, int | str] = {}
    for role in ("host", "debug"):
        spec = table.get(role)
        if spec is None:
            continue
        if isinstance(spec, bool) or not isinstance(spec, (int, str)) or not _parameter(spec):
            raise ConfigError(
                f"{where}.{role}",
                f"expected a parameter index (0, 1, ...) or a parameter name such as {_show(role)}, got {_show(spec)}",
            )
        roles[role] = spec
    return _launcher(where, qualified_name(f"{where}.name", name, "shop.devtools.serve", toml=True), roles)


def _patterns(where: str, value: Any, warn: Warn) -> tuple[str, ...]:
    items = _array(where, value, 'class-name words or glob patterns such as ["Dev", "*Sandbox*"]')
    return _unique(dev_pattern(where, item, toml=True) for item in items)


def _hosts(where: str, value: Any, warn: Warn) -> tuple[str, ...]:
    items = _array(where, value, 'bind addresses such as ["0.0.0.0"]')
    return _unique(host(where, item, toml=True) for item in items)


_TOML_READERS: dict[str, Callable[[str, Any, Warn], Any]] = {
    "app_classes": _names("qualified class names", "shop.core.ShopFlask"),
    "app_factories": _names("qualified function names", "shop.factory.build"),
    "server_launchers": _launchers,
    "dev_config_classes": _patterns,
    "allowed_hosts": _hosts,
}


# -- single values, shared by both sources -------------------------------------


def qualified_name(where: str, text: str, example: str, *, toml: bool) -> str:
    """``text`` if it is a dotted ``module.Name``; otherwise a ConfigError."""
    name = text.strip()
    parts = name.split(".")
    if len(parts) < 2 or not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise ConfigError(
            where, f"{_show(text)} is not a qualified name; expected module.name such as {_quote(example, toml)}"
        )
    return name


def parse_launcher(where: str, text: str, *, toml: bool) -> Launcher:
    """A launcher from ``shop.devtools.serve`` or ``shop.devtools.serve:host=0:debug=debug``."""
    name, *options = text.strip().split(":")
    qualname = qualified_name(where, name, "shop.devtools.serve", toml=toml)
    roles: dict[str, int | str] = {}
    for option in options:
        role, equals, spec = (part.strip() for part in option.partition("="))
        value: int | str = int(spec) if spec.isdigit() else spec
        if role not in ("host", "debug") or not equals or not _parameter(value) or role in roles:
            raise ConfigError(
                where,
                f"{_show(text)}: expected name:host=<index or name>:debug=<index or name> "
                f"such as {_quote('shop.devtools.serve:host=0:debug=debug', toml)}",
            )
        roles[role] = value
    return _launcher(where, qualname, roles)


def _launcher(where: str, qualname: str, roles: dict[str, int | str]) -> Launcher:
    if "host" in roles and roles.get("host") == roles.get("debug"):
        raise ConfigError(where, f"{qualname}: host and debug cannot be the same parameter ({_show(roles['host'])})")
    return Launcher(qualname, roles.get("host"), roles.get("debug"))


def _parameter(spec: int | str) -> bool:
    if isinstance(spec, int):
        return spec >= 0
    return spec.isidentifier() and not keyword.iskeyword(spec)


def dev_pattern(where: str, text: str, *, toml: bool) -> str:
    pattern = text.strip()
    if not _PATTERN.match(pattern):
        raise ConfigError(
            where,
            f"{_show(text)} is not a class-name word or glob pattern; expected something such as "
            f"{_quote('Dev', toml)} or {_quote('*Sandbox*', toml)}",
        )
    return pattern


def host(where: str, text: str, *, toml: bool) -> str:
    address = text.strip()
    if not _HOST.match(address):
        example = _quote("0.0.0.0", toml)
        raise ConfigError(where, f"{_show(text)} is not a bind address; expected something such as {example}")
    return address


# -- values from flake8 options ------------------------------------------------


def option_name(field: str) -> str:
    """The flake8 option (config name) for a Settings field: ``flask-app-classes``."""
    key = next(k for k, f in KEYS.items() if f == field)
    return f"flask-{key}"


def from_flake8(options: Any, origin: Callable[[str], str] | None = None) -> tuple[Settings, frozenset[str]]:
    """Settings from flake8's parsed options, and the fields the user actually set.

    Unset options are None (registered with ``default=None``); set ones are the
    lists flake8 already split on commas. ``origin`` names where an option came
    from, for error messages.
    """
    values: dict[str, Any] = {}
    for field in FIELDS:
        name = option_name(field)
        items: Sequence[str] | None = getattr(options, name.replace("-", "_"), None)
        if items is None:
            continue
        where = origin(name) if origin else f"--{name}"
        values[field] = _unique(_FLAKE8_READERS[field](where, item) for item in items if item.strip())
    return merge(values, None, None), frozenset(values)


_FLAKE8_READERS: dict[str, Callable[[str, str], Any]] = {
    "app_classes": lambda where, text: qualified_name(where, text, "shop.core.ShopFlask", toml=False),
    "app_factories": lambda where, text: qualified_name(where, text, "shop.factory.build", toml=False),
    "server_launchers": lambda where, text: parse_launcher(where, text, toml=False),
    "dev_config_classes": lambda where, text: dev_pattern(where, text, toml=False),
    "allowed_hosts": lambda where, text: host(where, text, toml=False),
}


def flake8_origin(name: str, options: Any, argv: Sequence[str] | None = None) -> str:
    """Where a flake8 option was set: ``command line --flask-x`` or ``setup.cfg: [flake8] flask-x``.

    Only used for error messages; falls back to the option's name.
    """
    flag = f"--{name}"
    args = sys.argv[1:] if argv is None else argv
    if any(arg == flag or arg.startswith(flag + "=") for arg in args):
        return f"command line {flag}"
    files: list[str] = []
    if not getattr(options, "isolated", False):
        files = [getattr(options, "config", None) or _flake8_config_file() or ""]
        files.extend(getattr(options, "append_config", None) or ())
    for file in reversed([f for f in files if f]):
        parser = configparser.RawConfigParser()
        try:
            parser.read(file, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_option("flake8", name) or parser.has_option("flake8", name.replace("-", "_")):
            return f"{display(Path(file))}: [flake8] {name}"
    return f"flake8 option {flag}"


def _flake8_config_file() -> str | None:
    try:  # flake8's own discovery (private, so guarded): the file it read
        from flake8.options.config import _find_config_file  # type: ignore[import-untyped]

        found: str | None = _find_config_file(os.path.abspath("."))
        return found
    except Exception:  # noqa: BLE001 - only a nicer message is at stake
        return None


# -- small helpers ---------------------------------------------------------------


def display(path: Path) -> str:
    """``path`` relative to the current directory when below it, else absolute."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def _did_you_mean(key: str, known: Sequence[str] | Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-"), list(known), n=1, cutoff=0.6)
    return f" (did you mean {_show(close[0])}?)" if close else ""


def _unique(items: Any) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _quote(text: str, toml: bool) -> str:
    return f'"{text}"' if toml else text


def _show(value: Any) -> str:
    """A value as the user wrote it (strings double-quoted, as in TOML)."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return str(value).lower()
    return _kind(value) if isinstance(value, (list, dict)) else repr(value)


def _kind(value: Any) -> str:
    """A TOML-ish description of a value's type: ``a string``, ``an array``."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"
