"""dotenv files (``.flaskenv``, ``.env``, ``.env.production``, Compose ``env_file``s), read as python-dotenv does.

``KEY=value``, ``export KEY=value``, single quotes (literal, may span lines), double
quotes (escapes, may span lines), unquoted values with `` #`` comments, and a bare
``KEY``. A line that is none of these is a malformed file.
"""

from __future__ import annotations

import re

from .command import Assignment
from .text import DeploymentFileError, SourceText, Token

_KEY = re.compile(r"(?:export[ \t]+)?([^=#\s'\"]+)[ \t]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'", "$": "$"}


def parse(source: SourceText) -> list[Assignment]:
    text, found = source.text, []
    i, n = 0, len(text)
    while i < n:
        if text[i] in " \t\r\n":
            i += 1
            continue
        if text[i] == "#":
            i = _line_end(text, i)
            continue
        match = _KEY.match(text, i)
        if match is None:
            _fail(source, i, "expected KEY=value")
        assert match is not None
        name = Token.at(match.group(1), match.start(1))
        i = match.end()
        if i >= n or text[i] in "\r\n#":
            found.append(Assignment(name, None))
            continue
        if text[i] != "=":
            _fail(source, i, f"expected '=' after {name.value}")
        i += 1
        while i < n and text[i] in " \t":
            i += 1
        value, i = _value(source, i)
        found.append(Assignment(name, value))
    return found


def _value(source: SourceText, i: int) -> tuple[Token, int]:
    text, n = source.text, len(source.text)
    if i < n and text[i] in "'\"":
        quote, start = text[i], i
        chars: list[str] = []
        offsets: list[int] = []
        j = i + 1
        while j < n and text[j] != quote:
            if quote == '"' and text[j] == "\\" and j + 1 < n and text[j + 1] in _ESCAPES:
                chars.append(_ESCAPES[text[j + 1]])
                offsets.append(j + 1)
                j += 2
                continue
            if quote == "'" and text[j] == "\\" and j + 1 < n and text[j + 1] in "\\'":
                j += 1
            chars.append(text[j])
            offsets.append(j)
            j += 1
        if j >= n:
            _fail(source, start, f"unterminated {quote} quote")
        j += 1
        rest = text[j : _line_end(text, j)]
        if rest.strip() and not rest.strip().startswith("#"):
            _fail(source, j, "unexpected text after the quoted value")
        return Token("".join(chars), tuple(offsets), start), _line_end(text, j)
    end = _line_end(text, i)
    raw = text[i:end]
    comment = re.search(r"[ \t]#", raw)
    if comment:
        raw = raw[: comment.start()]
    raw = raw.rstrip()
    return Token.at(raw, i), end


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _fail(source: SourceText, offset: int, problem: str) -> None:
    raise DeploymentFileError(source.display, f"line {source.line_of(offset)}: {problem}")
