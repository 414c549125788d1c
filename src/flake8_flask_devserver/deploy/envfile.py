"""dotenv files (``.flaskenv``, ``.env``, ``.env.production``), read as python-dotenv reads them for Flask.

Flask's ``flask.cli.load_dotenv`` (3.1) merges ``dotenv.dotenv_values(".flaskenv")``
and then ``dotenv_values(".env")`` (later files win) and sets each variable that is
not already in the environment; ``app.run()`` calls it too. :func:`values` gives what
``dotenv_values(path, interpolate=True)`` gives with an *empty* environment, so a
result never depends on the machine that lints: ``FLASK_DEBUG=${DEBUG:-0}`` is
``"0"``. ``tests/test_dotenv_differential.py`` checks the equality against the real
python-dotenv on generated files.

The reading follows python-dotenv's ``parser.py`` step by step (its module is
private, and it gives lines only, so positions are computed here):

- the file is read with universal newlines (``open(path)``): ``\\r\\n`` and a lone
  ``\\r`` end lines like ``\\n``, also inside quoted values;
- a binding is ``[export ]KEY[ ]=[ ]value[ # comment]`` or a bare ``KEY`` (value
  None); a key is ``'quoted'`` or a run of characters other than ``=``, ``#`` and
  whitespace;
- a value is ``'single'`` (``\\\\`` and ``\\'`` unescaped, may span lines),
  ``"double"`` (``\\\\ \\' \\" \\a \\b \\f \\n \\r \\t \\v`` unescaped, may span lines), or the
  rest of the line, cut at the first whitespace followed by ``#`` and right-stripped;
  ``KEY= # comment`` is the empty value;
- a line that is none of these (``A B=1``, ``'x``, an unterminated quote) is skipped
  from where reading failed to the end of that line, as python-dotenv skips it;
- then ``${NAME}`` and ``${NAME:-default}`` (not ``$NAME``) are replaced, in file
  order, by the values of earlier bindings; an unknown or valueless name is its
  default or ``""`` (python-dotenv's ``:-`` does not replace an empty value).

Every step is linear (see :func:`_closing`); comments and ``${...}`` are found
without python-dotenv's regular expressions, which backtrack on long runs of spaces.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .command import Assignment
from .text import SourceText, Token

#: ``\\X`` escapes python-dotenv decodes in double quotes (``codecs.decode(..., "unicode-escape")``).
_DOUBLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_SINGLE_ESCAPES = {"\\": "\\", "'": "'"}


@dataclass(frozen=True)
class Binding:
    """One ``KEY=value`` as python-dotenv reads it: the key's token, the raw value's token, the value."""

    name: Token
    raw: Token | None  # the value as written (positions), None for a bare KEY
    value: str | None  # after unescaping and interpolation; None for a bare KEY


class _Fail(Exception):
    def __init__(self, at: int) -> None:
        self.at = at


class _Text:
    """The text as python-dotenv sees it (``\\r\\n`` as ``\\n``), with a map back to file offsets."""

    def __init__(self, source: SourceText) -> None:
        raw = source.text
        if "\r" not in raw:
            self.text, self._removed = raw, []
        else:
            # Lone CRs were already made LFs (normalise_newlines); drop the CR of each CRLF.
            self._removed = []
            parts: list[str] = []
            last = 0
            index = raw.find("\r\n")
            while index >= 0:
                parts.append(raw[last:index])
                self._removed.append(index - len(self._removed))  # position in the new text
                last = index + 1
                index = raw.find("\r\n", last)
            parts.append(raw[last:])
            self.text = "".join(parts).replace("\r", "\n")

    def offset(self, index: int) -> int:
        return index + bisect.bisect_right(self._removed, index)

    def token(self, begin: int, end: int, value: str | None = None) -> Token:
        offsets = tuple(self.offset(i) for i in range(begin, end))
        start = self.offset(begin)
        return Token(self.text[begin:end] if value is None else value, offsets, start)


def _hspace(text: str, i: int) -> int:
    """After ``[^\\S\\r\\n]*``: whitespace other than line ends."""
    n = len(text)
    while i < n and text[i].isspace() and text[i] not in "\r\n":
        i += 1
    return i


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _closing(view: _Text, quote: str, opening: int) -> int:
    """The closing quote of ``'((?:\\.|[^'\\])*)'`` opened at ``opening`` (``_Fail`` when none).

    Linear over a file: a search that succeeds is passed by the reader, and one that
    fails met no unescaped quote of its kind, so every later value of that quote
    kind (which needs one) fails without a search only at the file's end: a failed
    search happens once per quote kind.
    """
    text, n = view.text, len(view.text)
    j = opening + 1
    while j < n:
        char = text[j]
        if char == quote:
            return j
        if char == "\\":
            if j + 1 >= n:
                break  # a final backslash escapes nothing: no closing quote
            j += 2
        else:
            j += 1
    raise _Fail(opening)


def _unescape(raw: str, table: dict[str, str]) -> str:
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i] == "\\" and i + 1 < n and raw[i + 1] in table:
            out.append(table[raw[i + 1]])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _strip_comment(part: str) -> str:
    """``re.sub(r"\\s+#.*", "", part).rstrip()`` without the regex (quadratic on long runs of spaces)."""
    index = part.find("#", 1)
    while index > 0:
        if part[index - 1].isspace():
            start = index - 1
            while start > 0 and part[start - 1].isspace():
                start -= 1
            return part[:start].rstrip()
        index = part.find("#", index + 1)
    return part.rstrip()


def _binding(view: _Text, i: int) -> tuple[Token | None, Token | None, str | None, int]:
    """One binding from ``i`` (after the leading whitespace): key, raw value, value, and the next index."""
    text, n = view.text, len(view.text)
    if text.startswith("export", i):
        after = _hspace(text, i + 6)
        if after > i + 6:
            i = after
    char = text[i : i + 1]
    key: Token | None = None
    if char == "#":
        key = None
    elif char == "'":
        close = text.find("'", i + 1)
        if close <= i + 1:  # ``[^']+``: at least one character
            raise _Fail(i)
        key = view.token(i + 1, close)
        i = close + 1
    else:
        end = i
        while end < n and text[end] not in "=#" and not text[end].isspace():
            end += 1
        if end == i:
            raise _Fail(i)
        key = view.token(i, end)
        i = end
    i = _hspace(text, i)
    raw: Token | None = None
    value: str | None = None
    if text[i : i + 1] == "=":
        equal = i
        i = _hspace(text, i + 1)
        if i - equal > 1 and text[i : i + 1] == "#":
            raw, value = view.token(i, i), ""
        elif text[i : i + 1] in ("'", '"'):
            quote = text[i]
            close = _closing(view, quote, i)
            inner = text[i + 1 : close]
            value = _unescape(inner, _SINGLE_ESCAPES if quote == "'" else _DOUBLE_ESCAPES)
            raw = view.token(i + 1, close)
            i = close + 1
        elif i >= n or text[i] == "\n":
            raw, value = view.token(i, i), ""
        else:
            end = _line_end(text, i)
            value = _strip_comment(text[i:end])
            raw = view.token(i, i + len(value))
            i = end
    comment = _hspace(text, i)
    if text[comment : comment + 1] == "#":
        i = _line_end(text, comment)
    end = _hspace(text, i)
    if end < n and text[end] != "\n":
        raise _Fail(i)
    return key, raw, value, min(n, end + 1)


def bindings(source: SourceText) -> list[Binding]:
    """Every binding python-dotenv reads, in file order, values interpolated as ``dotenv_values`` does."""
    view = _Text(source)
    text, n = view.text, len(view.text)
    found: list[Binding] = []
    resolved: dict[str, str | None] = {}
    i = 0
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        try:
            key, raw, value, i = _binding(view, i)
        except _Fail as failure:
            end = _line_end(text, failure.at)  # ``_rest_of_line``, from where reading failed
            i = min(n, end + 1)
            continue
        if key is None:
            continue
        final = None if value is None else interpolate(value, resolved)
        resolved[key.value] = final
        found.append(Binding(key, raw, final))
    return found


def values(source: SourceText) -> dict[str, Binding]:
    """``dotenv_values(path)`` against an empty environment: each key's last binding (python-dotenv's
    dict keeps the first position of a key and the last value; the last binding is where that value is)."""
    result: dict[str, Binding] = {}
    for binding in bindings(source):
        result[binding.name.value] = binding
    return result


def interpolate(value: str, known: dict[str, str | None]) -> str:
    """python-dotenv's ``resolve_variables`` for one value: ``${NAME}`` and ``${NAME:-default}``.

    The same matches as its ``\\$\\{(?P<name>[^\\}:]*)(?::-(?P<default>[^\\}]*))?\\}`` found
    left to right, with the next ``}`` and ``:`` found once each (linear).
    """
    if "${" not in value:
        return value
    out: list[str] = []
    cursor = 0
    start = value.find("${")
    next_brace = next_colon = -2
    while start >= 0:
        name_from = start + 2
        if next_brace < name_from and next_brace != -1:
            next_brace = value.find("}", name_from)
        if next_colon < name_from and next_colon != -1:
            next_colon = value.find(":", name_from)
        brace = next_brace if next_brace >= name_from else -1
        colon = next_colon if next_colon >= name_from else -1
        end = -1
        name = default = None
        if brace >= 0 and (colon < 0 or brace < colon):
            name, end = value[name_from:brace], brace + 1
        elif colon >= 0 and value.startswith(":-", colon) and brace > colon:
            name, default, end = value[name_from:colon], value[colon + 2 : brace], brace + 1
        if end < 0:
            start = value.find("${", start + 1)
            continue
        out.append(value[cursor:start])
        current = known.get(name, default if default is not None else "")  # type: ignore[arg-type]
        out.append(current if current is not None else "")
        cursor = end
        start = value.find("${", end)
    out.append(value[cursor:])
    return "".join(out)


def parse(source: SourceText) -> list[Assignment]:
    """The bindings as assignments whose value token holds the final value (bare keys: no value)."""
    return [
        Assignment(b.name, None if b.value is None or b.raw is None else Token(b.value, b.raw.offsets, b.raw.start))
        for b in bindings(source)
    ]
