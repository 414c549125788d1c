"""The production command that replaces a development server, fitted to where the app lands in the image.

``flask run`` becomes ``gunicorn --bind 0.0.0.0:<port> '<module>:<name>'`` for the app Flask's
CLI would load; ``python file.py`` the engine's suggestion with the module read from the
file's container path. See docs/deployment.md, "Fix suggestions".
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from ..model import Settings
from . import envfile, python
from .runtime import Runtime
from .text import DeploymentFileError, SourceText


SERVERS = ("gunicorn ", "hypercorn ", "uvicorn ", "waitress-serve ", "uwsgi ")


def image_module(path: Path, container_file: str, cwd: str) -> tuple[str, str | None] | str:
    """``(module, --chdir)`` for a production server started in ``cwd`` to import the file at
    ``container_file``, or the advice when no module path can name it.

    The module is read from the container path (a ``COPY app.py /srv/main.py`` makes it
    ``main``) above as many folders as the host file has packages. ``--chdir`` is the
    import root relative to the working folder, or absolute when it is not below it:
    never ``..``. A part that is not an identifier (``my-api``, ``two words``) cannot be
    imported: the folder must be renamed.
    """
    host_module = python.module_of(path)
    levels = host_module.count(".") + (1 if path.name == "__init__.py" else 0)
    root = posixpath.dirname(container_file)
    for _ in range(levels):
        root = posixpath.dirname(root)
    stem = posixpath.relpath(container_file, root)
    stem = stem[:-3] if stem.endswith(".py") else stem
    parts = [part for part in stem.split("/") if part != "__init__"]
    bad = next((part for part in parts if not part.isidentifier()), None)
    if bad is not None and levels and path.name != "__init__.py":
        # ``python my-api/main.py`` runs with my-api/ on sys.path: serve it from there.
        root, parts = posixpath.dirname(container_file), [posixpath.basename(stem)]
        bad = None if parts[0].isidentifier() else parts[0]
    if bad is not None or not parts:
        return (
            f"a production server cannot import {posixpath.basename(container_file)} as it is named: rename "
            f"'{bad or stem}' to a Python name (letters, digits, underscores), then serve it with gunicorn"
        )
    module = ".".join(parts)
    if root == cwd:
        return module, None
    if cwd != "/" and root.startswith(cwd + "/"):
        return module, posixpath.relpath(root, cwd)
    return module, root


def with_bind(production: str, port: str, chdir: str | None = None) -> str:
    """``gunicorn 'app:app'`` -> ``gunicorn --bind 0.0.0.0:8000 'app:app'`` (and ``--chdir``)."""
    server, _, rest = production.partition(" ")
    chdir_option = f"--chdir {chdir} " if chdir and server == "gunicorn" else ""
    return f"{server} --bind 0.0.0.0:{port} {chdir_option}{rest}"


# -- the production command for flask run -------------------------------

_APP_SPLIT = re.compile(r":(?![\\/])")


def flask_production(app: str | None, runtime: Runtime, settings: Settings, port: str) -> str:
    """``gunicorn --bind 0.0.0.0:<port> '<module>:<name>'`` for the app ``flask run`` would load.

    The app is found as Flask's CLI finds it: ``--app``/``FLASK_APP`` (a dotted module
    or a file path, with an optional ``:name`` or ``:factory(args)``), else
    ``FLASK_APP`` in a ``.flaskenv``/``.env`` of the working folder, else ``wsgi.py``
    or ``app.py`` there.
    """
    host_cwd = runtime.host_cwd()
    if not app and host_cwd is not None:
        app = _dotenv_app(host_cwd, runtime.root)
    chdir: str | None = None
    if app:
        module, name = (_APP_SPLIT.split(app, maxsplit=1) + [""])[:2]
        path: Path | None
        if module.endswith(".py") or "/" in module:
            file = module if module.endswith(".py") else f"{module.rstrip('/')}/__init__.py"
            path = runtime.find_file(file)
            if path is not None:
                image = image_module(path, runtime.container_path(file), runtime.cwd)
                if isinstance(image, str):
                    return image
                dotted, chdir = image
            else:
                container = runtime.container_path(module[:-3] if module.endswith(".py") else module.rstrip("/"))
                folder, dotted = posixpath.split(container)
                chdir = None if folder == runtime.cwd else (
                    posixpath.relpath(folder, runtime.cwd) if folder.startswith(runtime.cwd.rstrip("/") + "/") else folder
                )
        else:
            dotted, path = module, runtime.find_module(module)
        attribute = name.strip() or python.app_attribute(path, settings)
    else:
        dotted, attribute = "app", "app"
        for candidate in ("wsgi.py", "app.py"):
            path = runtime.find_file(candidate)
            if path is not None:
                dotted, attribute = candidate[:-3], python.app_attribute(path, settings)
                break
    return with_bind(f"gunicorn '{dotted}:{attribute}'", port, chdir)


def _dotenv_app(folder: Path, root: Path) -> str | None:
    for name in (".env", ".flaskenv"):  # Flask loads .env first; earlier files win
        from .facts import read_project_text  # facts imports this module

        text = read_project_text(folder / name, root)
        if text is None:
            continue
        try:
            found = envfile.parse(SourceText(text, name))
        except DeploymentFileError:
            continue
        for assignment in found:
            if assignment.name.value == "FLASK_APP" and assignment.value is not None and assignment.value.value:
                return assignment.value.value
    return None
