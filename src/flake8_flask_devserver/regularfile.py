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


class NotRegular(Exception):
    """:func:`read_capped` met a FIFO, device, socket or folder (``mode`` says which)."""

    def __init__(self, mode: int) -> None:
        super().__init__(mode)
        self.mode = mode


class TooLarge(Exception):
    """:func:`read_capped` met a file over its limit (``size``: its stated size, or None when it grew while read)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


#: os.open flags: a FIFO opens at once instead of waiting for a writer (it is then refused).
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_capped(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes and status of a regular file of at most ``limit`` bytes: the one way files are read.

    Opened without blocking (a FIFO with no writer would block ``open`` for ever) and
    checked with ``fstat`` on the open descriptor, so a symlink to ``/dev/zero`` or a FIFO
    swapped in after a ``stat`` is refused before a byte is read; then read no further than
    ``limit`` (``/proc`` files state size 0). Raises :class:`NotRegular`, :class:`TooLarge`,
    or the ``OSError`` of the system; callers word them for their users.
    """
    descriptor = os.open(path, _FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(info.st_mode)
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:  # it grew while it was read
        raise TooLarge(None)
    return b"".join(chunks), info


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
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file")
    try:
        data, _ = read_capped(path, limit)
    except NotRegular:
        raise Unreadable("not a regular file") from None
    except TooLarge:
        raise Unreadable(f"larger than {limit // 1024} KiB") from None
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):  # removed meanwhile
            return None
        raise Unreadable(f"cannot read it ({error.strerror or error})") from None
    return data
