"""One linear reader of Python source for the text gate: comments, strings and brackets, one pass.

The gate (gate.py) asks which shapes of finding a text can hold, before anything
is parsed. Regular expressions that stepped over comments and parentheses
backtracked exponentially on comment banners (issue 12, H1) and read a
comment's final period as an attribute dot (W1). This reader splits the text as
Python's tokenizer does (``Lib/tokenize.py``, ``Parser/lexer/lexer.c``):

* a comment runs from ``#`` to the end of its line (``\\n`` or ``\\r``);
* a string runs from its quote (after a prefix of ``r``, ``u``, ``b``, ``f``,
  ``t``) to the same quote, unescaped, three quotes for a triple-quoted one;
* in f-strings (3.14: t-strings) the replacement fields are code, and are read
  as code: ``f"{app.run()}"`` is a call (PEP 701 lets them hold any string);
* whitespace, ``\\`` line continuations and comments separate tokens.

Speed: the reader stops only at ``#``, quotes and the trigger words (found with
``str.find``, at C speed); around a trigger word it reads a few tokens forward,
and walks back over whitespace and the comments it has met. Every character it
looks at, or that a ``find`` passes over, is added to :attr:`Scanner.visited`,
so tests bound its work on any text: a small constant times the text's length.
Each lookahead reads a bounded number of tokens except the one over an
annotation, which is remembered for the rest of its line.

Words inside comments and strings are not code and are not read as such; a
string is read as a configuration key when its whole text is ``DEBUG``,
``FLASK_DEBUG`` or ``FLASK_ENV``.

Layout: this module reads the shapes and the strings; the tokens, comments, walks
back and the names-assigned reading are tokenreader.py's (:class:`Scanner` extends
its :class:`~tokenreader.TokenReader`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .tokenreader import (
    _ASCII_IDENTIFIER,
    _BREAK,
    _PREFIXES,
    UNKNOWN,
    TokenReader,
    identifier_char,
)

#: Config keys that switch debug on, and whether they are the app's (True) or the environment's.
KEYS = {"DEBUG": True, "FLASK_DEBUG": False, "FLASK_ENV": False}

#: The words the gate reads in code, other than launchers.
RUN_WORDS = ("run", "run_server")
DEBUGGED = "DebuggedApplication"
BASE_WORDS = frozenset((*RUN_WORDS, "debug", DEBUGGED, *KEYS))

_OPEN = frozenset("([{")
_CLOSE = frozenset(")]}")
#: After a value, words that continue its expression (``False or x``, ``0 if a else 1``).
_CONTINUING = frozenset(("or", "and", "if", "else", "is", "in", "not", "for", "async"))
#: What may follow an off value and end it.
_ENDS_VALUE = frozenset(",;)]}")


@lru_cache(maxsize=64)
def _needles(words: frozenset[str]) -> tuple[str, ...]:
    """The words to look for: a word that begins with another is found through it (``run_server`` via ``run``)."""
    words = words | {"FLASK_"} if "FLASK_DEBUG" in words and "FLASK_ENV" in words else words
    return tuple(sorted(word for word in words if not any(other != word and word.startswith(other) for other in words)))


#: The shapes, as bits.
RUN_CALL, LAUNCHER, DEBUGGED_CALL, APP_SWITCH, ENV_SWITCH, BARE_DEBUG = 1, 2, 4, 8, 16, 32
_BITS = (RUN_CALL, LAUNCHER, DEBUGGED_CALL, APP_SWITCH, ENV_SWITCH, BARE_DEBUG)
_ALL = sum(_BITS)

#: The quick look's work, at most this many times the text's length (see :meth:`Scanner.quick`).
QUICK_BUDGET = 2


@dataclass
class Shapes:
    """What one read of a text saw (see gate.Shapes for what each means)."""

    run_call: bool = False
    launcher: bool = False
    debugged: bool = False
    app_switch: bool = False
    env_switch: bool = False
    bare_debug: bool = False  # ``DEBUG = <maybe on>`` with no dot before: a keyword, or a class attribute
    complex_receiver: bool = False  # a ``.run(`` on something other than a plain name
    receivers: set[str] = field(default_factory=set)  # the plain names ``.run(`` is called on


class Scanner(TokenReader):
    """Reads ``source``: :meth:`quick`, then :meth:`read`; :attr:`visited` counts the work of both."""

    def __init__(self, source: str, launchers: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.size = len(source)
        self.launchers = launchers
        self.words = BASE_WORDS | launchers
        self.visited = 0
        self.found = 0  # the shapes seen, as bits (RUN_CALL ...)
        self.complex_receiver = False
        self.receivers: set[str] = set()
        self._triggers_found: list[tuple[int, str]] | None = None
        self._quick = -1  # the quick look's bits (-1: not taken yet)
        self._read: Shapes | None = None
        self._last_seen: dict[int, int] = {}  # in the quick look: each bit's last trigger
        self._comments: dict[int, int] = {}  # a comment's end (its line break) -> its start
        self._annotation = (0, 0, False)  # the last annotation read: (from, to, assigned)
        self._last_comment = (0, 0)  # the last comment read: (from, to)
        self._lexed = True  # False: where comments are is not known (the quick look)

    # -- the passes -----------------------------------------------------------------------------

    def quick(self) -> int:
        """The shapes each trigger word could make if it were code: never fewer than :meth:`read` sees.

        Where comments are is not known here (a walk back into a line with a ``#`` may
        have crossed one: it answers both ways), and strings are not skipped, so one
        linear look at the trigger words alone settles most texts: no bits, no shapes.
        """
        if self._quick < 0:
            self._lexed = False
            source = self.source
            triggers = self._triggers()
            # Here a word may sit in a string or a comment, and then many words can share
            # one long lookahead; past this budget the look stops and the full pass does all.
            budget = self.visited + QUICK_BUDGET * self.size + 256
            for at, word in triggers:
                self._hit(self._word(at, word), at)
                if at > 0 and source[at - 1] in "'\"":
                    self._string(at - 1, inspect=True)
                if self.visited > budget:
                    self.found = _ALL
                    self._last_seen = dict.fromkeys(_BITS, self.size)
                    break
            self._quick = self.found
        return self._quick

    def read(self) -> Shapes:
        """The shapes in the text: the quick look, then, if it saw any, the full pass up to where it can matter."""
        if self._read is not None:
            return self._read
        needed = self.quick()
        if needed:
            self._lex(needed)
        found = self.found if needed else 0
        self._read = Shapes(
            run_call=bool(found & RUN_CALL),
            launcher=bool(found & LAUNCHER),
            debugged=bool(found & DEBUGGED_CALL),
            app_switch=bool(found & APP_SWITCH),
            env_switch=bool(found & ENV_SWITCH),
            bare_debug=bool(found & BARE_DEBUG),
            complex_receiver=self.complex_receiver,
            receivers=self.receivers,
        )
        return self._read

    def _lex(self, needed: int) -> None:
        """The full pass: comments, strings and trigger words in the order of the text.

        It stops once each bit the quick look saw is seen again, or once it is past the last
        trigger word that gave that bit in the quick look (nothing later can give it).
        """
        last_seen = self._last_seen
        self._lexed = True
        self.found = 0
        self._comments = {}
        self._annotation = (0, 0, False)
        self._last_comment = (0, 0)
        size = self.size
        triggers = self._triggers()
        stop = max(last_seen.values())
        comment = quote = double = -1  # the next ``#``, ``'``, ``"`` at or after ``position``
        position = 0
        index = 0
        count = len(triggers)
        while position <= stop:
            if comment < position:
                comment = self._find("#", position)
            if quote < position:
                quote = self._find("'", position)
            if double < position:
                double = self._find('"', position)
            event = min(comment, quote, double)
            while index < count and triggers[index][0] < event:
                at, word = triggers[index]
                index += 1
                if at >= position:
                    self._hit(self._word(at, word), at)
            if event >= size:
                break
            if event == comment:
                position = self._comment(event)
            else:
                position = self._string(event, inspect=True)
            missing = needed & ~self.found
            if not missing:
                break
            stop = max(at for bit, at in last_seen.items() if bit & missing)

    def _hit(self, bits: int, at: int) -> None:
        if bits:
            self.found |= bits
            if not self._lexed:
                for bit in _BITS:
                    if bits & bit:
                        self._last_seen[bit] = at

    def _triggers(self) -> list[tuple[int, str]]:
        """Every whole identifier in ``words`` (in code or not), with its position, in order."""
        if self._triggers_found is not None:
            return self._triggers_found
        source, size, words = self.source, self.size, self.words
        ascii_identifier = _ASCII_IDENTIFIER
        found: list[tuple[int, str]] = []
        for needle in _needles(words):
            step = len(needle)
            self.visited += size + 1  # the finds for one needle cover the text once
            at = source.find(needle)
            while at >= 0:
                if at:
                    char = source[at - 1]
                    if char in ascii_identifier or (char >= "\x80" and identifier_char(char)):
                        at = source.find(needle, at + 1)  # inside a longer name
                        continue
                end = at + step
                while end < size and identifier_char(source[end]):
                    end += 1
                self.visited += end - at
                word = source[at:end]
                if word in words:
                    found.append((at, word))
                at = source.find(needle, end)
        found.sort()
        self._triggers_found = found
        return found

    def _word(self, at: int, word: str) -> int:
        """The shapes a trigger word in code makes (bits)."""
        end = at + len(word)
        found = 0
        if word in self.launchers:
            found |= LAUNCHER
        if word == DEBUGGED:
            found |= DEBUGGED_CALL
        if word in RUN_WORDS:
            dot = self._attribute_dot(at)
            if dot != -1 and self._called_or_handed(end):
                found |= RUN_CALL
                if dot >= 0 and self._lexed:
                    self._receiver(dot)
        elif word == "debug":
            if self._attribute_dot(at) != -1 and self._attribute_assigned(end):
                found |= APP_SWITCH
        elif word in KEYS:
            if self._attribute_dot(at) < 0 and self._bare_assigned(end):
                found |= APP_SWITCH | BARE_DEBUG if KEYS[word] else ENV_SWITCH
        return found

    # -- shapes ---------------------------------------------------------------------------------

    def _called_or_handed(self, end: int) -> bool:
        """``run`` followed by a call's ``(`` (parentheses around the callee allowed: ``(app.run)()``),
        or handed on as an argument: ``Thread(target=app.run)``, ``partial(app.run, ...)`` (a ``,`` or
        ``)`` next; analysis.handoff follows it to the call that runs it)."""
        token = self._token(end)
        if token.kind == ",":
            return True
        while token.kind == ")":
            token = self._token(token.end)
            if token.kind != "(":
                return True  # ``target=app.run)``: an argument (also ``(app.run))``)
        return token.kind == "("

    def _receiver(self, dot: int) -> None:
        """Notes what ``.run(`` is called on: a plain name, or something else."""
        source = self.source
        last = self._previous(dot - 1)
        if last < 0 or not identifier_char(source[last]):  # (UNKNOWN too)
            self.complex_receiver = True  # a call, subscript or literal before the dot
            return
        first = last
        while first > 0 and identifier_char(source[first - 1]):
            first -= 1
            self.visited += 1
        if source[first].isdigit() or (first > 0 and self._attribute_dot(first) >= 0):
            self.complex_receiver = True  # an attribute chain
        else:
            self.receivers.add(source[first : last + 1])

    def _attribute_assigned(self, end: int) -> bool:
        """``.debug`` being assigned: ``=``, annotated, or in a tuple or list target, to a value maybe on."""
        token = self._token(end, parentheses=True)
        kind = token.kind
        if kind in ("=", ",", "]"):
            return not self._off(token.end)
        if kind == ":":
            return self._annotated(token.end)
        return False

    def _bare_assigned(self, end: int) -> bool:
        """A bare name assigned (``NAME = v``, ``NAME: T = v``, ``NAME := v``, keyword ``NAME=v``), v maybe on."""
        token = self._token(end, parentheses=True)
        kind = token.kind
        if kind in ("=", ":="):
            return not self._off(token.end)
        if kind == ":":
            return self._annotated(token.end)
        return False

    def _key_written(self, start: int, quote: int, end: int) -> bool:
        """A string key (from ``start``, quote at ``quote``, ending at ``end``) written to, with a value maybe on.

        ``x["DEBUG"] = v`` (also annotated, in a tuple target, ``x["DEBUG",]``), ``{"DEBUG": v}``,
        and a call's first argument ``f("DEBUG", v)`` (setdefault, putenv).
        """
        token = self._token(end, parentheses=True)
        kind = token.kind
        if kind == "]":
            return self._subscript_assigned(token.end)
        if kind == ":":
            return not self._off(token.end)
        if kind == ",":
            before = self._previous(start - 1)
            if (before == UNKNOWN or (before >= 0 and self.source[before] == "(")) and not self._off(token.end):
                return True
            after = self._token(token.end, parentheses=True)
            return after.kind == "]" and self._subscript_assigned(after.end)
        return False

    def _subscript_assigned(self, end: int) -> bool:
        """After a subscript's ``]``: assigned (``=``, annotated ``:``, in a tuple or list target)."""
        token = self._token(end, parentheses=True)
        return token.kind in ("=", ":", ",", "]") and not self._off(token.end)

    def _annotated(self, start: int) -> bool:
        """After ``NAME:``: an ``=`` in the same logical line, at the same bracket depth, with a value maybe on.

        A later colon inside the span already read gets the same answer (so a line of
        ``DEBUG: ...`` repeated is read once).
        """
        begun, ended, assigned = self._annotation
        if begun <= start < ended:
            return assigned
        depth = 0
        at = start
        assigned = False
        while True:
            token = self._token(at, newlines=True, strings=True)
            kind = token.kind
            at = token.end
            if kind == "eof" or (depth == 0 and kind in ("newline", ";")):
                break
            if kind in _OPEN:
                depth += 1
            elif kind in _CLOSE:
                depth -= 1
                if depth < 0:
                    break  # the colon was inside brackets: a dict entry, a slice, a lambda
            elif kind == "=" and depth == 0:
                assigned = not self._off(token.end)
                break
        self._annotation = (start, at, assigned)
        return assigned

    def _off(self, start: int) -> bool:
        """Whether the value from ``start`` is spelled ``False``, ``None`` or a zero, and ends there."""
        source = self.source
        token = self._token(start)
        kind = token.kind
        if kind == "name":
            if token.end - token.start != 4 and token.end - token.start != 5:
                return False
            if source[token.start : token.end] not in ("False", "None"):
                return False
        elif kind == "number":
            text = source[token.start : token.end]
            if text.strip("0") not in ("", ".") or text == ".":
                return False
        else:
            return False
        after = self._token(token.end, newlines=False, keyword=True)
        kind = after.kind
        if kind == "eof" or kind in _ENDS_VALUE:
            return True
        if kind == "name":  # past a line break: the next statement; else only a word continuing the value
            return source[after.start : after.end] not in _CONTINUING
        return kind in ("string", "number")

    # -- strings --------------------------------------------------------------------------------

    def _string(self, quote: int, inspect: bool = False) -> int:
        """Reads the string whose first quote is at ``quote``; returns its end.

        ``inspect``: a key written to, and the trigger words in f-string fields, count.
        """
        source = self.source
        first = quote
        while first > 0 and quote - first < 3 and identifier_char(source[first - 1]):
            first -= 1
            self.visited += 1
        if (first > 0 and identifier_char(source[first - 1])) or source[first:quote].lower() not in _PREFIXES:
            first = quote  # the end of a longer name (``if"x"``): no prefix
        prefix = source[first:quote].lower()
        char = source[quote]
        mark = char * 3 if source.startswith(char * 3, quote) else char
        if "f" in prefix or "t" in prefix:
            end = self._fstring(quote + len(mark), mark, "r" in prefix, inspect)
        else:
            end = self._string_end(quote + len(mark), mark)
        if not inspect:
            return end
        body = end - quote - 2 * len(mark)
        if 5 <= body <= 11 and source[quote + len(mark) : end - len(mark)] in KEYS:
            if self._key_written(first, quote, end):
                key = source[quote + len(mark) : end - len(mark)]
                self._hit(APP_SWITCH if KEYS[key] else ENV_SWITCH, quote)
        return end

    def _string_end(self, at: int, mark: str) -> int:
        """The end of a string without fields, whose text starts at ``at`` (a quote escaped by ``\\`` goes on)."""
        source = self.source
        while True:
            found = self._find(mark, at)
            if found >= self.size:
                return self.size
            escapes = found
            while escapes > at and source[escapes - 1] == "\\":
                escapes -= 1
                self.visited += 1
            if (found - escapes) % 2 == 0:
                return found + len(mark)
            at = found + 1

    def _fstring(self, at: int, mark: str, raw: bool, inspect: bool) -> int:
        """The end of an f-string whose text starts at ``at``; its fields are read as code (trigger words too).

        A stack, not recursion: each entry is one f-string being read, with the modes it
        is in (text, a field at some bracket depth, a format spec), innermost last.
        """
        source, size = self.source, self.size
        stack: list[tuple[str, bool, list[list]]] = [(mark, raw, [["text", 0]])]
        while stack and at < size:
            mark, raw, modes = stack[-1]
            mode = modes[-1]
            if mode[0] != "field":
                char = source[at]
                self.visited += 1
                if source.startswith(mark, at):
                    stack.pop()
                    at += len(mark)
                elif char == "\\":
                    if not raw and source.startswith("N{", at + 1):
                        at = self._find("}", at) + 1  # a named escape, \N{...}: its braces are no field
                    else:
                        at += 1 if source[at + 1 : at + 2] == "{" else 2
                elif char == "{":
                    if mode[0] == "text" and source.startswith("{{", at):
                        at += 2
                    else:
                        modes.append(["field", 0])
                        at += 1
                elif char == "}":
                    if mode[0] == "text":
                        at += 2 if source.startswith("}}", at) else 1
                    else:
                        modes.pop()  # a format spec ends with its field
                        at += 1
                elif char in _BREAK and len(mark) == 1:
                    stack.pop()  # an unterminated string (a syntax error)
                else:
                    at += 1
                continue
            token = self._token(at, strings=False)
            kind = token.kind
            if kind == "eof":
                return size
            if kind == "string":  # a string in a field: read here, so nesting needs no recursion
                quote = token.end
                prefix = source[token.start : quote].lower()
                if "f" in prefix or "t" in prefix:
                    inner = source[quote] * 3 if source.startswith(source[quote] * 3, quote) else source[quote]
                    stack.append((inner, "r" in prefix, [["text", 0]]))
                    at = quote + len(inner)
                elif inspect:
                    at = self._string(quote, inspect=True)
                else:
                    inner = source[quote] * 3 if source.startswith(source[quote] * 3, quote) else source[quote]
                    at = self._string_end(quote + len(inner), inner)
                continue
            at = token.end
            if kind in _OPEN:
                mode[1] += 1
            elif kind in _CLOSE:
                if kind == "}" and mode[1] == 0:
                    modes.pop()
                else:
                    mode[1] = max(0, mode[1] - 1)
            elif (kind == ":" or kind == ":=") and mode[1] == 0:
                modes[-1] = ["spec", 0]
                at = token.start + 1
            elif kind == "name" and inspect:
                word = source[token.start : token.end]
                if word in self.words:
                    self._hit(self._word(token.start, word), token.start)
        return at


def assigned_somewhere(source: str, name: str) -> bool:
    """Whether ``name`` is assigned somewhere in ``source`` (see :meth:`Scanner.assigned`)."""
    return bool(name) and Scanner(source).assigned(name)
