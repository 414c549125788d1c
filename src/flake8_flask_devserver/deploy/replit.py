"""Replit's ``.replit`` file: the command Replit Deployments run in production.

``.replit`` is TOML (Replit's docs, "Configure a Replit App",
https://docs.replit.com/replit-workspace/configuring-repl, and "Deployments
Migration Guide", https://docs.replit.com/hosting/deployments/migration-guide):

- ``[deployment] run`` is the command a Deployment's container runs: "When you hit
  Deploy, we bundle up your code into a container and host it on our infrastructure"
  (``deploymentTarget = "cloudrun"`` for Autoscale, ``"gce"`` for a Reserved VM). A
  string is run through a shell; a list is the argument vector (Replit's own examples
  write ``["sh", "-c", "npm start"]``). That is production: it is judged like a
  Procfile process.
- top-level ``run`` is what the workspace's Run button executes ("Command that is
  executed when the run button is clicked"), in the editor, for the developer: not
  judged. The Deployment's run command is configured separately (the ``[deployment]``
  table), and ``[deployment] build`` runs at build time, not judged either.
- ``deploymentTarget = "static"`` serves files, no process: nothing runs.

The TOML is read with ``tomllib`` (``tomli`` before Python 3.11); a file it refuses gets
the one-line error other malformed deployment files get. ``tomllib`` gives no
positions, so :func:`value_offsets` scans the text once (linear, strings and
comments skipped) for where each key's value starts, and each string of the command is
placed at its characters.
"""

from __future__ import annotations

import re
from typing import Any

from .platforms import Process
from .text import DeploymentFileError, SourceText, Token, align

#: Words of a ``[deployment] run`` list read (a command longer than this is not a server start).
MAX_WORDS = 256
#: Where Replit puts the project in a Deployment (its workspace folder).
WORKSPACE = "/home/runner/workspace"

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")


def load_toml(source: SourceText) -> dict[str, Any]:
    """The document; :class:`DeploymentFileError` naming the line when TOML refuses it."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the tomli backport, a dependency there
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as error:
        message = str(error).splitlines()[0] if str(error) else "malformed"
        position = _TOML_POSITION.search(message)
        problem = _TOML_POSITION.sub("", message).strip().rstrip(".")
        problem = problem[:1].lower() + problem[1:]
        line = ""
        if position is not None:  # "(at end of document)": the last line
            number = position.group(1) or str(source.line_of(len(source.text.rstrip("\r\n"))))
            line = f"line {number}: "
        raise DeploymentFileError(source.display, f"{line}invalid TOML, {problem}") from None


def replit(source: SourceText) -> list[Process]:
    """The Deployment's run command, as a :class:`Process`; [] when there is none."""
    data = load_toml(source)
    deployment = data.get("deployment")
    if not isinstance(deployment, dict):
        return []
    run = deployment.get("run")
    if isinstance(run, dict):  # ``run = { args = [...] }``
        run = run.get("args")
    if not run or not isinstance(run, (str, list)):
        return []
    if str(deployment.get("deploymentTarget", "")).lower() == "static":
        return []  # static files only: no process runs
    offsets = value_offsets(source.text)
    start = offsets.get(("deployment", "run"))
    if start is None:
        start = offsets.get(("deployment",), 0)  # an inline table: placed at it
        exact = False
    else:
        exact = True
    process = Process("[deployment] run", cwd=WORKSPACE, env_where="[deployment]")
    if isinstance(run, str):
        process.shell = _string_token(source.text, start, run) if exact else _at(run, start)
    else:
        words = [item for item in run[:MAX_WORDS] if isinstance(item, str)]
        if len(words) != len(run[:MAX_WORDS]):
            return []  # numbers in an argument vector: not a command Replit can run
        spans = _array_strings(source.text, start, len(words)) if exact else []
        if len(spans) == len(words):
            process.argv = [Token(w, align(w, source.text, b, e), b, "") for w, (b, e) in zip(words, spans)]
        else:
            process.argv = [_at(word, start) for word in words]
    return [process]


def port(source: SourceText) -> str:
    """The first ``[[ports]]`` ``localPort`` (the one Replit forwards to), else Replit's default 8080... as a string."""
    try:
        data = load_toml(source)
    except DeploymentFileError:
        return "8080"
    ports = data.get("ports")
    if isinstance(ports, list) and ports and isinstance(ports[0], dict):
        local = ports[0].get("localPort")
        if isinstance(local, int) and not isinstance(local, bool):
            return str(local)
    return "8080"


def _at(value: str, start: int) -> Token:
    """A value whose characters' places are unknown: all at ``start``."""
    return Token(value, (start,) * len(value), start, "")


def _string_token(text: str, start: int, value: str) -> Token:
    span = _string_span(text, start)
    if span is None:
        return _at(value, start)
    begin, end = span
    return Token(value, align(value, text, begin, end), begin, "")


# -- positions ------------------------------------------------------------------------------


def value_offsets(text: str) -> dict[tuple[str, ...], int]:
    """Where the value of each key of the document starts: ``(table..., key...) -> offset``.

    Keys of ``[table]``/``[[table]]`` sections and dotted keys are given their full
    path; an inline table's own keys are not (its key is). The first of a repeated path
    wins (``[[ports]]``). One pass over the text: strings, arrays, inline tables and
    comments are skipped as TOML defines them, so the cost is linear in the text.
    The text is valid TOML (``tomllib`` accepted it first).
    """
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t\r\n":
            i += 1
            continue
        if char == "#":
            i = _line_end(text, i)
            continue
        if char == "[":
            double = text.startswith("[[", i)
            path, i = _key(text, i + (2 if double else 1))
            table = tuple(path)
            i = _line_end(text, i)  # the closing bracket(s) and a comment
            continue
        path, i = _key(text, i)
        i = _spaces(text, i)
        if not path or text[i : i + 1] != "=":
            i = _line_end(text, i)  # not TOML that tomllib took: nothing more to find on this line
            continue
        i = _spaces(text, i + 1)
        found.setdefault(table + tuple(path), i)
        i = _skip_value(text, i)
    return found


def _spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end + 1


def _key(text: str, i: int) -> tuple[list[str], int]:
    """A dotted key from ``i``: its parts and the index after it."""
    parts: list[str] = []
    n = len(text)
    while True:
        i = _spaces(text, i)
        if i < n and text[i] in "\"'":
            span = _string_span(text, i)
            if span is None:
                return parts, n
            parts.append(text[span[0] : span[1]])
            i = span[1] + 1
        else:
            match = _BARE.match(text, i)
            if match is None:
                return parts, i
            parts.append(match.group(0))
            i = match.end()
        i = _spaces(text, i)
        if text[i : i + 1] != ".":
            return parts, i
        i += 1


def _string_span(text: str, i: int) -> tuple[int, int] | None:
    """``(begin, end)`` of the raw characters of the string whose opening quote is at ``i``."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        begin = i + 3
        j = begin
        while True:
            close = text.find(quote * 3, j)
            if close < 0:
                return None
            if quote == '"' and _escaped(text, close, begin):
                j = close + 1
                continue
            end = close
            while end - close < 2 and text.startswith(quote, end + 3):  # up to two quotes of content
                end += 1
            return begin, end
    j = i + 1
    while j < len(text):
        char = text[j]
        if char == quote:
            return i + 1, j
        if char == "\n":
            return None
        j += 2 if (char == "\\" and quote == '"') else 1
    return None


def _escaped(text: str, index: int, begin: int) -> bool:
    """Whether the quote at ``index`` follows an odd run of backslashes."""
    count = 0
    while index - 1 - count >= begin and text[index - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def _skip_value(text: str, i: int) -> int:
    """The index after the value starting at ``i`` (strings, nested arrays and inline tables)."""
    n = len(text)
    depth = 0
    while i < n:
        char = text[i]
        if char in "\"'":
            span = _string_span(text, i)
            if span is None:
                return _line_end(text, i)
            i = span[1] + (3 if text.startswith(char * 3, i) else 1)
            if depth == 0:
                return i
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                return i + 1
        elif char == "#":
            i = _line_end(text, i)
            if depth == 0:
                return i
            continue
        elif char == "\n" and depth == 0:
            return i + 1
        i += 1
    return n


def _array_strings(text: str, i: int, limit: int) -> list[tuple[int, int]]:
    """The raw spans of the strings of the one-level array opening at ``i`` (at most ``limit``)."""
    if text[i : i + 1] != "[":
        return []
    spans: list[tuple[int, int]] = []
    i += 1
    n = len(text)
    while i < n and len(spans) < limit:
        char = text[i]
        if char in "\"'":
            span = _string_span(text, i)
            if span is None:
                return spans
            spans.append(span)
            i = span[1] + (3 if text.startswith(char * 3, i) else 1)
            continue
        if char == "#":
            i = _line_end(text, i)
            continue
        if char in "]":
            break
        if char in "[{":
            return []  # a nested value: not an argument vector
        i += 1
    return spans
