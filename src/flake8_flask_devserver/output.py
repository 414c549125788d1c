"""Output formats of the command line: flake8's text, JSON, GitHub annotations, GitLab Code Quality (SARIF: sarif.py).

One severity table (:data:`LEVELS`, :data:`SECURITY_SEVERITY`) is shared by SARIF,
GitHub and GitLab. Paths are given as flake8 gives them: text keeps the path as the
user named it; JSON, GitHub and GitLab give it relative to the working folder, with
forward slashes and no leading ``./``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .model import Diagnostic

FORMATS = ("default", "json", "sarif", "github", "gitlab")
TOOL = "flake8-flask-devserver"

#: ``error`` for every rule that can turn the Werkzeug debugger on (remote code execution for
#: anyone who reaches the server); ``warning`` for the development server and its bind address.
LEVELS: dict[str, str] = {
    **dict.fromkeys(("FDS200", "FDS201", "FDS202", "FDS203", "FDS204", "FDS205", "FDS402"), "error"),
    **dict.fromkeys(("FDS100", "FDS101", "FDS102", "FDS103", "FDS300", "FDS400", "FDS401", "FDS403"), "warning"),
}

#: A CVSS-like score per rule, as GitHub code scanning reads ``properties.security-severity``
#: (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, under 4.0 low). The debugger rules take
#: CodeQL's score for its ``py/flask-debug`` query (7.5, CWE-215/CWE-489); the bind rules the
#: score of ``py/bind-socket-all-network-interfaces`` (6.5, CWE-200). A development server in
#: production is medium (5.0: Flask's deployment docs, https://flask.palletsprojects.com/en/stable/deploying/:
#: "not designed to be particularly efficient, stable, or secure"); one started only when
#: the file runs as a script is low (3.0).
SECURITY_SEVERITY: dict[str, float] = {
    **dict.fromkeys(("FDS200", "FDS201", "FDS202", "FDS203", "FDS204", "FDS205", "FDS402"), 7.5),
    **dict.fromkeys(("FDS300", "FDS403"), 6.5),
    **dict.fromkeys(("FDS100", "FDS102", "FDS103", "FDS400", "FDS401"), 5.0),
    "FDS101": 3.0,
}


def level(code: str) -> str:
    return LEVELS.get(code, "warning")


def gitlab_severity(code: str) -> str:
    """GitLab Code Quality's grade: ``critical`` for the debugger, ``major``/``minor`` by score for the rest."""
    if level(code) == "error":
        return "critical"
    return "major" if SECURITY_SEVERITY.get(code, 5.0) >= 4.0 else "minor"


@dataclass(frozen=True)
class Reported:
    """A diagnostic of one file, with the file as the user named it (``display``)."""

    display: str
    path: Path | None  # None for standard input without --stdin-filename
    diagnostic: Diagnostic
    end_column: int | None = None  # 1-based, exclusive: where the reported line's code ends
    fixable: bool = False  # whether this run's options could fix it (ruff's ``[*]``)


def sort_key(item: Reported) -> tuple[str, int, int]:
    """flake8's order: by file name as displayed, then line and column (a stable sort keeps the rest)."""
    return (item.display, item.diagnostic.finding.line, item.diagnostic.finding.col)


def render(
    form: str,
    reported: Sequence[Reported],
    codes: Sequence[str],
    problems: Sequence[tuple[str, str]] = (),
    configuration_error: str | None = None,
) -> str:
    """The whole output of one run; ``problems`` are (file, message) pairs, for SARIF's notifications.

    ``configuration_error``: the run stopped before checking anything; the document is a
    valid empty report that says why (SARIF), or an empty list (JSON, GitLab).
    """
    if form == "json":
        return json_text(reported)
    if form == "sarif":
        from . import sarif

        return sarif.sarif_text(reported, codes, problems, configuration_error)
    if form == "github":
        lines = [github_line(item) for item in reported]
        for display, message in problems:  # files not checked: an error annotation each
            lines.append(f"::error file={_escape_property(relative_path(None, display))}::{_escape_data(message)}")
        return "".join(line + "\n" for line in lines)
    if form == "gitlab":
        return gitlab_text(reported)
    return "".join(default_line(item) + "\n" for item in reported)


def default_line(item: Reported) -> str:
    """flake8's default format, ``path:line:col: CODE message`` (1-based column), with ruff's ``[*]`` when fixable."""
    finding = item.diagnostic.finding
    mark = "[*] " if item.fixable else ""
    return f"{item.display}:{finding.line}:{finding.col + 1}: {finding.code} {mark}{finding.message}"


def json_path(display: str) -> str:
    """The path as given, without the leading ``./`` that ``flake8 .`` shows."""
    path = display.replace(os.sep, "/")
    while path.startswith("./") and len(path) > 2:
        path = path[2:]
    return path


def json_text(reported: Sequence[Reported]) -> str:
    records = [
        {
            "path": json_path(item.display),
            "line": item.diagnostic.finding.line,
            "column": item.diagnostic.finding.col + 1,
            "end_column": item.end_column,
            "code": item.diagnostic.finding.code,
            "message": item.diagnostic.finding.message,
            "severity": level(item.diagnostic.finding.code),
            "fixable": item.diagnostic.fix is not None,
            "fix_safety": item.diagnostic.fix,
        }
        for item in reported
    ]
    return dumps(records)


def dumps(document: object) -> str:
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


def relative_path(path: Path | None, display: str) -> str:
    """The file relative to the working directory, with forward slashes (absolute when outside it)."""
    absolute = Path(os.path.abspath(path if path is not None else display))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def fingerprint(path: str, code: str, message: str, occurrence: int) -> str:
    """A finding's identity without its line number, so that it survives code moving around it."""
    key = f"{path}\0{code}\0{message}\0{occurrence}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprints(reported: Sequence[Reported], paths: Sequence[str]) -> list[str]:
    """One :func:`fingerprint` per item; ``occurrence`` tells apart equal findings of one file."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for item, path in zip(reported, paths):
        finding = item.diagnostic.finding
        key = (path, finding.code, finding.message)
        seen[key] = seen.get(key, 0) + 1
        out.append(fingerprint(path, finding.code, finding.message, seen[key]))
    return out


# -- GitHub Actions workflow commands -----------------------------------------------------------


def _escape_data(text: str) -> str:
    text = unicode_text(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(item: Reported) -> str:
    """``::error``/``::warning file=...,line=...,col=...,title=...::message``, escaped as the Actions toolkit does.

    GitHub shows at most 10 error and 10 warning annotations per step, and 50 per job
    (actions/toolkit, docs/problem-matchers.md); SARIF upload shows them all.
    """
    finding = item.diagnostic.finding
    path = relative_path(item.path, item.display) if item.path is not None else item.display
    fields = [("file", path), ("line", str(finding.line)), ("col", str(finding.col + 1))]
    if item.end_column is not None:
        fields.append(("endColumn", str(item.end_column)))
    fields.append(("title", f"{finding.code} ({TOOL})"))
    properties = ",".join(f"{key}={_escape_property(value)}" for key, value in fields)
    mark = "[*] " if item.fixable else ""
    return f"::{level(finding.code)} {properties}::{_escape_data(f'{finding.code} {mark}{finding.message}')}"


# -- GitLab Code Quality (Code Climate JSON) --------------------------------------------------------


def gitlab_text(reported: Sequence[Reported]) -> str:
    """GitLab's Code Quality report; fingerprints leave out line numbers, so moved code keeps its issue."""
    paths = [relative_path(item.path, item.display) if item.path is not None else item.display for item in reported]
    issues = []
    for item, path, print_ in zip(reported, paths, fingerprints(reported, paths)):
        finding = item.diagnostic.finding
        issues.append(
            {
                "type": "issue",
                "description": f"{finding.code} {finding.message}",
                "check_name": finding.code,
                "categories": ["Security"],
                "fingerprint": print_,
                "severity": gitlab_severity(finding.code),
                "location": {"path": path, "lines": {"begin": finding.line, "end": finding.line}},
            }
        )
    return dumps(issues)


# -- statistics ------------------------------------------------------------------------------------


def statistics(reported: Sequence[Reported]) -> str:
    """flake8's ``--statistics``: per code, the count and the first message (``count code message``)."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for item in reported:
        finding = item.diagnostic.finding
        counts[finding.code] = counts.get(finding.code, 0) + 1
        first.setdefault(finding.code, finding.message)
    return "".join(f"{counts[code]:<5} {code} {first[code]}\n" for code in sorted(counts))
