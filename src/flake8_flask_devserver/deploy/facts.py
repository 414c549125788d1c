"""Facts about one deployment file, for the FDS4xx rules: what its entrypoints run, what its environment sets.

This is where paths are resolved and referenced files read: a ``python app.py``
entrypoint is followed to ``app.py`` and checked with the Python engine, an
entrypoint script (``./boot.sh``) is read and its commands analysed, and the
production command replacing a ``flask run`` is built from the app it serves.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import project
from ..model import Settings
from . import dockerfile, files, imported, python
from .command import (
    Assignment,
    ConsoleRun,
    FlaskRun,
    Found,
    ProductionRun,
    ProgramRun,
    PythonRun,
    analyse_shell,
    flask_cli,
)
from .production import SERVERS, flask_production, image_module, with_bind
from .runtime import Runtime
from .text import DeploymentFileError, SourceText, Token, normalise_newlines

#: Environment variables the rules judge.
WATCHED = ("FLASK_DEBUG", "FLASK_ENV", "FLASK_RUN_HOST", "FLASK_RUN_DEBUGGER", "QUART_DEBUG", "QUART_RUN_HOST")

_MAX_SCRIPT_BYTES = 1_000_000
_MAX_HOPS = 3
_SHEBANG_SHELL = re.compile(r"#!\s*\S*(?:/|\s)(?:env\s+)?(?:ba|da|a|z|k)?sh\b")
_SHEBANG_PYTHON = re.compile(r"#!.*\bpython[\d.]*\b")


@dataclass(frozen=True)
class Place:
    line: int  # 1-based
    col: int  # 0-based


@dataclass(frozen=True)
class Hop:
    """A file an entrypoint passes through: ``boot.sh``, line 4."""

    display: str
    line: int


@dataclass
class DevServerRun:
    """``flask run`` as an entrypoint."""

    place: Place
    where: str  # "CMD", "process 'web'", "service 'web' command"
    via: tuple[Hop, ...]
    shown: str  # "flask run" / "python -m flask run"
    production: str
    framework: str = "Flask"
    host: tuple[Place, str, str | None] | None = None  # place, option as written, value (None: unknown)
    debug: list[tuple[Place, str]] = field(default_factory=list)


@dataclass
class ScriptServer:
    """A Python file or module, run as an entrypoint, that starts a development server."""

    place: Place
    where: str
    via: tuple[Hop, ...]
    target: str  # how the command names it: app.py, -m shop.web
    script: str  # the file, relative to the deployment file's folder
    start: python.ServerStart
    production: str


@dataclass
class EnvSetting:
    """A watched environment variable set to a known value."""

    place: Place
    name: str
    value: str
    where: str  # "ENV", "service 'web' environment", ".flaskenv", "CMD"
    via: tuple[Hop, ...] = ()
    server: str | None = None  # the production server that runs the image/service/app, when that is all it runs


@dataclass
class Facts:
    path: Path
    kind: str
    settings: Settings
    flask_runs: list[DevServerRun] = field(default_factory=list)
    scripts: list[ScriptServer] = field(default_factory=list)
    env: list[EnvSetting] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set, repr=False)  # findings already recorded


@dataclass
class Scope:
    """What a command runs in: where it is written, its paths, its environment, its port."""

    where: str  # default label; a token's origin refines it
    runtime: Runtime
    env: dict[str, str | None]
    port: str  # port for the production command when the dev server named none
    base: Path  # folder paths in messages are relative to


@dataclass(frozen=True)
class Trail:
    """How a command was reached: directly from the deployment file, or through scripts."""

    source: SourceText  # the text the tokens are in
    outer: Place | None = None  # the deployment file's token, when inside a script
    hops: tuple[Hop, ...] = ()
    outer_where: str | None = None
    chain: str | None = None  # inside an entry script: how it is run ("Dockerfile CMD")
    depth: int = 0  # entry scripts on the way


# -- values -------------------------------------------------------------


def debug_on(value: str) -> bool:
    """``flask.helpers.get_debug_flag``: anything but empty, ``0``, ``false`` and ``no`` is on."""
    return bool(value) and value.lower() not in ("0", "false", "no")


def click_true(value: str) -> bool:
    """How click reads a boolean flag from the environment (``FLASK_RUN_DEBUGGER``)."""
    return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")


def all_interfaces(host: str, settings: Settings) -> bool:
    host = host.strip()
    if host in settings.allowed_hosts or not host or not set(host) <= set("0.:[]xX"):
        return False  # only zeros, dots, colons and brackets can spell "every interface"
    from ..analysis import binds_all_interfaces  # libcst only for files that set a host

    return binds_all_interfaces(host, empty_binds_all=False)


def relative(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


# -- the builder --------------------------------------------------------


class Builder:
    def __init__(self, path: Path, source: SourceText, kind: str, settings: Settings) -> None:
        self.path = Path(os.path.abspath(path))
        self.folder = self.path.parent
        self.root = project.project_root(self.folder)
        self.source = source
        self.facts = Facts(self.path, kind, settings)
        #: Findings inside entry scripts, per script, when collected (``scripts``); else they are dropped.
        self.script_facts: dict[Path, Facts] | None = None
        self._dockerfiles: dict[Path, dockerfile.Dockerfile | None] = {}
        self.runs: list[tuple[str, str]] = []  # ("dev" | "production" | "other", what), as commands are read
        self.production_apps: list[str] = []  # ``module:name`` given to production servers
        #: Compose ``env_file``s read by this file's services: path -> (label, server, keys environment: overrides).
        self.env_file_uses: dict[Path, list[tuple[str, str | None, frozenset[str]]]] = {}

    def dockerfile_at(self, path: Path) -> dockerfile.Dockerfile | None:
        """A Dockerfile of the project (a Compose service's build), parsed once per run of this file."""
        path = Path(os.path.normpath(path))
        if path not in self._dockerfiles:
            text = read_project_text(path, self.root)
            parsed = None
            if text is not None:
                try:
                    parsed = dockerfile.parse(SourceText(text, path.name))
                except DeploymentFileError:
                    parsed = None  # reported when that file is checked itself
            self._dockerfiles[path] = parsed
        return self._dockerfiles[path]

    @property
    def settings(self) -> Settings:
        return self.facts.settings

    def place(self, token: Token, trail: Trail) -> Place:
        if trail.outer is not None:
            return trail.outer
        return Place(*trail.source.position(token.start))

    def where(self, token: Token, scope: Scope, trail: Trail) -> str:
        if trail.outer_where is not None:
            return trail.outer_where
        return _label(token.origin, scope.where)

    def hops(self, token: Token, trail: Trail) -> tuple[Hop, ...]:
        if trail.outer is None:
            return ()
        return (*trail.hops, Hop(trail.source.display, trail.source.line_of(token.start)))

    # -- environment -------------------------------------------------------
    def setting(
        self,
        name: Token,
        value: str | None,
        where: str,
        place: Place,
        via: tuple[Hop, ...] = (),
        server: str | None = None,
    ) -> None:
        if name.value in WATCHED and value is not None:
            key = ("env", place, name.value)
            if key not in self.facts.seen:
                self.facts.seen.add(key)
                self.facts.env.append(EnvSetting(place, name.value, value, where, via, server))

    def command(self, found: Found, scope: Scope, trail: Trail) -> str | None:
        """Read what a command runs; the production server's name when that is all it runs."""
        before = len(self.runs)
        self.found(found, scope, trail)
        runs = self.runs[before:]
        if runs and all(kind == "production" for kind, _ in runs):
            return runs[0][1]
        return None

    def assignments(self, found: Found, scope: Scope, trail: Trail) -> None:
        for assignment in found.assignments:
            if assignment.value is None:
                continue
            value = dockerfile.expand(assignment.value.value, scope.env)
            self.setting(
                assignment.name,
                value,
                self.where(assignment.name, scope, trail),
                self.place(assignment.name, trail),
                self.hops(assignment.name, trail),
            )

    # -- commands ----------------------------------------------------------
    def found(self, found: Found, scope: Scope, trail: Trail) -> None:
        self.assignments(found, scope, trail)
        for invocation in found.invocations:
            # ``cd src && python app.py``: the command's own folder.
            here = replace(scope, runtime=scope.runtime.at(invocation.cwd)) if invocation.cwd else scope
            if isinstance(invocation, FlaskRun):
                self.flask_run(invocation, here, trail)
            elif isinstance(invocation, PythonRun):
                self.python_run(invocation, here, trail)
            elif isinstance(invocation, ProgramRun):
                self.program_run(invocation, here, trail)
            elif isinstance(invocation, ConsoleRun):
                self.console_run(invocation, here, trail)
            elif isinstance(invocation, ProductionRun):
                self.runs.append(("production", invocation.server))
                if invocation.app:
                    self.production_apps.append(invocation.app)
                    imported.production_server_import(self, invocation, here, trail)

    def _env(self, scope: Scope, prefixes: tuple[Assignment, ...]) -> dict[str, str | None]:
        env = dict(scope.env)
        for assignment in prefixes:
            env[assignment.name.value] = (
                dockerfile.expand(assignment.value.value, env) if assignment.value is not None else None
            )
        return env

    def flask_run(self, run: FlaskRun, scope: Scope, trail: Trail, spec: str | None = None) -> None:
        """``flask run``; ``spec`` is the app when a FlaskGroup script names it."""
        env = self._env(scope, run.env)
        # Quart's CLI (quart/cli.py) reads QUART_APP and, through click's auto_envvar_prefix
        # "QUART", QUART_RUN_PORT/QUART_RUN_HOST; Flask's the FLASK_ ones.
        prefix = run.framework.upper()
        port = _port(_value(run.port, env) if run.port is not None else env.get(f"{prefix}_RUN_PORT"), scope)
        app = _value(run.app, env) if run.app is not None else env.get(f"{prefix}_APP")
        place = self.place(run.anchor, trail)
        if spec is not None and run.app is None:
            production = with_bind(f"gunicorn '{spec}'", port)
        else:
            production = flask_production(app, scope.runtime, self.settings, port)
        if run.framework == "Quart":
            production = production.replace("gunicorn ", "hypercorn ", 1)  # an ASGI app
        self.runs.append(("dev", run.shown))
        record = DevServerRun(
            place,
            self.where(run.anchor, scope, trail),
            self.hops(run.anchor, trail),
            run.shown,
            production,
            framework=run.framework,
        )
        if run.host is not None:
            option, value = run.host
            expanded = dockerfile.expand(value.value, env)
            written = option.value if value.value in option.value else f"{option.value} {value.value}"
            if expanded is not None and expanded != value.value:
                written += f" ({expanded})"  # --host=$HOST (0.0.0.0)
            record.host = (self.place(option, trail), written, expanded)
        record.debug = [(self.place(token, trail), token.value) for token in run.debug]
        key = ("run", place, record.via)
        if key not in self.facts.seen:
            self.facts.seen.add(key)
            self.facts.flask_runs.append(record)

    def python_run(self, run: PythonRun, scope: Scope, trail: Trail) -> None:
        env = self._env(scope, run.env)
        target = dockerfile.expand(run.anchor.value, env)
        if not target:
            return
        found = scope.runtime.find_module(target, main=True) if run.module else scope.runtime.find_file(target)
        if (
            found is not None
            and run.args
            and run.args[0].value not in ("runserver", "-m")
            and not run.args[0].value.startswith("-")
            and python.is_flask_script_manager(found)
            and not self._server_command(found, run.args[0].value)
        ):
            # ``manage.py <command>`` runs that Flask-Script command only: a server start
            # elsewhere in manage.py (another command's) is not what this line runs.
            source = project.read_source(found)
            if source is not None and python.console_target(source, run.args[0].value) == "launcher":
                line = python.run_line(source, run.args[0].value)
                self.python_file(found, target, run.anchor, scope, trail, target, line)
            else:
                self.runs.append(("other", f"{target} {run.args[0].value}"))
            return
        if found is not None and run.args and run.args[0].value == "runserver" and python.is_flask_script_manager(found):
            # Flask-Script: ``manage.py runserver [-h HOST] [-p PORT] [-d]`` runs Werkzeug's server.
            args = [Token("run", a.offsets, a.start, a.origin) if i == 0 else a for i, a in enumerate(run.args)]
            args = [Token("--debug", a.offsets, a.start, a.origin) if a.value == "-d" else a for a in args]
            cli = flask_cli(run.anchor, args, f"python {target}", run.env)
            if cli is not None:
                cli.shown = f"python {target} runserver"
                self.flask_run(cli, scope, trail, python.app_spec(found, self.settings))
                return
        if found is not None and python.is_flask_group_script(found):
            # manage.py on flask.cli.FlaskGroup: ``python manage.py run`` is ``flask run``.
            shown = f"python -m {target}" if run.module else f"python {target}"
            cli = flask_cli(run.anchor, list(run.args), shown, run.env)
            if cli is not None:
                self.flask_run(cli, scope, trail, python.app_spec(found, self.settings))
                return
        if found is not None:
            start = python.server_start(found, self.settings)
            if start is not None and start.commands is not None:
                command = run.args[0].value if run.args else ""
                if command not in start.commands:
                    return  # python manage.py db upgrade: a Flask-Script command that starts no server
            shown = f"-m {target}" if run.module else target
            self.python_file(found, shown, run.anchor, scope, trail, None if run.module else target)
        else:
            self.runs.append(("other", target))

    def _server_command(self, path: Path, command: str) -> bool:
        """Whether ``manage.py <command>`` is one of the manager's server commands (``add_command(name, Server())``)."""
        start = python.server_start(path, self.settings)
        return start is not None and start.commands is not None and command in start.commands

    def console_run(self, run: ConsoleRun, scope: Scope, trail: Trail) -> None:
        """A console script of the project: a FlaskGroup's ``run`` is ``flask run``; a launcher a script."""
        target = python.console_scripts(self.root).get(run.anchor.value)
        if target is None:
            return  # some other program (celery, nginx): nothing to say
        module, _, attribute = target.partition(":")
        path = scope.runtime.find_module(module) or Runtime("/", self.root, [], (self.root,)).find_module(module)
        source = project.read_source(path) if path is not None else None
        kind = python.console_target(source, attribute.split(".")[0]) if source is not None else None
        if kind == "group" and path is not None:
            cli = flask_cli(run.anchor, list(run.args), run.anchor.value, run.env)
            if cli is not None:
                cli.shown = f"{run.anchor.value} run"
                self.flask_run(cli, scope, trail, python.app_spec(path, self.settings))
                return
        if kind == "launcher" and path is not None and source is not None:
            line = python.run_line(source, attribute.split(".")[0])
            self.python_file(path, f"{run.anchor.value} ({target})", run.anchor, scope, trail, None, line)
            return
        self.runs.append(("other", run.anchor.value))

    def python_file(
        self,
        path: Path,
        target: str,
        anchor: Token,
        scope: Scope,
        trail: Trail,
        script: str | None = None,
        line: int | None = None,
    ) -> None:
        """``line``: the start this command reaches, when the file has several (a Flask-Script command's)."""
        start = python.server_start(path, self.settings)
        if start is None:
            self.runs.append(("other", target))
            return
        if line is not None:
            start = replace(start, line=line)
        self.runs.append(("dev", target))
        place = self.place(anchor, trail)
        key = ("script", place, path)
        if key in self.facts.seen:
            return
        self.facts.seen.add(key)
        production, chdir = start.production, None
        if script is not None:
            # Where the file lands in the image (COPY, WORKDIR, working_dir, volumes) names its module.
            image = image_module(path, scope.runtime.container_path(script), scope.runtime.cwd)
            if isinstance(image, str):
                production = image  # no importable module path: what to rename
            else:
                module, chdir = image
                production = production.replace(f"'{python.module_of(path)}:", f"'{module}:")
        production = with_bind(production, _port(start.port, scope), chdir) if production.startswith(SERVERS) else production
        self.facts.scripts.append(
            ScriptServer(
                place,
                self.where(anchor, scope, trail),
                self.hops(anchor, trail),
                target,
                relative(path, scope.base),
                start,
                production,
            )
        )

    def program_run(self, run: ProgramRun, scope: Scope, trail: Trail) -> None:
        """An executable by path: a shell script is read and its commands analysed; a Python one checked."""
        name = run.anchor.value
        if len(trail.hops) >= _MAX_HOPS or trail.depth >= _MAX_HOPS:
            self.runs.append(("other", name))
            return
        path = scope.runtime.find_file(name)
        if path is None and "/" not in name:
            path = scope.runtime.find_file(f"/usr/local/bin/{name}")
        text = read_project_text(path, self.root) if path is not None else None
        if path is None or text is None:
            self.runs.append(("other", name))
            return
        first = text.split("\n", 1)[0]
        if _SHEBANG_PYTHON.match(first) or (path.suffix == ".py" and not first.startswith("#!")):
            self.python_file(path, name, run.anchor, scope, trail)
            return
        if not (_SHEBANG_SHELL.match(first) or path.suffix == ".sh"):
            self.runs.append(("other", name))
            return
        self.entry_script(path, text, run.anchor, scope, trail)

    def entry_script(self, path: Path, text: str, anchor: Token, scope: Scope, trail: Trail) -> None:
        """A shell script an entrypoint runs: read for what it runs, its findings reported in it.

        The script's own lines carry its findings (``flask run`` on line 7 of
        ``boot.sh``), with the chain that runs it in the message ("run by Dockerfile
        CMD"); they are collected per script when asked (:attr:`script_facts`,
        for ``scripts``), and the deployment file itself reports none of them.
        """
        absolute = Path(os.path.abspath(path))
        if trail.chain is None:
            chain = f"{self.path.name} {self.where(anchor, scope, trail)}"
        else:
            chain = f"{trail.source.display} line {trail.source.line_of(anchor.start)}, run by {trail.chain}"
        key = ("script-run", absolute, chain)
        if key in self.facts.seen:
            return
        self.facts.seen.add(key)
        saved = self.facts
        if self.script_facts is not None:
            self.facts = self.script_facts.setdefault(absolute, Facts(absolute, "script", self.settings))
        else:
            self.facts = Facts(absolute, "script", self.settings)  # a sink: reported when that script is checked
        settings_before, runs_before = len(self.facts.env), len(self.runs)
        try:
            shown = relative(absolute, self.folder)
            inner = SourceText(text, shown)
            nested = Trail(inner, None, (), f"{shown}, run by {chain},", chain, trail.depth + 1)
            self.found(analyse_shell(Token.at(text, 0)), scope, nested)
            runs = self.runs[runs_before:]
            if runs and all(kind == "production" for kind, _ in runs):
                # ``export FLASK_RUN_HOST=0.0.0.0`` before ``exec gunicorn``: what the server makes of it.
                for setting in self.facts.env[settings_before:]:
                    setting.server = runs[0][1]
        finally:
            self.facts = saved


def _port(given: str | None, scope: Scope) -> str:
    """The port the dev server was given, unless the platform hands one out ($PORT)."""
    if scope.port.startswith("$") or not given:
        return scope.port
    return given


def _value(token: Token, env: dict[str, str | None]) -> str:
    """A word with ``$VAR`` expanded where known, else as written."""
    expanded = dockerfile.expand(token.value, env)
    return expanded if expanded is not None else token.value


def _label(origin: str, default: str) -> str:
    if origin in ("CMD", "ENTRYPOINT"):
        return origin
    if origin in ("command", "entrypoint"):
        return f"{default} {origin}"
    return origin or default


def read_project_text(path: Path, root: Path) -> str | None:
    """A text file of the project (a script, a Dockerfile, an env file), or None.

    Every file the deployment checks read besides the one checked comes through here
    (Python modules through the engine's reader): only regular files inside the
    project ``root``, at most :data:`_MAX_SCRIPT_BYTES`, UTF-8 text; CR-only line
    ends read as line ends.
    """
    absolute = Path(os.path.abspath(path))
    if absolute != root and root not in absolute.parents:
        return None  # Compose ``dockerfile: /etc/passwd``, a context of ``../..``
    try:
        data = files.read_regular(absolute, _MAX_SCRIPT_BYTES)
    except files.ReadProblem:
        return None
    if b"\0" in data:
        return None
    try:
        return normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None
