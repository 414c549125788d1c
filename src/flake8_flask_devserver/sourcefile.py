"""Python source files on disk for the command line: decoding and writing back safely (discovery.py finds them).

No libcst here. Text is decoded the way the interpreter decodes it (BOM, PEP 263
coding cookie) and written back in the same encoding, BOM included; the bytes
of an unchanged file are never rewritten. A write goes to a temporary file in
the same folder, which then replaces the original (same permission bits), so an
interrupted run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .regularfile import NotRegular, TooLarge, read_capped

#: The largest file the command reads. flake8 sets none; the largest module of CPython's
#: standard library is under 1 MB, and a file past this one is generated, not written.
MAX_SOURCE_BYTES = 10_000_000


class SourceFileError(Exception):
    """A file that cannot be read, decoded or written: one line naming the problem (not the file)."""


def read_regular(path: str | os.PathLike[str], cap: int = MAX_SOURCE_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes and status of a regular file of at most ``cap`` bytes; SourceFileError otherwise.

    Opened without blocking (a FIFO with no writer would block ``open`` for ever) and
    checked on the open descriptor, so a symlink to ``/dev/zero`` or a FIFO swapped in
    after a ``stat`` is refused all the same; then read no further than ``cap``.
    """
    try:
        return read_capped(path, cap)
    except NotRegular as error:
        raise SourceFileError(f"cannot read it: {_kind(error.mode)}, not a regular file") from None
    except TooLarge as error:
        if error.size is None:  # it grew while being read
            raise SourceFileError(f"cannot read it: larger than the {cap} bytes read") from None
        raise SourceFileError(f"cannot read it: {error.size} bytes, larger than the {cap} bytes read") from None
    except OSError as error:
        raise SourceFileError(f"cannot read it ({error.strerror or error})") from None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


@dataclass(frozen=True)
class SourceFile:
    """A file's text and what is needed to write it back exactly as it was encoded."""

    path: Path
    text: str
    encoding: str  # a codec name; "utf-8" for a file with a BOM
    bom: bool
    original: bytes
    stamp: tuple[int, int] | None  # (mtime_ns, size) when read from disk

    @classmethod
    def from_bytes(cls, path: Path, data: bytes, stamp: tuple[int, int] | None = None) -> SourceFile:
        text, encoding, bom = decode(data)
        return cls(path, text, encoding, bom, data, stamp)

    @classmethod
    def read(cls, path: Path) -> SourceFile:
        data, info = read_regular(path)
        return cls.from_bytes(path, data, (info.st_mtime_ns, info.st_size))

    def encode(self, text: str) -> bytes:
        """``text`` in the file's encoding, with its BOM when it had one."""
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise SourceFileError(f"the fixed text cannot be written as {self.encoding} ({error.reason})") from None
        return codecs.BOM_UTF8 + data if self.bom else data

    def round_trips(self) -> bool:
        """Whether writing the unchanged text back would give the same bytes."""
        try:
            return self.encode(self.text) == self.original
        except SourceFileError:
            return False

    def write(self, text: str) -> None:
        """Replace the file's contents atomically; refuse when it changed since it was read,
        or when it could not be opened for writing (read-only, immutable, read-only mount)."""
        data = self.encode(text)
        target = Path(os.path.realpath(self.path))  # write through a symlink, never replace it
        try:
            info = self._unchanged(target)
            # A rename would replace a read-only file; refuse what ``open(path, "w")`` would refuse.
            os.close(os.open(target, os.O_WRONLY))
            write_atomic(
                target, data, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid), lambda: self._unchanged(target)
            )
        except OSError as error:
            raise SourceFileError(f"cannot write it ({error.strerror or error})") from None

    def _unchanged(self, target: Path) -> os.stat_result:
        """The file's status, or SourceFileError when its stamp or bytes differ from what was read."""
        info = target.stat()
        if (info.st_mtime_ns, info.st_size) != self.stamp or target.read_bytes() != self.original:
            raise SourceFileError("not fixed: it changed on disk while it was being fixed")
        return info


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, bom) of Python source bytes, as the interpreter reads them."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # an unknown codec or a BOM that contradicts the cookie
        raise SourceFileError(f"cannot decode it ({error.msg})") from None
    # ``codecs.lookup`` also finds bytes-to-bytes and str-to-str codecs (rot13, hex, base64,
    # zlib): CPython's tokenizer refuses those in a cookie ("encoding problem"), and so do we.
    if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):
        raise SourceFileError(f"cannot decode it: its coding cookie names {encoding!r}, which is not a text encoding")
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceFileError(f"cannot decode it as {encoding} (line {line}: {error.reason})") from None
    except (LookupError, ValueError, TypeError) as error:  # a codec that is not what it says it is
        raise SourceFileError(f"cannot decode it as {encoding} ({error})") from None
    if not isinstance(text, str):
        raise SourceFileError(f"cannot decode it: {encoding!r} is not a text encoding")
    return text, encoding, bom


#: Longest file name most file systems take (NAME_MAX, in bytes).
_NAME_MAX = 255
#: What a temporary file's name adds to the original's: ``.`` + ``.`` + mkstemp's 8 characters + the suffix.
_TEMPORARY_EXTRA = len("..") + 8 + len(".fds-tmp")


def temporary_prefix(name: str, limit: int = _NAME_MAX) -> str:
    """``.name.``, with ``name`` cut (in bytes) so that the temporary file's name fits in ``limit``."""
    raw = os.fsencode(name)
    room = limit - _TEMPORARY_EXTRA
    if len(raw) > room:
        raw = raw[:room]
        while raw and (raw[-1] & 0xC0) == 0x80:  # never leave half a UTF-8 character
            raw = raw[:-1]
        if raw and raw[-1] >= 0xC0:
            raw = raw[:-1]
    return f".{os.fsdecode(raw)}."


def write_atomic(
    target: Path,
    data: bytes,
    mode: int,
    owner: tuple[int, int] | None = None,
    check: Callable[[], object] | None = None,
) -> None:
    """Write ``data`` to a temporary file next to ``target``, then rename it over ``target``.

    The new file gets the old one's owner first and then its mode: ``chown`` clears the
    setuid and setgid bits (Linux ``chown(2)``), so the other order loses them. It gets the
    old file's extended attributes too (POSIX ACLs, SELinux labels, user attributes); when
    any of the mode bits or attributes cannot be kept, the old file is left as it is
    (SourceFileError). ``check`` runs just before the rename (after the slow write and
    fsync), so that a change made meanwhile is seen; whatever it raises leaves ``target`` alone.
    """
    fd, temporary = tempfile.mkstemp(prefix=temporary_prefix(target.name), suffix=".fds-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if owner is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # only root can give a file away; others keep theirs
                os.chown(temporary, *owner)
        os.chmod(temporary, mode)
        special = mode & (stat.S_ISUID | stat.S_ISGID | stat.S_ISVTX)
        if special and stat.S_IMODE(os.stat(temporary).st_mode) & special != special:
            raise SourceFileError("not fixed: its setuid/setgid bits could not be kept (fix it as its owner)")
        _copy_xattrs(target, temporary)
        if check is not None:
            check()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError, AttributeError):  # make the rename itself durable (POSIX)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _copy_xattrs(source: Path, destination: str) -> None:
    """Give ``destination`` every extended attribute of ``source``, or raise SourceFileError."""
    if not hasattr(os, "listxattr"):  # not Linux: nothing we can copy
        return
    try:
        names = os.listxattr(source)
    except OSError as error:
        if error.errno in (errno.ENOTSUP, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)):
            return  # a file system without extended attributes
        raise
    for name in names:
        try:
            value = os.getxattr(source, name)
            with contextlib.suppress(OSError):
                if os.getxattr(destination, name) == value:  # inherited (a default ACL, a label)
                    continue
            os.setxattr(destination, name, value)
        except OSError as error:
            raise SourceFileError(
                f"not fixed: its extended attribute {name} could not be kept ({error.strerror or error})"
            ) from None
