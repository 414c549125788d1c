"""The flake8 adapter: a thin layer that feeds flake8's lines to the engine."""

from __future__ import annotations

import argparse
import ast
import contextlib
import itertools
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from . import __version__, warnonce
from .config import ConfigError, flake8_origin, from_flake8, option_name, settings_for, settings_for_file, warn_stderr
from .engine import SourceError, check_source, freeze_libcst_objects, libcst_side, location, needs_libcst
from .environments import inside_environment
from .model import DEFAULT_SETTINGS, Settings

_NOT_A_PATH = ("stdin", "-", "")

#: Code of the one finding reported for a file whose pyproject table is broken.
CONFIG_ERROR = "FDS001"

_HELP: dict[str, tuple[str, str]] = {
    "app_classes": ("NAMES", "extra Flask-family app classes, e.g. shop.core.ShopFlask"),
    "app_factories": ("NAMES", "extra functions that return a Flask app, e.g. shop.factory.build"),
    "server_launchers": (
        "NAMES",
        "extra functions that start a development server, e.g. shop.devtools.serve:host=0:debug=debug",
    ),
    "dev_config_classes": (
        "PATTERNS",
        "class-name words or globs marking development/testing config classes for FDS204 "
        "(default: Dev,Development,Local,Test,Testing)",
    ),
    "allowed_hosts": ("HOSTS", "bind addresses FDS300 accepts, e.g. 0.0.0.0"),
}


class FlaskDevServerChecker:
    """flake8 entry point ``FDS``."""

    name = "flake8-flask-devserver"
    version = __version__
    #: Settings from flake8 options, and the fields the user set there (they beat pyproject.toml).
    settings: Settings = DEFAULT_SETTINGS
    explicit: frozenset[str] = frozenset()
    #: A bad ``--flask-*`` value (command line or flake8 config): FDS001 on every file.
    option_error: ConfigError | None = None

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        # ``tree`` makes flake8 run us once per file; the engine reuses it past the text gate.
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for field, (metavar, text) in _HELP.items():
            manager.add_option(
                f"--{option_name(field)}",
                default=None,  # None tells "not set" apart, so pyproject.toml can fill in
                parse_from_config=True,
                comma_separated_list=True,
                metavar=metavar,
                help=f"{text} (overrides [tool.flake8-flask-devserver] in pyproject.toml)",
            )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        # flake8 also calls this in each spawned worker; the main process already reported.
        warn = warn_stderr if multiprocessing.parent_process() is None else _quiet
        if multiprocessing.parent_process() is None:  # before flake8 starts its workers
            names = getattr(options, "filenames", None) or ["."]
            warnonce.new_run(shared=_runs_workers(options) and (len(names) > 1 or _checks_a_tree(options)))
        # A bad value never stops flake8 (the other plugins' findings must still print):
        # run() reports it as one FDS001 per file it governs.
        cls.option_error = None
        try:
            cls.settings, cls.explicit = from_flake8(options, lambda name: flake8_origin(name, options))
        except ConfigError as error:
            cls.settings, cls.explicit, cls.option_error = DEFAULT_SETTINGS, frozenset(), error
            return
        # Read the pyproject governing each named path now, in the main process, so that
        # its warnings print once (forked workers inherit what was read).
        for start in _start_paths(options):
            with contextlib.suppress(ConfigError):  # cached: run() reports it per file
                settings_for(start, cls.settings, explicit=cls.explicit, warn=warn)
        if _checks_a_tree(options) or _names_several_files(options):  # (spawned workers parse the options again, and opt in too)
            # Runs over folders, and pre-commit's batches of named files, check enough files
            # to pay for it; an editor names one file.
            freeze_libcst_objects()
            # Forked workers start with this process's imports: when two or more files of
            # the tree need libcst (with one, only one worker would import it), import it
            # once here instead of once per worker. Not with no paths named: that may be
            # flake8's legacy API, which is given its files only later.
            if (
                multiprocessing.parent_process() is None
                and getattr(options, "filenames", None)
                and _forks_workers(options)
                and _files_needing_libcst(options, cls.settings, cls.explicit, enough=2) >= 2
            ):
                libcst_side()

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        # Absolute once (each os.path.abspath of a relative name asks the system for the working folder).
        path = None if self.filename in _NOT_A_PATH else os.path.abspath(self.filename)
        if path is not None and inside_environment(os.path.dirname(path)):
            return  # installed code (a committed virtualenv, site-packages): not the project's to fix
        try:
            if self.option_error is not None:
                raise self.option_error
            if path is None:
                settings = settings_for(None, self.settings, explicit=self.explicit)
            else:
                settings = settings_for_file(path, self.settings, explicit=self.explicit)
        except ConfigError as error:
            # Broken configuration: say so on each file it governs, and fail the run.
            yield 1, 0, f"{CONFIG_ERROR} {error}; file not checked", type(self)
            return
        try:
            findings = check_source("".join(self.lines), path, settings, tree=self.tree)
        except SourceError as error:
            # flake8 parsed the file (we have its tree) but libcst cannot: say so once.
            _warn(f"{self.filename}: not checked, {error}")
            return
        except Exception as error:  # noqa: BLE001 - one bad file must never abort a flake8 run
            _warn(f"{self.filename}: not checked, internal error {type(error).__name__}: {error}")
            return
        for finding in findings:
            yield finding.line, finding.col, finding.text(), type(self)


def _checks_a_tree(options: argparse.Namespace) -> bool:
    """Whether flake8 was asked to check a folder (not only named files or standard input).

    No paths means the current folder, as for flake8 itself (its legacy API, which
    is given paths only later, counts as such a run too).
    """
    names = getattr(options, "filenames", None) or ["."]
    return "-" not in names and any(os.path.isdir(name) for name in names)


def _names_several_files(options: argparse.Namespace) -> bool:
    """Whether flake8 was given two files or more by name (pre-commit passes a batch of them)."""
    names = getattr(options, "filenames", None) or []
    return len(names) > 1 and "-" not in names


def _runs_workers(options: argparse.Namespace) -> bool:
    """Whether flake8 may check in worker processes (``--jobs`` other than 1, any start method)."""
    jobs = getattr(options, "jobs", None)
    if jobs is None:
        return False
    return bool(getattr(jobs, "is_auto", False)) or getattr(jobs, "n_jobs", 1) > 1


def _forks_workers(options: argparse.Namespace) -> bool:
    """Whether flake8 will check in processes forked from this one (``--jobs`` > 1, start method fork).

    Fork is the default on Linux before Python 3.14; spawned and forkserver workers import afresh.
    """
    jobs = getattr(options, "jobs", None)
    if jobs is None:
        return False
    count = (os.cpu_count() or 1) if getattr(jobs, "is_auto", False) else getattr(jobs, "n_jobs", 0)
    # The first start method listed is the default (neither call fixes the context).
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    return count > 1 and method == "fork"


#: Files screened before the fork at most: on larger trees libcst's import is a small part
#: of the run, and screening on would cost more than one import saves.
SCREEN_AT_MOST = 500


def _files_needing_libcst(
    options: argparse.Namespace, settings: Settings, explicit: frozenset[str], enough: int
) -> int:
    """How many of the files flake8 will check would make the engine import libcst (counted up to ``enough``).

    A guess at what the workers will do, with the same text and ast checks, over the
    first :data:`SCREEN_AT_MOST` files. Files that cannot be read or configured, or
    that flake8 skips (``# flake8: noqa``), are not counted.
    """
    try:
        from flake8.defaults import NOQA_FILE
        from flake8.discover_files import expand_paths

        from .sourcefile import SourceFile, SourceFileError  # (not needed by runs that never get here)

        names = expand_paths(  # flake8 >= 6 (5 also wants is_running_from_diff: then nothing is counted)
            paths=options.filenames,
            stdin_display_name=options.stdin_display_name,
            filename_patterns=options.filename,
            exclude=(*options.exclude, *options.extend_exclude),
        )
        honours_noqa = not getattr(options, "disable_noqa", False)
        found = 0
        for name in itertools.islice(names, SCREEN_AT_MOST):
            if inside_environment(os.path.dirname(os.path.abspath(name))):
                continue  # run() reports nothing there
            try:
                source = SourceFile.read(Path(name)).text
                file_settings = settings_for_file(name, settings, explicit=explicit)
            except (SourceFileError, ConfigError):
                continue
            if needs_libcst(source, location(name), file_settings):
                if honours_noqa and any(map(NOQA_FILE.match, source.splitlines())):
                    continue  # flake8 runs no plugin on the file
                found += 1
                if found >= enough:
                    break
        return found
    except Exception:  # noqa: BLE001 - any surprise (an older flake8, an odd tree): the workers decide, as before
        return 0


def _start_paths(options: argparse.Namespace) -> list[Path | None]:
    """The paths flake8 was asked to check (None: standard input, read from here)."""
    found: list[Path | None] = []
    for name in getattr(options, "filenames", None) or ["."]:
        if name == "-":
            display = getattr(options, "stdin_display_name", "stdin")
            found.append(None if display in _NOT_A_PATH else Path(display))
        else:
            found.append(Path(name))
    return found


def _quiet(message: str) -> None:
    pass


def _warn(message: str) -> None:
    print(f"flake8-flask-devserver: {message}", file=sys.stderr)
