"""No regular expression on the hot path can backtrack without bound.

Python's ``re`` backtracks. A repeat whose body can itself repeat, or choose
between alternatives that can start with the same character, lets one text be
split in exponentially many ways (issue 12: ``(?:[\\s\\\\()]|#[^\\n]*)*`` hung
flake8 on a comment banner). The checker below reads each pattern's parse tree
(``re._parser``, ``sre_parse`` before 3.11) and rejects exactly those shapes; a
possessive repeat or an atomic group cannot backtrack and is allowed.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from flake8_flask_devserver import engine, gate, nesting, project, scanner, slices, sourcefile, tokenreader

if sys.version_info >= (3, 11):
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as parser  # type: ignore[attr-defined]
else:  # pragma: no cover
    import sre_constants as constants
    import sre_parse as parser

#: The modules every checked file goes through before libcst.
HOT = (gate, scanner, tokenreader, slices, project, nesting, sourcefile, engine)

#: Characters a first-character set is computed over: ASCII and a few others that differ.
ALPHABET = frozenset(string.printable + "\x00\x0b\x0c\x1c\x85\xa0\xe9\u2028\uff52")

_REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT}
_SAFE_REPEATS = {getattr(constants, "POSSESSIVE_REPEAT", None)} - {None}


def _class_member(items: list[tuple[Any, Any]], char: str) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is constants.NEGATE:
            negate = True
        elif op is constants.LITERAL:
            hit = hit or ord(char) == av
        elif op is constants.RANGE:
            hit = hit or av[0] <= ord(char) <= av[1]
        elif op is constants.CATEGORY:
            test = {
                constants.CATEGORY_DIGIT: r"\d",
                constants.CATEGORY_NOT_DIGIT: r"\D",
                constants.CATEGORY_SPACE: r"\s",
                constants.CATEGORY_NOT_SPACE: r"\S",
                constants.CATEGORY_WORD: r"\w",
                constants.CATEGORY_NOT_WORD: r"\W",
            }.get(av, r"[\s\S]")
            hit = hit or re.fullmatch(test, char) is not None
        else:  # anything else: assume it may match
            hit = True
    return hit != negate


def first(items: Any) -> tuple[frozenset[str], bool]:
    """The characters a subpattern can start with, and whether it can match the empty string."""
    chars: set[str] = set()
    for op, av in items:
        found, empty = _first_one(op, av)
        chars |= found
        if not empty:
            return frozenset(chars), False
    return frozenset(chars), True


def _first_one(op: Any, av: Any) -> tuple[frozenset[str], bool]:
    if op is constants.LITERAL:
        return frozenset({chr(av)}), False
    if op is constants.NOT_LITERAL:
        return ALPHABET - {chr(av)}, False
    if op is constants.ANY:
        return ALPHABET - {"\n"}, False
    if op is constants.IN:
        return frozenset(char for char in ALPHABET if _class_member(av, char)), False
    if op in _REPEATS or op in _SAFE_REPEATS:
        low, _high, body = av
        chars, empty = first(body)
        return chars, empty or low == 0
    if op is constants.SUBPATTERN:
        return first(av[-1])
    if op is getattr(constants, "ATOMIC_GROUP", None):
        return first(av)
    if op is constants.BRANCH:
        chars: set[str] = set()
        empty = False
        for alternative in av[1]:
            found, may_be_empty = first(alternative)
            chars |= found
            empty = empty or may_be_empty
        return frozenset(chars), empty
    if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
        return frozenset(), True
    return ALPHABET, True  # back references and the rest: anything


def problems(items: Any, inside_repeat: bool = False) -> Iterator[str]:
    """The nested quantifiers and overlapping alternations in a parse tree (inside a repeat only)."""
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            if high > 1 and inside_repeat:
                yield f"a repeat {{{low},{high}}} inside a repeat"
            yield from problems(body, inside_repeat or high > 1)
        elif op in _SAFE_REPEATS or op is getattr(constants, "ATOMIC_GROUP", None):
            continue  # cannot backtrack into it
        elif op is constants.BRANCH:
            alternatives = av[1]
            if inside_repeat:
                seen: set[str] = set()
                for alternative in alternatives:
                    chars, empty = first(alternative)
                    if empty or chars & seen:
                        yield "alternatives that can start alike inside a repeat"
                        break
                    seen |= chars
            for alternative in alternatives:
                yield from problems(alternative, inside_repeat)
        elif op is constants.SUBPATTERN:
            yield from problems(av[-1], inside_repeat)
        elif op in (constants.ASSERT, constants.ASSERT_NOT):
            yield from problems(av[1], inside_repeat)


def check(pattern: re.Pattern[str] | str) -> list[str]:
    text = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    return sorted(set(problems(parser.parse(text, flags))))


@pytest.mark.parametrize(
    "bad",
    [
        r"(?:[\s\\()]|#[^\n]*)*",  # the gate's _GAP before issue 12
        r"(a+)+",
        r"(a|ab)*c",
        r"(?:x|\s*)*",
        r"(?:[^\n]|\\\r?\n)*?",
        r"(\w+\s?)*$",
    ],
)
def test_checker_rejects_backtracking_shapes(bad: str) -> None:
    assert check(bad)


@pytest.mark.parametrize(
    "good",
    [
        r"[^\r\n]*",
        r"\r\n?|\n",
        r"[^\W\d]\w*",
        r"\b(?:run|run_server|debug)\b",
        r"(?:[^\n\\]|\\\r?[\s\S])*?",
        r"(?:,\w)*",
    ],
)
def test_checker_allows_linear_shapes(good: str) -> None:
    assert check(good) == [], good


def _module_patterns(module: ModuleType) -> list[tuple[str, re.Pattern[str]]]:
    return [(f"{module.__name__}.{name}", value) for name, value in vars(module).items() if isinstance(value, re.Pattern)]


def test_every_compile_on_the_hot_path_is_a_module_constant() -> None:
    """So the next test sees them all: ``re.compile`` only in module-level assignments, no ``re.match(text)``."""
    for module in HOT:
        path = Path(module.__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node.value) for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
            ):
                assert node.func.attr == "compile" and id(node) in top, f"{path.name}:{node.lineno}: re.{node.func.attr}"


@pytest.mark.parametrize("module", HOT, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_hot_path_patterns_cannot_backtrack(module: ModuleType) -> None:
    for name, pattern in _module_patterns(module):
        assert check(pattern) == [], (name, pattern.pattern)
