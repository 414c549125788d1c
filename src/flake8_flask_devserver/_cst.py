"""libcst side of the engine: parse, build the analysis, run the rules, place the findings.

The stages are separate functions so the benchmark can time each one.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import libcst as cst

from . import rules
from .analysis import Analysis, DebugSwitch, ServerStart
from .apps import Site
from .engine import SourceError
from .gate import ANYTHING, Facts
from .model import Finding, Settings
from .rules import Report


def parse(source: str) -> cst.Module:
    """Parse source with libcst, turning its failures into one :class:`SourceError`."""
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise SourceError(f"libcst cannot parse it (line {error.raw_line}, column {error.raw_column})") from None
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None


class GatedAnalysis(Analysis):
    """An analysis that skips the facts the gate ruled out (they would come out empty anyway)."""

    def __init__(self, module: cst.Module, path: Path | None, settings: Settings, facts: Facts) -> None:
        super().__init__(module, path, settings)
        self.facts = facts

    @cached_property
    def starts(self) -> list[ServerStart]:
        # Looking for starts resolves every call in the module: the costly fact.
        return Analysis.starts.func(self) if self.facts.starts else []  # type: ignore[attr-defined]

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


def place(module: cst.Module, reports: list[tuple[str, Report]]) -> list[Finding]:
    """Line and column of each report; positions are computed only when there are reports."""
    if not reports:
        return []
    from libcst.metadata import MetadataWrapper, PositionProvider

    # The tree is not copied so the nodes the rules hold are the ones the metadata is keyed by.
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    findings = {
        Finding(positions[report.node].start.line, positions[report.node].start.column, code, report.message)
        for code, report in reports
    }
    return sorted(findings)


def analyse(
    source: str, path: Path | None, settings: Settings, select: frozenset[str] | None, facts: Facts = ANYTHING
) -> list[Finding]:
    module = parse(source)
    return place(module, run_rules(index(module, path, settings, facts), select))
