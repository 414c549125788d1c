"""The command's file set: what flake8 would check, plus deployment files, minus git-ignored and installed code.

The walk follows flake8 7's ``flake8.discover_files._filenames_from``: a path
named on the command line is dropped when it matches ``exclude`` itself; in a
folder, subfolders and files that match are pruned; matching is flake8's own
``flake8.utils.matches_filename`` (the base name, or the absolute path, against
each pattern with ``fnmatch``). On top of that, as ruff does by default:

- files and folders ignored by git (``.gitignore`` files, ``.git/info/exclude``,
  the global ``core.excludesFile``) are skipped, with git's precedence (a deeper
  file overrides a shallower one, ``!`` re-includes), matched by pathspec's
  ``GitIgnoreSpec``; only inside a git repository, as git itself applies them;
- installed code (:mod:`environments`) is skipped, but not source folders that are
  merely named ``env``, ``build`` or ``dist``.

Deployment files in hidden folders (``.devcontainer/Dockerfile``) describe
development setups, not deployments: they are left out. Symlinks are not followed
(a loop or a link out of the tree costs nothing).
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from . import deploy, otherpython
from .config import display
from .environments import installed_child
from .model import Settings
from .regularfile import Unreadable, read_regular

#: Folders of other ecosystems' installed packages (never the project's Python).
NEVER_WALKED = frozenset({"node_modules"})

_LOG = logging.getLogger(__name__)


def excluded(path: str, patterns: Sequence[str]) -> bool:
    """flake8's exclude test (``flake8.utils.matches_filename``) for a path as the walk names it."""
    if not patterns:
        return False
    from flake8.utils import matches_filename

    return bool(matches_filename(path, patterns=patterns, log_message="%(path)s %(whether)sexcluded", logger=_LOG))


# -- git's ignore files --------------------------------------------------------------------


@dataclass
class GitIgnore:
    """git's ignore rules over one walk: per folder, the specs that apply, shallowest first."""

    warn: Any = None
    #: per folder: the specs that govern it, or None outside a repository
    _specs: dict[str, tuple[tuple[str, Any], ...] | None] = field(default_factory=dict)
    _global: tuple[str, ...] | None = None

    def specs_for(self, folder: str) -> tuple[tuple[str, Any], ...]:
        """The ``(base folder, spec)`` pairs that govern entries of ``folder`` (absolute).

        Iterative, and each folder is worked out once: up to a known folder or a
        repository root (``.git``, a submodule's too), then down again, adding each
        folder's ``.gitignore``. Outside a repository nothing applies, as for git.
        """
        if folder in self._specs:
            return self._specs[folder] or ()
        chain: list[str] = []  # folders from ``folder`` up to a known one or a repository root
        current = folder
        while current not in self._specs:
            chain.append(current)
            if os.path.lexists(os.path.join(current, ".git")):
                base: tuple[tuple[str, Any], ...] | None = self._repository_specs(current)
                chain.pop()
                self._specs[current] = self._with_own(current, base or ())
                break
            parent = os.path.dirname(current)
            if parent == current:  # the filesystem root: not in a repository
                chain.pop()
                self._specs[current] = None
                break
            current = parent
        for path in reversed(chain):
            above = self._specs[os.path.dirname(path)]
            self._specs[path] = None if above is None else self._with_own(path, above)
        return self._specs[folder] or ()

    def _with_own(self, folder: str, specs: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
        own = self._read(os.path.join(folder, ".gitignore"))
        return (*specs, (folder, own)) if own is not None else specs

    def ignored(self, path: str, is_dir: bool, specs: tuple[tuple[str, Any], ...]) -> bool:
        """Whether git ignores ``path`` (absolute): the deepest file with a matching pattern decides."""
        for base, spec in reversed(specs):
            relative = os.path.relpath(path, base).replace(os.sep, "/")
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                return bool(result.include)
        return False

    def _repository_specs(self, root: str) -> tuple[tuple[str, Any], ...]:
        specs: list[tuple[str, Any]] = []
        for file in (*self._global_files(), os.path.join(root, ".git", "info", "exclude")):
            spec = self._read(file)
            if spec is not None:
                specs.append((root, spec))
        return tuple(specs)

    def _global_files(self) -> tuple[str, ...]:
        """git's global excludes file: ``core.excludesFile``, else ``$XDG_CONFIG_HOME/git/ignore``."""
        if self._global is None:
            configured = _git_config("core.excludesFile")
            if configured:
                self._global = (os.path.expanduser(configured),)
            else:
                xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
                self._global = (os.path.join(xdg, "git", "ignore"),)
        return self._global

    def _read(self, file: str) -> Any:
        try:
            data = read_regular(Path(file))
        except Unreadable as error:
            if self.warn is not None:
                self.warn(f"{display(Path(file))}: {error}; ignored")
            return None
        if not data:
            return None
        import pathspec

        lines = data.decode("utf-8", errors="replace").splitlines()
        return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_config(name: str) -> str | None:
    """One git setting, from git itself (its config files have their own syntax and includes)."""
    try:
        result = subprocess.run(
            ["git", "config", "--get", name], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):  # no git: its default file only
        return None
    value = result.stdout.strip()
    return value if result.returncode == 0 and value else None


# -- the walk ------------------------------------------------------------------------------


def walk(
    top: str,
    exclude: Sequence[str],
    errors: list[tuple[Path, str]],
    gitignore: GitIgnore | None,
) -> Iterator[str]:
    """Files to check under the folder ``top``, named from ``top`` as flake8 names them (``./pkg/a.py``).

    Depth first, a folder's files before its subfolders, each in name order. Folders
    that cannot be read are added to ``errors`` with one line each.
    """
    stack: list[tuple[str, bool]] = [(top, False)]  # (folder, inside a hidden folder)
    while stack:
        folder, hidden = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            errors.append((Path(error.filename or folder), f"cannot read it ({error.strerror or error})"))
            continue
        absolute = os.path.abspath(folder)
        specs = gitignore.specs_for(absolute) if gitignore is not None else ()

        def git_ignores(name: str, is_dir: bool) -> bool:
            path = os.path.join(absolute, name)
            return bool(specs) and gitignore is not None and gitignore.ignored(path, is_dir, specs)

        subfolders: list[tuple[str, bool]] = []
        for entry in entries:
            if entry.is_symlink():
                continue
            path = os.path.join(folder, entry.name)
            if _is_dir(entry):
                if (
                    entry.name in NEVER_WALKED
                    or installed_child(absolute, entry.name)
                    or excluded(path, exclude)
                    or git_ignores(entry.name, True)
                ):
                    continue
                subfolders.append((path, hidden or entry.name.startswith(".")))
            elif _wanted(entry.name, path, hidden) and not excluded(path, exclude):
                if git_ignores(entry.name, False):
                    continue
                yield path
        stack.extend(reversed(subfolders))


def _wanted(name: str, path: str, hidden: bool) -> bool:
    if otherpython.is_python(name):  # ``*.py``, and mod_wsgi's ``*.wsgi`` scripts
        return True
    return not hidden and deploy.is_deployment_file(Path(path))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # as os.walk: an entry that cannot be told a folder is not one
        return False


def files(
    paths: Sequence[str],
    exclude: Sequence[str],
    errors: list[tuple[Path, str]],
    *,
    respect_gitignore: bool = True,
    warn: Any = None,
    settings_of: Callable[[Path], Settings] | None = None,
) -> Iterator[tuple[str, Path]]:
    """``(display name, path)`` of every file to check under ``paths``, as flake8 would expand them.

    A named file is checked whatever its name (flake8 lints what it is given), unless
    it matches ``exclude``; git's ignore files apply only to what a walk finds. With
    ``settings_of``, then the files walked modules load with ``from_pyfile`` under
    other suffixes (otherpython.py), as the walk would have named them.
    """
    gitignore = GitIgnore(warn) if respect_gitignore else None
    walked: list[tuple[str, str]] = []
    for argument in paths:
        if excluded(argument, exclude):
            continue
        if os.path.isdir(argument):
            for name in walk(argument, exclude, errors, gitignore):
                if settings_of is not None and otherpython.is_python(name):
                    walked.append((argument, name))
                yield name, Path(name)
        else:
            yield argument, Path(argument)
    if settings_of is not None and walked:

        def keep(display: str) -> bool:
            return _walk_keeps(display, [top for top, _ in walked], exclude, gitignore)

        yield from otherpython.loaded_config_files(walked, settings_of, keep)


def _walk_keeps(display: str, tops: list[str], exclude: Sequence[str], gitignore: GitIgnore | None) -> bool:
    """Whether the walk from a folder argument would have kept the file ``display`` names (its suffix aside)."""
    top = next((t for t in tops if display.startswith(t.rstrip(os.sep) + os.sep)), None)
    if top is None:
        return False
    parts = os.path.relpath(display, top).split(os.sep)
    folder = top
    for index, part in enumerate(parts):
        path = os.path.join(folder, part)
        last = index == len(parts) - 1
        absolute = os.path.abspath(folder)
        if os.path.islink(path) or excluded(path, exclude):
            return False
        if not last and (part in NEVER_WALKED or installed_child(absolute, part)):
            return False
        if gitignore is not None:
            specs = gitignore.specs_for(absolute)
            if specs and gitignore.ignored(os.path.join(absolute, part), not last, specs):
                return False
        folder = path
    return True
