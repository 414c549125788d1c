"""Reading small configuration files (pyproject.toml, .gitignore) without trusting them.

A FIFO would block ``open`` for ever and a symlink to ``/dev/zero`` would fill
memory: only regular files up to a size cap are read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: Larger files are ignored with a warning (real pyproject.toml and .gitignore files are a few KB).
MAX_BYTES = 1 << 20

#: Errors of ``stat`` that mean "no file we can see": absent, or in a folder the user
#: cannot search, or a name too long for the system. flake8 reports E902 for the linted
#: files there; the configuration adds nothing to that.
_ABSENT = {errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG}


class Unreadable(Exception):
    """A file that exists but is not read; the message says why (one clause)."""


def read_regular(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; None if there is none.

    Raises :class:`Unreadable` for a FIFO, device, socket or folder, for a larger
    file, and for other read errors. The file is opened with ``O_NONBLOCK`` and
    checked again with ``fstat``, so a FIFO swapped in after the ``stat`` cannot
    block either.
    """
    try:
        info = os.stat(path)
    except OSError as error:
        if error.errno in _ABSENT:
            return None
        raise Unreadable(f"cannot read it ({error.strerror or error})") from None
    _check(info, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):  # removed meanwhile
            return None
        raise Unreadable(f"cannot read it ({error.strerror or error})") from None
    try:
        _check(os.fstat(descriptor), limit)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise Unreadable(f"cannot read it ({error.strerror or error})") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:  # it grew since the stat (or the size lied, as on /proc)
        raise Unreadable(f"larger than {limit // 1024} KiB")
    return data


def _check(info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file")
    if info.st_size > limit:
        raise Unreadable(f"larger than {limit // 1024} KiB")
