"""Compose's variable interpolation, with the ``.env`` file of the project directory.

The Compose specification ("Interpolation",
https://github.com/compose-spec/compose-spec/blob/main/spec.md#interpolation, and
https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
values in a Compose file may use ``$VARIABLE`` and ``${VARIABLE}``, substituted when
the file is loaded from the shell's environment and from the ``.env`` file in the
project directory (the Compose file's folder unless ``--project-directory`` says
otherwise; ``--env-file`` may name another). ``.env`` is read with Compose's own dotenv
parser (compose-go ``dotenv``, here :func:`.envs.compose_env_file`). Forms:

- ``${VAR:-default}``: ``default`` when ``VAR`` is unset or empty; ``${VAR-default}``
  only when unset;
- ``${VAR:?err}`` / ``${VAR?err}``: an error when unset (or empty), else the value;
- ``${VAR:+replacement}`` / ``${VAR+replacement}``: ``replacement`` when set (non-empty),
  else empty;
- ``$$`` is a literal ``$`` (``$$DEBUG`` is the text ``$DEBUG``, for the container's
  shell, never substituted);
- a default may itself hold ``${OTHER}`` (compose-go substitutes nested values).

The shell's environment belongs to whoever runs ``docker compose up``, not to the
project: a variable ``.env`` does not set is unknown here (its default, when it has
one, is what a plain ``docker compose up`` gets).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
#: Nesting of ``${A:-${B:-...}}`` followed; deeper is unknown.
MAX_NESTING = 16


@dataclass(frozen=True)
class DotEnv:
    """The project directory's ``.env``, as Compose reads it for interpolation."""

    path: Path
    values: dict[str, tuple[str | None, int]]  # name -> (value, offset of the name in the file)
    text: str

    def line_of(self, name: str) -> int:
        offset = self.values[name][1]
        return self.text.count("\n", 0, offset) + 1


def project_dotenv(folder: Path, root: Path) -> DotEnv | None:
    """``<folder>/.env`` as Compose reads it (``None``: absent, unreadable, or refused by Compose)."""
    from . import envs, facts

    path = Path(os.path.normpath(folder / ".env"))
    text = facts.read_project_text(path, root)
    values = envs.compose_env_file(text) if text is not None else None
    return DotEnv(path, values, text) if values is not None and text is not None else None


@dataclass
class Result:
    """An interpolated value and what it came from."""

    value: str | None  # None: unknown (a variable neither .env nor a default gives)
    from_dotenv: list[str] = field(default_factory=list)  # variables .env gave
    defaults: list[str] = field(default_factory=list)  # variables whose default (or alternative) was taken


def interpolate(text: str, dotenv: dict[str, str | None]) -> Result:
    """``text`` with Compose's substitutions from ``dotenv`` (unknown: None)."""
    result = Result(None)
    value = _substitute(text, dotenv, result, 0)
    result.value = value
    return result


def _substitute(text: str, dotenv: dict[str, str | None], result: Result, depth: int) -> str | None:
    if "$" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    unknown = False
    while i < n:
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following == "$":
            out.append("$")  # ``$$``: a literal dollar
            i += 2
            continue
        if following == "{":
            close = _closing_brace(text, i + 2)
            if close < 0:
                return None  # Compose refuses an unclosed ``${``
            replaced = _braced(text[i + 2 : close], dotenv, result, depth)
            if replaced is None:
                unknown = True
            else:
                out.append(replaced)
            i = close + 1
            continue
        match = _NAME.match(text, i + 1)
        if match is None:
            out.append("$")
            i += 1
            continue
        name = match.group(0)
        current = dotenv.get(name)
        if current is None:
            unknown = True
        else:
            result.from_dotenv.append(name)
            out.append(current)
        i = match.end()
    return None if unknown else "".join(out)


def _closing_brace(text: str, i: int) -> int:
    """The ``}`` closing a ``${`` whose body starts at ``i`` (nested ``${...}`` skipped)."""
    depth = 1
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _braced(body: str, dotenv: dict[str, str | None], result: Result, depth: int) -> str | None:
    match = _NAME.match(body)
    if match is None:
        return None
    name, rest = match.group(0), body[match.end() :]
    if name in dotenv and dotenv[name] is None:
        return None  # .env's own value depends on the shell
    current = dotenv.get(name)  # None: not in .env (the shell's, unknown)
    if not rest:
        if current is None:
            return None
        result.from_dotenv.append(name)
        return current
    colon = rest.startswith(":")
    operator = rest[1:2] if colon else rest[:1]
    word = rest[2:] if colon else rest[1:]
    if operator not in ("-", "?", "+"):
        return None
    unset = current is None if not colon else not current
    if operator == "-":
        if unset and current is not None:
            result.from_dotenv.append(name)  # empty in .env: the default, because of .env
        if unset:
            if name not in dotenv:
                result.defaults.append(name)
            return _substitute(word, dotenv, result, depth + 1) if depth < MAX_NESTING else None
        result.from_dotenv.append(name)
        return current
    if operator == "?":
        if unset:
            return None  # Compose stops with the error message
        result.from_dotenv.append(name)
        return current
    # ``+``: the alternative when set
    if name not in dotenv:
        return None  # set or not depends on the shell
    result.from_dotenv.append(name)
    if unset:
        return ""
    return _substitute(word, dotenv, result, depth + 1) if depth < MAX_NESTING else None
