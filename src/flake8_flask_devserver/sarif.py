"""SARIF 2.1.0 for code scanning (GitHub and others), checked against the OASIS schema by the tests.

URIs are relative to the repository root (the nearest folder above the working folder
that holds ``.git``, else the working folder), under ``uriBaseId`` ``%SRCROOT%``; a
file outside it gets an absolute ``file:`` URI and no ``uriBaseId``. Results carry the
rule's level, an end column, and a ``partialFingerprints`` entry without line numbers,
so an alert keeps its identity when code moves.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from . import __version__
from .output import SECURITY_SEVERITY, TOOL, Reported, dumps, fingerprints, level

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The key of our fingerprint in ``partialFingerprints`` (versioned: a new scheme gets a new key).
FINGERPRINT = f"{TOOL}/v1"


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (the working folder) up that holds ``.git``; else ``start``."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return here


def artifact_location(path: Path | None, display: str, root: Path) -> dict[str, str]:
    """A file as SARIF's ``artifactLocation``: relative to ``root`` with ``%SRCROOT%``, or an absolute URI.

    Percent-encoded from the name's bytes (RFC 3986), so a name that is not UTF-8 still names its file.
    """
    absolute = Path(os.path.abspath(path if path is not None else display))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": "file://" + quote(os.fsencode(absolute.as_posix()))}
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": "%SRCROOT%"}


def sarif_text(
    reported: Sequence[Reported],
    codes: Sequence[str],
    problems: Sequence[tuple[str, str]] = (),
    configuration_error: str | None = None,
) -> str:
    from .docs import ALL_RULES  # libcst: only for SARIF's rule descriptions

    root = repository_root()
    by_code = {rule.CODE: rule for rule in ALL_RULES}
    chosen = [by_code[code] for code in codes if code in by_code]
    index = {rule.CODE: number for number, rule in enumerate(chosen)}
    locations = [artifact_location(item.path, item.display, root) for item in reported]
    prints = fingerprints(reported, [location["uri"] for location in locations])
    results = []
    for item, location, print_ in zip(reported, locations, prints):
        finding = item.diagnostic.finding
        region: dict[str, int] = {"startLine": finding.line, "startColumn": finding.col + 1}
        if item.end_column is not None and item.end_column > finding.col + 1:
            region.update(endLine=finding.line, endColumn=item.end_column)
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": level(finding.code),
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
            "partialFingerprints": {FINGERPRINT: print_},
            "properties": {"fixable": item.diagnostic.fix is not None, "fixSafety": item.diagnostic.fix},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    notifications = [
        {"level": "error", "message": {"text": f"{display}: {message}"}, "descriptor": {"id": "file-not-checked"}}
        for display, message in problems
    ]
    invocation: dict[str, object] = {
        "executionSuccessful": not problems and configuration_error is None,
        "toolExecutionNotifications": notifications,
    }
    if configuration_error is not None:
        invocation["toolConfigurationNotifications"] = [
            {"level": "error", "message": {"text": configuration_error}, "descriptor": {"id": "configuration-error"}}
        ]
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule) for rule in chosen],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
    }
    return dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})


def _rule_descriptor(rule: object) -> dict[str, object]:
    """The rule's full documentation in ``help`` (text and markdown), its level and security severity."""
    code: str = rule.CODE  # type: ignore[attr-defined]
    docs = inspect.cleandoc(rule.DOCS)  # type: ignore[attr-defined]
    title, _, body = docs.partition("\n")
    what = body.split("## What it does", 1)[-1].split("\n## ", 1)[0].strip()
    safety = rule.FIX_SAFETY  # type: ignore[attr-defined]
    fix = {"safe": "safe fix", "unsafe": "unsafe fix (--unsafe-fixes)", None: "no automatic fix"}[safety]
    return {
        "id": code,
        "name": rule.NAME,  # type: ignore[attr-defined]
        "shortDescription": {"text": rule.SUMMARY},  # type: ignore[attr-defined]
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": f"{docs}\n\nFix: {fix}.", "markdown": f"**{title}**\n{body}\n\nFix: {fix}."},
        "defaultConfiguration": {"level": level(code)},
        "properties": {
            "tags": ["security", "flask"],
            "security-severity": f"{SECURITY_SEVERITY.get(code, 5.0):.1f}",
            "fixSafety": safety or "none",
        },
    }
