"""The ``flake8-flask-devserver`` command: the plugin's engine over files, with fixes and CI formats.

Thin by design: finding files and reading them (``sourcefile``), the engine and
its fixes (``fixer``), the report and the exit status (``report``), and the formats
(``output``, ``sarif``) live elsewhere. Exit status: 0 clean, 1 findings remain (or
``--diff`` would change something, or a file could not be checked; 0 with
``--exit-zero``), 2 a usage or configuration error.
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
from typing import Sequence

from . import __version__, config, deploy, discovery, flake8config, output, report
from .engine import SourceError, freeze_libcst_objects, libcst_side, planned
from .model import Diagnostic, Settings
from .noqa import split_lines
from .sourcefile import SourceFile, SourceFileError

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
    line_ends: dict[int, int] = field(default_factory=dict)  # reported line -> column after its code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find (and fix) Flask's development server and debugger on their way to production.",
        epilog="Exit status: 0 clean, 1 findings remain (or --diff would change something, or a file "
        "could not be checked; 0 with --exit-zero), 2 usage or configuration error.",
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
    flake8config.add_arguments(parser)  # --exclude, --extend-exclude, --config, --isolated, --no-respect-gitignore
    parser.add_argument("--stdin-filename", metavar="PATH", help="the file standard input stands for (names, settings)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    report.add_options(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    global _STDIN
    _STDIN = _Stdin()  # one per run (tests call main more than once in a process)
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit:  # a usage error (or --help): --fix - still gives its input back
        if exit.code and "--fix" in arguments and "-" in arguments:
            _STDIN.give_back()
        raise
    _STDIN.wanted = bool(args.fix and args.paths == ["-"])
    try:
        if args.explain:
            report.write(sys.stdout, explain(args.explain) + "\n")
            return 0
        return run(args)
    except UsageError as error:
        _fail(f"error: {error}")
        try:
            report.configuration_error(args, str(error))
        except report.ReportError as failure:
            _fail(f"error: {failure}")
        return 2
    except KeyboardInterrupt:
        return 130
    except report.ReportError as error:
        _fail(f"error: {error}")
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): nothing more to say, to anyone
        _quiet_pipe()
        return 1
    except (OSError, MemoryError) as error:  # the environment, not a bug of ours
        _fail(f"error: {_os_problem(error)}")
        return 2
    except Exception as error:  # noqa: BLE001 - a bug of ours: one line, never a traceback
        _fail(f"internal error {type(error).__name__}: {error} (please report it)")
        return 2


class _Stdin:
    """Standard input for ``--fix -``, read once and given back unchanged on any failure (D1)."""

    def __init__(self) -> None:
        self.wanted = False
        self.data: bytes | None = None
        self.given = False

    def read(self) -> bytes:
        if self.data is None:
            self.data = sys.stdin.buffer.read()
        return self.data

    def give_back(self) -> None:
        """Write the input, unchanged, to standard output unless something was written already."""
        if self.given:
            return
        self.given = True
        with contextlib.suppress(OSError, ValueError):
            data = self.read()
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()


_STDIN = _Stdin()


def _fail(message: str) -> None:
    """One line on standard error; with ``--fix -``, the input back on standard output first."""
    if _STDIN.wanted:
        _STDIN.give_back()
    with contextlib.suppress(OSError, ValueError):
        print(f"{PROG}: {message}", file=sys.stderr)


def _quiet_pipe() -> None:
    """Point standard output at the null device, so that the interpreter's final flush stays quiet."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _os_problem(error: BaseException, named: bool = True) -> str:
    """An environment problem in one line (B2): what could not be read, and the system's reason."""
    if isinstance(error, OSError):
        name = f"{error.filename}: " if named and error.filename else ""
        return f"{name}cannot read it ({error.strerror or error})"
    if isinstance(error, MemoryError):
        return "cannot read it (out of memory)"
    return f"cannot read it ({error})"


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
    try:  # flake8's configuration files, read by flake8 (select, ignore, per-file-ignores, exclude, flask-*)
        args.flake8 = flake8config.load_for_command(args)
    except (config.ConfigError, flake8config.Flake8ConfigError) as error:
        raise UsageError(str(error)) from None
    codes = args.flake8.selected(codes)
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
        outcomes = _check_files(args, codes, fixing, _files(paths, args))
    return report.report(args, codes, outcomes, _STDIN)


#: From this many files on, a tree is checked by a pool of processes (one per core, up to 8),
PARALLEL_FROM = 128
#: if they hold this many bytes. Each worker imports libcst and reads again the first-party
#: modules its files import: below some 100,000 lines that costs more than the work it takes
#: over (measured: a 287-file generated corpus, werkzeug and dash, 0.9 to 2.5 MB, took 30 to
#: 60 % more CPU in two workers than in one process and were no faster; the 2,417-file tree,
#: 13 MB, one worker's share of the work is far more than an import).
PARALLEL_BYTES = 4_000_000
#: The most files a worker takes at a time. A tree's costly files cluster (a project's
#: app and the modules it imports): in big pieces one worker could get most of them and
#: run on long after the others are done. Small pieces, taken as workers come free,
#: leave no such tail; each costs a few kB of pickling.
PIECE_FILES = 16


def _check_files(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcomes: list[Outcome]) -> list[Outcome]:
    """One file after the other for a handful (pre-commit), all cores for a large tree; same order either way."""
    workers = min(os.cpu_count() or 1, 8, len(outcomes) // (PARALLEL_FROM // 2))
    if workers < 2 or len(outcomes) < PARALLEL_FROM or not _sizeable(outcomes):
        return _check_several(args, codes, fixing, outcomes)
    import concurrent.futures
    import multiprocessing

    lost = (OSError, concurrent.futures.BrokenExecutor)  # no processes to be had, or a worker died
    # fork where there is one: the workers start with this process's imports. A tree this size
    # nearly always has files that need libcst, so it is imported here, once, rather than by
    # each worker (some 0.3 s of CPU each; 0.5 s less CPU in all on the 2,417-file tree).
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    if context is not None:
        libcst_side()  # (and the collector leaves alone what is here: gc.freeze, see there)
        from . import fixer  # noqa: F401 - the rules and the fixer, for the same reason
    size = max(1, min(PIECE_FILES, len(outcomes) // (workers * 4)))
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
            if future is None:  # no process to take it: these files are checked here
                done = _check_several(args, codes, fixing, piece)
            else:
                with contextlib.suppress(*lost):
                    done = future.result()
            checked.extend(done if done is not None else _isolated(args, codes, fixing, piece, context))
    return checked


def _sizeable(outcomes: list[Outcome]) -> bool:
    """Whether the files hold :data:`PARALLEL_BYTES` (one ``stat`` each, up to there; unreadable ones count 0)."""
    total = 0
    for outcome in outcomes:
        if outcome.path is not None:
            with contextlib.suppress(OSError, ValueError):
                total += os.stat(outcome.path).st_size
                if total >= PARALLEL_BYTES:
                    return True
    return False


#: The problem of a file whose checking process died (a crash in C code: libcst's parser, the interpreter).
CRASHED = "not checked: the process checking it died (please report it with the file)"


def _isolated(
    args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcomes: list[Outcome], context: object
) -> list[Outcome]:
    """The files of a worker that died, each in a process of its own (C5).

    One of them may be what killed it (a segfault): checked here, it would kill this
    process too and the whole run with it. A file whose own process dies again is
    reported as not checked; when no process can be had at all, the files are checked here.
    """
    import concurrent.futures

    done: list[Outcome] = []
    for outcome in outcomes:
        try:
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:  # type: ignore[arg-type]
                done.append(pool.submit(_check_file, args, codes, fixing, outcome).result())
        except concurrent.futures.BrokenExecutor:
            outcome.problem = CRASHED
            done.append(outcome)
        except OSError:
            done.append(_check_file(args, codes, fixing, outcome))
    return done


def _check_several(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcomes: list[Outcome]) -> list[Outcome]:
    return [_check_file(args, codes, fixing, outcome) for outcome in outcomes]


def _files(paths: Sequence[str], args: argparse.Namespace) -> list[Outcome]:
    """An outcome to fill for every file to check (``discovery``); unreadable folders come with their problem."""
    found: list[Outcome] = []
    seen: set[str] = set()
    overlap = len(paths) > 1  # one path cannot name a file twice: walks follow no symlinks
    for argument in paths:
        try:
            os.stat(argument)
        except (FileNotFoundError, NotADirectoryError):
            raise UsageError(f"{argument}: no such file or folder") from None
        except (OSError, ValueError):
            pass  # reported as a file that cannot be read, as flake8's E902
    errors: list[tuple[Path, str]] = []
    for display, path in discovery.files(
        paths,
        args.flake8.exclude,
        errors,
        respect_gitignore=args.respect_gitignore,
        warn=config.warn_stderr,
        settings_of=lambda path: _settings(path, args),
    ):
        if overlap:  # the same file named twice (or through a symlink) is checked once
            key = os.path.realpath(path)
            if key in seen:
                continue
            seen.add(key)
        found.append(Outcome(display, path))
    found.extend(Outcome(str(path), None, problem=message) for path, message in errors)
    for folder in dict.fromkeys(os.path.dirname(outcome.display) for outcome in found if outcome.path):
        _settings(Path(folder or "."), args)  # here, before any worker: warnings once, errors stop the run now
    return found


def _settings(path: Path | None, args: argparse.Namespace) -> Settings:
    try:  # flake8's flask-* options over the nearest pyproject table, as in the plugin
        return config.settings_for(path, args.flake8.settings, explicit=args.flake8.explicit)
    except config.ConfigError as error:
        raise UsageError(str(error)) from None


def _check_file(args: argparse.Namespace, codes: tuple[str, ...], fixing: str, outcome: Outcome) -> Outcome:
    path = outcome.path
    if path is None:  # a folder the walk could not read
        return outcome
    codes = args.flake8.codes_for(outcome.display, codes)  # per-file-ignores
    try:
        if deploy.is_deployment_file(path) and not path.name.endswith(".py"):
            return _check_deployment_file(args, codes, outcome, path)
        source = SourceFile.read(path)
        settings = _settings(path, args)
    except SourceFileError as error:
        outcome.problem = str(error)
        return outcome
    except (OSError, MemoryError) as error:  # the environment (its folder's settings unreadable, ...)
        outcome.problem = _os_problem(error, named=False)
        return outcome
    new_text = _process(args, codes, fixing, source, settings, path, outcome)
    if new_text is not None and args.fix:
        try:
            source.write(new_text)
        except SourceFileError as error:
            outcome.problem = str(error)
            outcome.fixed = 0
            # The findings of the file as it still is, not of the fixed text that was not written.
            outcome.diagnostics = _relint(source, settings, path, codes)
    _place_ends(outcome, new_text if new_text is not None and outcome.fixed else source.text)
    return outcome


def _place_ends(outcome: Outcome, text: str) -> None:
    """Where each reported line's code ends (SARIF regions, GitHub's endColumn)."""
    outcome.line_ends = report.line_ends(text, outcome.diagnostics)


def _relint(source: SourceFile, settings: Settings, path: Path, codes: tuple[str, ...]) -> list[Diagnostic]:
    from . import fixer

    try:
        return fixer.lint_source(source.text, path, settings, codes)
    except SourceError:  # it parsed a moment ago; nothing better to show if it no longer does
        return []


def _check_deployment_file(args: argparse.Namespace, codes: tuple[str, ...], outcome: Outcome, path: Path) -> Outcome:
    """Dockerfile, Procfile, Compose or env file: FDS400-FDS403, suggestions only (nothing to fix)."""
    settings = _settings(path, args)  # (deploy reads regular files only, without blocking)
    try:
        text = deploy.read_deployment_file(path)
        findings = deploy.check_deployment_file(path, text, settings)
    except deploy.DeploymentFileError as error:
        outcome.problem = f"not checked, {error.problem}"
        return outcome
    except (OSError, MemoryError) as error:  # a file it names, unreadable: the environment (B2)
        outcome.problem = f"not checked, {_os_problem(error)}"
        return outcome
    except Exception as error:  # noqa: BLE001 - one bad file must never stop the run
        outcome.problem = f"not checked, internal error {type(error).__name__}: {error}"
        return outcome
    outcome.diagnostics = [Diagnostic(finding) for finding in findings if finding.code in codes]
    _place_ends(outcome, text)
    return outcome


def _check_stdin(args: argparse.Namespace, codes: tuple[str, ...], fixing: str) -> Outcome:
    name = args.stdin_filename
    path = Path(name) if name else None
    outcome = Outcome(name or "stdin", path)
    data = _STDIN.read()
    codes = args.flake8.codes_for(outcome.display, codes)  # per-file-ignores
    settings = _settings(path, args)  # None: the configuration of the current directory
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
    _place_ends(outcome, new_text if new_text is not None else source.text)
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
    plan = planned(source.text, where, settings)  # the engine's gate and ast step, once (lint_source reuses it)
    if plan is None:
        return None  # nothing to find (or a test file): libcst is not even imported
    if "\0" in source.text:  # every CPython refuses it (3.12+: SyntaxError, before: ValueError)
        outcome.problem = "not checked, E999 SyntaxError: source code string cannot contain null bytes"
        return None
    libcst_side()  # imports libcst the way the engine does (see there)
    from . import fixer

    try:
        if not (args.fix or args.diff):
            tiers = report.shown_tiers(args)
            outcome.diagnostics = fixer.lint_source(source.text, path, settings, codes, plan=plan, tiers=tiers)
            return None
        try:
            unsafe = fixing == "unsafe"
            result = fixer.fix_source(source.text, path, settings, unsafe=unsafe, select=codes, plan=plan)
            if result.changed and not source.round_trips():
                raise SourceError(f"its {source.encoding} text does not encode back to the same bytes")
        except SourceError as error:  # it may still be checked, without fixes
            outcome.diagnostics = fixer.lint_source(source.text, path, settings, codes, plan=plan)
            outcome.problem = f"not fixed, {error}"
            return None
    except SourceError as error:
        said = _python_says(source.text) if str(error).startswith("libcst cannot parse") else None
        outcome.problem = f"not checked, {said or error}"
        return None
    except (OSError, MemoryError) as error:  # reading first-party modules: the environment, not a bug
        outcome.problem = f"not checked, {_os_problem(error)}"
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


def _python_says(text: str) -> str | None:
    """flake8's E999 line for a source that CPython rejects (libcst's own position can be far off)."""
    import ast

    try:
        ast.parse(text)
    except SyntaxError as error:
        where = f" (line {error.lineno}, column {error.offset})" if error.lineno else ""
        return f"E999 {type(error).__name__}: {error.msg}{where}"
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


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


if __name__ == "__main__":
    sys.exit(main())
