"""libcst side of the engine: parse, build the analysis, run the rules, place the findings.

The stages are separate functions so the benchmark can time each one.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from functools import cached_property
from pathlib import Path

import libcst as cst

try:  # the base of libcst's own position-tracking code generation
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - a libcst that moved it: fall back to PositionProvider
    CodegenState = None  # type: ignore[assignment,misc]

from . import callbounds, gate, rules, slices
from .analysis import Analysis, DebugSwitch, ServerStart
from .apps import Site
from .engine import SourceError, collector_paused, normalize_identifiers, parse_module
from .gate import ANYTHING, Facts
from .model import Finding, Settings
from .rules import Report


def parse(source: str) -> cst.Module:
    """Parse source with libcst through the engine's one guarded entry (:func:`engine.parse_module`)."""
    module: cst.Module = parse_module(source)
    return module


class GatedAnalysis(Analysis):
    """An analysis that skips the facts the gate ruled out (they would come out empty anyway)."""

    def __init__(self, module: cst.Module, path: Path | None, settings: Settings, facts: Facts) -> None:
        super().__init__(module, path, settings)
        self.facts = facts

    @cached_property
    def starts(self) -> list[ServerStart]:
        # Looking for starts resolves every call in the module: the costly fact.
        return Analysis.starts.func(self) if self.facts.starts else []  # type: ignore[attr-defined]

    def _start(self, site: Site) -> ServerStart | None:
        # Without a launcher's name in the text only ``.run(``/``.run_server(`` calls can
        # start a server, so the other calls are not resolved at all; with one, only the
        # calls that can reach it (callbounds.py; all of them in the audit mode).
        func = site.node.func  # type: ignore[attr-defined]
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("run", "run_server")):
            if not self.facts.launchers:
                return None
            if not self.may_call(func, site, gate.launcher_set(self.settings)):
                return None
        return super()._start(site)

    def may_call(self, func: cst.BaseExpression, site: Site, words: frozenset[str]) -> bool:
        # Every call in the audit mode (slices.ENABLED off), which compares the two.
        return not slices.ENABLED or callbounds.may_reach(self.resolver, func, site, words)

    @cached_property
    def debugged_apps(self) -> list[tuple[Site, object]]:
        return Analysis.debugged_apps.func(self) if self.facts.debugged else []  # type: ignore[attr-defined]

    @cached_property
    def debug_switches(self) -> list[DebugSwitch]:
        return Analysis.debug_switches.func(self) if self.facts.switches else []  # type: ignore[attr-defined]


def index(module: cst.Module, path: Path | None, settings: Settings, facts: Facts = ANYTHING) -> Analysis:
    """The module's index (scopes, bindings, sites) and a resolver over it."""
    try:
        return GatedAnalysis(module, path, settings, facts)
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None


def run_rules(analysis: Analysis, select: frozenset[str] | None) -> list[tuple[str, Report]]:
    """Every rule's reports (resolution happens here, lazily)."""
    try:
        return [
            (rule.CODE, report)
            for rule in rules.ALL
            if select is None or rule.CODE in select
            for report in rule.check(analysis)
        ]
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None


def place(module: cst.Module, reports: list[tuple[str, Report]], text: str | None = None) -> list[Finding]:
    """Line and column of each report (the same positions as libcst's ``PositionProvider``);
    ``text`` is the source ``module`` was parsed from (see :func:`locate`)."""
    if not reports:
        return []
    try:  # another walk, a little deeper than the analysis's
        starts = locate(module, [report.node for _, report in reports], text)
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None
    findings = {Finding(*starts[id(report.node)], code, report.message) for code, report in reports}
    return sorted(findings)


def locate(module: cst.Module, nodes: list[cst.CSTNode], text: str | None = None) -> dict[int, tuple[int, int]]:
    """``id(node) -> (line, column)`` of where each node starts, as ``PositionProvider`` has it.

    Code generation that keeps the start of the nodes asked for only: ``PositionProvider``
    builds a range object for every node of the module, which costs twice the parse. With
    ``text`` (what ``module`` was parsed from), only the statements holding the nodes are
    generated, placed by ``ast`` (positions.py); else the whole module.
    """
    if CodegenState is None:  # pragma: no cover
        from libcst.metadata import MetadataWrapper, PositionProvider

        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        return {id(node): (positions[node].start.line, positions[node].start.column) for node in nodes}
    if text is not None:
        from . import positions

        found = positions.by_statement(module, nodes, text, _Locator)
        if found is not None:
            return found
    locator = _Locator(module, {id(node) for node in nodes})
    module._codegen(locator)
    return locator.starts


_NEWLINE = re.compile(r"\r\n?|\n")


class _Locator(CodegenState):  # type: ignore[misc,valid-type]
    """Tracks line and column exactly like ``PositionProvidingCodegenState``, without keeping the code."""

    def __init__(self, module: cst.Module, targets: set[int]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.targets = targets
        self.starts: dict[int, tuple[int, int]] = {}
        self.line = 1  # one-indexed
        self.column = 0  # zero-indexed
        self.stack: list[tuple[int, int]] = []

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.stack.pop()
        key = id(node)
        if key in self.targets and key not in self.starts:  # a syntactic start, if recorded, wins
            self.starts[key] = start

    def record_syntactic_position(  # type: ignore[override]
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> AbstractContextManager[None]:
        if id(node) not in self.targets:
            return _UNRECORDED
        return _Syntactic(self, node, start_node)


class _Syntactic:
    """The syntactic start of a node: where its code begins, or where ``start_node``'s does."""

    def __init__(self, locator: _Locator, node: cst.CSTNode, start_node: cst.CSTNode | None) -> None:
        self.locator = locator
        self.node = node
        self.start_node = start_node

    def __enter__(self) -> None:
        self.start = (self.locator.line, self.locator.column)
        if self.start_node is not None:
            self.locator.targets.add(id(self.start_node))

    def __exit__(self, *exc: object) -> None:
        start = self.locator.starts[id(self.start_node)] if self.start_node is not None else self.start
        self.locator.starts[id(self.node)] = start


_UNRECORDED = nullcontext()


def analyse(
    source: str, path: Path | None, settings: Settings, select: frozenset[str] | None, facts: Facts = ANYTHING
) -> list[Finding]:
    """Findings in the whole of ``source``: no gate, no ast step, every statement parsed.

    Names are read as Python reads them (NFKC, PEP 3131), as :func:`engine.check_source` reads them.
    """
    return analyse_plan(slices.Plan(facts, normalize_identifiers(source)), path, settings, select)


def analyse_plan(plan: slices.Plan, path: Path | None, settings: Settings, select: frozenset[str] | None) -> list[Finding]:
    """Findings for what ``plan`` says libcst has to see, on the file's own lines."""
    with collector_paused():
        module = parse(plan.text)
        findings = place(module, run_rules(index(module, path, settings, plan.facts), select), plan.text)
    if plan.lines is None:
        return findings
    return [Finding(plan.lines[finding.line - 1], finding.col, finding.code, finding.message) for finding in findings]
