"""Environment files as their loaders read them: Compose's ``env_file:``, and when Flask loads ``.env``.

Two loaders, two sets of rules:

- **Compose** reads a service's ``env_file:`` with its own dotenv parser (compose-go,
  ``dotenv/parser.go``), not python-dotenv's, and puts the variables in the
  container's environment whatever the command is. :func:`compose_env_file` follows
  that parser: ``#`` comment lines; an optional ``export``; ``KEY=value`` or
  ``KEY: value``; a key of letters, digits, ``_`` and ``.`` (anything else and Compose
  refuses the file: nothing is read from it here); a bare ``KEY`` takes the shell's
  value (unknown here); ``'single'`` quotes are literal; ``"double"`` quotes unescape
  ``\\n``, ``\\r`` and ``\\X`` and expand variables; an unquoted value ends at the first
  ``#`` and is right-trimmed, then expanded. ``${VAR}``/``$VAR`` take earlier values
  of the file, ``${VAR:-default}`` its default, anything else is unknown (the shell is
  not ours to read). ``environment:`` wins over ``env_file:``, a later file over an
  earlier one.
- **Flask** loads ``.flaskenv`` and ``.env`` (``flask.cli.load_dotenv``) only in the
  ``flask`` command and in ``app.run()``: under gunicorn, uWSGI, waitress or
  hypercorn they do nothing unless the app calls ``load_dotenv`` itself.
  :func:`dotenv_consumers` tells which of these the project's deployment files run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import dockerfile, files
from .text import SourceText

_KEY_CHARS = re.compile(r"[\w.]+")
_FLASK_DOTENV = (".env", ".flaskenv", ".quartenv")  # Quart's CLI loads .env and .quartenv


def compose_env_file(text: str) -> dict[str, str | None] | None:
    """The variables Compose sets from an ``env_file`` (None values: unknown); None when Compose refuses it."""
    out: dict[str, str | None] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].lstrip()
        index += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("export"):
            line = line[6:].lstrip(" \t\v\f\r\x85\xa0")
        cut = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if cut < 0:
            key = line.rstrip()
            if not _KEY_CHARS.fullmatch(key):
                return None
            continue  # a bare KEY: the shell's value, unknown here
        key, rest = line[:cut].rstrip(), line[cut + 1 :].lstrip(" \t\v\f\r\x85\xa0")
        if not _KEY_CHARS.fullmatch(key):
            return None  # Compose: "unexpected character in variable name"
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            body = rest[1:]
            # The value may span lines; the terminator is a quote not preceded by a backslash.
            while True:
                close = _terminator(body, quote)
                if close >= 0 or index >= len(lines):
                    break
                body += "\n" + lines[index]
                index += 1
            if close < 0:
                return None  # "unterminated quoted value"
            value = body[:close]
            if quote == '"':
                value = _expand(_unescape(value), out)  # type: ignore[assignment]
            out[key] = value
            continue
        value = rest.split("#", 1)[0].rstrip()
        out[key] = _expand(value, out)
    return out


def _terminator(body: str, quote: str) -> int:
    start = 0
    while True:
        close = body.find(quote, start)
        if close < 0 or close == 0 or body[close - 1] != "\\":
            return close
        start = close + 1


def _unescape(value: str) -> str:
    value = value.replace("\\n", "\n").replace("\\r", "\r")
    return re.sub(r"\\([^$])", r"\1", value)


def _expand(value: str | None, known: dict[str, str | None]) -> str | None:
    if value is None:
        return None
    return dockerfile.expand(value.replace("$$", "\0"), known).replace("\0", "$") if "$" in value else value


# -- who loads .env / .flaskenv ---------------------------------------------------------


@dataclass(frozen=True)
class Consumers:
    """What the project's deployment files run, for a ``.env``/``.flaskenv`` next to them."""

    dev: bool  # some entrypoint runs flask run or a file that starts the development server
    servers: tuple[str, ...]  # production servers the entrypoints run (gunicorn, ...)
    loads_dotenv: bool  # an app module a production server loads calls load_dotenv / dotenv_values
    other: bool  # an entrypoint this checker cannot judge


def is_flask_dotenv(path: Path) -> bool:
    """``.env`` and ``.flaskenv``: the files ``flask.cli.load_dotenv`` looks for."""
    return path.name in _FLASK_DOTENV


def dotenv_consumers(folder: Path, root: Path, settings: object) -> Consumers | None:
    """What the deployment files in ``folder`` (and the project root) run; None when there are none.

    ``flask.cli.load_dotenv`` finds the files from the working folder upwards
    (``dotenv.find_dotenv(usecwd=True)``), so the deployment files beside the env file
    and at the project root are the ones whose commands it serves.
    """
    from . import facts, kinds

    folders = list(dict.fromkeys([folder, root]))
    found: list[tuple[str, str]] = []
    apps: list[str] = []
    for place in folders:
        try:
            entries = sorted(os.scandir(place), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            kind = files.kind_of(path)
            if kind in (None, files.ENVFILE, files.SCRIPT) or not entry.is_file(follow_symlinks=False) or files.is_dev_only(path):
                continue
            text = facts.read_project_text(path, root)
            if text is None:
                continue
            try:
                builder = facts.Builder(path, SourceText(text, path.name), kind, settings)  # type: ignore[arg-type]
                kinds.build_into(builder)
            except Exception:  # noqa: BLE001 - a malformed file is reported when it is checked itself
                continue
            found.extend(builder.runs)
            apps.extend(builder.production_apps)
    if not found:
        return None
    servers = tuple(dict.fromkeys(what for kind, what in found if kind == "production"))
    loads = any(_loads_dotenv(spec, folders, root) for spec in apps)
    return Consumers(
        dev=any(kind == "dev" for kind, _ in found),
        servers=servers,
        loads_dotenv=loads,
        other=any(kind == "other" for kind, _ in found),
    )


def _loads_dotenv(spec: str, folders: list[Path], root: Path) -> bool:
    """Whether the module of a ``module:app`` spec calls python-dotenv itself."""
    from . import facts

    module = spec.partition(":")[0]
    if not all(part.isidentifier() for part in module.split(".")):
        return False
    relative = module.replace(".", "/")
    for folder in folders:
        for candidate in (f"{relative}.py", f"{relative}/__init__.py", f"src/{relative}.py", f"src/{relative}/__init__.py"):
            text = facts.read_project_text(folder / candidate, root)
            if text is not None:
                return "load_dotenv" in text or "dotenv_values" in text
    return False


def compose_env_file_of(path: Path, root: Path) -> bool:
    """Whether a Compose file beside ``path`` (or at the project root) reads it as an ``env_file``.

    Such a file is judged where Compose uses it, per service (its command, and
    ``environment:`` overriding it), not by itself.
    """
    from . import compose, facts

    target = Path(os.path.abspath(path))
    for place in dict.fromkeys([target.parent, root]):
        try:
            names = sorted(entry.name for entry in os.scandir(place) if entry.is_file(follow_symlinks=False))
        except OSError:
            continue
        for name in names:
            candidate = place / name
            if files.kind_of(candidate) != files.COMPOSE or files.is_dev_only(candidate):
                continue
            text = facts.read_project_text(candidate, root)
            if text is None or "env_file" not in text:
                continue
            try:
                services = compose.parse(SourceText(text, name))
            except Exception:  # noqa: BLE001 - a malformed Compose file is reported when it is checked itself
                continue
            for service in services:
                for token in service.env_files:
                    if Path(os.path.normpath(place / token.value)) == target:
                        return True
    return False
