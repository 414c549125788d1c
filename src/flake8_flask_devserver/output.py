"""Output formats of the command line: flake8's text, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from . import __version__
from .model import Diagnostic

FORMATS = ("default", "json", "sarif", "github", "gitlab")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL = "flake8-flask-devserver"


@dataclass(frozen=True)
class Reported:
    """A diagnostic of one file, with the file as the user named it (``display``)."""

    display: str
    path: Path | None  # None for standard input without --stdin-filename
    diagnostic: Diagnostic


def render(
    form: str,
    reported: Sequence[Reported],
    codes: Sequence[str],
    problems: Sequence[tuple[str, str]] = (),
) -> str:
    """The whole output of one run; ``problems`` are (file, message) pairs, for SARIF's notifications."""
    if form == "json":
        return json_text(reported)
    if form == "sarif":
        return sarif_text(reported, codes, problems)
    if form == "github":
        lines = [github_line(item) for item in reported]
        for display, message in problems:  # files not checked: an error annotation each
            lines.append(f"::error file={_escape_property(_relative(None, display))}::{_escape_data(message)}")
        return "".join(line + "\n" for line in lines)
    if form == "gitlab":
        return gitlab_text(reported)
    return "".join(default_line(item) + "\n" for item in reported)


def default_line(item: Reported) -> str:
    """flake8's default format: ``path:line:col: CODE message`` (1-based column)."""
    finding = item.diagnostic.finding
    return f"{item.display}:{finding.line}:{finding.col + 1}: {finding.code} {finding.message}"


def json_text(reported: Sequence[Reported]) -> str:
    records = [
        {
            "path": item.display,
            "line": item.diagnostic.finding.line,
            "column": item.diagnostic.finding.col + 1,
            "code": item.diagnostic.finding.code,
            "message": item.diagnostic.finding.message,
            "fixable": item.diagnostic.fix is not None,
            "fix_safety": item.diagnostic.fix,
        }
        for item in reported
    ]
    return _json(records)


def _json(document: object) -> str:
    """JSON text that is valid UTF-8 whatever the file names (see :func:`unicode_text`)."""
    return json.dumps(_unicode(document), indent=2, ensure_ascii=False) + "\n"


def _unicode(value: object) -> object:
    """Every string of a report document through :func:`unicode_text` (the documents are a few levels deep)."""
    if isinstance(value, str):
        return unicode_text(value)
    if isinstance(value, dict):
        return {unicode_text(key): _unicode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unicode(item) for item in value]
    return value


def unicode_text(text: str) -> str:
    """``text`` as valid Unicode for JSON: a file name's bytes that are not UTF-8 (decoded by
    Python with ``surrogateescape``) become ``\\xNN`` escapes instead of lone surrogates."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def relative_uri(item_path: Path | None, display: str) -> str:
    """The file as a URI reference relative to the working directory (the repository root in CI).

    Percent-encoded from the name's bytes (RFC 3986), so that a name that is not UTF-8
    still names its file."""
    if item_path is None:
        return quote(os.fsencode(display.replace(os.sep, "/")))
    absolute = Path(os.path.abspath(item_path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return "file://" + quote(os.fsencode(absolute.as_posix()))
    return quote(os.fsencode(relative.as_posix()))


# -- GitHub Actions workflow commands -----------------------------------------------------------


def _escape_data(text: str) -> str:
    text = unicode_text(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: Path | None, display: str) -> str:
    """The file relative to the working directory, with forward slashes (absolute when outside it)."""
    absolute = Path(os.path.abspath(path if path is not None else display))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def github_line(item: Reported) -> str:
    """``::warning file=...,line=...,col=...,title=...::message``, escaped as the Actions toolkit does."""
    finding = item.diagnostic.finding
    path = _relative(item.path, item.display) if item.path is not None else item.display
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (
            ("file", path),
            ("line", str(finding.line)),
            ("col", str(finding.col + 1)),
            ("title", f"{finding.code} ({TOOL})"),
        )
    )
    return f"::warning {properties}::{_escape_data(finding.code + ' ' + finding.message)}"


# -- GitLab Code Quality (Code Climate JSON) --------------------------------------------------------


def gitlab_text(reported: Sequence[Reported]) -> str:
    """GitLab's Code Quality report; fingerprints leave out line numbers, so moved code keeps its issue."""
    seen: dict[str, int] = {}
    issues = []
    for item in reported:
        finding = item.diagnostic.finding
        path = _relative(item.path, item.display) if item.path is not None else item.display
        key = f"{path}\0{finding.code}\0{finding.message}"
        seen[key] = seen.get(key, 0) + 1
        issues.append(
            {
                "description": f"{finding.code} {finding.message}",
                "check_name": finding.code,
                "fingerprint": hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest(),
                "severity": "major",
                "location": {"path": path, "lines": {"begin": finding.line}},
            }
        )
    return _json(issues)


# -- SARIF 2.1.0 ----------------------------------------------------------------------------------


def sarif_text(reported: Sequence[Reported], codes: Sequence[str], problems: Sequence[tuple[str, str]] = ()) -> str:
    from .docs import ALL_RULES  # libcst: only for SARIF's rule descriptions

    by_code = {rule.CODE: rule for rule in ALL_RULES}
    chosen = [by_code[code] for code in codes]
    index = {rule.CODE: number for number, rule in enumerate(chosen)}
    descriptors = [_rule_descriptor(rule) for rule in chosen]
    results = []
    for item in reported:
        finding = item.diagnostic.finding
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": "warning",
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": relative_uri(item.path, item.display), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": finding.line, "startColumn": finding.col + 1},
                    }
                }
            ],
            "properties": {"fixable": item.diagnostic.fix is not None, "fixSafety": item.diagnostic.fix},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    notifications = [
        {"level": "error", "message": {"text": f"{display}: {message}"}, "descriptor": {"id": "file-not-checked"}}
        for display, message in problems
    ]
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not problems, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return _json(document)


def _rule_descriptor(rule: object) -> dict[str, object]:
    docs = inspect.cleandoc(rule.DOCS)  # type: ignore[attr-defined]
    title, _, body = docs.partition("\n")
    what = body.split("## What it does", 1)[-1].split("\n## ", 1)[0].strip()
    safety = rule.FIX_SAFETY  # type: ignore[attr-defined]
    return {
        "id": rule.CODE,  # type: ignore[attr-defined]
        "name": rule.NAME,  # type: ignore[attr-defined]
        "shortDescription": {"text": rule.SUMMARY},  # type: ignore[attr-defined]
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": docs, "markdown": f"**{title}**\n{body}"},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["security", "flask"], "fixSafety": safety or "none"},
    }
