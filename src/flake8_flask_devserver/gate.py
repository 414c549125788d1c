"""The cheap first look: which findings can this text hold at all?

Runs on every file flake8 checks, so it reads text (literal scans first, a few
regular expressions only where those hit) and never imports libcst. It may say
yes too often (the engine then finds nothing) but must never say no to a file
that has a finding. It answers per kind of fact, so the engine also skips the
work for facts the text rules out (resolving every call to look for server
starts is the expensive one).

What the text must show for each kind of finding (the engine needs the same
spelled out in code; the gate allows whitespace, line continuations and
parentheses between the parts):

* a server start: ``.run(`` / ``.run_server(``, or the name of a launcher
  (``run_simple``, ``make_server``, a configured one; aliases made in the file
  keep the name in the text); plus a way to reach a Flask-family object (below);
* a debugger wrapper: ``DebuggedApplication``, plus that way;
* a debug switch: ``.debug =`` (also annotated, or in a tuple target), a
  ``"DEBUG"`` key written to (``[...] =``, ``"DEBUG": ...``, a first argument
  ``("DEBUG", ...``), ``DEBUG=`` as a keyword, plus that way; or the same with
  ``FLASK_DEBUG``/``FLASK_ENV`` (the environment, no Flask object needed);
  a value spelled ``False``, ``None`` or ``0`` switches nothing on;
* ``DEBUG = ...`` in a class body: ``DEBUG =`` and ``Config`` in the text.

So a launcher imported from a first-party module under a new name (``from
.devtools import serve`` where devtools renames ``run_simple``) is not followed:
the name must appear where it is called, as it always had to. Keys spelled
through escapes or implicit concatenation (``"DEB" "UG"``) are not seen either.

Reaching a Flask-family object: an import of flask, quart, apiflask, dash,
flask_socketio or werkzeug, of a configured module, or of a first-party module
that can hand out one of those (read from disk, cached per process).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from . import project
from .model import Settings


@dataclass(frozen=True)
class Facts:
    """Which facts the text allows; the engine computes only those."""

    starts: bool = True  # server starts: ``.run(``/``.run_server(`` on an app
    launchers: bool = True  # server starts: calls to a launcher (run_simple, make_server, configured)
    debugged: bool = True  # ``DebuggedApplication(...)`` calls
    switches: bool = True  # debug switched on in app config or the environment
    config_classes: bool = True  # ``DEBUG = ...`` in a configuration class


@dataclass(frozen=True)
class Shapes:
    """The text shapes of one piece of source (no imports looked at)."""

    run_call: bool  # ``.run(`` / ``.run_server(``
    launcher: bool  # the name of a launcher
    debugged: bool  # ``DebuggedApplication``
    app_switch: bool  # ``.debug =``, a ``DEBUG`` key or keyword written to
    env_switch: bool  # the same with ``FLASK_DEBUG`` / ``FLASK_ENV``
    config_class: bool  # a bare ``DEBUG = ...`` (with ``Config`` in the text)


#: Everything possible: what the engine assumes when no gate ran.
ANYTHING = Facts()

#: Between the parts of one construct: whitespace, continuations, parentheses, comments.
#: A comment runs to the end of its line (the lookahead), so a run of ``#`` splits one way only.
_GAP = r"(?:[\s\\()]|#[^\n]*(?![^\n]))*"

#: After ``run``/``run_server``: the call's opening parenthesis.
_CALL = re.compile(rf"{_GAP}\(")

#: After ``debug``: being assigned (``=``, annotated, in a tuple or list target).
_ASSIGNED = re.compile(rf"{_GAP}(?:=(?!=)|:[^\n]*=|,|\])")

#: After a quoted key: its closing quotes.
_CLOSE_QUOTES = re.compile(rf"[\"']+{_GAP}")

#: After ``[key]`` (or ``[key,]``): the subscript being assigned (also annotated, in a tuple or list target).
_SUBSCRIPT_ASSIGNED = re.compile(rf"(?:,{_GAP})?\]{_GAP}(?:=(?!=)|:|,|\])")

#: After a bare key: ``DEBUG = v``, ``DEBUG=v``, ``DEBUG: bool = v``.
_BARE_ASSIGNED = re.compile(rf"{_GAP}(?:=(?!=)|:[^\n]*=)")

#: A value that switches nothing on, up to the end of the value.
_OFF_VALUE = re.compile(r"[ \t]*(?:False|None|0+|0*\.0*)[ \t]*(?:[,;)\]}#\r\n]|$)")


@lru_cache(maxsize=64)
def _launchers(settings: Settings) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """Words naming a launcher, and the same as literals to test first."""
    names = {"run_simple", "make_server"}
    names.update(launcher.qualname.rsplit(".", 1)[-1] for launcher in settings.server_launchers)
    words = sorted(name for name in names if name)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b"), tuple(words)


def configured_modules(settings: Settings) -> tuple[str, ...]:
    """Top-level packages of the names a project configured (``shop`` for ``shop.core.App``)."""
    names = [*settings.app_classes, *settings.app_factories]
    names.extend(launcher.qualname for launcher in settings.server_launchers)
    return tuple(sorted({name.split(".")[0] for name in names}))


def could_have_findings(source: str, path: Path | None, settings: Settings) -> bool:
    """False only when no rule can fire on ``source``; cheap enough for every file."""
    return facts(source, path, settings) is not None


def facts(source: str, path: Path | None, settings: Settings) -> Facts | None:
    """The facts ``source`` can hold, or None when no rule can fire on it."""
    found = shapes(source, settings)
    starts = found.launcher or found.run_call
    if not (starts or found.debugged or found.app_switch or found.env_switch or found.config_class):
        return None
    if (starts or found.debugged or found.app_switch) and not _reaches_family(source, path, settings):
        # Without a Flask-family object only environment switches and config classes remain.
        if not (found.env_switch or found.config_class):
            return None
        return Facts(False, False, False, found.env_switch, found.config_class)
    return Facts(starts, found.launcher, found.debugged, found.app_switch or found.env_switch, found.config_class)


def shapes(source: str, settings: Settings) -> Shapes:
    """The shapes findings need, in ``source`` (a module, or one statement of it)."""
    pattern, words = _launchers(settings)
    launcher = any(word in source for word in words) and pattern.search(source) is not None
    app_switch, env_switch, config_class = _debug_shapes(source)
    return Shapes(
        run_call=_has_run_call(source),
        launcher=launcher,
        debugged=next(_words(source, "DebuggedApplication"), None) is not None,
        app_switch=app_switch,
        env_switch=env_switch,
        config_class=config_class,
    )


def launcher_words(settings: Settings) -> tuple[str, ...]:
    """The names that can call a launcher (``run_simple``, ``make_server``, configured ones)."""
    return _launchers(settings)[1]


def _words(source: str, word: str) -> Iterator[int]:
    """Start of every occurrence of ``word`` as a whole identifier (str.find: far faster than ``\\b`` regexes)."""
    size = len(word)
    start = source.find(word)
    while start != -1:
        end = start + size
        if (start == 0 or not _identifier(source[start - 1])) and (end == len(source) or not _identifier(source[end])):
            yield start
        start = source.find(word, end)


def _identifier(char: str) -> bool:
    return char.isalnum() or char == "_"


def _after_dot(source: str, start: int) -> bool:
    """Whether the name at ``start`` is an attribute (a dot before it, maybe across a gap)."""
    return _before_gap(source, start - 1, " \t\r\n\\(") == "."


def _before_gap(source: str, index: int, gap: str) -> str:
    """The first character at or before ``index`` that is neither in ``gap`` nor in a comment ("" if none)."""
    while index >= 0:
        char = source[index]
        if char == "\n" or char == "\r":
            line_start = max(source.rfind("\n", 0, index), source.rfind("\r", 0, index)) + 1
            comment = _comment_start(source, line_start, index)
            if comment is not None:
                index = comment  # the comment ends at this line break: step over it
        elif char not in gap:
            return char
        index -= 1
    return ""


def _comment_start(source: str, start: int, end: int) -> int | None:
    """Where the comment of the line ``source[start:end]`` begins, if it has one.

    Reads quotes on that line only; a line that continues a triple-quoted string may
    be misread, which at worst makes a name look less like an attribute (more findings
    possible, never fewer).
    """
    index = start
    quote = ""
    while index < end:
        char = source[index]
        if quote:
            if char == "\\":
                index += 1
            elif source.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char == "#":
            return index
        elif char in "\"'":
            quote = char * 3 if source.startswith(char * 3, index) else char
            index += len(quote) - 1
        index += 1
    return None


def _has_run_call(source: str) -> bool:
    """``.run(`` or ``.run_server(``."""
    for word in ("run", "run_server"):
        for start in _words(source, word):
            if _after_dot(source, start) and _CALL.match(source, start + len(word)):
                return True
    return False


def run_receiver_assigned(source: str) -> bool:
    """Whether some ``.run(`` receiver is more than a plain name, or a name assigned somewhere.

    True settles that a start may exist; False says only "look closer" (slices.py).
    """
    for word in ("run", "run_server"):
        for start in _words(source, word):
            if not (_after_dot(source, start) and _CALL.match(source, start + len(word))):
                continue
            index = source.rfind(".", 0, start)
            while index > 0 and source[index - 1] in " \t\r\n\\":
                index -= 1
            end = index
            while index > 0 and _identifier(source[index - 1]):
                index -= 1
            name = source[index:end]
            if not name or index and source[index - 1] in ".)]\"'":
                return True  # a call, subscript, attribute chain or literal before the dot
            if any(True for _ in _assignments(source, name)):
                return True
    return False


def _assignments(source: str, name: str) -> Iterator[int]:
    """Where ``name`` is assigned: ``name =``, ``name: T =``, ``name :=``."""
    for start in _words(source, name):
        if _NAME_ASSIGNED.match(source, start + len(name)):
            yield start


#: After a name: an assignment to it (plain, annotated, walrus).
_NAME_ASSIGNED = re.compile(r"[ \t]*(?:=(?!=)|:[^\n=]*=(?!=)|:=)")


def _debug_shapes(source: str) -> tuple[bool, bool, bool]:
    """Whether the text can switch debug on in app config, in the environment, or in a config class."""
    app_switch = any(
        _after_dot(source, start) and _assigned(_ASSIGNED, source, start + 5) for start in _words(source, "debug")
    )
    env_switch = config_class = False
    for key in ("DEBUG", "FLASK_DEBUG", "FLASK_ENV"):
        for start in _words(source, key):
            end = start + len(key)
            if start and source[start - 1] in "\"'":
                # A string key, written by a subscript, a dict entry or a first argument (setdefault, putenv).
                quotes = _CLOSE_QUOTES.match(source, end)
                if quotes is None:
                    continue
                after = quotes.end()
                nxt = source[after : after + 1]
                if nxt == "]":
                    written = _assigned(_SUBSCRIPT_ASSIGNED, source, after)
                elif nxt == ":":
                    written = not _switched_off(source, after + 1)
                elif nxt == ",":
                    written = (_first_argument(source, start - 1) and not _switched_off(source, after + 1)) or _assigned(
                        _SUBSCRIPT_ASSIGNED, source, after
                    )
                else:
                    written = False
                if not written:
                    continue
            elif _after_dot(source, start) or not _assigned(_BARE_ASSIGNED, source, end):
                continue  # obj.DEBUG is neither a keyword nor a class attribute
            elif key == "DEBUG":
                config_class = True  # a bare DEBUG = ...: maybe in a class body (or a keyword)
            if key == "DEBUG":
                app_switch = True
            else:
                env_switch = True
    return app_switch, env_switch, config_class and "Config" in source


def _assigned(pattern: re.Pattern[str], source: str, end: int) -> bool:
    """Whether ``pattern`` (ending at an ``=``, ``:``, ``,`` or ``]``) matches at ``end`` with a value that may be on."""
    found = pattern.match(source, end)
    return found is not None and not _switched_off(source, found.end())


def _first_argument(source: str, quote: int) -> bool:
    """Whether the string literal whose first quote is at ``quote`` is a call's first argument."""
    index = quote - 1
    while index >= 0 and (source[index] in "\"'" or source[index].isalpha()):
        index -= 1  # more quote characters, a string prefix (r, u, b, f)
    return _before_gap(source, index, " \t\r\n\\") == "("


def _switched_off(source: str, value_start: int) -> bool:
    """Whether the value starting at ``value_start`` is spelled False, None or 0."""
    return _OFF_VALUE.match(source, value_start) is not None


def _reaches_family(source: str, path: Path | None, settings: Settings) -> bool:
    """Whether the text can reach a Flask-family object (or a configured one)."""
    if project.imports_family(source):
        return True
    extra = configured_modules(settings)
    if extra:
        if project.imports_any(source, extra):
            return True
        own = project.module_name(path) if path is not None else None
        if own is not None and own.split(".")[0] in extra:
            return True  # configured names defined in this very package
    if path is None:
        return False
    return any(project.may_provide_app(target, extra) for target in project.imported_modules(source, path))
