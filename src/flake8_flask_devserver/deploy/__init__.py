"""Deployment files: Flask's development server where it is actually deployed (FDS400-FDS403).

Dockerfiles/Containerfiles, Procfiles, Compose files and dotenv files (``.flaskenv``,
``.env*``) are read, and what their entrypoints run is judged: ``flask run``, a
Python file that starts a development server (checked with the Python engine), debug
switched on by the environment, ``flask run`` bound to every interface.

Public API (no libcst, flake8 or PyYAML is imported by importing this)::

    is_deployment_file(path) -> bool
    is_dev_only(path) -> bool
    read_deployment_file(path) -> str                       # DeploymentFileError
    check_deployment_file(path, text, settings) -> list[Finding]   # DeploymentFileError
    PRE_COMMIT_FILES                                       # regex for pre-commit's files:
    rules.ALL                                              # FDS400-FDS403 rule modules
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..model import DEFAULT_SETTINGS, Finding, Settings
from .files import BY_CONTENT, PRE_COMMIT_FILES, ReadProblem, is_deployment_file, is_dev_only, kind_of, read_regular
from .text import DeploymentFileError, SourceText, normalise_newlines

#: Largest deployment file read (bytes).
MAX_BYTES = 5_000_000

#: flake8's noqa comment, bare or with codes (``noqa: FDS400,FDS403``); codes match by prefix, as in flake8.
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)

__all__ = [
    "PRE_COMMIT_FILES",
    "DeploymentFileError",
    "check_deployment_file",
    "is_deployment_file",
    "is_dev_only",
    "kind_of",
    "read_deployment_file",
]


def read_deployment_file(path: str | os.PathLike[str]) -> str:
    """A deployment file's text (UTF-8, a BOM dropped); :class:`DeploymentFileError` when it is not text."""
    try:
        data = read_regular(path, MAX_BYTES)
    except ReadProblem as problem:
        if kind_of(Path(path)) in BY_CONTENT and str(problem).startswith("larger than"):
            return ""  # a large YAML data file is not a manifest
        raise DeploymentFileError(path, str(problem)) from None
    if kind_of(Path(path)) in BY_CONTENT and (b"\0" in data or not _is_utf8(data)):
        return ""  # a compiled program in bin/, a YAML file of someone else's: nothing to say
    if b"\0" in data:
        raise DeploymentFileError(path, "a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DeploymentFileError(path, f"line {line}: not UTF-8 text") from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_deployment_file(
    path: str | os.PathLike[str], text: str, settings: Settings = DEFAULT_SETTINGS
) -> list[Finding]:
    """Findings for one deployment file, sorted by position (line 1-based, column 0-based).

    ``path`` names the file (its name gives its kind; its folder anchors the files its
    commands name, which are read from disk); ``text`` is its content. A file that is
    development-only by its name or folder gets no findings, and a noqa comment on the
    reported line, or alone on a comment line right above it (a Dockerfile's exec form has
    no room for a comment), suppresses a finding. Raises
    :class:`DeploymentFileError` with one line naming the file and the problem when the
    file is malformed or not a deployment file.
    """
    path = Path(path)
    kind = kind_of(path)
    if kind is None:
        raise DeploymentFileError(path, "not a Dockerfile, Procfile, Compose or env file by its name")
    if is_dev_only(path):
        return []
    if "\0" in text:
        raise DeploymentFileError(path, "a binary file, not text")
    text = normalise_newlines(text[1:] if text.startswith("\ufeff") else text)
    source = SourceText(text, str(path))

    from . import kinds, rules

    try:
        if kind == "script":
            from . import scripts

            found_all = scripts.script_facts(path, settings)
        else:
            found_all = [kinds.build(path, source, kind, settings)]
        # One finding per place and code: a script run by two deployment files is reported for the first.
        unique: dict[tuple[int, int, str], Finding] = {}
        for found in found_all:
            for rule in rules.ALL:
                for finding in rule.check(found):
                    unique.setdefault((finding.line, finding.col, finding.code), finding)
        findings = set(unique.values())
    except RecursionError:
        raise DeploymentFileError(path, "nests too deeply to check") from None
    lines = source.text.split("\n")
    return sorted(finding for finding in findings if not _suppressed(finding, lines))


def _suppressed(finding: Finding, lines: list[str]) -> bool:
    if finding.line > len(lines):
        return False  # a script changed since its findings were found
    candidates = [lines[finding.line - 1]]
    if finding.line >= 2 and lines[finding.line - 2].lstrip().startswith("#"):
        candidates.append(lines[finding.line - 2])
    for line in candidates:
        match = _NOQA.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None or any(finding.code.startswith(code.upper()) for code in re.split(r"[,\s]+", codes) if code):
            return True
    return False
