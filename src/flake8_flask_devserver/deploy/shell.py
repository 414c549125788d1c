"""A small POSIX-shell lexer that keeps positions, and the split into simple commands.

It reads what a deployment line hands to ``/bin/sh -c`` (Dockerfile shell form, a
Procfile process, ``sh -c "..."``) and, with ``shell=False``, what Compose and other
tools split with shlex rules (quotes and backslashes, no operators, no comments).
It is not a shell: expansions stay as text, and only what matters for finding the
command a line runs is modelled (quoting, ``&&``/``||``/``;``/``|``/``&`` lists,
redirections, comments, leading ``NAME=value`` assignments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Token

#: Operators that end a simple command.
_SEPARATORS = ("&&", "||", ";;", ";", "&", "|", "\n", "(", ")")

#: Reserved words that may start a command line before the command itself.
_LEADING_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"})
#: Reserved words that start no command of interest.
_SKIPPED_KEYWORDS = frozenset({"fi", "done", "esac", "}", "for", "case", "in", "function"})

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class Operator:
    text: str
    offset: int


@dataclass
class SimpleCommand:
    """One command of a list: its leading ``NAME=value`` assignments and its words."""

    assignments: list[tuple[Token, Token]] = field(default_factory=list)
    words: list[Token] = field(default_factory=list)


class _Word:
    """A word being built: its characters, their offsets, where it began and whether it was quoted."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.start: int | None = None
        self.quoted = False

    def add(self, char: str, offset: int) -> None:
        self.chars.append(char)
        self.offsets.append(offset)

    def begin(self, offset: int) -> None:
        if self.start is None:
            self.start = offset

    def token(self, origin: str) -> Token | None:
        if self.start is None:
            return None
        return Token("".join(self.chars), tuple(self.offsets), self.start, origin)


def lex(source: Token, shell: bool = True) -> list[Token | Operator]:
    """Words and operators of ``source``; positions come from ``source.offsets``."""
    text, offs = source.value, source.offsets
    end_offset = offs[-1] + 1 if offs else source.start
    out: list[Token | Operator] = []
    word = _Word()
    n = len(text)
    i = 0

    def at(index: int) -> int:
        return offs[index] if index < n else end_offset

    def flush() -> None:
        nonlocal word
        token = word.token(source.origin)
        if token is not None:
            out.append(token)
        word = _Word()

    while i < n:
        char = text[i]
        if char in " \t\r" or (char == "\n" and not shell):
            flush()
            i += 1
            continue
        if shell and char == "\n":
            flush()
            out.append(Operator("\n", at(i)))
            i += 1
            continue
        if shell and char == "#" and word.start is None:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if shell and char in "&|;()":
            flush()
            pair = text[i : i + 2]
            op = pair if pair in ("&&", "||", ";;", "&>") else char
            if op == "&>":
                out.append(Operator("redirect", at(i)))
                i += 3 if text[i + 2 : i + 3] == ">" else 2
                continue
            out.append(Operator(op, at(i)))
            i += len(op)
            continue
        if shell and char in "<>":
            if word.start is not None and not word.quoted and "".join(word.chars).isdigit():
                word = _Word()  # an IO number (the 2 of 2>&1) belongs to the redirection
            flush()
            j = i + 1
            while j < n and text[j] in "<>&|-":
                j += 1
            out.append(Operator("redirect", at(i)))
            i = j
            continue
        word.begin(at(i))
        if char == "'":
            word.quoted = True
            close = text.find("'", i + 1)
            close = n if close < 0 else close  # unterminated: the shell fails; read the rest as text
            for j in range(i + 1, close):
                word.add(text[j], at(j))
            i = close + 1
            continue
        if char == '"':
            word.quoted = True
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and (text[j + 1] in '"\\$`\n' if shell else text[j + 1] in '"\\'):
                    if text[j + 1] != "\n":
                        word.add(text[j + 1], at(j + 1))
                    j += 2
                    continue
                if shell and text.startswith("$(", j):
                    j = _copy_substitution(text, j, word, at)
                    continue
                word.add(text[j], at(j))
                j += 1
            i = j + 1
            continue
        if char == "\\":
            if i + 1 < n and text[i + 1] != "\n":
                word.add(text[i + 1], at(i + 1))
            elif i + 1 >= n:
                word.add(char, at(i))
            i += 2
            continue
        if shell and text.startswith("$(", i):
            i = _copy_substitution(text, i, word, at)
            continue
        if shell and char == "`":
            close = text.find("`", i + 1)
            close = n - 1 if close < 0 else close
            for j in range(i, close + 1):
                word.add(text[j], at(j))
            i = close + 1
            continue
        word.add(char, at(i))
        i += 1
    flush()
    return out


def _copy_substitution(text: str, i: int, word: _Word, at) -> int:  # type: ignore[no-untyped-def]
    """Copy a ``$(...)`` into the word as text; return the index after it."""
    depth = 0
    j = i
    while j < len(text):
        char = text[j]
        word.add(char, at(j))
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def commands(items: list[Token | Operator]) -> list[SimpleCommand]:
    """Split lexed items into simple commands, dropping redirections and their targets."""
    found: list[SimpleCommand] = []
    current: list[Token] = []
    skip_next = False

    def close() -> None:
        if current:
            found.append(_simple(current))
        current.clear()

    for item in items:
        if isinstance(item, Operator):
            if item.text == "redirect":
                skip_next = True
            elif item.text in _SEPARATORS:
                close()
            continue
        if skip_next:
            skip_next = False
            continue
        current.append(item)
    close()
    return [command for command in found if command.words or command.assignments]


def _simple(words: list[Token]) -> SimpleCommand:
    index = 0
    while index < len(words) and words[index].value in _LEADING_KEYWORDS:
        index += 1
    if index < len(words) and words[index].value in _SKIPPED_KEYWORDS:
        return SimpleCommand()
    command = SimpleCommand()
    while index < len(words) and _ASSIGNMENT.match(words[index].value):
        name, _, _ = words[index].value.partition("=")
        token = words[index]
        command.assignments.append((token.sub(0, len(name)), token.sub(len(name) + 1)))
        index += 1
    command.words = words[index:]
    return command


def split_shell(source: Token) -> list[SimpleCommand]:
    """The simple commands of a shell command string."""
    return commands(lex(source, shell=True))


def split_words(source: Token) -> list[Token]:
    """shlex-style words (Compose's ``command: flask run``), no shell operators."""
    return [item for item in lex(source, shell=False) if isinstance(item, Token)]
