"""Entry scripts: a shell script is checked when a deployment file of the project runs it.

``CMD ["./boot.sh"]``, ``command: bash run.sh``, ``web: bin/start``: the script's
commands are what the service runs, so its ``flask run``, ``exec python app.py`` or
``export FLASK_DEBUG=1`` are reported at the script's own lines, with the way it is
run in the message ("boot.sh (run by Dockerfile CMD) runs ..."). A script that no
deployment file runs is not checked: a ``.sh`` file alone says nothing about
production.

The deployment files looked at are those in the script's folder and each folder up
to the project root (a build context holds its scripts), and those in the root's
direct subfolders (``deploy/Dockerfile`` built from the root). The same file can be
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


def candidates(script: Path, root: Path) -> list[Path]:
    """Deployment files that may run ``script``, nearest first."""
    folders: list[Path] = []
    folder = script.parent
    while True:
        folders.append(folder)
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    try:
        with os.scandir(root) as scan:
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
    """What the script runs, for each deployment file that runs it (the first of each chain kept)."""
    target = Path(os.path.abspath(path))
    root = project.project_root(target.parent)
    found: list[facts.Facts] = []
    for candidate in candidates(target, root):
        text = facts.read_project_text(candidate, root)
        if text is None:
            continue
        builder = facts.Builder(candidate, SourceText(text, candidate.name), files.kind_of(candidate) or "", settings)
        builder.target = target
        try:
            kinds.build_into(builder)
        except (DeploymentFileError, RecursionError):
            continue  # reported when that file is checked itself
        if builder.target_facts is not None:
            found.append(builder.target_facts)
    return found
