"""Which files are deployment files, of what kind, and which are for development only (by name)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .. import project
from ..regularfile import NotRegular, TooLarge, read_capped

DOCKERFILE = "dockerfile"
PROCFILE = "procfile"
COMPOSE = "compose"
ENVFILE = "envfile"
SCRIPT = "script"  # a shell script: checked only when a deployment file of the project runs it
KUBERNETES = "kubernetes"  # any other YAML: a manifest only if its content says so
APP_ENGINE = "appengine"
FLY = "fly"
SYSTEMD = "systemd"
SUPERVISORD = "supervisord"
LAYERFILE = "layerfile"  # webapp.io staging VMs
REPLIT = "replit"  # Replit's ``.replit``: its ``[deployment] run`` command
#: Kinds whose name alone does not make a file ours: unreadable or binary ones are skipped silently.
BY_CONTENT = frozenset({SCRIPT, KUBERNETES, SUPERVISORD})

#: Words that mark a file, a build stage or a Compose profile as development-only.
DEV_WORDS = frozenset({"dev", "develop", "development", "local", "test", "tests", "testing", "debug", "override"})

#: Words that mark a copy nothing loads by itself: ``.env.example``, ``compose.sample.yml``.
TEMPLATE_WORDS = frozenset({"example", "examples", "sample", "dist"})

#: Folders whose files are for development only (VS Code dev containers, test suites).
_DEV_FOLDERS = frozenset({".devcontainer", "tests", "test"})

#: Endings that make a ``Dockerfile*``/``*.env`` name something else: docs, templates,
#: scripts, backups, encrypted copies.
_NOT_DEPLOYMENT = (
    ".py",
    ".md",
    ".rst",
    ".txt",
    ".json",
    ".yml",
    ".yaml",
    ".toml",
    ".sh",
    ".j2",
    ".jinja",
    ".jinja2",
    ".tpl",
    ".tmpl",
    ".template",
    ".in",
    ".bak",
    ".orig",
    ".swp",
    ".gpg",
    ".enc",
    ".age",
    ".asc",
    ".sops",
    ".lock",
    ".ps1",
)

class ReadProblem(Exception):
    """Why a file was not read (one phrase: "not a regular file (a FIFO)", "larger than N bytes")."""


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; :class:`ReadProblem` otherwise.

    Every file the deployment checks open goes through here. The file is opened
    without blocking and checked with ``fstat`` on the open descriptor (no race
    between a check and the open): a FIFO, a socket or a device (``/dev/zero`` behind
    a symlink) is refused before a byte is read, so nothing can hang or fill memory.
    """
    try:
        data, _ = read_capped(path, limit)
    except NotRegular as error:
        raise ReadProblem(f"not a regular file ({_file_type(error.mode)})") from None
    except TooLarge:
        raise ReadProblem(f"larger than {limit} bytes") from None
    except OSError as error:
        raise ReadProblem(f"cannot be read ({error.strerror or error})") from None
    return data


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


_COMPOSE = re.compile(r"(?:docker-)?compose(?:[._-][^/]*)?\.ya?ml")


def _pre_commit_files() -> str:
    endings = "|".join(re.escape(ending[1:]) for ending in _NOT_DEPLOYMENT)
    return (
        r"(?:^|/)(?i:[^/]+\.(?:sh|bash|ya?ml|service)|bin/[^/.]+|fly\.toml|\.replit|layerfile|supervisord?\.conf"
        r"|[^/]*supervisor[^/]*/[^/]+\.conf"
        r"|(?:docker-)?compose(?:[._-][^/]*)?\.ya?ml"
        rf"|(?![^/]*\.(?:{endings})$)"
        r"(?:(?:dockerfile|containerfile)(?:[._-][^/]*)?|[^/]+\.(?:dockerfile|containerfile)"
        r"|procfile(?:[._-][^/]*)?|\.flaskenv|\.quartenv|\.env|\.env\.[^/]+|[^/]+\.env))$"
    )


#: The same choice as :func:`kind_of`, as one regular expression for pre-commit's ``files:``
#: (case-insensitive in a scoped group, so it can be joined with ``|`` to another pattern).
PRE_COMMIT_FILES = _pre_commit_files()


def kind_of(path: Path) -> str | None:
    """The kind of deployment file ``path`` names, or None."""
    name = path.name.lower()
    if name.endswith((".sh", ".bash")) or (path.parent.name.lower() == "bin" and "." not in name):
        return SCRIPT  # ``boot.sh``, Heroku's ``bin/start``
    if name == "fly.toml":
        return FLY
    if name == "layerfile":
        return LAYERFILE
    if name == ".replit":
        return REPLIT
    if name.endswith(".service"):
        return SYSTEMD
    if name in ("supervisord.conf", "supervisor.conf") or (
        name.endswith(".conf") and "supervisor" in path.parent.name.lower()
    ):
        return SUPERVISORD
    if name in ("app.yaml", "app.yml"):
        return APP_ENGINE
    if name.endswith((".yaml", ".yml")):
        return COMPOSE if _COMPOSE.fullmatch(name) else KUBERNETES
    if name.endswith(_NOT_DEPLOYMENT) and not _COMPOSE.fullmatch(name):
        return None
    if re.fullmatch(r"(?:dockerfile|containerfile)(?:[._-].*)?", name) or name.endswith(
        (".dockerfile", ".containerfile")
    ):
        return DOCKERFILE
    if re.fullmatch(r"procfile(?:[._-].*)?", name):
        return PROCFILE
    if _COMPOSE.fullmatch(name):
        return COMPOSE
    if name in (".flaskenv", ".quartenv", ".env") or name.startswith(".env.") or (name.endswith(".env") and len(name) > 4):
        return ENVFILE
    return None


def is_deployment_file(path: Path) -> bool:
    """Whether ``path`` names a file this checker reads (Dockerfile, Procfile, Compose, env file, shell script)."""
    return kind_of(path) is not None


def has_dev_word(name: str) -> bool:
    """Whether a name has a development word among its ``.``/``-``/``_`` parts (``compose.dev``, ``web-local``)."""
    return any(part in DEV_WORDS for part in _parts(name))


def _parts(name: str) -> list[str]:
    return re.split(r"[._\-\s]+", name.lower())


def is_dev_only(path: Path) -> bool:
    """Not judged: development-only by its name (``docker-compose.override.yml``, ``Dockerfile.dev``,
    ``.env.local``) or its folder (``.devcontainer/``, the project's ``tests/``), or an example
    that nothing loads (``.env.example``, ``.env.sample``).

    Folders count only inside the project, so a checkout under ``/home/test/`` is not one.
    """
    if has_dev_word(path.name) or any(part in TEMPLATE_WORDS for part in _parts(path.name)):
        return True
    if kind_of(path) == PROCFILE and "windows" in _parts(path.name):
        return True  # Procfile.windows exists for ``heroku local`` on a developer's Windows machine
    absolute = Path(os.path.abspath(path))
    root = project.project_root(absolute.parent)
    try:
        folders = absolute.parent.relative_to(root).parts
    except ValueError:
        folders = ()
    return any(folder.lower() in _DEV_FOLDERS for folder in folders)
