"""The corpora: folders of Python code the benchmark runs flake8 and the command over."""

from __future__ import annotations

import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    name: str
    root: Path
    flask: bool
    exclude: tuple[str, ...] = ()  # flake8 --extend-exclude patterns (basenames)

    def files(self) -> list[Path]:
        found = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d not in self.exclude and not d.startswith(".") and d != "__pycache__")
            found.extend(Path(folder, name) for name in sorted(names) if name.endswith(".py"))
        return found

    def flake8_args(self) -> list[str]:
        args = [f"--extend-exclude={','.join(self.exclude)}"] if self.exclude else []
        return [*args, str(self.root)]


def stdlib_corpus(flavour: str) -> Corpus:
    root = Path(sysconfig.get_paths()["stdlib"])
    exclude = ("site-packages", "dist-packages")
    if flavour == "lib":
        exclude += ("test", "tests", "idle_test")
    return Corpus(f"stdlib-{flavour} ({root})", root, flask=False, exclude=exclude)


def count_lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.read_bytes().count(b"\n")
        except OSError:
            pass
    return total
