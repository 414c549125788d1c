"""Entry scripts: a shell script is checked when a deployment file of the project runs it.

``CMD ["./boot.sh"]``, ``command: bash run.sh``, ``web: bin/start``: the script's
commands are what the service runs, so its ``flask run``, ``exec python app.py`` or
``export FLASK_DEBUG=1`` are reported at the script's own lines, with the way it is
run in the message ("boot.sh (run by Dockerfile CMD) runs ..."). A script that no
deployment file runs is not checked: a ``.sh`` file alone says nothing about
production.

The deployment files looked at are those in the script's folder and each folder up
to the project root (a build context holds its scripts) or the repository's top,
and those in the direct subfolders of the highest (``deploy/Dockerfile`` built from
the root). Each is read as the command reads it, inside its own project root. The same file can be
handed alone by pre-commit: the search is the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import project
from ..model import Settings
from . import facts, files, kinds
from .text import DeploymentFileError, SourceText

#: Deployment files read to find who runs a script (a bound on a tree full of them).
MAX_CANDIDATES = 64


#: Folders above a script searched for deployment files when no repository top (``.git``) comes first.
MAX_LEVELS = 4


def candidates(script: Path, root: Path) -> list[Path]:
    """Deployment files that may run ``script``, nearest first.

    The script's folder and the folders above it, up to the project ``root`` or, when the
    root is below a repository's top (a script folder with no project marker of its
    own), up to the folder holding ``.git`` (at most :data:`MAX_LEVELS` above the root);
    then the direct subfolders of the highest of them.
    """
    folders: list[Path] = []
    folder = script.parent
    above_root = 0
    while True:
        folders.append(folder)
        if folder == root or root not in folder.parents:
            if (folder / ".git").exists() or folder.parent == folder or above_root >= MAX_LEVELS:
                break
            above_root += 1
        if (folder / ".git").exists() or folder.parent == folder:
            break
        folder = folder.parent
    top = folders[-1]
    try:
        with os.scandir(top) as scan:
            subfolders = sorted(Path(entry.path) for entry in scan if entry.is_dir(follow_symlinks=False))
    except OSError:
        subfolders = []
    folders.extend(sub for sub in subfolders if sub not in folders and not sub.name.startswith("."))
    found: list[Path] = []
    for place in folders:
        try:
            with os.scandir(place) as scan:
                names = sorted(entry.name for entry in scan if entry.is_file(follow_symlinks=False))
        except OSError:
            continue
        for name in names:
            path = place / name
            if files.kind_of(path) in (files.DOCKERFILE, files.PROCFILE, files.COMPOSE) and not files.is_dev_only(path):
                found.append(path)
                if len(found) >= MAX_CANDIDATES:
                    return found
    return found


def script_facts(path: Path, settings: Settings) -> list[facts.Facts]:
    """What the script runs, for each deployment file that runs it."""
    target = Path(os.path.abspath(path))
    found: list[facts.Facts] = []
    for builder in _deployment_files_around(target, settings):
        if builder.script_facts and target in builder.script_facts:
            found.append(builder.script_facts[target])
    return found


def env_file_uses(path: Path, settings: Settings) -> list[tuple[str, str | None, frozenset[str]]]:
    """The Compose services that read ``path`` as an ``env_file``: (label, server, overridden keys)."""
    target = Path(os.path.abspath(path))
    found: list[tuple[str, str | None, frozenset[str]]] = []
    for builder in _deployment_files_around(target, settings, (files.COMPOSE,)):
        found.extend(builder.env_file_uses.get(target, ()))
    return found


def _deployment_files_around(
    target: Path, settings: Settings, kinds_wanted: tuple[str, ...] = (files.DOCKERFILE, files.PROCFILE, files.COMPOSE)
) -> list[facts.Builder]:
    root = project.project_root(target.parent)
    found: list[facts.Builder] = []
    for candidate in candidates(target, root):
        if files.kind_of(candidate) in kinds_wanted:
            builder = _read(candidate, project.project_root(candidate.parent), settings)
            if builder is not None:
                found.append(builder)
    return found


#: (deployment file, its mtime and size, settings) -> what reading it found (the entry scripts it
#: runs and their facts, the env files it reads): each is read once per process however many ask.
_CACHE: dict[tuple[Path, int, int, Settings], facts.Builder | None] = {}


def _read(path: Path, root: Path, settings: Settings) -> facts.Builder | None:
    try:
        status = path.stat()
    except OSError:
        return None
    key = (path, status.st_mtime_ns, status.st_size, settings)
    if key not in _CACHE:
        _CACHE[key] = None
        text = facts.read_project_text(path, root)
        if text is not None:
            builder = facts.Builder(path, SourceText(text, path.name), files.kind_of(path) or "", settings)
            builder.script_facts = {}
            try:
                kinds.build_into(builder)
                _CACHE[key] = builder
            except (DeploymentFileError, RecursionError):
                pass  # reported when that file is checked itself
    return _CACHE[key]
