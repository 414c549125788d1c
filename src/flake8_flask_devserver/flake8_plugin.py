"""The flake8 adapter: a thin layer that feeds flake8's lines to the engine."""

from __future__ import annotations

import ast
import sys
from typing import Any, Iterator

from . import __version__
from .engine import SourceError, check_source
from .model import DEFAULT_SETTINGS, Settings

_NOT_A_PATH = ("stdin", "-", "")


class FlaskDevServerChecker:
    """flake8 entry point ``FDS``."""

    name = "flake8-flask-devserver"
    version = __version__
    settings: Settings = DEFAULT_SETTINGS

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        # ``tree`` makes flake8 run us once per file; the engine reuses it past the text gate.
        self.tree = tree
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        path = None if self.filename in _NOT_A_PATH else self.filename
        try:
            findings = check_source("".join(self.lines), path, self.settings, tree=self.tree)
        except SourceError as error:
            # flake8 parsed the file (we have its tree) but libcst cannot: say so once.
            _warn(f"{self.filename}: not checked, {error}")
            return
        except Exception as error:  # noqa: BLE001 - one bad file must never abort a flake8 run
            _warn(f"{self.filename}: not checked, internal error {type(error).__name__}: {error}")
            return
        for finding in findings:
            yield finding.line, finding.col, finding.text(), type(self)


def _warn(message: str) -> None:
    print(f"flake8-flask-devserver: {message}", file=sys.stderr)
