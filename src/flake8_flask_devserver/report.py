"""The end of a command run: the report (stdout or ``--output-file``), the lines on stderr, the exit status.

Findings are sorted as flake8 sorts them (file name as displayed, then line and
column). Problems (files not checked) are one line each on stderr, then one closing
summary line, ``Found N findings …`` (unless ``--quiet``). ``--statistics`` adds
flake8's per-code counts: after the findings in the text format, on stderr for the
structured formats (which must stay valid documents).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, Sequence

from . import output
from .model import Diagnostic

if TYPE_CHECKING:
    from .cli import Outcome

PROG = "flake8-flask-devserver"


class ReportError(Exception):
    """The report file cannot be written: one line, exit status 2."""


class Stdin(Protocol):
    given: bool

    def read(self) -> bytes: ...


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options about what is reported and how the run ends (flake8's and ruff's names)."""
    parser.add_argument(
        "--output-file", metavar="PATH", help="write the report to PATH instead of standard output"
    )
    parser.add_argument("--statistics", action="store_true", help="count findings per code (flake8's statistics)")
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings remain (usage and configuration errors: 2)"
    )


def configuration_error(args: argparse.Namespace, message: str) -> None:
    """With ``--output-file``, still a valid empty report: CI uploads it and shows why it is empty."""
    if getattr(args, "output_file", None):
        form = args.format if args.format in ("json", "gitlab", "sarif") else "default"
        from .cli import CODES

        _to_file(args.output_file, output.render(form, [], CODES, (), configuration_error=message))


def report(args: argparse.Namespace, codes: tuple[str, ...], outcomes: Sequence[Outcome], stdin: Stdin) -> int:
    """Print everything and return the exit status (0 clean, 1 findings or files not checked)."""
    outcomes = sorted(outcomes, key=lambda outcome: outcome.display)  # flake8: by file name
    problems = [(outcome.display, outcome.problem) for outcome in outcomes if outcome.problem]
    for display, problem in problems:
        print(f"{PROG}: {display}: {problem}", file=sys.stderr)
    reported = [
        output.Reported(
            outcome.display,
            outcome.path,
            diagnostic,
            outcome.line_ends.get(diagnostic.finding.line),
            _fixable(args, diagnostic),
        )
        for outcome in outcomes
        for diagnostic in outcome.diagnostics
    ]
    reported.sort(key=output.sort_key)
    text = output.render(args.format, reported, codes, problems)
    statistics = output.statistics(reported) if args.statistics else ""
    if args.format == "default":
        text, statistics = text + statistics, ""
    if args.diff:  # stdout is the patch; the report only where --output-file asks for it
        write(sys.stdout, "".join(outcome.diff for outcome in outcomes))
        if args.output_file:
            _to_file(args.output_file, text)
    elif args.fix and args.paths == ["-"]:  # stdout is the fixed source; the report goes to stderr
        sys.stdout.flush()
        stdin.given = True
        data = outcomes[0].fixed_source
        sys.stdout.buffer.write(data if data is not None else stdin.read())
        sys.stdout.buffer.flush()
        if args.output_file:
            _to_file(args.output_file, text)
        else:
            write(sys.stderr, text)
    elif args.output_file:
        _to_file(args.output_file, text)
    else:
        write(sys.stdout, text)
    write(sys.stderr, statistics)
    fixed = sum(outcome.fixed for outcome in outcomes)
    changed = sum(1 for outcome in outcomes if outcome.fixed)
    if not args.quiet:
        summary(args, reported, fixed, changed)
    if args.exit_zero:
        return 0
    return 1 if problems or reported or (args.diff and changed) else 0


#: Every fix tier.
TIERS = frozenset({"safe", "unsafe"})


def shown_tiers(args: argparse.Namespace) -> frozenset[str]:
    """The fix tiers this run's report can show (a finding's tier costs its whole module's analysis).

    The closing summary counts both, JSON and SARIF give each finding's; with ``--quiet``
    the text and GitHub formats show only ruff's ``[*]`` (:func:`_fixable`), and GitLab's none.
    """
    if not args.quiet or args.format in ("json", "sarif"):
        return TIERS
    if args.format == "gitlab":
        return frozenset()
    return TIERS if args.unsafe_fixes else frozenset({"safe"})


def _fixable(args: argparse.Namespace, diagnostic: Diagnostic) -> bool:
    """ruff's ``[*]``: a fix this run's options would apply (unsafe ones only with --unsafe-fixes)."""
    return diagnostic.fix == "safe" or (diagnostic.fix == "unsafe" and args.unsafe_fixes)


_LINE = re.compile(r"\r\n|\r|\n")


def line_ends(text: str, diagnostics: Sequence[Diagnostic]) -> dict[int, int]:
    """For each reported line, the 1-based column just after its code (trailing blanks left out)."""
    wanted = {diagnostic.finding.line for diagnostic in diagnostics}
    if not wanted:
        return {}
    lines = _LINE.split(text)
    return {line: len(lines[line - 1].rstrip()) + 1 for line in wanted if 0 < line <= len(lines)}


def summary(args: argparse.Namespace, reported: Sequence[output.Reported], fixed: int, changed: int) -> None:
    """One closing line on standard error, ruff's way: what was found and fixed, what a flag would fix.

    ``Found 4 findings (1 fixed in 1 file, 3 remaining); 2 fixable with --unsafe-fixes.``
    Nothing when nothing was found.
    """
    safe = sum(1 for item in reported if item.diagnostic.fix == "safe")
    unsafe = sum(1 for item in reported if item.diagnostic.fix == "unsafe")
    found = len(reported) + fixed
    if not found:
        return
    head = f"Found {found} finding{'s' * (found != 1)}"
    files = f"{changed} file{'s' * (changed != 1)}"
    if args.fix:
        head += f" ({fixed} fixed in {files}, {len(reported)} remaining)" if fixed else ""
    elif args.diff:
        head += f" ({fixed} would be fixed in {files}, {len(reported)} remaining)" if fixed else ""
    parts = [head]
    if args.fix or args.diff:
        if unsafe and not args.unsafe_fixes:
            parts.append(f"{unsafe} fixable with --unsafe-fixes")
    elif args.unsafe_fixes:
        if safe + unsafe:
            parts.append(f"[*] {safe + unsafe} fixable with --fix --unsafe-fixes")
    else:
        if safe:
            parts.append(f"[*] {safe} fixable with --fix")
        if unsafe:
            parts.append(f"{unsafe} {'more ' if safe else ''}fixable with --fix --unsafe-fixes")
    print(f"{PROG}: {'; '.join(parts)}.", file=sys.stderr)


def _to_file(name: str, text: str) -> None:
    """Write a report file (UTF-8; a name's undecodable bytes as they are)."""
    try:
        Path(name).write_bytes(text.encode("utf-8", "surrogateescape"))
    except OSError as error:
        raise ReportError(f"--output-file: cannot write {name} ({error.strerror or error})") from None


def write(stream: IO[str], text: str) -> None:
    if not text:
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a file name that is not UTF-8, or a terminal that cannot show a character
        stream.flush()
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:  # a file name's own bytes (as ls and git print them: a diff must name the real file)
            data = text.encode(encoding, errors="surrogateescape")
        except UnicodeEncodeError:
            data = text.encode(encoding, errors="backslashreplace")
        stream.buffer.write(data)  # type: ignore[attr-defined]
    stream.flush()
