"""The ``flake8-flask-devserver`` command: the plugin's engine over files, with fixes and CI formats.

Thin by design: finding files and reading them (``sourcefile``), the engine and
its fixes (``fixer``), and printing (``output``) live elsewhere. Exit status: 0
clean, 1 findings remain (or ``--diff`` would change something, or a file could
not be checked), 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import inspect
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Sequence

from . import __version__, config, deploy, output
from .engine import SourceError, freeze_libcst_objects, libcst_side, worth_parsing
from .model import Diagnostic, Settings
from .noqa import split_lines
from .sourcefile import SourceFile, SourceFileError, excluded, walk

PROG = "flake8-flask-devserver"
#: Every code, listed here so that parsing options imports neither libcst nor the rules (a test keeps it in sync).
CODES = (
    "FDS100", "FDS101", "FDS102", "FDS103", "FDS200", "FDS201", "FDS202", "FDS203", "FDS204", "FDS205", "FDS300",
    "FDS400", "FDS401", "FDS402", "FDS403",
)  # fmt: skip
_CODE_PREFIX = re.compile(r"FDS\d{0,3}")


class UsageError(Exception):
    """A bad option or configuration: one line, exit status 2."""


@dataclass
class Outcome:
    """What happened to one file."""

    display: str
    path: Path | None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # remaining after any fixes
    fixed: int = 0
    diff: str = ""
    problem: str | None = None
    fixed_source: bytes | None = None  # standard input with --fix: the bytes to print


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find (and fix) Flask's development server and debugger on their way to production.",
        epilog="Exit status: 0 clean, 1 findings remain (or --diff would change something, or a file "
        "could not be checked), 2 usage or configuration error.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files and folders to check (default: .); - reads standard input"
    )
    parser.add_argument("--format", choices=output.FORMATS, default="default", help="output format (default: flake8's)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fix", action="store_true", help="apply the safe fixes to the files")
    mode.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply the unsafe fixes too")
    parser.add_argument("--explain", metavar="CODE", help="print a rule's documentation and exit")
    parser.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to check (default: all)")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes not to check")
    parser.add_argument(
        "--extend-exclude",
        metavar="PATTERNS",
        default="",
        help="comma-separated glob patterns of files and folders to skip",
    )
    parser.add_argument("--stdin-filename", metavar="PATH", help="the file standard input stands for (names, settings)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.explain:
            print(explain(args.explain))
            return 0
        return run(args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - a bug of ours: one line, never a traceback
        print(f"{PROG}: internal error {type(error).__name__}: {error} (please report it)", file=sys.stderr)
        return 2


def explain(code: str) -> str:
    from .docs import ALL_RULES

    wanted = code.strip()
    for rule in ALL_RULES:
        if wanted.upper() == rule.CODE or wanted.lower() == rule.NAME:
            safety = {"safe": "safe fix", "unsafe": "unsafe fix (--unsafe-fixes)", None: "no automatic fix"}
            return f"{inspect.cleandoc(rule.DOCS)}\n\nFix: {safety[rule.FIX_SAFETY]}."
    raise UsageError(f"--explain: unknown code {code!r} (known: {', '.join(CODES)})")


def selected_codes(select: str | None, ignore: str | None) -> tuple[str, ...]:
    """The codes to check: ``--select`` prefixes minus ``--ignore`` prefixes (flake8's matching)."""

    def prefixes(value: str | None, option: str) -> tuple[str, ...]:
        items = tuple(item.strip().upper() for item in (value or "").split(",") if item.strip())
        for item in items:
            if not _CODE_PREFIX.fullmatch(item) or not any(code.startswith(item) for code in CODES):
                raise UsageError(f"{option}: {item!r} matches no FDS code")
        return items

    chosen = prefixes(select, "--select") or ("FDS",)
    dropped = prefixes(ignore, "--ignore")
    return tuple(code for code in CODES if code.startswith(chosen) and not code.startswith(dropped))


def run(args: argparse.Namespace) -> int:
    codes = selected_codes(args.select, args.ignore)
    patterns = [pattern.strip() for pattern in args.extend_exclude.split(",") if pattern.strip()]
    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        raise UsageError("- (standard input) cannot be combined with other paths")
    if args.stdin_filename and paths != ["-"]:
        raise UsageError("--stdin-filename needs - as the path")
    fixing = "unsafe" if args.unsafe_fixes else "safe"
    freeze_libcst_objects()  # this process is ours, and may check many files
    if paths == ["-"]:
        outcomes = [_check_stdin(args, codes, fixing)]
    else:
        outcomes = _check_files(args, codes, fixing, _files(paths, patterns))
    return _report(args, codes, outcomes)


#: From this many files on, a tree is checked by a pool of processes (one per core, up to 8).
PARALLEL_FROM = 128


def _check_files(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcomes: list[Outcome]) -> list[Outcome]:
    """One file after the other for a handful (pre-commit), all cores for a large tree; same order either way."""
    workers = min(os.cpu_count() or 1, 8, len(outcomes) // (PARALLEL_FROM // 2))
    if workers < 2 or len(outcomes) < PARALLEL_FROM:
        return _check_several(args, codes, fixing, outcomes)
    import concurrent.futures
    import multiprocessing

    lost = (OSError, concurrent.futures.BrokenExecutor)  # no processes to be had, or a worker died
    # fork where there is one: the workers start with this process's imports. Each imports
    # libcst only if one of its files needs it (most trees need it for a few files or none).
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    size = max(1, len(outcomes) // (workers * 4))
    pieces = [outcomes[start : start + size] for start in range(0, len(outcomes), size)]
    checked: list[Outcome] = []
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures: list[concurrent.futures.Future[list[Outcome]] | None] = []
        for piece in pieces:
            try:
                futures.append(pool.submit(_check_several, args, codes, fixing, piece))
            except lost:
                futures.append(None)
        for piece, future in zip(pieces, futures):
            done = None
            if future is not None:
                with contextlib.suppress(*lost):  # its worker is gone: these files are checked here
                    done = future.result()
            checked.extend(done if done is not None else _check_several(args, codes, fixing, piece))
    return checked


def _check_several(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcomes: list[Outcome]) -> list[Outcome]:
    return [_check_file(args, codes, fixing, outcome) for outcome in outcomes]


def _files(paths: Sequence[str], patterns: Sequence[str]) -> list[Outcome]:
    """An outcome to fill for every file to check; folders the walk cannot read come with their problem."""
    found: list[Outcome] = []
    seen: set[str] = set()
    overlap = len(paths) > 1  # one path cannot name a file twice: walks follow no symlinks

    def add(display: str, path: Path) -> None:
        if overlap:  # the same file named twice (or through a symlink) is checked once
            key = os.path.realpath(path)
            if key in seen:
                return
            seen.add(key)
        found.append(Outcome(display, path))

    for argument in paths:
        top = Path(argument)
        if not top.exists():
            raise UsageError(f"{argument}: no such file or folder")
        if top.is_dir():
            errors: list[tuple[Path, str]] = []
            for path in walk(top, patterns, errors):
                add(os.path.join(argument, os.path.relpath(path, top)), path)
            found.extend(Outcome(str(path), None, problem=message) for path, message in errors)
        elif not excluded(top, patterns):
            add(argument, top)
    return found


def _settings(path: Path | None) -> Settings:
    try:
        return config.settings_for(path)
    except config.ConfigError as error:
        raise UsageError(str(error)) from None


def _check_file(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcome: Outcome) -> Outcome:
    path = outcome.path
    if path is None:  # a folder the walk could not read
        return outcome
    if deploy.is_deployment_file(path) and not path.name.endswith(".py"):
        return _check_deployment_file(codes, outcome, path)
    try:
        source = SourceFile.read(path)
    except SourceFileError as error:
        outcome.problem = str(error)
        return outcome
    settings = _settings(path)
    new_text = _process(args, codes, fixing, source, settings, path, outcome)
    if new_text is not None and args.fix:
        try:
            source.write(new_text)
        except SourceFileError as error:
            outcome.problem = str(error)
            outcome.fixed = 0
            # The findings of the file as it still is, not of the fixed text that was not written.
            outcome.diagnostics = _relint(source, settings, path, codes)
    return outcome


def _relint(source: SourceFile, settings: Settings, path: Path, codes: tuple[str, ...]) -> list[Diagnostic]:
    from . import fixer

    try:
        return fixer.lint_source(source.text, path, settings, codes)
    except SourceError:  # it parsed a moment ago; nothing better to show if it no longer does
        return []


def _check_deployment_file(codes: tuple[str, ...], outcome: Outcome, path: Path) -> Outcome:
    """Dockerfile, Procfile, Compose or env file: FDS400-FDS403, suggestions only (nothing to fix)."""
    settings = _settings(path)
    try:
        findings = deploy.check_deployment_file(path, deploy.read_deployment_file(path), settings)
    except deploy.DeploymentFileError as error:
        outcome.problem = f"not checked, {error}"
        return outcome
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the run
        outcome.problem = f"not checked, internal error {type(error).__name__}: {error}"
        return outcome
    outcome.diagnostics = [Diagnostic(finding) for finding in findings if finding.code in codes]
    return outcome


def _check_stdin(args: argparse.Namespace, codes: tuple[str, ...], fixing: str) -> Outcome:
    name = args.stdin_filename
    path = Path(name) if name else None
    outcome = Outcome(name or "stdin", path)
    data = sys.stdin.buffer.read()
    settings = _settings(path)  # None: the configuration of the current directory
    try:
        source = SourceFile.from_bytes(path or Path("stdin"), data)
    except SourceFileError as error:
        outcome.problem = str(error)
        if args.fix:
            outcome.fixed_source = data  # never swallow the input
        return outcome
    new_text = _process(args, codes, fixing, source, settings, path, outcome)
    if args.fix:
        outcome.fixed_source = data if new_text is None else source.encode(new_text)
    return outcome


def _process(
    args: argparse.Namespace,
    codes: tuple[str, ...],
    fixing: str,
    source: SourceFile,
    settings: Settings,
    path: Path | None,
    outcome: Outcome,
) -> str | None:
    """Lint or fix one decoded file; the fixed text when there is a change to write."""
    where = Path(os.path.abspath(path)) if path is not None else None
    if not worth_parsing(source.text, where, settings):
        return None  # nothing to find (or a test file): libcst is not even imported
    libcst_side()  # imports libcst the way the engine does (see there)
    from . import fixer

    try:
        if not (args.fix or args.diff):
            outcome.diagnostics = fixer.lint_source(source.text, path, settings, codes)
            return None
        try:
            result = fixer.fix_source(source.text, path, settings, unsafe=fixing == "unsafe", select=codes)
            if result.changed and not source.round_trips():
                raise SourceError(f"its {source.encoding} text does not encode back to the same bytes")
        except SourceError as error:  # it may still be checked, without fixes
            outcome.diagnostics = fixer.lint_source(source.text, path, settings, codes)
            outcome.problem = f"not fixed, {error}"
            return None
    except SourceError as error:
        outcome.problem = f"not checked, {error}"
        return None
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the run
        outcome.problem = f"not checked, internal error {type(error).__name__}: {error}"
        return None
    outcome.diagnostics = result.remaining
    if result.problems:
        outcome.problem = "; ".join(result.problems)
    if not result.changed:
        return None
    outcome.fixed = len(result.fixed)
    if args.diff:
        outcome.diff = unified_diff(source.text, result.source, outcome.display)
    return result.source


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff with git's ``a/`` and ``b/`` prefixes (``git apply``, ``patch -p1``); line endings kept."""
    path = os.path.normpath(name).replace(os.sep, "/")
    before, after = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(split_lines(old), split_lines(new), before, after)
    text = []
    for line in lines:
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        text.append(line)
    return "".join(text)


def _report(args: argparse.Namespace, codes: tuple[str, ...], outcomes: list[Outcome]) -> int:
    stdout = sys.stdout
    stdin_fix = args.fix and args.paths == ["-"]
    problems = [(outcome.display, outcome.problem) for outcome in outcomes if outcome.problem]
    for display, problem in problems:
        print(f"{PROG}: {display}: {problem}", file=sys.stderr)
    reported = [
        output.Reported(outcome.display, outcome.path, diagnostic)
        for outcome in outcomes
        for diagnostic in outcome.diagnostics
    ]
    if args.diff:
        _write(stdout, "".join(outcome.diff for outcome in outcomes))
    elif stdin_fix:
        stdout.flush()
        sys.stdout.buffer.write(outcomes[0].fixed_source or b"")
        sys.stdout.buffer.flush()
        _write(sys.stderr, output.render(args.format, reported, codes, problems))
    else:
        _write(stdout, output.render(args.format, reported, codes, problems))
    fixed = sum(outcome.fixed for outcome in outcomes)
    changed = sum(1 for outcome in outcomes if outcome.fixed)
    if not args.quiet:
        _summary(args, reported, fixed, changed)
    if problems or reported or (args.diff and changed):
        return 1
    return 0


def _summary(args: argparse.Namespace, reported: list[output.Reported], fixed: int, changed: int) -> None:
    """One line on standard error: what was (or would be) fixed, what a flag would fix."""
    files = "file" if changed == 1 else "files"
    safe = sum(1 for item in reported if item.diagnostic.fix == "safe")
    unsafe = sum(1 for item in reported if item.diagnostic.fix == "unsafe")
    parts: list[str] = []
    if args.fix and fixed:
        parts.append(f"fixed {fixed} finding{'s' * (fixed != 1)} in {changed} {files}")
    elif args.diff and fixed:
        parts.append(f"would fix {fixed} finding{'s' * (fixed != 1)} in {changed} {files}")
    if reported and (args.fix or args.diff):
        parts.append(f"{len(reported)} remain{'s' * (len(reported) == 1)}")
    if args.fix or args.diff:
        if unsafe and not args.unsafe_fixes:
            parts.append(f"{unsafe} fixable with --unsafe-fixes")
    elif args.unsafe_fixes:
        if safe + unsafe:
            parts.append(f"{safe + unsafe} fixable with --fix --unsafe-fixes")
    else:
        if safe:
            parts.append(f"{safe} fixable with --fix")
        if unsafe:
            parts.append(f"{unsafe} {'more ' if safe else ''}fixable with --fix --unsafe-fixes")
    if parts:
        text = "; ".join(parts)
        print(f"{PROG}: {text[:1].upper()}{text[1:]}.", file=sys.stderr)


def _write(stream: IO[str], text: str) -> None:
    if not text:
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show some character of a message or diff
        stream.flush()
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.buffer.write(text.encode(encoding, errors="backslashreplace"))  # type: ignore[attr-defined]
    stream.flush()


if __name__ == "__main__":
    sys.exit(main())
