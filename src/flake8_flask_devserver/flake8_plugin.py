"""The flake8 adapter: a thin layer that feeds flake8's lines to the engine."""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from . import __version__
from .config import ConfigError, flake8_origin, from_flake8, option_name, settings_for, settings_for_file, warn_stderr
from .engine import SourceError, check_source, freeze_libcst_objects
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
        try:
            cls.settings, cls.explicit = from_flake8(options, lambda name: flake8_origin(name, options))
            # Read the pyproject governing each named path now, so a broken one stops
            # the run with one line instead of one finding per file.
            for start in _start_paths(options):
                settings_for(start, cls.settings, explicit=cls.explicit, warn=warn)
        except ConfigError as error:
            raise SystemExit(f"flake8-flask-devserver: error: {error}") from None
        if _checks_a_tree(options):  # (spawned workers parse the options again, and opt in too)
            # Runs over folders check enough files to pay for it; editors and pre-commit
            # name a file or a few. (libcst itself is not imported here, before flake8
            # forks its workers: that would save each worker its own import on Flask
            # trees, but cost every run over a tree that needs no libcst, a clean project
            # above all, a third more on small ones.)
            freeze_libcst_objects()

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        path = None if self.filename in _NOT_A_PATH else self.filename
        try:
            if path is None:
                settings = settings_for(None, self.settings, explicit=self.explicit)
            else:
                settings = settings_for_file(path, self.settings, explicit=self.explicit)
        except ConfigError as error:
            # A broken pyproject deeper in the tree: say so on each file it governs, and fail the run.
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
