"""Text with positions: every character of a parsed value remembers where it came from.

Deployment files nest one language in another (a shell command in a YAML string, an
argument in a JSON array spread over continued Dockerfile lines). Each value keeps the
file offset of each of its characters, so a finding points at the exact token.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


class DeploymentFileError(Exception):
    """A deployment file that cannot be read; the message is one line naming the file and the problem."""


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


def align(value: str, raw: str, begin: int, end: int) -> tuple[int, ...]:
    """Offsets in ``raw[begin:end]`` of each character of ``value``, the parsed form of that span.

    For values whose raw form has quotes, escapes or folded lines (YAML scalars, JSON
    strings): each character is matched to the next raw character that produced it,
    and whitespace to the next whitespace (a fold turns a newline into a space).
    """
    offsets: list[int] = []
    cursor = begin
    for char in value:
        found = -1
        if char.isspace():
            for probe in range(cursor, end):
                if raw[probe].isspace():
                    found = probe
                    break
        else:
            found = raw.find(char, cursor, end)
        if found < 0:
            found = min(cursor, max(begin, end - 1))
        else:
            cursor = found + 1
        offsets.append(found)
    return tuple(offsets)
