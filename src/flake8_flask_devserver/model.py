"""Plain data shared by the engine, the flake8 adapter and the command line.

Nothing here imports libcst or flake8, so the adapter can build settings and
read findings without paying for either.
"""

from __future__ import annotations

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
