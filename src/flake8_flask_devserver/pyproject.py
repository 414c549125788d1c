"""Finding and reading pyproject.toml without trusting it: regular files only, bounded size and depth.

Every flake8 run reads the pyproject.toml of each linted folder and its parents, so
a hostile or odd one must cost nothing: a FIFO would block ``open`` for ever, a
symlink to ``/dev/zero`` would fill memory, and TOML nested a few hundred levels
deep makes tomllib (a recursive parser) raise RecursionError. Nothing here parses
TOML; :mod:`config` does, after these checks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

from .regularfile import MAX_BYTES, Unreadable, read_regular

__all__ = [
    "MAX_BYTES", "MAX_DEPTH", "Unreadable", "claims_table", "is_repository_root", "read_regular", "too_deep", "upward"
]

#: Deeper bracket nesting is refused before tomllib recurses into it (real files nest < 10).
MAX_DEPTH = 100

# -- the upward search ------------------------------------------------------------


def _stat_key(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_ino, info.st_dev


def _home_key() -> tuple[int, int] | None:
    home = os.path.expanduser("~")
    return None if home == "~" else _stat_key(home)


def upward(directory: Path) -> Iterator[Path]:
    """``directory`` and its parents, stopping below the user's home folder, as flake8 does.

    flake8 7's ``flake8.options.config._find_config_file`` looks for its configuration
    in the starting folder, then in each parent until the next one would be the home
    folder (compared by ``stat`` inode and device) or the filesystem root: a
    ``~/pyproject.toml`` (or ``~/setup.cfg``) is never taken as a project's, unless the
    run starts in the home folder itself. The caller also stops at a repository root.
    """
    home = _home_key()
    folder = directory
    while True:
        yield folder
        parent = folder.parent
        if parent == folder or (home is not None and _stat_key(parent) == home):
            return
        folder = parent


def is_repository_root(folder: Path) -> bool:
    """Whether ``folder`` holds ``.git`` (a folder, or the file of a worktree or submodule)."""
    return os.path.lexists(folder / ".git")


# -- is this file ours? -------------------------------------------------------------

_NAME = rb"""["']?flake8[-_]flask[-_]devserver["']?"""
_TOOL = rb"""["']?tool["']?"""
#: ``[tool.flake8-flask-devserver]``, ``[tool."flake8-flask-devserver".x]``, ``[[tool.flake8-flask-devserver.y]]``,
#: an unclosed ``[tool.flake8-flask-devserver``, and the top-level dotted key
#: ``tool.flake8-flask-devserver.x = ...``. Anchored at a line start; each
#: quantifier is followed by a different character class, so the match is linear.
_DOTTED = re.compile(
    rb"^[ \t]*(?:\[\[?[ \t]*)?" + _TOOL + rb"[ \t]*\.[ \t]*" + _NAME + rb"[ \t]*(?:[\].=#\r]|$)",
    re.MULTILINE | re.IGNORECASE,
)
#: ``flake8-flask-devserver = {...}`` or ``"flake8-flask-devserver".x = ...`` at a line start (under ``[tool]``).
_KEY = re.compile(rb"^[ \t]*" + _NAME + rb"[ \t]*[.=]", re.MULTILINE | re.IGNORECASE)
_TOOL_HEADER = re.compile(rb"^[ \t]*\[[ \t]*" + _TOOL + rb"[ \t]*\][ \t]*(?:#|$)", re.IGNORECASE)
_INLINE_TOOL = re.compile(rb"^[ \t]*" + _TOOL + rb"[ \t]*=[ \t]*\{", re.IGNORECASE)
_INLINE_KEY = re.compile(rb"[{,][ \t]*" + _NAME + rb"[ \t]*[.=]", re.IGNORECASE)


def claims_table(data: bytes) -> bool:
    """Whether the text defines a ``[tool.flake8-flask-devserver]`` table (in any TOML spelling).

    Read from the text alone, so that it answers for files that do not parse: a file
    that only names the plugin as a dependency (``"flake8-flask-devserver>=1"``, or a
    key of ``[tool.poetry.dependencies]``) is not ours. Misspellings with ``_`` count
    as ours: the user meant our table.
    """
    if _DOTTED.search(data):
        return True
    header_is_tool = False
    for line in data.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(b"["):
            header_is_tool = bool(_TOOL_HEADER.match(line))
        elif header_is_tool and _KEY.match(line):
            return True
        elif _INLINE_TOOL.match(line) and _INLINE_KEY.search(line):
            return True
    return False


def too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where TOML brackets (``[`` arrays, ``{`` inline tables) first nest deeper than ``limit``.

    One pass that skips strings and comments, so that tomllib never recurses deeper
    than the limit; None when the text stays within it. Unclosed strings simply end
    the scan (tomllib then reports them).
    """
    depth = 0
    line = 1
    index = 0
    end = len(text)
    while index < end:
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            stop = text.find("\n", index)
            index = end if stop < 0 else stop
            continue
        elif char in "\"'":
            quote = text[index : index + 3] if text.startswith(char * 3, index) else char
            start, index = index, _string_end(text, index + len(quote), quote)
            line += text.count("\n", start, index)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return None


def _string_end(text: str, index: int, quote: str) -> int:
    """The index just past the string that starts at ``index`` (after its opening ``quote``)."""
    escapes = quote[0] == '"'
    while True:
        stop = text.find(quote, index)
        if stop < 0:
            return len(text)
        if escapes:
            backslashes = 0
            while stop - backslashes - 1 >= index and text[stop - backslashes - 1] == "\\":
                backslashes += 1
            if backslashes % 2:
                index = stop + 1
                continue
        return stop + len(quote)
