"""Text with positions: every character of a parsed value remembers where it came from.

Deployment files nest one language in another (a shell command in a YAML string, an
argument in a JSON array spread over continued Dockerfile lines). Each value keeps the
file offset of each of its characters, so a finding points at the exact token.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass

_LONE_CR = re.compile(r"\r(?!\n)")


class DeploymentFileError(Exception):
    """A deployment file that cannot be read; the message is one line naming the file and the problem.

    ``str(error)`` is ``"<file>: <problem>"``; ``problem`` alone is for a caller that
    names the file itself (the command's ``<file>: not checked, <problem>``).
    """

    def __init__(self, where: str | os.PathLike[str], problem: str) -> None:
        super().__init__(f"{os.fspath(where)}: {problem}")
        self.where = os.fspath(where)
        self.problem = problem


@dataclass(frozen=True)
class Token:
    """A string value and, for each of its characters, the offset in the file text it came from."""

    value: str
    offsets: tuple[int, ...]
    start: int  # offset of the token's first raw character (an opening quote included)
    origin: str = ""  # the instruction or key it belongs to ("CMD", "command", ...)

    @classmethod
    def at(cls, value: str, start: int, origin: str = "") -> Token:
        """A token whose characters sit contiguously in the file from ``start``."""
        return cls(value, tuple(range(start, start + len(value))), start, origin)

    def sub(self, begin: int, end: int | None = None) -> Token:
        """The token's characters ``begin:end``, keeping their positions."""
        offsets = self.offsets[begin:end]
        return Token(self.value[begin:end], offsets, offsets[0] if offsets else self.start, self.origin)

    def strip(self) -> Token:
        """The token without surrounding whitespace."""
        lead = len(self.value) - len(self.value.lstrip())
        end = len(self.value.rstrip())
        return self.sub(lead, end) if end > lead else Token("", (), self.start, self.origin)


def normalise_newlines(text: str) -> str:
    """Lone ``\r`` line ends as ``\n``, offsets unchanged (``\r\n`` stays): the parsers split at ``\n``.

    python-dotenv, YAML and Python all end a line at a lone CR; so does this reading
    of Dockerfiles and Procfiles, rather than read a CR-only file as one long line.
    """
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def lines_with_ends(text: str) -> list[str]:
    """Lines split at ``\n`` only (``str.splitlines`` also splits at form feeds and the like)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


class SourceText:
    """A file's text and its line starts, for turning offsets into 1-based lines and 0-based columns."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display  # how messages name the file
        self._starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._starts.append(index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line]

    def line_of(self, offset: int) -> int:
        return self.position(offset)[0]

    def line_start(self, line: int) -> int:
        """Offset of 1-based ``line``."""
        return self._starts[line - 1]


#: Characters a failed search may look at past the cursor once the budget is spent.
_ALIGN_WINDOW = 64
_SPACE = re.compile(r"\s")
#: Raw length of a JSON/YAML escape by its letter (``\xHH``, ``\uHHHH``, ``\UHHHHHHHH``; others 2).
_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def align(value: str, raw: str, begin: int, end: int) -> tuple[int, ...]:
    """Offsets in ``raw[begin:end]`` of each character of ``value``, the parsed form of that span.

    For values whose raw form has quotes, escapes or folded lines (YAML scalars, JSON
    strings): each character is matched to the next raw character that produced it,
    and whitespace to the next whitespace (a fold turns a newline into a space).

    Linear: a match moves the cursor past everything it looked at, so matches cost
    the span's length in all. A character with no match (one an escape produced,
    ``\t`` or ``\u00e9``) leaves the cursor where it is; such failed searches share a
    budget of a few times the span's length and then look only :data:`_ALIGN_WINDOW`
    characters ahead. (Searching to the end every time was quadratic: 64 KB of
    ``\t`` escapes in a JSON ``CMD`` took 68 s.)
    """
    offsets: list[int] = []
    cursor = begin
    budget = 4 * (end - begin) + 1024
    for char in value:
        if cursor < end and raw[cursor] == "\\" and char != "\\" and raw[cursor + 1 : cursor + 2] not in ("", "\n", "\r"):
            # An escape (JSON, YAML double quotes) produced it: its backslash is its place.
            offsets.append(cursor)
            cursor = min(end, cursor + _ESCAPE_LENGTHS.get(raw[cursor + 1], 2))
            continue
        stop = min(end, cursor + max(budget, _ALIGN_WINDOW))
        if char.isspace():
            match = _SPACE.search(raw, cursor, stop)
            found = match.start() if match is not None else -1
        else:
            found = raw.find(char, cursor, stop)
        if found < 0:
            budget = max(0, budget - (stop - cursor))
            found = min(cursor, max(begin, end - 1))
        else:
            cursor = found + 1
        offsets.append(found)
    return tuple(offsets)
