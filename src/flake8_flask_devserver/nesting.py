"""How deeply a source nests, bounded from its tokens before libcst sees it.

libcst's parser recurses once per level of nesting (``not not not ...``,
``a.b.c...``, ``x + x + ...``, ``f()()()``, brackets, lambdas, ``elif`` chains).
A few thousand levels overflow the C stack and kill the whole process (flake8
included: there is no exception to catch), and well before that parsing time
grows with the square of the depth. The analysis itself runs out of Python
recursion at about 300 levels, so refusing anything bounded above
:data:`MAX_NESTING` loses no findings.

No libcst here: this runs on every file that passes the gate.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import sys
import tokenize
from typing import Iterator

#: More levels than the analysis can follow, fewer than make libcst slow or crash.
MAX_NESTING = 1000

#: Every token that can add a level, counted over the whole text (strings and
#: comments too, so the count can only be too high). Most files stay below
#: MAX_NESTING here and are never tokenized.
_DEEPENING = re.compile(
    r"[-+*/%@&|^~<>.(\[{'\"]|\b(?:and|or|not|lambda|if|elif|for|await|yield)\b"
)
_KEYWORDS = frozenset(("and", "or", "not", "lambda", "if", "elif", "for", "await", "yield"))
#: Operators that nest; comparisons (``a < b < c``) are one flat node and do not.
_OPERATORS = frozenset(
    ("+", "-", "*", "/", "//", "%", "@", "**", "<<", ">>", "&", "|", "^", "~", ".", ":=")
)
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
_FSTRING = re.compile(r"^[rRbBuU]*[fF]")
#: Python 3.12+ tokenizes f-strings (3.14: t-strings too) into parts: start, literal text, fields, end.
_TOKEN_NAMES = tokenize.tok_name
_STRING_START = frozenset(("FSTRING_START", "TSTRING_START"))
_STRING_MIDDLE = frozenset(("FSTRING_MIDDLE", "TSTRING_MIDDLE"))
_STRING_END = frozenset(("FSTRING_END", "TSTRING_END"))


class _Level:
    """One bracket level: tokens in the current comma-separated item, and the deepest item."""

    __slots__ = ("ops", "child", "best", "lambdas", "fstring")

    def __init__(self, fstring: bool = False) -> None:
        self.ops = 0  # nesting tokens of the current item at this level
        self.child = 0  # deepest bracket closed inside the current item
        self.best = 0  # deepest finished item
        self.lambdas = 0  # lambdas whose parameter list (commas included) is still open
        self.fstring = fstring  # an f-string's parts (3.12+): its fields are siblings

    def item(self) -> int:
        return self.ops + self.child

    def next_item(self) -> None:
        self.best = max(self.best, self.item())
        self.ops = self.child = 0


def _fstring_depth(token: str) -> int:
    """Nesting inside an f-string token: its deepest replacement field (fields are siblings).

    Literal text (HTML, SQL...) does not count; ``{{`` and ``}}`` outside fields are escapes.
    """
    deepest, depth, start, index = 0, 0, 0, 0
    while index < len(token):
        char = token[index]
        if depth == 0 and char in "{}" and token[index : index + 2] in ("{{", "}}"):
            index += 2
            continue
        if char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                deepest = max(deepest, len(_DEEPENING.findall(token, start, index)))
        index += 1
    if depth:  # unterminated field: count the rest
        deepest = max(deepest, len(_DEEPENING.findall(token, start)))
    return deepest


def too_deep(source: str, tree: ast.AST | None = None) -> bool:
    """Whether the source may nest more than :data:`MAX_NESTING` levels (an upper bound).

    ``tree``: ``ast.parse(source)``, when the caller has it (flake8 does): then the
    nesting tokens are counted per statement (:func:`statement_bound`) before any
    tokenizing. It is never parsed here: Python's own parser is not asked about a
    source before this check has passed it.
    """
    if source is _vouched[0] or source is _vouched[1]:
        return False
    if len(_DEEPENING.findall(source)) <= MAX_NESTING:
        return False
    if isinstance(tree, ast.Module) and statement_bound(source, tree) <= MAX_NESTING:
        deep = False
    else:
        deep = nesting_bound(source) > MAX_NESTING
    if not deep:
        _vouched[1] = source  # the command's fixer parses the same text again (its whole module)
    return deep


def vouch(part: str) -> None:
    """``part`` is whole top-level statements of a source :func:`too_deep` passed (a slice of it).

    Each statement's depth is counted on its own, so a selection of whole statements nests no
    deeper than the source it came from: the next :func:`too_deep` of this very text (the
    engine's parse of its slice) need not tokenize it again.
    """
    _vouched[0] = part


#: [the last slice vouched for, the last long text found shallow]: compared by identity.
_vouched: list[str | None] = [None, None]


def statement_bound(source: str, tree: ast.Module) -> int:
    """An upper bound on nesting, from the nesting tokens of each statement's own lines.

    The count over the whole text (the first look of :func:`too_deep`) bounds every
    path of the tree; a path runs through nested statements (one level each, as
    :func:`nesting_bound` counts indentation and ``elif`` chains) into one statement's
    own text (a simple statement, or a compound statement's headers: ``if ...:``,
    ``except ...:``, decorators, ``case ...:``), so the same count over that text, plus
    the statements around it, bounds it too. A statement's own lines are its lines less
    the lines of its inner statements after their first (a body on the header's line
    shares it). Linear: one count per line, one step per statement. A tree whose lines
    do not match the text gives a bound above :data:`MAX_NESTING` (so the tokens decide).
    """
    # totals[n]: nesting tokens on lines 1..n (one scan of the text; no token spans lines)
    tokens = [match.start() for match in _DEEPENING.finditer(source)]
    totals = [0]
    offset = 0
    for line in io.StringIO(source, newline="").readlines():  # \n, \r\n and \r end lines, as for Python
        offset += len(line)
        totals.append(bisect.bisect_left(tokens, offset))
    last = len(totals) - 1
    deepest = 0
    pending: list[tuple[ast.stmt, int]] = [(statement, 0) for statement in tree.body]
    while pending:
        statement, depth = pending.pop()
        first, end = _first_line(statement), getattr(statement, "end_lineno", None)
        if end is None or not 1 <= first <= end <= last:
            return sys.maxsize
        own = totals[end] - totals[first - 1]
        for inner in _inner_statements(statement):
            start, stop = _first_line(inner), getattr(inner, "end_lineno", None)
            if stop is None or not first <= start <= stop <= end:
                return sys.maxsize
            own -= totals[stop] - totals[start]  # its lines after the first are its own
            pending.append((inner, depth + 1))
        deepest = max(deepest, depth + own)
    return deepest


def _first_line(statement: ast.stmt) -> int:
    """A statement's first line: its first decorator's, for a decorated definition."""
    decorators = getattr(statement, "decorator_list", None)
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)]) if decorators else statement.lineno


def _inner_statements(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statements of a compound statement's blocks (bodies, ``else``, handlers, cases, ``finally``)."""
    for _name, value in ast.iter_fields(statement):
        if not isinstance(value, list):
            continue
        for item in value:
            if isinstance(item, ast.stmt):
                yield item
            elif isinstance(item, (ast.excepthandler, ast.match_case)):
                yield from item.body


def nesting_bound(source: str) -> int:
    """An upper bound, in nesting tokens, on the depth of the source's deepest statement.

    Items separated by commas are siblings, so ``[f(1), f(2), ...]`` stays
    shallow however long it is; tokens within one item add up, since each can
    put the rest one level deeper. On a tokenizer error (Python 3.12+ also stops
    at 200 open brackets) the rest of the text counts token by token.
    """
    levels = [_Level()]
    chains: list[int] = [0]  # per indentation level: the elif chain being extended
    indent = 0
    line_start = True
    deepest = 0

    def close(level: _Level) -> int:
        level.next_item()
        return level.best + 1

    def end_statement() -> int:
        while len(levels) > 1:  # unclosed brackets still nest
            inner = close(levels.pop())
            levels[-1].child = max(levels[-1].child, inner)
        top = levels[0]
        top.next_item()
        depth = top.best + indent + sum(chains[: indent + 1])
        levels[0] = _Level()
        return depth

    row = 1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            kind, text, row = token.type, token.string, token.start[0]
            if kind == tokenize.INDENT:
                indent += 1
                chains.append(0)
                continue
            if kind == tokenize.DEDENT:
                indent -= 1
                del chains[indent + 1 :]
                continue
            if kind in (tokenize.NEWLINE, tokenize.ENDMARKER):
                deepest = max(deepest, end_statement())
                line_start = True
                continue
            if kind in (tokenize.NL, tokenize.COMMENT):
                continue
            level = levels[-1]
            if line_start:
                # ``elif`` nests one level deeper than the branch before it; ``else`` stays there.
                if text == "elif":
                    chains[indent] += 1
                elif text != "else":
                    chains[indent] = 0
                line_start = False
            name = _TOKEN_NAMES.get(kind)
            if kind == tokenize.STRING:
                # An f-string's fields are parsed too; on Python < 3.12 they hide inside one token.
                level.ops += 1 + (_fstring_depth(text) if _FSTRING.match(text) else 0)
            elif kind == tokenize.NAME:
                if text in _KEYWORDS:
                    level.ops += 1
                    if text == "lambda":
                        level.lambdas += 1
            elif kind == tokenize.NUMBER:
                pass
            elif (kind == tokenize.OP and text in _OPEN) or name in _STRING_START:
                level.ops += 1  # f()() and a[0][0] chain within one item
                levels.append(_Level(fstring=name in _STRING_START))
            elif (kind == tokenize.OP and text in _CLOSE) or name in _STRING_END:
                if len(levels) > 1:
                    inner = close(levels.pop())
                    parent = levels[-1]
                    parent.child = max(parent.child, inner)
                    if parent.fstring:
                        parent.next_item()  # the next field is a sibling
            elif name in _STRING_MIDDLE:
                if not level.fstring:
                    level.ops += 1  # a format spec's text
            elif kind == tokenize.OP:
                if text == ":" and level.lambdas:
                    level.lambdas -= 1
                elif text in (",", ";") and not level.lambdas:
                    level.next_item()
                elif text in _OPERATORS:
                    level.ops += 1
            else:
                level.ops += 1  # error tokens and anything new: count, never undercount
    except (tokenize.TokenError, SyntaxError, ValueError):
        rest = "".join(io.StringIO(source).readlines()[row - 1 :])  # the rows the tokenizer numbered
        deepest = max(deepest, end_statement() + len(_DEEPENING.findall(rest)))
    return deepest
