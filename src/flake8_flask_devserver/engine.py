"""The engine: source text in, findings out. Pure functions; knows nothing of flake8.

The gate (text only) runs first; libcst is imported and paid for only when the
gate says a file can hold a finding.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from . import gate, nesting, project
from .model import DEFAULT_SETTINGS, Finding, Settings


class SourceError(Exception):
    """The source could not be analysed (libcst cannot parse it, or it nests too deeply)."""


def worth_parsing(source: str, where: Path | None, settings: Settings) -> bool:
    """The engine's first look (no libcst): False for test files and text the gate rules out.

    Shared with the fixer and the command line, so all three skip the same files.
    """
    if where is not None and project.is_test_file(where):
        return False
    return gate.could_have_findings(source, where, settings)


#: Why a source is refused before libcst sees it (see :mod:`.nesting`).
TOO_DEEP = f"it nests more than {nesting.MAX_NESTING} levels deep, too deep to analyse safely"


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
    where = Path(os.path.abspath(path)) if path is not None else None
    if not worth_parsing(source, where, settings):
        return []
    if nesting.too_deep(source):  # libcst would crash the process or take minutes
        raise SourceError(TOO_DEEP)
    from ._cst import analyse  # libcst is imported only past the gate

    return analyse(source, where, settings, frozenset(select) if select is not None else None)
