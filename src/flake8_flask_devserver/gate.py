"""The cheap first look: can this text hold a finding at all?

Runs on every file flake8 checks, so it reads text with a few regular
expressions and never imports libcst. It may say yes too often (the engine then
finds nothing) but must never say no to a file that has a finding.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import project
from .model import Settings

#: Text every dev-server start, debug switch or debugger wrapper must contain.
_TRIGGER = (
    r"\.run(?:_server)?\b"
    r"|\brun_simple\b|\bmake_server\b|DebuggedApplication|allow_unsafe_werkzeug"
    r"|DEBUG|\.debug\b"
)

#: Findings that need no app: the Flask debug environment variables and
#: ``DEBUG = True`` in a configuration class.
_STANDALONE = re.compile(r"FLASK_(?:DEBUG|ENV)|^[ \t]+DEBUG\b", re.MULTILINE)


@lru_cache(maxsize=64)
def _trigger(settings: Settings) -> re.Pattern[str]:
    names = [launcher.qualname.rsplit(".", 1)[-1] for launcher in settings.server_launchers]
    extra = "".join(rf"|\b{re.escape(name)}\b" for name in names)
    return re.compile(_TRIGGER + extra)


def configured_modules(settings: Settings) -> tuple[str, ...]:
    """Top-level packages of the names a project configured (``shop`` for ``shop.core.App``)."""
    names = [*settings.app_classes, *settings.app_factories]
    names.extend(launcher.qualname for launcher in settings.server_launchers)
    return tuple(sorted({name.split(".")[0] for name in names}))


def could_have_findings(source: str, path: Path | None, settings: Settings) -> bool:
    """False only when no rule can fire on ``source``; cheap enough for every file."""
    if _STANDALONE.search(source):
        return True
    if not _trigger(settings).search(source):
        return False
    if project.imports_family(source):
        return True
    extra = configured_modules(settings)
    if extra and project.imports_any(source, extra):
        return True
    if path is None:
        return False
    return _reaches_first_party_app(source, path, extra)


def _reaches_first_party_app(source: str, path: Path, extra: tuple[str, ...]) -> bool:
    for level, module in project.first_party_imports(source):
        target = project.find_module(module, level, path)
        if target is not None and project.may_provide_app(target, extra):
            return True
    return False
