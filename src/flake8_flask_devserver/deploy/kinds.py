"""Facts per kind of deployment file: Dockerfile stages, Procfile processes, Compose services,
env files, the platforms of ``platforms`` (Kubernetes, systemd, supervisord, App Engine, Fly.io)
and Replit's ``.replit`` (``replit``).

Each reader sets up where a command runs (its :class:`~.runtime.Runtime`: working folder,
mounts) and its environment, and hands the command to the :class:`~.facts.Builder`.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..model import Settings
from . import compose, dockerfile, envfile, files, interpolation, platforms, procfile, replit
from .command import Found, analyse_argv, analyse_shell
from .facts import Builder, Facts, Place, Scope, Trail, read_project_text
from .runtime import Bind, Mount, Runtime, StageFiles
from .text import DeploymentFileError, SourceText, Token


# -- per kind -----------------------------------------------------------


def build(path: Path, source: SourceText, kind: str, settings: Settings) -> Facts:
    """Facts for one deployment file; raises :class:`DeploymentFileError` when it is malformed."""
    builder = Builder(path, source, kind, settings)
    build_into(builder)
    return builder.facts


def build_into(builder: Builder) -> None:
    kind = builder.facts.kind
    if kind == files.DOCKERFILE:
        _dockerfile(builder)
    elif kind == files.PROCFILE:
        _procfile(builder)
    elif kind == files.COMPOSE:
        _compose(builder)
    elif kind == files.ENVFILE:
        _env_file(builder)
    elif kind in _PLATFORMS:
        _platform(builder, _PLATFORMS[kind](builder))


def _platform(builder: Builder, processes: list[platforms.Process]) -> None:
    """Kubernetes containers, systemd units, supervisord programs, App Engine, Fly.io processes."""
    trail = Trail(builder.source)
    for process in processes:
        mounts: list[Mount] = []
        cwd = process.cwd or "/"
        image_env: dict[str, str | None] = {}
        port = "8000"
        if builder.facts.kind == files.APP_ENGINE:
            mounts, port = [Bind("/workspace", builder.folder)], "$PORT"
        elif builder.facts.kind == files.LAYERFILE:
            mounts = [Bind("/root", builder.folder)]
        elif builder.facts.kind == files.REPLIT:
            mounts, port = [Bind(replit.WORKSPACE, builder.folder)], replit.port(builder.source)
        elif process.uses_dockerfile:
            df = builder.dockerfile_at(builder.folder / "Dockerfile")
            if df is not None and df.stages:
                stage = df.stages[-1]
                mounts = list(StageFiles.of(df, stage, builder.folder).mounts())
                cwd = stage.working_dir()
                image_env = {name: value.value for name, value in stage.environment().items()}
        runtime = Runtime(cwd, builder.root, mounts, tuple(dict.fromkeys([builder.folder, builder.root])))
        env = dict(image_env)
        for assignment in process.env:
            env[assignment.name.value] = _compose_value(assignment.value)
        scope = Scope(process.where, runtime, env, port, builder.folder)
        if process.argv:
            found = analyse_argv([_plain(word) for word in process.argv])
        elif process.shell is not None:
            found = analyse_shell(_plain(process.shell))
        else:
            found = Found()
        server = builder.command(found, scope, trail)
        if builder.facts.kind == files.APP_ENGINE and process.shell is None:
            server = "gunicorn"  # App Engine's default entrypoint
        for assignment in process.env:
            place = Place(*builder.source.position(assignment.name.start))
            value = env.get(assignment.name.value)
            builder.setting(assignment.name, value, process.env_where or process.where, place, server=server)


def _plain(token: Token) -> Token:
    """A token without its key as origin: messages name the process instead."""
    return Token(token.value, token.offsets, token.start, "")


def _compose_value(token: Token | None) -> str | None:
    if token is None:
        return None
    value = dockerfile.expand(token.value.replace("$$", "\0"), {})
    return value.replace("\0", "$") if value is not None else None


_PLATFORMS = {
    files.KUBERNETES: lambda builder: platforms.kubernetes(builder.source),
    files.SYSTEMD: lambda builder: platforms.systemd(builder.source, builder.path.name),
    files.SUPERVISORD: lambda builder: platforms.supervisord(builder.source),
    files.APP_ENGINE: lambda builder: platforms.app_engine(builder.source),
    files.FLY: lambda builder: platforms.fly(builder.source),
    files.LAYERFILE: lambda builder: platforms.layerfile(builder.source),
    files.REPLIT: lambda builder: replit.replit(builder.source),
}


def _env_file(builder: Builder) -> None:
    """A dotenv file, read as each of its loaders reads it.

    - A Compose service's ``env_file`` (found through the Compose files that may name
      it, as ``scripts`` finds entry scripts): Compose's rules, the service's command
      deciding what the values mean, reported at the variables' own lines.
    - ``.env``/``.flaskenv``/``.quartenv``: Flask's (python-dotenv's values). Flask loads
      them only in the ``flask`` command and ``app.run()``, and only with python-dotenv
      installed: silent when the project's dependencies leave python-dotenv out, or when
      every entrypoint of the deployment files beside it is a production server, unless
      the app module calls python-dotenv itself (then worded for what it does there).
    - Any other env file (``.env.production``, ``web.env``) that no Compose file reads:
      python-dotenv's values, as before.
    """
    from . import envs, scripts

    if builder.path.name == ".env":
        # Compose's interpolation: the .env line is where a watched variable's value comes from.
        bindings = envs.compose_env_file(builder.source.text) or {}
        for use in dotenv_substitutions(builder):
            if use.variable in bindings:
                offset = bindings[use.variable][1]
                place = Place(*builder.source.position(offset))
                builder.setting(Token.at(use.name, offset), use.value, use.label, place, server=use.server)
    uses = scripts.env_file_uses(builder.path, builder.settings)
    if uses:
        values = _compose_env_file(builder, builder.path)
        shown = builder.path.name
        for label, server, overridden in uses:
            for name, (value, offset) in values.items():
                if name in overridden:
                    continue  # the service's environment: wins
                place = Place(*builder.source.position(offset))
                token = Token.at(name, offset)
                builder.setting(token, value, f"{shown}, read by {label},", place, server=server)
    if not envs.is_flask_dotenv(builder.path):
        if uses:
            return
        server = None
    else:
        if envs.lacks_dotenv(builder.folder, builder.root):
            return  # Flask loads .env only through python-dotenv
        consumers = envs.dotenv_consumers(builder.folder, builder.root, builder.settings)
        server = None
        if consumers is not None and consumers.servers and not (consumers.dev or consumers.other):
            if not consumers.loads_dotenv:
                return
            server = consumers.servers[0]
        elif uses and consumers is None:
            return  # only Compose reads it
    name = builder.path.name
    for binding in envfile.values(builder.source).values():
        if binding.value is not None:
            place = Place(*builder.source.position(binding.name.start))
            builder.setting(binding.name, binding.value, name, place, server=server)


def _stage_runtime(df: dockerfile.Dockerfile, stage: dockerfile.Stage, contexts: list[Path], root: Path) -> Runtime:
    mounts: list[Mount] = []
    for context in reversed(contexts):  # the first context is the likeliest: its copies win
        mounts.extend(StageFiles.of(df, stage, context).mounts())
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
        scope = Scope("CMD", _stage_runtime(df, stage, contexts, builder.root), variables, "8000", builder.folder)
        server = builder.command(_docker_command(stage), scope, trail)
        for env in stage.environment().values():
            place = Place(*builder.source.position(env.assignment.name.start))
            builder.setting(env.assignment.name, env.value, "ENV", place, server=server)


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


@dataclass(frozen=True)
class Substitution:
    """A watched variable of a service's ``environment:`` whose value Compose takes from ``.env``."""

    variable: str  # the .env variable (``DEBUG``)
    name: str  # the watched variable it sets (``FLASK_DEBUG``)
    value: str  # the value the container gets
    label: str  # "docker-compose.yml service 'api' environment (${DEBUG}, from this DEBUG)"
    server: str | None  # the production server the service runs, when that is all it runs


def _compose(builder: Builder, substitutions: list[Substitution] | None = None) -> None:
    """Compose services; ``substitutions`` collects the ``environment:`` values ``.env`` gives (for ``.env``)."""
    trail = Trail(builder.source)
    dotenv = interpolation.project_dotenv(builder.folder, builder.root)
    known = {name: value for name, (value, _) in dotenv.values.items()} if dotenv is not None else {}
    for service in compose.parse(builder.source):
        if any(files.has_dev_word(profile) for profile in service.profiles):
            continue  # started only with a development profile
        where = f"service '{service.name}'"
        env: dict[str, str | None] = {}
        # (name, value, where, place) from environment:; env_file values count for the command only
        # (they are reported in the env file itself, at their own lines, see _env_file).
        env: dict[str, str | None] = {}
        used_files: list[Path] = []
        for token in service.env_files:
            path = Path(os.path.normpath(builder.folder / token.value))
            if files.is_dev_only(path):
                continue  # ``.env.dev``: the service is set up for development
            used_files.append(path)
            for name, (value, _) in _compose_env_file(builder, path).items():
                env[name] = value
        settings: list[tuple[Token, str | None, str, Place]] = []
        pending: list[tuple[str, str, str, str, str]] = []  # (.env variable, name, value, label, written)
        for assignment in service.environment:
            # Compose interpolates $VAR/${VAR...} from the shell and the project's .env; the
            # shell is unknown here, so a variable .env does not give is unknown (or its default).
            label = f"{where} environment"
            value = None
            if assignment.value is not None:
                result = interpolation.interpolate(assignment.value.value, known)
                value = result.value
                if value is not None and (result.from_dotenv or result.defaults):
                    label = f"{label} ({assignment.value.value}{_origin(result, known, dotenv)})"
                    pending.extend(
                        (variable, assignment.name.value, value, label, assignment.value.value)
                        for variable in dict.fromkeys(result.from_dotenv)
                    )
            place = Place(*builder.source.position(assignment.name.start))
            settings.append((assignment.name, value, label, place))
            env[assignment.name.value] = value
        server = None
        if service.command is not None or service.entrypoint is not None:
            runtime, image_env = _service_runtime(builder, service)
            scope = Scope(where, runtime, {**image_env, **env}, "8000", builder.folder)
            argv = list(service.entrypoint or []) + list(service.command or [])
            server = builder.command(analyse_argv(argv), scope, trail)
        elif service.build_context is not None:
            server = _image_server(builder, service, env)
        overridden = frozenset(name.value for name, *_ in settings)
        for path in used_files:
            label = f"{builder.path.name} {where} env_file"
            builder.env_file_uses.setdefault(Path(os.path.abspath(path)), []).append((label, server, overridden))
        last = {name.value: index for index, (name, *_) in enumerate(settings)}
        for index, (name, value, label, place) in enumerate(settings):
            if last[name.value] == index:
                builder.setting(name, value, label, place, server=server)
        if substitutions is not None:
            kept = {label for _, value, label, _ in (settings[index] for index in last.values())}
            substitutions.extend(
                Substitution(
                    variable, name, value, f"{builder.path.name} {where} environment ({written}, from this {variable})", server
                )
                for variable, name, value, label, written in pending
                if label in kept
            )


def _origin(result: interpolation.Result, known: dict[str, str | None], dotenv: interpolation.DotEnv | None) -> str:
    """Where an interpolated value came from, for messages: ``, DEBUG=True from .env line 6``."""
    parts = [f"{name}={known[name]} from .env line {dotenv.line_of(name)}" for name in dict.fromkeys(result.from_dotenv) if dotenv]
    parts += [f"the default, {name} not being set in .env" for name in dict.fromkeys(result.defaults)]
    return "".join(f", {part}" for part in parts)


def dotenv_substitutions(builder: Builder) -> list[Substitution]:
    """What the Compose files beside a ``.env`` take from it into watched variables.

    Compose reads ``.env`` of the project directory (the Compose file's folder) to
    interpolate the file: ``FLASK_DEBUG=${DEBUG}`` with ``DEBUG=True`` in ``.env`` puts
    debug mode in the container through that ``DEBUG`` line. Development-only Compose
    files (``docker-compose.override.yml``) are not counted.
    """
    found: list[Substitution] = []
    try:
        entries = sorted(os.scandir(builder.folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        path = Path(entry.path)
        if files.kind_of(path) != files.COMPOSE or not entry.is_file(follow_symlinks=False) or files.is_dev_only(path):
            continue
        text = read_project_text(path, builder.root)
        if text is None:
            continue
        other = Builder(path, SourceText(text, path.name), files.COMPOSE, builder.settings)
        try:
            _compose(other, found)
        except DeploymentFileError:
            continue  # reported when that file is checked itself
    return found


def _image_server(builder: Builder, service: compose.Service, env: dict[str, str | None]) -> str | None:
    """The production server the service's image runs (its Dockerfile's CMD), if that is all it runs.

    Read for its meaning only: the Dockerfile reports its own findings when it is checked.
    """
    context = Path(os.path.normpath(builder.folder / service.build_context)) if service.build_context else builder.folder
    df = builder.dockerfile_at(context / (service.dockerfile or "Dockerfile"))
    stage = (df.stage(service.target) if service.target else df.stages[-1]) if df is not None and df.stages else None
    if df is None or stage is None:
        return None
    runtime, image_env = _service_runtime(builder, service)
    saved = builder.facts
    builder.facts = Facts(builder.path, builder.facts.kind, builder.settings)  # a sink
    try:
        scope = Scope(f"service '{service.name}'", runtime, {**image_env, **env}, "8000", builder.folder)
        return builder.command(_docker_command(stage), scope, Trail(df.source))
    finally:
        builder.facts = saved


def _compose_env_file(builder: Builder, path: Path) -> dict[str, tuple[str | None, int]]:
    """A service's ``env_file`` as Compose reads it: ``name -> (value, offset)``."""
    from . import envs

    text = read_project_text(path, builder.root)
    found = envs.compose_env_file(text) if text is not None else None
    return found or {}


def _service_runtime(builder: Builder, service: compose.Service) -> tuple[Runtime, dict[str, str | None]]:
    """The service's paths: bind mounts over the image's COPYs, in ``working_dir`` or the image's WORKDIR."""
    mounts: list[Mount] = []
    cwd = "/"
    env: dict[str, str | None] = {}
    fallbacks = [builder.folder]
    if service.build_context is not None:
        context = Path(os.path.normpath(builder.folder / service.build_context))
        fallbacks.insert(0, context)
        df = builder.dockerfile_at(context / (service.dockerfile or "Dockerfile"))
        if df is not None and df.stages:
            stage = df.stage(service.target) if service.target else df.stages[-1]
            if stage is not None:
                mounts.extend(StageFiles.of(df, stage, context).mounts())
                cwd = stage.working_dir()
                env = {name: value.value for name, value in stage.environment().items()}
    for host, container in service.binds:
        if host.startswith("~"):
            continue
        mounts.append(Bind(posixpath.normpath(container), Path(os.path.normpath(builder.folder / host))))
    if service.working_dir:
        cwd = posixpath.normpath(posixpath.join(cwd, service.working_dir))
    return Runtime(cwd, builder.root, mounts, tuple(dict.fromkeys(fallbacks))), env
