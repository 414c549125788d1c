"""flake8's configuration for the companion command, read by flake8's own code.

The command must see what ``flake8 --select FDS`` sees: the same ``.flake8``,
``setup.cfg`` or ``tox.ini`` (flake8 7's discovery in
``flake8.options.config.load_config``: ``--config`` replaces it, ``--isolated``
skips it), the same option normalisation (``exclude`` patterns made absolute
relative to the configuration file's folder, comma and newline splitting), the
same select/ignore decisions (``flake8.style_guide.DecisionEngine``) and the same
``per-file-ignores`` matching (``flake8.style_guide.StyleGuideManager``). Nothing is
re-implemented: flake8's option manager is built with flake8's default options and
this plugin's ``flask-*`` options, exactly as ``flake8.options.parse_args`` builds
it, minus loading the other plugins (whose options the command does not need) and
without running any plugin's ``parse_options``.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from . import config, pyproject
from .regularfile import Unreadable, read_regular
from .model import Settings


class Flake8ConfigError(Exception):
    """flake8's configuration cannot be loaded: one line naming the file and the problem."""


@dataclass
class Flake8Config:
    """flake8's options as the command needs them (picklable, for the command's worker processes)."""

    options: argparse.Namespace
    settings: Settings
    explicit: frozenset[str]
    _guides: Any = field(default=None, repr=False, compare=False)

    @property
    def exclude(self) -> list[str]:
        """``exclude`` plus ``extend-exclude``, normalised by flake8 (absolute when they hold a ``/``)."""
        return [*self.options.exclude, *self.options.extend_exclude]

    def codes_for(self, filename: str, codes: Sequence[str]) -> tuple[str, ...]:
        """Those of ``codes`` flake8 would report in ``filename`` (select, ignore, per-file-ignores)."""
        from flake8.style_guide import Decision

        guide = self._style_guides().style_guide_for(filename)
        return tuple(code for code in codes if guide.should_report_error(code) is Decision.Selected)

    def selected(self, codes: Sequence[str]) -> tuple[str, ...]:
        """Those of ``codes`` the run reports somewhere (any file's per-file-ignores only remove codes)."""
        from flake8.style_guide import Decision

        guide = self._style_guides().default_style_guide
        return tuple(code for code in codes if guide.should_report_error(code) is Decision.Selected)

    def _style_guides(self) -> Any:
        if self._guides is None:
            from flake8.style_guide import StyleGuideManager

            # The formatter is only used to print; deciding needs none.
            self._guides = StyleGuideManager(self.options, formatter=None)  # type: ignore[arg-type]
        return self._guides

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_guides": None}  # rebuilt on demand (it holds caches)


def load(
    *,
    config_file: str | None = None,
    isolated: bool = False,
    argv: Sequence[str] = (),
) -> Flake8Config:
    """flake8's configuration as flake8 would read it from the current folder.

    ``argv`` holds flake8 command-line options that override the files
    (``--select=FDS1``, ``--extend-exclude=build``), parsed by flake8's own parser.
    Raises :class:`Flake8ConfigError`, or :class:`config.ConfigError` for a bad
    ``flask-*`` value.
    """
    try:
        import flake8
        from flake8.main import options as default_options
        from flake8.options import aggregator, manager
        from flake8.options import config as flake8_config
    except ImportError as error:  # flake8 is a dependency; only a broken install gets here
        raise Flake8ConfigError(f"cannot read flake8's configuration: {error}") from None

    from .flake8_plugin import FlaskDevServerChecker

    _check_config_files(config_file, isolated)
    try:
        cfg, cfg_dir = flake8_config.load_config(config=config_file, extra=[], isolated=isolated)
        arguments: dict[str, Any] = {"version": flake8.__version__, "plugin_versions": "", "parents": []}
        if "formatter_names" in inspect.signature(manager.OptionManager).parameters:  # flake8 >= 6
            arguments["formatter_names"] = ["default"]
        option_manager = manager.OptionManager(**arguments)
        default_options.register_default_options(option_manager)
        FlaskDevServerChecker.add_options(option_manager)
        option_manager.extend_default_select(["FDS"])  # what register_plugins does for an installed plugin
        options = aggregator.aggregate_options(option_manager, cfg, cfg_dir, list(argv))
    except SystemExit:  # argparse already printed its one line
        raise Flake8ConfigError("invalid flake8 option") from None
    except Exception as error:  # noqa: BLE001 - flake8 raises ValueError, ExecutionError, configparser errors
        where = config_file or _found_config_file() or "flake8 configuration"
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise Flake8ConfigError(f"{where}: {message}") from None
    # What flake8's first-stage parser would hold (error messages name the file read).
    options.config, options.isolated, options.append_config = config_file, isolated, []
    settings, explicit = config.from_flake8(options, lambda name: config.flake8_origin(name, options, argv))
    return Flake8Config(options, settings, explicit)


#: A section that makes flake8 take a file as its configuration (``_find_config_file``).
_FLAKE8_SECTION = re.compile(rb"^[ \t]*\[flake8(?::local-plugins)?\]", re.MULTILINE)


def _check_config_files(config_file: str | None, isolated: bool) -> None:
    """Refuse, in one line, a configuration file that flake8's loader would hang on or fill memory with.

    flake8 opens them with ``configparser``: a FIFO named ``setup.cfg`` blocks for ever,
    and ``/dev/zero`` never ends. The files looked at are the ones flake8 would open: the
    ``--config`` file, or the candidates of its search (``_find_config_file``), from the
    current folder up to the first one with a ``[flake8]`` section, stopping below home.
    """
    if isolated:
        return
    if config_file is not None:
        _regular(config_file)
        return
    for folder in pyproject.upward(Path(os.path.abspath("."))):
        for name in ("setup.cfg", "tox.ini", ".flake8"):
            data = _regular(str(folder / name))
            if data is not None and _FLAKE8_SECTION.search(data):
                return


def _regular(path: str) -> bytes | None:
    try:
        return read_regular(Path(path))
    except Unreadable as error:
        raise Flake8ConfigError(f"{config.display(Path(path))}: {error}") from None


def _found_config_file() -> str | None:
    found = config._flake8_config_file()
    return config.display(Path(found)) if found else None


# -- the command's flags -----------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's flags for configuration and the file set, named and split as flake8's are."""
    parser.add_argument(
        "--exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns of files and folders to skip, replacing flake8's "
        "exclude (default: flake8's, .svn,CVS,.bzr,.hg,.git,__pycache__,.tox,.nox,.eggs,*.egg)",
    )
    parser.add_argument(
        "--extend-exclude",
        metavar="PATTERNS",
        help="comma-separated glob patterns of files and folders to skip, added to exclude",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read flake8's configuration from this file only (as flake8 --config)"
    )
    parser.add_argument(
        "--isolated", action="store_true", help="ignore flake8's configuration files (as flake8 --isolated)"
    )
    parser.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        help="also check files that .gitignore, .git/info/exclude or git's global excludes ignore",
    )


def load_for_command(args: argparse.Namespace) -> Flake8Config:
    """flake8's configuration with the command's flags on top, as flake8's own command line would be."""
    argv = [
        f"--{name.replace('_', '-')}={value.upper() if name in ('select', 'ignore') else value}"
        for name in ("select", "ignore", "exclude", "extend_exclude")
        if (value := getattr(args, name, None)) is not None and (value.strip() or "exclude" in name)
    ]
    return load(config_file=getattr(args, "config", None), isolated=getattr(args, "isolated", False), argv=argv)
