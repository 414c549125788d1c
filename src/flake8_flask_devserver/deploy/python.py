"""The bridge to the Python engine: does a file start a development server, and what serves its app.

libcst is imported only here, and only when a deployment command names a Python file
that the engine's text gate lets through.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import engine, project
from ..model import Settings
from .text import normalise_newlines

#: The engine's codes for a development-server start.
START_CODES = frozenset({"FDS100", "FDS101", "FDS102"})

_FLASK_GROUP = re.compile(r"\bFlaskGroup\b")
_APP_ASSIGNMENT = re.compile(r"^(app|application)\s*(?::[^=\n]*)?=", re.MULTILINE)
_FACTORY = re.compile(r"^(?:async\s+)?def\s+(create_app|make_app)\s*\(", re.MULTILINE)


@dataclass(frozen=True)
class ServerStart:
    """Where a Python file starts a development server, and how production should serve its app."""

    path: Path
    line: int
    server: str  # "Flask", "Quart", "Werkzeug", ...
    production: str  # e.g. "gunicorn 'app:app'" (no bind)
    port: str | None  # a literal port= of the start call
    #: the program arguments' first word that starts it (Flask-Script's runserver); None: any run
    commands: tuple[str, ...] | None = None
    #: the start is in another module running the file reaches: "keep_alive.py line 11"
    elsewhere: str | None = None
    #: that start is reached through the file's module-level code, not its ``__main__`` guard
    at_import: bool = False
    #: how: "through keep_alive() -> run()"
    through: str | None = None
    #: the start runs at import: the modules imported on the way, from the file (excluded) to the
    #: one holding the start (``("app/__init__.py",)``); empty when the file itself starts it
    imports: tuple[str, ...] = ()
    #: the production server whose import of the module runs the start (``gunicorn run:app``)
    loader: str | None = None


_cache: dict[tuple[Path, int, int, Settings], ServerStart | None] = {}


def _cached(
    cache: dict[tuple[Path, int, int, Settings], ServerStart | None],
    path: Path,
    settings: Settings,
    compute: Callable[[Path, Settings], ServerStart | None],
) -> ServerStart | None:
    """``compute(path, settings)`` once per file version (path, mtime, size) and settings."""
    path = Path(os.path.abspath(path))
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size, settings)
    if key not in cache:
        cache[key] = compute(path, settings)
    return cache[key]


def server_start(path: Path, settings: Settings) -> ServerStart | None:
    """The first development-server start the engine finds in ``path`` (FDS100-FDS102), if any."""
    return _cached(_cache, path, settings, _server_start)


def _server_start(path: Path, settings: Settings) -> ServerStart | None:
    source = project.read_source(path)
    if source is None:
        return None
    try:
        findings = engine.check_source(source, path, settings, select=START_CODES)
    except engine.SourceError:
        return None
    if not findings:
        return _started_elsewhere(path, settings) or _started_by_import(path, settings, as_script=True)
    return _described(path, source, min(findings).line, settings)


def import_start(path: Path, settings: Settings) -> ServerStart | None:
    """The development server that importing ``path`` starts (a production server loading its app
    from it: ``gunicorn run:app``), in it or in a first-party module it imports (deploy/imported.py)."""
    return _cached(_imported_cache, path, settings, lambda where, given: _started_by_import(where, given, as_script=False))


_imported_cache: dict[tuple[Path, int, int, Settings], ServerStart | None] = {}


def _started_by_import(path: Path, settings: Settings, as_script: bool) -> ServerStart | None:
    from . import imported

    found = imported.import_start(path, settings, as_script)
    if found is None:
        return None
    module, line, chain = found
    source = project.read_source(module)
    if source is None:
        return None
    described = _described(module, source, line, settings)
    root = project.project_root(path.parent)
    labels = tuple(step.relative_to(root).as_posix() if project._within(step, root) else step.name for step in chain)
    return ServerStart(
        path,
        described.line,
        described.server,
        described.production,
        described.port,
        None,
        f"{labels[-1]} line {described.line}" if module != path else None,
        imports=labels[1:] if as_script else labels,
    )


def _started_elsewhere(path: Path, settings: Settings) -> ServerStart | None:
    """A start in another first-party module that running the file as a script reaches: through its
    ``__main__`` guard (``python bot.py`` where bot.py's guard calls ``keep_alive()`` of
    keep_alive.py) or through its module-level code (main.py calling ``keep_alive()`` at the top:
    a script's module level runs as ``__main__`` just as its guard does; crosslaunch.script_reach).

    The start is the first start finding (FDS100-FDS102) of the other module inside a function
    the walk reached; ``at_import`` says the walk needed the module-level code to reach it."""
    from .. import crosslaunch, launchers

    root = project.project_root(path.parent)
    try:
        path.relative_to(root)
    except ValueError:
        return None
    guarded = crosslaunch._reached_from(path, root, settings)
    reached = crosslaunch.script_reach(path, root, settings)
    for module in sorted(reached):
        functions = reached[module]
        if not functions:
            continue
        found = _start_in(module, functions, settings)
        if found is None:
            continue
        line, qualname, source = found
        described = _described(module, source, line, settings)
        where = module.relative_to(root).as_posix() if project._within(module, root) else module.name
        at_import = qualname not in guarded.get(module, {})
        chain = launchers.describe(functions[qualname]).removeprefix(f"of {path.relative_to(root).as_posix()} ")
        return ServerStart(
            path,
            described.line,
            described.server,
            described.production,
            described.port,
            None,
            f"{where} line {described.line}",
            at_import,
            chain,
        )
    return None


def _start_in(module: Path, functions: dict[str, tuple[str, ...]], settings: Settings) -> tuple[int, str, str] | None:
    """The line of the first start (an FDS100-FDS102 finding) of ``module`` inside one of
    ``functions`` (qualnames), that qualname, and the module's source."""
    source = project.read_source(module)
    if source is None:
        return None
    try:
        findings = engine.check_source(source, module, settings, select=START_CODES)
    except engine.SourceError:
        return None
    lines = {finding.line for finding in findings}
    if not lines:
        return None
    from libcst.metadata import MetadataWrapper, PositionProvider

    from .. import crosslaunch
    from .._cst import parse
    from ..analysis import Analysis

    try:
        tree = parse(source)
        analysis = Analysis(tree, module, settings)
        positions = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    except (engine.SourceError, RecursionError):
        return None
    starts = sorted(
        ((positions[start.call].start.line, crosslaunch._module_function(start.site.scope)) for start in analysis.starts),
        key=lambda pair: pair[0],
    )
    for line, qualname in starts:
        if line in lines and qualname is not None and qualname in functions:
            return line, qualname, source
    return None


def _described(path: Path, source: str, line: int, settings: Settings) -> ServerStart:
    """The start at ``line`` of ``path``: its server, how production should serve its app, its port."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from .. import suggest
    from .._cst import parse
    from ..analysis import Analysis

    module = parse(source)
    analysis = Analysis(module, path, settings)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    # Flask-Script managers start the server only for their server commands ("" when none is given).
    commands = None if any(s.commands is None for s in analysis.starts) else tuple(c for s in analysis.starts for c in s.commands or ())
    for start in analysis.starts:
        if positions[start.call].start.line == line:
            port = start.args.get("port")
            literal = port.value.value if port is not None and isinstance(port.value, cst.Integer) else None
            return ServerStart(path, line, start.server, suggest.for_start(analysis, start).prod, literal, commands)
    return ServerStart(path, line, "Flask", f"gunicorn '{analysis.module_name}:app'", None)


_FLASK_SCRIPT = re.compile(r"\bflask_script\b")
_MANAGER = re.compile(r"\bManager\s*\(")


def is_flask_script_manager(path: Path) -> bool:
    """A ``manage.py`` built on Flask-Script's ``Manager``: ``runserver`` starts Werkzeug's server."""
    source = project.read_source(path)
    return source is not None and _FLASK_SCRIPT.search(source) is not None and _MANAGER.search(source) is not None


def console_scripts(root: Path) -> dict[str, str]:
    """``name -> module:attr`` of the project's console scripts: ``[project.scripts]``,
    ``[tool.poetry.scripts]``, setup.cfg's and setup.py's ``console_scripts``."""
    key = Path(os.path.abspath(root))
    if key not in _SCRIPTS:
        _SCRIPTS[key] = _read_console_scripts(key)
    return _SCRIPTS[key]


_SCRIPTS: dict[Path, dict[str, str]] = {}
_ENTRY = re.compile(r"([A-Za-z][\w.-]*)\s*=\s*([\w.]+:[\w.]+)")


def _read_console_scripts(root: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    text = project.read_source(root / "pyproject.toml") if (root / "pyproject.toml").is_file() else None
    if text:
        try:
            import tomllib
        except ImportError:  # Python < 3.11
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(text)
        except Exception:  # noqa: BLE001 - a broken pyproject is reported by the configuration code
            data = {}
        tables = [data.get("project", {}).get("scripts", {}), data.get("tool", {}).get("poetry", {}).get("scripts", {})]
        for table in tables:
            if isinstance(table, dict):
                found.update((str(k), v) for k, v in table.items() if isinstance(v, str) and ":" in v)
    for name in ("setup.cfg", "setup.py"):
        path = root / name
        source = project.read_source(path) if path.is_file() else None
        if source and "console_scripts" in source:
            for match in _ENTRY.finditer(source[source.index("console_scripts") :]):
                found.setdefault(match.group(1), match.group(2))
    return found


def run_line(source: str, attribute: str) -> int | None:
    """The line of the first ``.run(`` in top-level function ``attribute`` (a launcher's start)."""
    definition = re.search(rf"(?m)^def\s+{re.escape(attribute)}\s*\(", source)
    if definition is None:
        return None
    index = source.find(".run(", definition.end())
    following = re.search(r"(?m)^\S", source[source.find("\n", definition.end()) + 1 :])
    end = source.find("\n", definition.end()) + 1 + following.start() if following else len(source)
    return source.count("\n", 0, index) + 1 if 0 <= index < end else None


def console_target(source: str, attribute: str) -> str | None:
    """What a console script's ``module:attr`` is: ``"group"`` for a FlaskGroup, ``"launcher"`` for
    a function whose body calls ``.run(``, else None. Read as text: top-level statements only."""
    name = re.escape(attribute)
    if re.search(rf"(?m)^{name}\s*=\s*(?:\w+\.)*FlaskGroup\s*\(", source):
        return "group"
    definition = re.search(rf"(?m)^((?:@.*\n)*)def\s+{name}\s*\(", source)
    if definition is None:
        return None
    if "FlaskGroup" in definition.group(1):
        return "group"  # @click.group(cls=FlaskGroup)
    line_end = source.find("\n", definition.end())
    body_start = len(source) if line_end < 0 else line_end + 1
    following = re.search(r"(?m)^\S", source[body_start:])
    body = source[body_start : body_start + following.start()] if following else source[body_start:]
    return "launcher" if ".run(" in body else None


def is_flask_group_script(path: Path) -> bool:
    """A ``manage.py`` built on ``flask.cli.FlaskGroup``: ``python manage.py run`` is ``flask run``."""
    source = project.read_source(path)
    return source is not None and project.imports_family(source) and _FLASK_GROUP.search(source) is not None


def app_spec(path: Path, settings: Settings) -> str:
    """``module:name`` of the app a module hands out, where it is defined when that is known
    (``manage.py`` importing ``app`` from ``project`` gives ``project:app``)."""
    attribute = app_attribute(path, settings)
    module = module_of(path)
    try:
        from .._cst import parse
        from ..analysis import Analysis

        source = project.read_source(path)
        if source is not None:
            value = Analysis(parse(source), Path(os.path.abspath(path)), settings).resolver.export(
                attribute.removesuffix("()")
            )
            origin = value.origin if value is not None else None
            if origin is not None and origin.module:
                return origin.spec(origin.module)
    except (engine.SourceError, RecursionError):
        pass
    return f"{module}:{attribute}"


def app_attribute(path: Path | None, settings: Settings) -> str:
    """The name Flask's CLI would find in a module (``app``, ``application``, ``create_app()``).

    Read with the engine's resolver when the module is known, as Flask's
    ``find_best_app`` does: ``app``/``application`` first, then the factories.
    """
    if path is None:
        return "app"
    source = project.read_source(path)
    if source is None:
        return "app"
    try:
        from .._cst import parse
        from ..analysis import Analysis
        from ..apps import Kind

        analysis = Analysis(parse(source), Path(os.path.abspath(path)), settings)
        for name in ("app", "application", "create_app", "make_app"):
            value = analysis.resolver.export(name)
            if value is not None and value.kind is Kind.APP:
                return name
            if value is not None and value.kind is Kind.FACTORY:
                return f"{name}()"
    except (engine.SourceError, RecursionError):
        pass
    # Not provably an app to the resolver (an unknown framework class): Flask's names.
    source = normalise_newlines(source)  # ``^`` anchors also after a lone CR, as Python ends lines
    assigned = _APP_ASSIGNMENT.search(source)
    if assigned:
        return assigned.group(1)
    factory = _FACTORY.search(source)
    return f"{factory.group(1)}()" if factory else "app"


def import_root(path: Path) -> Path:
    """The folder Python puts on ``sys.path`` for a file run as a script, above its packages."""
    return project.package_root(Path(os.path.abspath(path)).parent)


def module_of(path: Path) -> str:
    return project.module_name(Path(os.path.abspath(path))) or path.stem
