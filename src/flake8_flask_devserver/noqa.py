"""flake8's ``# noqa`` semantics, for the command line (flake8 applies its own to the plugin).

A finding is suppressed by a bare ``# noqa`` or by ``# noqa: <codes>`` naming its code
or a prefix of it, on its physical line (for a line inside a multi-line string, on any
line of that string); ``# flake8: noqa`` on a line of its own skips the whole file.
The regular expressions are flake8's (``flake8/defaults.py``), so both agree.
"""

from __future__ import annotations

import io
import re
import tokenize

INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,\s]")


class Suppressions:
    """Which findings of one source text flake8 would suppress."""

    def __init__(self, source: str) -> None:
        self.lines = split_lines(source)
        self.skip_file = any(FILE.match(line) for line in self.lines)
        # A line as flake8 joins it is a stretch of the text: no ``# noqa`` in the text, none
        # on any line, and the lines are never tokenized (most files have none).
        self.inline = INLINE.search(source) is not None
        self._mapping: dict[int, str] | None = None

    def __call__(self, line: int, code: str) -> bool:
        """Whether a finding with ``code`` on 1-based ``line`` is suppressed."""
        if self.skip_file:
            return True
        if not self.inline:
            return False
        text = self._line_for(line)
        match = INLINE.search(text)
        if match is None:
            return False
        codes_text = match.group("codes")
        if codes_text is None:
            return True
        codes = tuple(code for code in _SEPARATOR.split(codes_text) if code)
        return code in codes or code.startswith(codes)

    def _line_for(self, line: int) -> str:
        if self._mapping is None:
            self._mapping = _line_mapping(self.lines)
        text = self._mapping.get(line)
        if text is None and 0 < line <= len(self.lines):
            text = self.lines[line - 1]
        return text or ""


def split_lines(text: str) -> list[str]:
    """Lines as Python, flake8 and libcst count them: ended by LF, CRLF or CR only.

    (``str.splitlines`` also splits at form feeds and other separators, which
    Python source may contain inside a line.)
    """
    return io.StringIO(text, newline="").readlines()


def _line_mapping(lines: list[str]) -> dict[int, str]:
    """flake8's ``_noqa_line_mapping``: lines joined over multi-line tokens (strings)."""
    mapping: dict[int, str] = {}
    readline = io.StringIO("".join(lines)).readline
    first, last = len(lines) + 2, -1
    try:
        for kind, _, (start, _), (end, _), _ in tokenize.generate_tokens(readline):
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, start), max(last, end)
            if kind in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[first - 1 : last])
                mapping.update(dict.fromkeys(range(first, last + 1), joined))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}  # flake8 falls back to physical lines too
    return mapping
