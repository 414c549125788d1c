"""The engine: source text in, findings out. Pure functions; knows nothing of flake8.

The gate (text only) runs first, then checks on Python's own ``ast`` (slices.py);
libcst is imported and paid for only when both say a file can hold a finding,
and it parses only the statements that can matter. What only files past the gate
need (slices.py, ``unicodedata`` for non-ASCII names) is imported on first use:
every flake8 run imports this module, most of its files stop at the gate.
"""

from __future__ import annotations

import ast
import gc
import io
import os
import re
import sys
import tokenize
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from . import gate, nesting, project
from .model import DEFAULT_SETTINGS, Finding, Settings

if TYPE_CHECKING:
    from . import slices


class SourceError(Exception):
    """The source could not be analysed (libcst cannot parse it, or it nests too deeply)."""


def normalize_identifiers(source: str) -> str:
    """``source`` with its identifiers as Python reads them: NFKC-normalised (PEP 3131).

    CPython's tokenizer normalises every non-ASCII identifier to NFKC (``verify_identifier``
    in ``Parser/pegen.c``), so ``app.\uff52\uff55\uff4e(\uff44\uff45\uff42\uff55\uff47=True)``
    (full-width letters) is ``app.run(debug=True)`` and ``from \uff46\uff4c\uff41\uff53\uff4b import Flask``
    imports flask. Only names change: strings, comments and everything else stay as written.
    A full-width letter is one character either way, so columns stay the same; the rare
    character that normalises to several (a ligature) moves the rest of its line. ASCII and
    already-normal text (nearly every file) is returned as it is, unread; text Python cannot
    tokenize too (Python reports it, the engine finds nothing in it anyway).
    """
    if source.isascii():
        return source
    import unicodedata

    if unicodedata.is_normalized("NFKC", source):
        return source
    if not any(_name_may_change(run.group()) for run in _NON_ASCII.finditer(source)):
        return source  # only characters no name can hold change (``²``, ``™``): in strings or comments
    last = _last_normalized
    if last is not None and last[0] is source:
        return last[1]
    lines = io.StringIO(source, newline="").readlines()  # split at \n, \r\n and \r, as Python does
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(iter(lines).__next__):
            if token.type == tokenize.NAME and not token.string.isascii():
                name = unicodedata.normalize("NFKC", token.string)
                if name != token.string:
                    start = starts[token.start[0] - 1] + token.start[1]
                    edits.append((start, start + len(token.string), name))
    except (tokenize.TokenError, SyntaxError):
        return source
    parts: list[str] = []
    done = 0
    for start, end, name in edits:
        parts.append(source[done:start])
        parts.append(name)
        done = end
    parts.append(source[done:])
    normalized = "".join(parts)
    globals()["_last_normalized"] = (source, normalized)
    return normalized


_last_normalized: tuple[str, str] | None = None

#: A run of non-ASCII characters (one repeat of one class: linear).
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _name_may_change(run: str) -> bool:
    """Whether ``run`` holds a character that NFKC changes and that a name may hold (``ｒ``, ``µ``, ``ﬁ``)."""
    import unicodedata

    return not unicodedata.is_normalized("NFKC", run) and any(
        ("a" + char).isidentifier() and unicodedata.normalize("NFKC", char) != char for char in run
    )


def worth_parsing(source: str, where: Path | None, settings: Settings) -> bool:
    """The engine's first look (no libcst): False for test files, and what the gate and the ast checks rule out.

    Shared with the fixer and the command line, so all three skip the same files.
    """
    return planned(source, where, settings) is not None


def needs_libcst(source: str, where: Path | None, settings: Settings) -> bool:
    """Whether :func:`check_source` would import libcst for ``source`` (for callers that import it ahead).

    Like :func:`worth_parsing`, less what is refused before libcst: sources that do
    not parse (flake8 reports those itself) or nest too deeply.
    """
    if where is not None and project.is_test_file(where):
        return False
    source = normalize_identifiers(source)
    facts = _screen(source, where, settings, None)
    if facts is None:
        return False
    from . import slices

    # Python's parse first (flake8 parses every file it checks anyway): the nesting check
    # then counts per statement, and a long file is not tokenized (nesting.statement_bound).
    tree = slices.parse(source)
    if tree is None or nesting.too_deep(source, tree):
        return False
    return _plan(source, facts, settings, tree) is not None


def planned(source: str, where: Path | None, settings: Settings) -> slices.Plan | None:
    """What libcst would have to see of ``source`` (None: nothing, no finding is possible)."""
    if where is not None and project.is_test_file(where):
        return None
    source = normalize_identifiers(source)
    facts = _screen(source, where, settings, None)
    if facts is None:
        return None
    return _plan(source, facts, settings, None)


def _plan(source: str, facts: gate.Facts, settings: Settings, tree: ast.AST | None) -> slices.Plan | None:
    """The ast step (slices.py), remembered for the source it last saw (the command asks twice)."""
    global _last_plan
    last = _last_plan  # one read: other threads may replace it meanwhile
    from . import slices

    if last is not None and last[0] is source and last[1] == facts and last[2] == settings and last[4] is slices.ENABLED:
        return last[3]  # (the audit and tests turn the shortcuts off and on for the same text)
    with collector_paused():  # (the ast of a long file is millions of objects too)
        try:
            plan = slices.plan(source, facts, settings, tree if isinstance(tree, ast.Module) else None)
        except RecursionError:  # the ast checks gave up: libcst sees all, and says what it can
            plan = slices.Plan(facts, source)
    _last_plan = (source, facts, settings, plan, slices.ENABLED)
    return plan


_last_plan: tuple[str, gate.Facts, Settings, slices.Plan | None, bool] | None = None


#: Why a source is refused before libcst sees it (see :mod:`.nesting`).
TOO_DEEP = f"it nests more than {nesting.MAX_NESTING} levels deep, too deep to analyse safely"


def check_source(
    source: str,
    path: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    select: Iterable[str] | None = None,
    tree: ast.AST | None = None,
) -> list[Finding]:
    """Findings for one module's source, sorted by position.

    ``path`` (the file the source came from, real or not) names the module in
    suggestions and anchors first-party import resolution; test files get no
    findings. ``tree``, when given, is ``ast.parse(source)`` already done (flake8
    has it), which the engine would otherwise repeat for files past the gate. Raises
    :class:`SourceError` when the source cannot be parsed.
    """
    where = location(path)
    if where is not None and project.is_test_file(where):
        return []
    source = normalize_identifiers(source)  # Python's own names (PEP 3131)
    facts = _screen(source, where, settings, tree)
    if facts is None:
        return []
    if nesting.too_deep(source, tree):  # libcst would crash the process or take minutes
        raise SourceError(TOO_DEEP)
    plan = _plan(source, facts, settings, tree)
    if plan is None:
        return []
    nesting.vouch(plan.text)  # whole statements of a source that passed too_deep
    _cst = libcst_side()  # libcst is imported only past the gate and the ast checks
    return _cst.analyse_plan(plan, where, settings, frozenset(select) if select is not None else None)


def parse_module(source: str) -> Any:
    """The one guarded libcst parse: every libcst parse in the package goes through here.

    Refuses sources that nest deeper than :data:`nesting.MAX_NESTING` before libcst sees
    them (libcst recurses once per level and overflows the C stack a few thousand levels
    down, which kills the process), and turns libcst's failures into one
    :class:`SourceError`. Returns a ``libcst.Module``.
    """
    if nesting.too_deep(source):
        raise SourceError(TOO_DEEP)
    with collector_paused():
        import libcst as cst

        try:
            return cst.parse_module(source)
        except cst.ParserSyntaxError as error:
            raise SourceError(f"libcst cannot parse it (line {error.raw_line}, column {error.raw_column})") from None
        except cst.CSTValidationError as error:  # e.g. b"a" "b", which the parser leaves to validation
            raise SourceError(f"libcst cannot parse it ({error})") from None
        except UnicodeError:  # lone surrogates, from text decoded with surrogateescape
            raise SourceError("it holds characters that are not valid Unicode") from None
        except (RecursionError, MemoryError):
            raise SourceError("it nests too deeply to analyse") from None


def libcst_side() -> ModuleType:
    """The libcst half of the engine (``_cst``), imported on first use, with the collector paused."""
    with collector_paused():
        from . import _cst
    if _freeze_wanted:
        _freeze()
    return _cst


def freeze_libcst_objects() -> None:
    """Opt in, for a process that checks many files: keep the collector away from libcst's objects.

    Importing libcst makes some 30,000 objects the collector tracks (node classes and
    their generated methods) that live as long as the process. Every later full
    collection walks all of them again, which over a few hundred files costs more
    than the import itself. Once libcst is imported, the garbage of the moment is
    collected and every live object is moved out of the collector's reach
    (``gc.freeze``): those still die by reference counting, but a cycle among them
    would not be freed. That is right for the command and for flake8 checking a
    tree; a library caller (an editor's server, a test run) does not opt in.
    """
    global _freeze_wanted
    _freeze_wanted = True
    if "libcst" in sys.modules:
        _freeze()


def _freeze() -> None:
    global _frozen
    if not _frozen and gc.isenabled():  # a host that runs without the collector keeps it that way
        gc.collect()
        gc.freeze()
        _frozen = True


_freeze_wanted = False
_frozen = False


def out_of_scope(where: Path) -> bool:
    """Files that get no findings whatever they hold: test code, and the Flask family's own source
    (librarysource.py). (check_source asks the second only of files past the gate: it reads a file.)"""
    from .librarysource import is_library_source

    return project.is_test_file(where) or is_library_source(where)


def location(path: str | os.PathLike[str] | None) -> Path | None:
    """The absolute path the engine works with (None for text without a file)."""
    return Path(os.path.abspath(path)) if path is not None else None


def screen(source: str, where: Path | None, settings: Settings, tree: ast.AST | None = None) -> gate.Facts | None:
    """Everything before libcst: None when no finding is possible, else the facts to compute.

    ``tree``: ``ast.parse(source)`` when the caller has it (flake8 does), for configflow's look at the top level.
    """
    if where is not None and project.is_test_file(where):
        return None
    return _screen(source, where, settings, tree)


def _screen(source: str, where: Path | None, settings: Settings, tree: ast.AST | None) -> gate.Facts | None:
    """:func:`screen` for a caller that has ruled out test files already."""
    facts = gate.facts(source, where, settings)
    if where is not None and "DEBUG" in source:
        from . import configflow  # a module-level DEBUG the project loads into an app's config

        facts = configflow.screen(source, where, settings, facts, tree)
    if facts is not None and where is not None:
        from .librarysource import is_library_source

        if is_library_source(where):  # Flask's, Werkzeug's... own server code (asked past the gate only)
            return None
    return facts


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while libcst is imported, or builds and walks trees.

    A tree is hundreds of thousands of tracked objects and holds no cycles; with the
    collector on, every few thousand allocations it walks all of them again, which
    makes the cost per line grow with the size of the file.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
