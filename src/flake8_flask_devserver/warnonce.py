"""One warning per flake8 run, also when flake8 checks in several worker processes.

Each worker reads the ``pyproject.toml`` files of its own folders, so a warning
about a nested one would print once per worker. Before flake8 starts its workers,
the main process makes an empty folder and names it in an environment variable
(forked and spawned workers both inherit it); a warning prints only in the process
that first creates its marker file there (``O_CREAT | O_EXCL`` is atomic). The
folder is removed when the main process exits.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

ENVIRONMENT = "FLAKE8_FLASK_DEVSERVER_WARNINGS"

_seen: set[str] = set()  # in this process, with or without a shared folder
_made: str | None = None


def new_run(shared: bool) -> None:
    """In flake8's main process, before its workers start; ``shared``: warn once across them."""
    global _made
    _seen.clear()
    os.environ.pop(ENVIRONMENT, None)
    if _made is not None:  # a second run in one process (an editor): start afresh
        shutil.rmtree(_made, ignore_errors=True)
        _made = None
    if not shared:
        return
    try:
        _made = tempfile.mkdtemp(prefix="flake8-flask-devserver-")
    except OSError:  # no temporary folder: once per process, as without workers
        return
    os.environ[ENVIRONMENT] = _made
    atexit.register(shutil.rmtree, _made, ignore_errors=True)


def forget() -> None:
    """Forget what this process printed (tests, with the configuration caches)."""
    _seen.clear()


def first_time(message: str) -> bool:
    """Whether ``message`` has not been printed yet by this run (this process or a sibling worker)."""
    if message in _seen:
        return False
    _seen.add(message)
    folder = os.environ.get(ENVIRONMENT)
    if not folder:
        return True
    import hashlib  # (only when a warning prints: its import loads OpenSSL)

    marker = os.path.join(folder, hashlib.sha256(message.encode("utf-8", "replace")).hexdigest())
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    except OSError:  # the folder is gone (the main process ended first): print rather than lose it
        return True
    return True
