"""The token reader under the gate's scanner (scanner.py): tokens, comments and walks back over Python text.

:class:`TokenReader` reads the next token from a position (past whitespace, ``\\``
line continuations and comments, as ``Lib/tokenize.py`` splits them), walks back to
the last significant character before one, and tells an attribute dot from a
number's; it also reads a text for the names assigned in it (:meth:`TokenReader.assigned`).
Every character it looks at, or that a ``find`` passes over, is added to ``visited``,
as scanner.py's docstring says. Strings are scanner.py's: reading one may inspect the
keys and f-string fields in it. Split from scanner.py, whose :class:`~scanner.Scanner`
builds on this class (and sets the state below in its ``__init__``).
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING

#: What a walk back answers in the quick look when a comment may lie in its way.
UNKNOWN = -2

_ASCII_IDENTIFIER = frozenset(string.ascii_letters + string.digits + "_")
_SPACE = frozenset(" \t\f\\")  # whitespace and line continuations within a line
_BREAK = frozenset("\r\n")
_BREAK_CHARS = ("\r", "\n")  # (a one-character slice is in it; an empty one is not)
_PREFIXES = frozenset(("", "r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"))
#: Operators of two and three characters, so that ``==``, ``<=``, ``+=``... are not read as ``=``.
_OPERATORS_3 = frozenset(("**=", "//=", ">>=", "<<=", "..."))
_OPERATORS_2 = frozenset(
    ("==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "->", "**", "//", "<<", ">>")
)
#: The rest of a line (a single-character repeat: linear, no backtracking).
_REST_OF_LINE = re.compile(r"[^\r\n]*")


def identifier_char(char: str) -> bool:
    """Whether ``char`` can continue a Python identifier (PEP 3131: letters, digits, ``_``)."""
    return char in _ASCII_IDENTIFIER or (char >= "\x80" and ("a" + char).isidentifier())


class _Token:
    __slots__ = ("kind", "start", "end")

    def __init__(self, kind: str, start: int, end: int) -> None:
        self.kind = kind  # "name", "number", "string", "eof", "newline", or the operator itself
        self.start = start
        self.end = end


class TokenReader:
    """Reads tokens of ``source`` from any position; :class:`scanner.Scanner` is the one kind there is."""

    source: str
    size: int
    visited: int  # the work: characters looked at and passed over
    _comments: dict[int, int]  # a comment's end (its line break) -> its start
    _last_comment: tuple[int, int]  # the last comment read: (from, to)
    _lexed: bool  # False: where comments are is not known (the quick look)

    if TYPE_CHECKING:

        def _string(self, quote: int, inspect: bool = False) -> int: ...  # scanner.Scanner's

    # -- tokens ---------------------------------------------------------------------------------

    def _token(
        self, at: int, parentheses: bool = False, newlines: bool = False, keyword: bool = False, strings: bool = False
    ) -> _Token:
        """The next token from ``at``, past whitespace, continuations, comments (and line breaks unless ``newlines``).

        ``parentheses``: ``(`` and ``)`` count as gap too. ``keyword``: read a name only as
        far as needed to tell a short keyword (the name's end is then not exact). A string
        token ends at its first quote (most lookaheads need only its kind, and an f-string
        can hold the rest of the text); ``strings`` reads it to its end, nothing in it
        inspected.
        """
        source, size = self.source, self.size
        while at < size:
            char = source[at]
            self.visited += 1
            if char == "\\" and source[at + 1 : at + 2] in _BREAK_CHARS:
                at += 3 if source[at + 1 : at + 3] == "\r\n" else 2  # a continuation: one logical line
            elif char in _SPACE or (parentheses and (char == "(" or char == ")")):
                at += 1
            elif char in _BREAK:
                if newlines:
                    return _Token("newline", at, at + 1)
                at += 1
            elif char == "#":
                at = self._comment(at)
            else:
                break
        else:
            return _Token("eof", size, size)
        if char == "'" or char == '"':
            return _Token("string", at, self._string(at) if strings else at)
        if identifier_char(char) and not char.isdigit():
            end = self._identifier_end(at + 1, limit=at + 8 if keyword else None)
            if end - at <= 3 and source[end : end + 1] in ("'", '"') and source[at:end].lower() in _PREFIXES:
                return _Token("string", at, self._string(end) if strings else end)
            return _Token("name", at, end)
        if char.isdigit() or (char == "." and source[at + 1 : at + 2].isdigit()):
            end = at + 1
            while end < size and (identifier_char(source[end]) or source[end] == "."):
                end += 1
                self.visited += 1
            return _Token("number", at, end)
        for width, table in ((3, _OPERATORS_3), (2, _OPERATORS_2)):
            if source[at : at + width] in table:
                return _Token(source[at : at + width], at, at + width)
        return _Token(char, at, at + 1)

    def _identifier_end(self, at: int, limit: int | None = None) -> int:
        source, size = self.source, self.size
        stop = size if limit is None else min(size, limit)
        while at < stop and identifier_char(source[at]):
            at += 1
            self.visited += 1
        return at

    def _previous(self, at: int) -> int:
        """The last significant character at or before ``at``: past whitespace, continuations and comments.

        :data:`UNKNOWN` in the quick look when the walk meets a line with a ``#``: its end
        may be a comment, or not.
        """
        source, comments = self.source, self._comments
        while at >= 0:
            char = source[at]
            self.visited += 1
            if char in _SPACE:
                at -= 1
            elif char in _BREAK:
                if self._lexed:
                    at = comments.get(at, at) - 1  # a comment ends at this line break: step over it too
                else:
                    line = at - 1
                    while line >= 0 and source[line] not in _BREAK:
                        if source[line] == "#":
                            return UNKNOWN
                        line -= 1
                        self.visited += 1
                    at -= 1
            else:
                return at
        return -1

    def _attribute_dot(self, at: int) -> int:
        """Where the attribute dot before the name at ``at`` is (-1: none; a number's or an ellipsis' dot is none).

        :data:`UNKNOWN` (the quick look only) counts as both a dot and none.
        """
        source = self.source
        dot = self._previous(at - 1)
        if dot == UNKNOWN:
            return UNKNOWN
        if dot < 0 or source[dot] != ".":
            return -1
        if dot > 0 and source[dot - 1] == ".":
            return -1  # ``...``
        first = dot
        while first > 0 and identifier_char(source[first - 1]):
            first -= 1
            self.visited += 1
        if first < dot and source[first].isdigit():
            return -1  # ``1.``: the end of a number
        return dot

    def _comment(self, at: int) -> int:
        """Records the comment starting at ``at``; returns its end (its line break, or the end of the text).

        A ``#`` inside the last comment read ends where it ends (lookaheads from words
        inside one comment would otherwise read its rest again and again).
        """
        begun, ended = self._last_comment
        if begun <= at < ended:
            return ended
        end = _REST_OF_LINE.match(self.source, at).end()  # type: ignore[union-attr]
        self.visited += end - at + 1
        self._comments[end] = at
        self._last_comment = (at, end)
        return end

    def _find(self, needle: str, at: int) -> int:
        found = self.source.find(needle, at)
        if found < 0:
            found = self.size
        self.visited += found - at + 1
        return found

    # -- names assigned ---------------------------------------------------------------------------

    def assigned(self, name: str) -> bool:
        """Whether ``name`` is assigned somewhere: ``name =``, ``name: T =`` (on one line), ``name :=``.

        Read as plain text, strings and comments included: a yes too many only costs the
        caller a closer look. Linear: an annotation's line is read once for all its colons.
        """
        source, size = self.source, self.size
        checked = -1  # the end of the last annotation read that had no "="
        at = self._find(name, 0)
        while at < size:
            end = at + len(name)
            if (at == 0 or not identifier_char(source[at - 1])) and (end >= size or not identifier_char(source[end])):
                after = self._blank_end(end)
                char = source[after : after + 1]
                if char == "=" and source[after + 1 : after + 2] != "=":
                    return True
                if char == ":" and after >= checked:
                    if source[after + 1 : after + 2] == "=":
                        return True
                    stop = after + 1
                    while stop < size and (source[stop] not in "\r\n=" or _joined(source, stop)):
                        stop += 1
                        self.visited += 1
                    if stop < size and source[stop] == "=" and source[stop + 1 : stop + 2] != "=":
                        return True
                    checked = stop
            at = self._find(name, max(end, at + 1))
        return False

    def _blank_end(self, at: int) -> int:
        """Past spaces, tabs and backslash continuations from ``at``."""
        source, size = self.source, self.size
        while at < size:
            char = source[at]
            if char == " " or char == "\t" or (char in "\r\n" and _joined(source, at)):
                at += 1
            elif char == "\\" and source[at + 1 : at + 2] in _BREAK_CHARS:
                at += 1
            else:
                break
            self.visited += 1
        return at


def _joined(source: str, at: int) -> bool:
    """Whether the line break at ``at`` ends a backslash continuation (the two lines are one)."""
    if source[at] == "\n" and at >= 1 and source[at - 1] == "\r":
        at -= 1
    return at >= 1 and source[at - 1] == "\\"
