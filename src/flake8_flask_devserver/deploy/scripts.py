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
    """What the script runs, for each deployment file that runs it."""
    target = Path(os.path.abspath(path))
    root = project.project_root(target.parent)
    found: list[facts.Facts] = []
    for candidate in candidates(target, root):
        per_script = _scripts_run_by(candidate, root, settings)
        if target in per_script:
            found.append(per_script[target])
    return found


#: (deployment file, its mtime and size, settings) -> the entry scripts it runs and their facts:
#: each deployment file is read once per process however many scripts ask.
_CACHE: dict[tuple[Path, int, int, Settings], dict[Path, facts.Facts]] = {}


def _scripts_run_by(path: Path, root: Path, settings: Settings) -> dict[Path, facts.Facts]:
    try:
        status = path.stat()
    except OSError:
        return {}
    key = (path, status.st_mtime_ns, status.st_size, settings)
    if key not in _CACHE:
        _CACHE[key] = {}
        text = facts.read_project_text(path, root)
        if text is not None:
            builder = facts.Builder(path, SourceText(text, path.name), files.kind_of(path) or "", settings)
            builder.script_facts = {}
            try:
                kinds.build_into(builder)
                _CACHE[key] = builder.script_facts
            except (DeploymentFileError, RecursionError):
                pass  # reported when that file is checked itself
    return _CACHE[key]
