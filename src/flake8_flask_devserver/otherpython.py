"""Python the command checks under other suffixes: mod_wsgi scripts and files loaded by ``from_pyfile``.

flake8 checks ``*.py`` only (its ``--filename`` default), but two kinds of Flask code
run from files with other names:

* **mod_wsgi scripts.** Apache's ``WSGIScriptAlias /app /srv/app/app.wsgi`` loads the
  file as Python whatever its suffix; ``.wsgi`` is the convention, chosen so that the
  script is not also imported as a module (mod_wsgi's Configuration Guidelines and
  Graham Dumpleton on the modwsgi list). The module is named from the file's path, so
  its ``__name__`` is never ``"__main__"``: an ``app.run()`` at its top level starts
  the development server inside Apache. The command's walk takes ``*.wsgi`` as Python.
* **Config files.** Flask's ``Config.from_pyfile(filename)`` compiles and executes the
  file as a module whatever its suffix (``exec(compile(config_file.read(), filename,
  "exec"), d.__dict__)`` in src/flask/config.py), so ``DEBUG = True`` in
  ``config/app.conf`` or ``settings.cfg`` turns debug on like in a ``.py`` module.
  For each walked module that calls ``from_pyfile`` (a byte search first), the loads
  are resolved as the engine resolves them (configloads.py), and a target that is not
  ``*.py`` is checked as Python when it lies under a walked folder, is a regular file
  no exclude pattern or git ignore file leaves out, and parses: a file Python cannot
  compile is no config Flask could load, and is not reported on.

flake8 users get the same by naming the suffixes: ``flake8 --filename='*.py,*.wsgi,*.cfg'``
(only when every file with those suffixes is Python).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .model import Settings
from .regularfile import NotRegular, TooLarge, read_capped

#: Suffixes of files the walk takes as Python besides ``.py``.
PYTHON_SUFFIXES = (".py", ".wsgi")

#: The largest module read to look for ``from_pyfile`` (the engine's own cap on a module).
MAX_BYTES = 2_000_000


def is_python(name: str) -> bool:
    """Whether the walk checks a file of this name as Python."""
    return name.endswith(PYTHON_SUFFIXES)


def loaded_config_files(
    walked: Iterable[tuple[str, str]],
    settings_of: Callable[[Path], Settings],
    keep: Callable[[str], bool],
) -> Iterator[tuple[str, Path]]:
    """``(display name, path)`` of the non-``.py`` files that walked modules load with ``from_pyfile``.

    ``walked``: ``(folder argument, display name)`` of each walked Python file. A target is
    named from the first walked folder it lies under, as the walk would have named it;
    ``keep(display)`` says whether excludes and git leave it in. Each target once.
    """
    tops: dict[str, str] = {}  # absolute folder argument -> as given
    loaders: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for top, display in walked:
        tops.setdefault(os.path.abspath(top), top)
        path = Path(os.path.abspath(display))
        seen.add(os.path.realpath(path))
        if display.endswith(".py") and _calls_from_pyfile(path):
            loaders.append((top, path))
    if not loaders:
        return
    from . import configloads  # (libcst: only for a tree with a from_pyfile call)

    for _top, loader in loaders:
        try:
            loads = configloads.loads_in(loader, settings_of(loader))
        except Exception:  # noqa: BLE001 - the loader is checked on its own; its load is only a lead
            continue
        for load in loads:
            target = load.target
            if load.method != "from_pyfile" or target.name.endswith(".py"):
                continue
            real = os.path.realpath(target)
            if real in seen:
                continue
            seen.add(real)
            display = _display(target, tops)
            if display is not None and keep(display) and _parses(target):
                yield display, target


def _calls_from_pyfile(path: Path) -> bool:
    try:
        data, _info = read_capped(path, MAX_BYTES)
    except (OSError, ValueError, NotRegular, TooLarge):
        return False  # (the walk reports an unreadable file when it is checked)
    return b"from_pyfile" in data


def _display(target: Path, tops: dict[str, str]) -> str | None:
    """``target`` named from the first walked folder it lies under, or None: outside them all."""
    text = str(target)
    for absolute, given in tops.items():
        if text.startswith(absolute.rstrip(os.sep) + os.sep):
            return os.path.join(given, os.path.relpath(text, absolute))
    return None


def _parses(path: Path) -> bool:
    from . import project

    source = project.read_source(path)
    if source is None:
        return False
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
