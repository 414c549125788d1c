"""Installed code: virtualenvs, conda environments, site-packages. Neither the plugin nor the command reports there.

Committed virtualenvs are common, and ``flake8 .`` walks into them: without this,
the plugin reports the development-server starts of Flask's own source. A folder
is never skipped for its name alone (``env/``, ``build/`` and ``dist/`` are often
source folders): only what an interpreter or installer made counts.

- A virtualenv is a folder holding ``pyvenv.cfg`` (PEP 405, written by ``venv`` and
  by virtualenv >= 20) beside the folders ``venv`` makes for it (``bin``/``Scripts``,
  ``lib``/``Lib``; ``venv.EnvBuilder.ensure_directories``): ``site.venv()`` reads the
  file only next to the interpreter or one folder above it, so a ``pyvenv.cfg`` copied
  into a project's root, with no interpreter around it, makes no environment. A conda
  environment is a folder holding ``conda-meta/``.
- ``site-packages`` and ``dist-packages`` (Debian) are where ``pip`` installs, and
  ``__pypackages__`` is PEP 582's; a ``lib/pythonX.Y`` holding ``site-packages`` is
  an interpreter's library (the standard library beside it), as is a Windows ``Lib``
  holding ``site-packages``.
"""

from __future__ import annotations

import os

#: Folders whose whole content was installed by pip or PEP 582.
INSTALLED = frozenset({"site-packages", "dist-packages", "__pypackages__"})
#: Folders ``venv`` makes beside ``pyvenv.cfg``: the interpreter's, the library's.
VENV_FOLDERS = ("bin", "Scripts", "lib", "Lib")


def is_environment_root(folder: str) -> bool:
    """Whether ``folder`` is a virtualenv's or a conda environment's root."""
    if os.path.exists(os.path.join(folder, "pyvenv.cfg")):
        return any(os.path.isdir(os.path.join(folder, child)) for child in VENV_FOLDERS)
    return os.path.exists(os.path.join(folder, "conda-meta"))


def installed_child(parent: str, child: str) -> bool:
    """Whether the subfolder ``child`` of ``parent`` holds installed code (so is not walked into).

    Two ``stat`` calls per folder, one more for ``lib/pythonX.Y`` and ``Lib``.
    """
    if child in INSTALLED:
        return True
    path = os.path.join(parent, child)
    if is_environment_root(path):
        return True
    if (child.startswith("python") and os.path.basename(parent) in ("lib", "lib64")) or child == "Lib":
        return os.path.isdir(os.path.join(path, "site-packages"))
    return False


_INSIDE: dict[str, bool] = {}


def inside_environment(folder: str) -> bool:
    """Whether code in the absolute, normalised ``folder`` was installed (see the module docs).

    Remembered per folder: a file of an already seen folder costs a dictionary lookup,
    and a new folder the few ``stat`` calls of :func:`installed_child` for each of
    the new folders of its path. Iterative: a path of any depth is fine.
    """
    answer = _INSIDE.get(folder)
    if answer is not None:
        return answer
    unknown: list[str] = []  # from ``folder`` up to the first folder already known
    current = folder
    while current not in _INSIDE:
        parent = os.path.dirname(current)
        if parent == current:
            _INSIDE[current] = False
            break
        unknown.append(current)
        current = parent
    for path in reversed(unknown):
        parent, child = os.path.split(path)
        _INSIDE[path] = _INSIDE[parent] or installed_child(parent, child)
    answer = _INSIDE[folder]
    if len(_INSIDE) > 100_000:  # a long-running editor: forget, rather than grow without bound
        _INSIDE.clear()
    return answer
