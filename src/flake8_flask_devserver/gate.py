"""The cheap first look: which findings can this text hold at all?

Runs on every file flake8 checks, so it reads text only and never imports
libcst. It may say yes too often (the engine then finds nothing) but must never
say no to a file that has a finding. It answers per kind of fact, so the engine
also skips the work for facts the text rules out (resolving every call to look
for server starts is the expensive one).

The text is read by one linear scanner (scanner.py) that knows comments,
strings (prefixes, triple quotes, f-string fields as code) and brackets, and
no regular expression: the ones it replaced backtracked exponentially on
comment banners and took a comment's period for an attribute dot (issue 12).
Its work is counted; a test bounds it at a small multiple of the text's length
on texts built to defeat it. Words in comments and strings are not code; a
string is a key when its whole text is the key.

What the code must show for each kind of finding (the engine needs the same
spelled out in code; whitespace, line continuations, comments and, where
Python allows them, parentheses may sit between the parts):

* a server start: ``.run(`` / ``.run_server(``, or the name of a launcher
  (``run_simple``, ``make_server``, a configured one; aliases made in the file
  keep the name in the text; Flask-Script's ``Server``, whose host and
  debugger runserver uses); plus a way to reach a Flask-family object (below);
* a debugger wrapper: ``DebuggedApplication``, plus that way;
* a debug switch: ``.debug =`` (also annotated, or in a tuple target), a
  ``"DEBUG"`` key written to (``[...] =``, ``"DEBUG": ...``, a first argument
  ``("DEBUG", ...``), ``DEBUG=`` as a keyword, plus that way; or the same with
  ``FLASK_DEBUG``/``FLASK_ENV`` (the environment, no Flask object needed);
  a value spelled ``False``, ``None`` or a zero, and ending there, switches
  nothing on;
* ``DEBUG = ...`` in a class body: ``DEBUG =`` with no dot before it (a
  number's ``1.`` and ``...`` are no dots), and ``Config`` in the text.

So a launcher imported from a first-party module under a new name (``from
.devtools import serve`` where devtools renames ``run_simple``) is not followed:
the name must appear where it is called, as it always had to (in a module that
names a launcher elsewhere too: callbounds.py resolves only the calls that can
reach one, and localdefs.py drops the fact where the module defines the name itself). Keys spelled
through escapes or implicit concatenation (``"DEB" "UG"``) are not seen either.

Reaching a Flask-family object: an import of a module of the family table
(family.py: flask, quart, apiflask, dash, flask_socketio, werkzeug, flask_openapi3,
eve, connexion, flask_script, ...), of a configured module, or of a first-party
module that can hand out one of those (read from disk, cached per process).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import project, scanner
from .model import DEFAULT_SETTINGS, Settings


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


def _launchers(settings: Settings) -> frozenset[str]:
    """Words naming a launcher: ``run_simple``, ``make_server`` and the configured ones' last names.

    The last settings' answer is kept by identity: every file flake8 checks asks, with the
    same settings object for a whole folder, and a Settings hashes all its fields.
    """
    last = _last_launchers  # one read: another thread may replace it meanwhile
    if last is not None and last[0] is settings:
        return last[1]
    words = _launcher_words(settings)
    globals()["_last_launchers"] = (settings, words)
    return words


_last_launchers: tuple[Settings, frozenset[str]] | None = None


@lru_cache(maxsize=64)
def _launcher_words(settings: Settings) -> frozenset[str]:
    # Server: Flask-Script's runserver options (family.py); read in code only, not in strings.
    names = {"run_simple", "make_server", "Server"}
    names.update(launcher.qualname.rsplit(".", 1)[-1] for launcher in settings.server_launchers)
    return frozenset(name for name in names if name.isidentifier())


def launcher_set(settings: Settings) -> frozenset[str]:
    """The names that can call a launcher, as a set (kept per settings)."""
    return _launchers(settings)


def launcher_words(settings: Settings) -> tuple[str, ...]:
    """The names that can call a launcher (``run_simple``, ``make_server``, configured ones)."""
    return tuple(sorted(_launchers(settings)))


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
    scan = _scanner(source, _launchers(settings))
    quick = scan.quick()  # a superset of the shapes, from the trigger words alone
    if not quick:
        return None
    reaches: bool | None = None
    if not (quick & scanner.ENV_SWITCH or (quick & scanner.BARE_DEBUG and "Config" in source)):
        # Only shapes that need a Flask-family object: without one, the full read is not needed.
        reaches = _reaches_family(source, path, settings)
        if not reaches:
            return None
    found = _shapes(scan, source)
    starts = found.launcher or found.run_call
    if not (starts or found.debugged or found.app_switch or found.env_switch or found.config_class):
        return None
    if starts or found.debugged or found.app_switch:
        if reaches is None:
            reaches = _reaches_family(source, path, settings)
        if not reaches:
            # Without a Flask-family object only environment switches and config classes remain.
            if not (found.env_switch or found.config_class):
                return None
            return Facts(False, False, False, found.env_switch, found.config_class)
    return Facts(starts, found.launcher, found.debugged, found.app_switch or found.env_switch, found.config_class)


def shapes(source: str, settings: Settings) -> Shapes:
    """The shapes findings need, in ``source`` (a module, or one statement of it): one linear read."""
    return _shapes(_scanner(source, _launchers(settings)), source)


def _shapes(scan: scanner.Scanner, source: str) -> Shapes:
    read = scan.read()
    return Shapes(
        run_call=read.run_call,
        launcher=read.launcher,
        debugged=read.debugged,
        app_switch=read.app_switch,
        env_switch=read.env_switch,
        config_class=read.bare_debug and "Config" in source,
    )


def _scanner(source: str, launchers: frozenset[str]) -> scanner.Scanner:
    """The scanner of ``source``, kept for the last text read (the ast step asks about its receivers)."""
    global _last
    last = _last  # one read: another thread may replace it meanwhile
    if last is not None and last.source is source and last.launchers == launchers:
        return last
    _last = scanner.Scanner(source, launchers)
    return _last


_last: scanner.Scanner | None = None

#: More distinct ``.run(`` receivers than this: answer "may be assigned" rather than look for each.
_MAX_RECEIVERS = 8


def run_receiver_assigned(source: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether some ``.run(`` receiver is more than a plain name, or a name assigned somewhere.

    True settles that a start may exist; False says only "look closer" (slices.py).
    """
    read = _scanner(source, _launchers(settings)).read()
    if read.complex_receiver or len(read.receivers) > _MAX_RECEIVERS:
        return True
    return any(scanner.assigned_somewhere(source, name) for name in sorted(read.receivers))


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
