"""Where a path named in a deployment command lives in the project: container paths mapped back to files.

A Dockerfile's ``CMD ["python", "app.py"]`` runs ``/srv/app.py`` if ``WORKDIR /srv``
and ``COPY . .``; that is ``./app.py`` next to the Dockerfile. The mapping is built
from ``COPY``/``ADD`` (also ``--from`` another stage), Compose bind mounts and
``working_dir``, and a Procfile's folder (Heroku serves the app from ``/app``).
Only existing files inside the deployment file's project are ever returned.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Protocol

from .dockerfile import Copy, Dockerfile, Stage

_GLOB = set("*?[")


class Walk:
    """One path lookup: how deep it is in ``COPY --from`` stages, and how many mounts it may still visit.

    Stages copying from stages form a graph with many paths; the budget keeps a
    lookup linear however the Dockerfile is written.
    """

    MAX_DEPTH = 8
    BUDGET = 10_000

    def __init__(self) -> None:
        self.depth = 0
        self.left = self.BUDGET

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


class Mount(Protocol):
    def candidates(self, path: str, walk: Walk) -> Iterator[Path]:
        """Host paths that may hold container path ``path`` (absolute, normalised)."""
        ...


def _under(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` ("" for the folder itself), or None when outside it."""
    if folder == "/":
        return path.lstrip("/")
    if path == folder:
        return ""
    if path.startswith(folder.rstrip("/") + "/"):
        return path[len(folder.rstrip("/")) + 1 :]
    return None


@dataclass(frozen=True)
class Bind:
    """A host folder seen at a container path (a bind mount, Heroku's ``/app``)."""

    container: str
    host: Path

    def candidates(self, path: str, walk: Walk) -> Iterator[Path]:
        rest = _under(path, self.container)
        if rest is not None:
            yield self.host / rest if rest else self.host


@dataclass(frozen=True)
class ContextCopy:
    """``COPY``/``ADD`` from the build context."""

    copy: Copy
    context: Path

    def candidates(self, path: str, walk: Walk) -> Iterator[Path]:
        dest = self.copy.dest
        for source in self.copy.sources:
            relative = source.lstrip("/")
            host = self.context / relative if relative not in ("", ".") else self.context
            name = posixpath.basename(relative.rstrip("/"))
            if _GLOB & set(relative):
                rest = _under(path, dest)
                if rest and "/" not in rest and fnmatch.fnmatch(rest, name):
                    yield host.parent / rest
                continue
            if relative in ("", ".", "./") or relative.endswith("/") or host.is_dir():
                rest = _under(path, dest)  # a folder's contents land in dest
                if rest is not None:
                    yield host / rest if rest else host
                continue
            # A file lands at dest/name when dest is a folder, else at dest itself.
            if path == posixpath.join(dest, name) or path == dest:
                yield host


@dataclass(frozen=True)
class StageCopy:
    """``COPY --from=<stage>``: a path of another stage, resolved through that stage."""

    copy: Copy
    stage: StageFiles

    def candidates(self, path: str, walk: Walk) -> Iterator[Path]:
        rest = _under(path, self.copy.dest)
        if rest is None or walk.depth >= Walk.MAX_DEPTH:
            return
        walk.depth += 1
        for source in self.copy.sources:
            source = posixpath.normpath(posixpath.join("/", source))
            yield from self.stage.candidates(posixpath.join(source, rest) if rest else source, walk)
        walk.depth -= 1


class StageFiles:
    """The files of a Dockerfile stage, as far as COPY/ADD tell, newest first.

    One per stage and build context (:meth:`of`), its mounts listed once: the
    parent stage's, then the stage's own copies.
    """

    def __init__(self, dockerfile: Dockerfile, stage: Stage, context: Path) -> None:
        self.dockerfile = dockerfile
        self.stage = stage
        self.context = context
        self._mounts: list[Mount] | None = None

    @classmethod
    def of(cls, dockerfile: Dockerfile, stage: Stage, context: Path) -> StageFiles:
        key = (stage.index, context)
        found = dockerfile.files_cache.get(key)
        if not isinstance(found, StageFiles):
            found = dockerfile.files_cache[key] = cls(dockerfile, stage, context)
        return found

    def mounts(self) -> list[Mount]:
        if self._mounts is None:
            found: list[Mount] = []
            if self.stage.parent is not None:  # parents come earlier: no cycle
                found.extend(StageFiles.of(self.dockerfile, self.stage.parent, self.context).mounts())
            for copy in self.stage.copies:
                if copy.source_stage is None:
                    found.append(ContextCopy(copy, self.context))
                    continue
                other = self.dockerfile.stage(copy.source_stage)
                if other is not None and other is not self.stage:
                    found.append(StageCopy(copy, StageFiles.of(self.dockerfile, other, self.context)))
            self._mounts = found
        return self._mounts

    def candidates(self, path: str, walk: Walk) -> Iterator[Path]:
        for mount in reversed(self.mounts()):
            if not walk.spend():
                return
            yield from mount.candidates(path, walk)


@dataclass
class Runtime:
    """How a command's paths map to the project: the container's working folder and its mounts."""

    cwd: str  # absolute container path
    root: Path  # the project: nothing outside it is read
    mounts: list[Mount] = field(default_factory=list)  # later ones win
    fallbacks: tuple[Path, ...] = ()  # host folders to try a path in when no mount maps it

    def at(self, folder: str | None) -> Runtime:
        """The same container after ``cd folder``."""
        return self if not folder else replace(self, cwd=self.container_path(folder))

    def container_path(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, path))

    def _candidates(self, path: str) -> Iterator[Path]:
        target = self.container_path(path)
        walk = Walk()
        for mount in reversed(self.mounts):
            if not walk.spend():
                break
            yield from mount.candidates(target, walk)
        relative = _under(target, self.cwd)
        if relative is None and not path.startswith("/"):
            relative = path
        if relative is not None:
            for folder in self.fallbacks:
                yield folder / relative if relative else folder

    def find_file(self, path: str) -> Path | None:
        for candidate in self._candidates(path):
            if self._inside(candidate) and candidate.is_file():
                return candidate
        return None

    def find_dir(self, path: str) -> Path | None:
        for candidate in self._candidates(path):
            if self._inside(candidate) and candidate.is_dir():
                return candidate
        return None

    def host_cwd(self) -> Path | None:
        return self.find_dir(".")

    def find_module(self, dotted: str, main: bool = False) -> Path | None:
        """The file ``python -m dotted`` (``main``) or ``flask --app dotted`` loads, looked up from the cwd."""
        parts = [part for part in dotted.split(".") if part]
        if not parts or not all(part.isidentifier() for part in parts):
            return None
        base = "/".join(parts)
        names = [f"{base}.py", f"{base}/__main__.py" if main else f"{base}/__init__.py"]
        for prefix in ("", "src/"):
            for name in names:
                found = self.find_file(prefix + name)
                if found is not None:
                    return found
        return None

    def _inside(self, path: Path) -> bool:
        absolute = Path(os.path.abspath(path))
        return absolute == self.root or self.root in absolute.parents
