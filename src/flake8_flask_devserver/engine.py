"""The engine: source text in, findings out. Pure functions; knows nothing of flake8.

The gate (text only) runs first; libcst is imported and paid for only when the
gate says a file can hold a finding.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from . import gate, project
from .model import DEFAULT_SETTINGS, Finding, Settings


class SourceError(Exception):
    """The source could not be analysed (libcst cannot parse it, or it nests too deeply)."""


def check_source(
    source: str,
    path: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    select: Iterable[str] | None = None,
) -> list[Finding]:
    """Findings for one module's source, sorted by position.

    ``path`` (the file the source came from, real or not) names the module in
    suggestions and anchors first-party import resolution; test files get no
    findings. Raises
    :class:`SourceError` when the source cannot be parsed.
    """
    where = location(path)
    facts = screen(source, where, settings)
    if facts is None:
        return []
    from ._cst import analyse  # libcst is imported only past the gate

    return analyse(source, where, settings, frozenset(select) if select is not None else None, facts)


def location(path: str | os.PathLike[str] | None) -> Path | None:
    """The absolute path the engine works with (None for text without a file)."""
    return Path(os.path.abspath(path)) if path is not None else None


def screen(source: str, where: Path | None, settings: Settings) -> gate.Facts | None:
    """Everything before libcst: None when no finding is possible, else the facts to compute."""
    if where is not None and project.is_test_file(where):
        return None
    return gate.facts(source, where, settings)
