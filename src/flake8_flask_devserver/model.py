"""Plain data shared by the engine, the flake8 adapter and the command line.

Nothing here imports libcst or flake8, so the adapter can build settings and
read findings without paying for either.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

#: Class-name words that mark a configuration class as development or testing.
DEFAULT_DEV_CONFIG_PATTERNS: tuple[str, ...] = (
    "Dev",
    "Development",
    "Local",
    "Test",
    "Testing",
)


@dataclass(frozen=True)
class Launcher:
    """A project function that starts a development server (``shop.devtools.serve``).

    ``host`` and ``debug`` name the parameter that carries the bind address or
    the debug flag: an ``int`` is a positional index, a ``str`` a keyword.
    """

    qualname: str
    host: int | str | None = None
    debug: int | str | None = None


@dataclass(frozen=True)
class Settings:
    """What a project tells the linter about itself (see the configuration docs)."""

    app_classes: tuple[str, ...] = ()
    app_factories: tuple[str, ...] = ()
    server_launchers: tuple[Launcher, ...] = ()
    dev_config_classes: tuple[str, ...] = DEFAULT_DEV_CONFIG_PATTERNS
    allowed_hosts: tuple[str, ...] = ()


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True, order=True)
class Finding:
    """One diagnostic: 1-based line, 0-based column, code and one-line message."""

    line: int
    col: int
    code: str
    message: str = field(compare=False)

    def text(self) -> str:
        """The flake8-style ``"FDSnnn message"`` text."""
        return f"{self.code} {self.message}"


@dataclass(frozen=True)
class Diagnostic:
    """A finding with the tier of the fix available for it: "safe", "unsafe", or None (suggestion only)."""

    finding: Finding
    fix: str | None = None


def is_dev_config_name(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether a class name marks it for development or testing (``DevelopmentConfig``).

    A pattern is a word prefix (``Dev`` also matches ``DevelopConfig``) or a glob.
    Here, without libcst, so the ast checks before libcst can use it too.
    """
    words = [word.lower() for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]
    for pattern in patterns:
        if any(char in pattern for char in "*?["):
            if fnmatch.fnmatchcase(name, pattern):
                return True
        elif any(word.startswith(pattern.lower()) for word in words):
            return True
    return False
