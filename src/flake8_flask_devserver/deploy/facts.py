"""Facts about one deployment file, for the FDS4xx rules: what its entrypoints run, what its environment sets.

This is where paths are resolved and referenced files read: a ``python app.py``
entrypoint is followed to ``app.py`` and checked with the Python engine, an
entrypoint script (``./boot.sh``) is read and its commands analysed, and the
production command replacing a ``flask run`` is built from the app it serves.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import project
from ..model import Settings
from . import compose, dockerfile, envfile, files, procfile, python
from .command import Assignment, FlaskRun, Found, ProgramRun, PythonRun, analyse_argv, analyse_shell, flask_cli
from .runtime import Bind, Mount, Runtime, StageFiles
from .text import DeploymentFileError, SourceText, Token

#: Environment variables the rules judge.
WATCHED = ("FLASK_DEBUG", "FLASK_ENV", "FLASK_RUN_HOST", "FLASK_RUN_DEBUGGER")

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


@dataclass
class Facts:
    path: Path
    kind: str
    settings: Settings
    flask_runs: list[DevServerRun] = field(default_factory=list)
    scripts: list[ScriptServer] = field(default_factory=list)
    env: list[EnvSetting] = field(default_factory=list)


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


def with_bind(production: str, port: str, chdir: str | None = None) -> str:
    """``gunicorn 'app:app'`` -> ``gunicorn --bind 0.0.0.0:8000 'app:app'`` (and ``--chdir``)."""
    server, _, rest = production.partition(" ")
    chdir_option = f"--chdir {chdir} " if chdir and server == "gunicorn" else ""
    return f"{server} --bind 0.0.0.0:{port} {chdir_option}{rest}"


# -- the builder --------------------------------------------------------


class Builder:
    def __init__(self, path: Path, source: SourceText, kind: str, settings: Settings) -> None:
        self.path = Path(os.path.abspath(path))
        self.folder = self.path.parent
        self.root = project.project_root(self.folder)
        self.source = source
        self.facts = Facts(self.path, kind, settings)
        self._seen: set[tuple[object, ...]] = set()

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
    def setting(self, name: Token, value: str | None, where: str, place: Place, via: tuple[Hop, ...] = ()) -> None:
        if name.value in WATCHED and value is not None:
            key = ("env", place, name.value)
            if key not in self._seen:
                self._seen.add(key)
                self.facts.env.append(EnvSetting(place, name.value, value, where, via))

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
        port = _port(_value(run.port, env) if run.port is not None else env.get("FLASK_RUN_PORT"), scope)
        app = _value(run.app, env) if run.app is not None else env.get("FLASK_APP")
        place = self.place(run.anchor, trail)
        if spec is not None and run.app is None:
            production = with_bind(f"gunicorn '{spec}'", port)
        else:
            production = flask_production(app, scope.runtime, self.settings, port)
        record = DevServerRun(
            place, self.where(run.anchor, scope, trail), self.hops(run.anchor, trail), run.shown, production
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
        if key not in self._seen:
            self._seen.add(key)
            self.facts.flask_runs.append(record)

    def python_run(self, run: PythonRun, scope: Scope, trail: Trail) -> None:
        env = self._env(scope, run.env)
        target = dockerfile.expand(run.anchor.value, env)
        if not target:
            return
        found = scope.runtime.find_module(target, main=True) if run.module else scope.runtime.find_file(target)
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

    def python_file(
        self, path: Path, target: str, anchor: Token, scope: Scope, trail: Trail, script: str | None = None
    ) -> None:
        start = python.server_start(path, self.settings)
        if start is None:
            return
        place = self.place(anchor, trail)
        key = ("script", place, path)
        if key in self._seen:
            return
        self._seen.add(key)
        host_cwd = scope.runtime.host_cwd()
        root = python.import_root(path)
        chdir = relative(root, host_cwd) if host_cwd is not None and root != host_cwd else None
        production = start.production
        renamed = posixpath.splitext(posixpath.basename(script))[0] if script else path.stem
        if renamed != path.stem and renamed.isidentifier():
            # COPY app.py /srv/main.py: in the image the module is main.
            module = python.module_of(path)
            renamed = module.rpartition(".")[0] + "." + renamed if "." in module else renamed
            production = production.replace(f"'{module}:", f"'{renamed}:")
        self.facts.scripts.append(
            ScriptServer(
                place,
                self.where(anchor, scope, trail),
                self.hops(anchor, trail),
                target,
                relative(path, scope.base),
                start,
                with_bind(production, _port(start.port, scope), chdir),
            )
        )

    def program_run(self, run: ProgramRun, scope: Scope, trail: Trail) -> None:
        """An executable by path: a shell script is read and its commands analysed; a Python one checked."""
        if len(trail.hops) >= _MAX_HOPS:
            return
        name = run.anchor.value
        path = scope.runtime.find_file(name)
        if path is None and "/" not in name:
            path = scope.runtime.find_file(f"/usr/local/bin/{name}")
        if path is None:
            return
        text = _read_script(path)
        if text is None:
            return
        first = text.split("\n", 1)[0]
        if _SHEBANG_PYTHON.match(first) or (path.suffix == ".py" and not first.startswith("#!")):
            self.python_file(path, name, run.anchor, scope, trail)
            return
        if not (_SHEBANG_SHELL.match(first) or path.suffix == ".sh"):
            return
        inner = SourceText(text, relative(path, scope.base))
        outer = self.place(run.anchor, trail)
        nested = Trail(
            inner, outer, self.hops(run.anchor, trail) if trail.outer else (), self.where(run.anchor, scope, trail)
        )
        self.found(analyse_shell(Token.at(text, 0)), scope, nested)


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


def _read_script(path: Path) -> str | None:
    try:
        if path.stat().st_size > _MAX_SCRIPT_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


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
        app = _dotenv_app(host_cwd)
    chdir: str | None = None
    if app:
        module, name = (_APP_SPLIT.split(app, maxsplit=1) + [""])[:2]
        path: Path | None
        if module.endswith(".py") or "/" in module:
            path = runtime.find_file(module) if module.endswith(".py") else runtime.find_file(f"{module}/__init__.py")
            if path is not None:
                dotted = python.module_of(path)
                root = python.import_root(path)
                if host_cwd is not None and root != host_cwd:
                    chdir = relative(root, host_cwd)
            else:
                folder, stem = posixpath.split(module[:-3] if module.endswith(".py") else module.rstrip("/"))
                dotted, chdir = stem, folder or None
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


def _dotenv_app(folder: Path) -> str | None:
    for name in (".env", ".flaskenv"):  # Flask loads .env first; earlier files win
        path = folder / name
        if not path.is_file():
            continue
        text = _read_script(path)
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


# -- per kind -----------------------------------------------------------


def build(path: Path, source: SourceText, kind: str, settings: Settings) -> Facts:
    """Facts for one deployment file; raises :class:`DeploymentFileError` when it is malformed."""
    builder = Builder(path, source, kind, settings)
    if kind == files.DOCKERFILE:
        _dockerfile(builder)
    elif kind == files.PROCFILE:
        _procfile(builder)
    elif kind == files.COMPOSE:
        _compose(builder)
    elif kind == files.ENVFILE:
        for assignment in envfile.parse(source):
            if assignment.value is not None:
                place = Place(*source.position(assignment.name.start))
                builder.setting(assignment.name, assignment.value.value, path.name, place)
    return builder.facts


def _stage_runtime(df: dockerfile.Dockerfile, stage: dockerfile.Stage, contexts: list[Path], root: Path) -> Runtime:
    mounts: list[Mount] = []
    for context in reversed(contexts):  # the first context is the likeliest: its copies win
        mounts.extend(StageFiles(df, stage, context).mounts())
    return Runtime(stage.working_dir(), root, mounts, tuple(contexts))


def _dockerfile(builder: Builder) -> None:
    df = dockerfile.parse(builder.source)
    contexts = list(dict.fromkeys([builder.folder, builder.root]))
    trail = Trail(builder.source)
    for stage in df.stages:
        if not df.runs(stage):
            continue
        # At run time only ENV is set (ARG values are gone); ENV values were expanded at build.
        variables = {name: env.value for name, env in stage.environment().items()}
        for env in stage.environment().values():
            place = Place(*builder.source.position(env.assignment.name.start))
            builder.setting(env.assignment.name, env.value, "ENV", place)
        scope = Scope("CMD", _stage_runtime(df, stage, contexts, builder.root), variables, "8000", builder.folder)
        builder.found(_docker_command(stage), scope, trail)


def _docker_command(stage: dockerfile.Stage) -> Found:
    """What the image runs: ENTRYPOINT and CMD combined the way Docker combines them."""
    entrypoint, cmd = stage.effective_entrypoint(), stage.effective_cmd()
    if entrypoint is not None and entrypoint.script is not None:
        return analyse_shell(entrypoint.script)  # shell-form ENTRYPOINT ignores CMD
    argv: list[Token] = list(entrypoint.argv or ()) if entrypoint is not None else []
    if cmd is not None and cmd.argv is not None:
        argv.extend(cmd.argv)
    elif cmd is not None and cmd.script is not None:
        if not argv:
            return analyse_shell(cmd.script)
        argv.extend([Token.at("/bin/sh", cmd.script.start, "CMD"), Token.at("-c", cmd.script.start, "CMD"), cmd.script])
    return analyse_argv(argv) if argv else Found()


def _procfile(builder: Builder) -> None:
    runtime = Runtime("/app", builder.root, [Bind("/app", builder.folder)], (builder.folder,))
    trail = Trail(builder.source)
    for process in procfile.parse(builder.source):
        # Heroku and Dokku hand the port to the process in $PORT.
        scope = Scope(process.command.origin, runtime, {}, "$PORT", builder.folder)
        builder.found(analyse_shell(process.command), scope, trail)


def _compose(builder: Builder) -> None:
    trail = Trail(builder.source)
    for service in compose.parse(builder.source):
        if any(files.has_dev_word(profile) for profile in service.profiles):
            continue  # started only with a development profile
        where = f"service '{service.name}'"
        env: dict[str, str | None] = {}
        for assignment in service.environment:
            # Compose interpolates ${VAR:-default} from the shell or .env; unknown stays unknown.
            value = dockerfile.expand(assignment.value.value.replace("$$", "\0"), {}) if assignment.value else None
            value = value.replace("\0", "$") if value is not None else None
            env[assignment.name.value] = value
            place = Place(*builder.source.position(assignment.name.start))
            builder.setting(assignment.name, value, f"{where} environment", place)
        if service.command is None and service.entrypoint is None:
            continue
        runtime, image_env = _service_runtime(builder, service)
        scope = Scope(where, runtime, {**image_env, **env}, "8000", builder.folder)
        argv = list(service.entrypoint or []) + list(service.command or [])
        builder.found(analyse_argv(argv), scope, trail)


def _service_runtime(builder: Builder, service: compose.Service) -> tuple[Runtime, dict[str, str | None]]:
    """The service's paths: bind mounts over the image's COPYs, in ``working_dir`` or the image's WORKDIR."""
    mounts: list[Mount] = []
    cwd = "/"
    env: dict[str, str | None] = {}
    fallbacks = [builder.folder]
    if service.build_context is not None:
        context = Path(os.path.normpath(builder.folder / service.build_context))
        fallbacks.insert(0, context)
        stage = None
        dockerfile_path = context / (service.dockerfile or "Dockerfile")
        text = _read_script(dockerfile_path) if dockerfile_path.is_file() else None
        if text is not None:
            try:
                df = dockerfile.parse(SourceText(text, dockerfile_path.name))
            except DeploymentFileError:
                df = None  # reported when that file is checked itself
            if df is not None and df.stages:
                stage = df.stage(service.target) if service.target else df.stages[-1]
            if df is not None and stage is not None:
                mounts.extend(StageFiles(df, stage, context).mounts())
                cwd = stage.working_dir()
                env = {name: value.value for name, value in stage.environment().items()}
    for host, container in service.binds:
        if host.startswith("~"):
            continue
        mounts.append(Bind(posixpath.normpath(container), Path(os.path.normpath(builder.folder / host))))
    if service.working_dir:
        cwd = posixpath.normpath(posixpath.join(cwd, service.working_dir))
    return Runtime(cwd, builder.root, mounts, tuple(dict.fromkeys(fallbacks))), env
