"""libcst side of the engine: parse, build the analysis, run the rules, place the findings."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from . import rules
from .analysis import Analysis
from .engine import SourceError
from .model import Finding, Settings


def parse(source: str) -> cst.Module:
    """Parse source with libcst, turning its failures into one :class:`SourceError`."""
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise SourceError(f"libcst cannot parse it (line {error.raw_line}, column {error.raw_column})") from None
    except cst.CSTValidationError as error:  # e.g. b"a" "b", which the parser leaves to validation
        raise SourceError(f"libcst cannot parse it ({error})") from None
    except UnicodeError:  # lone surrogates, from text decoded with surrogateescape
        raise SourceError("it holds characters that are not valid Unicode") from None
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None


def analyse(source: str, path: Path | None, settings: Settings, select: frozenset[str] | None) -> list[Finding]:
    module = parse(source)
    try:
        analysis = Analysis(module, path, settings)
        reports = [
            (rule.CODE, report)
            for rule in rules.ALL
            if select is None or rule.CODE in select
            for report in rule.check(analysis)
        ]
        if not reports:
            return []
        # Positions are computed only for files with findings; the tree is not copied so
        # the nodes the rules hold are the ones the metadata is keyed by. Inside the guard:
        # this walk recurses a little deeper than the analysis did.
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except RecursionError:
        raise SourceError("it nests too deeply to analyse") from None
    findings = {
        Finding(positions[report.node].start.line, positions[report.node].start.column, code, report.message)
        for code, report in reports
    }
    return sorted(findings)
