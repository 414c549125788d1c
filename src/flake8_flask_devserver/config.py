"""Project configuration: ``[tool.flake8-flask-devserver]`` in pyproject.toml and flake8 options.

(Stub: the full loader lands with issue 3.)
"""

from __future__ import annotations

from pathlib import Path

from .model import DEFAULT_SETTINGS, Settings


class ConfigError(Exception):
    """A configuration problem, with a one-line message naming the file and the key."""


def settings_for(path: Path | None, base: Settings | None = None) -> Settings:
    """Settings for a file: ``base`` (flake8 options) over its nearest pyproject table over defaults."""
    return base or DEFAULT_SETTINGS
