"""More places a service's command lives: Kubernetes, systemd, supervisord, App Engine, Fly.io.

Each reader turns its file into :class:`Process` entries (a command, its
environment, its working folder), which ``facts`` judges like a Procfile line or a
Compose service:

- **Kubernetes** manifests (any ``*.yaml``/``*.yml``, every document of it), recognised
  only by content: a mapping with ``apiVersion`` and a ``kind`` among Deployment,
  StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod, Job and CronJob. Its
  containers' ``command`` + ``args`` (an argument vector, ``args`` alone when the
  image's entrypoint is kept), ``env`` (``value``; ``valueFrom`` is unknown) and
  ``workingDir``. Any other YAML, and YAML that does not parse (a Helm template), is
  not a manifest and gets nothing.
- **systemd** units (``*.service``): ``[Service]`` ``ExecStart=`` (prefixes ``@-:+!``
  dropped, split as systemd splits it, without a shell), ``Environment=``
  (``"A=1" B=2`` pairs) and ``WorkingDirectory=``. ``EnvironmentFile=`` names a file on
  the server, not in the project: not read.
- **supervisord** (``supervisord.conf``, ``supervisor.conf``, ``*.conf`` in a folder
  named for supervisor): ``[program:x]`` ``command=`` (split without a shell),
  ``environment=KEY="v",KEY2=v2`` and ``directory=``.
- **Google App Engine** ``app.yaml``: ``entrypoint:`` (run through a shell) and
  ``env_variables:``; without an entrypoint App Engine runs gunicorn.
- **Fly.io** ``fly.toml``: ``[processes]`` (each a command, split without a shell),
  ``[experimental] cmd`` (a string or a list) and ``[env]``; the image is the
  Dockerfile beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .command import Assignment
from .shell import split_words
from .text import SourceText, Token, lines_with_ends

WORKLOADS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Pod", "Job", "CronJob"}
)
#: Fly.io processes read from one fly.toml (each is placed by a search of the text).
MAX_PROCESSES = 64
_SECTION = re.compile(r"[ \t]*\[([^\]]+)\][ \t]*")
_KEY = re.compile(r"[ \t]*([A-Za-z_][\w.-]*)[ \t]*=[ \t]*")


@dataclass
class Process:
    """One command a platform runs, with what it is given."""

    where: str  # "Deployment 'web' container 'app'", "unit web.service", "program 'web'"
    argv: list[Token] | None = None  # split without a shell
    shell: Token | None = None  # run through /bin/sh -c
    env: list[Assignment] = field(default_factory=list)
    cwd: str | None = None
    uses_dockerfile: bool = False
    env_where: str = ""  # how messages name where its environment is set  # the image is the Dockerfile beside the file (Fly.io)


# -- Kubernetes ------------------------------------------------------------------------


def kubernetes(source: SourceText) -> list[Process]:
    """Containers of the workloads of a (multi-document) manifest; [] for YAML that is not one."""
    text = source.text
    if "apiVersion" not in text or "kind" not in text:
        return []
    import yaml

    from .compose import _Mappings, _scalar, _token

    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # a Helm template or other YAML: not a manifest we can read
    mappings = _Mappings(source)
    found: list[Process] = []
    for document in documents:
        if not isinstance(document, yaml.MappingNode):
            continue
        kind = _scalar(mappings.get(document, "kind"))
        if kind not in WORKLOADS or _scalar(mappings.get(document, "apiVersion")) is None:
            continue
        metadata = mappings.get(document, "metadata")
        name = _scalar(mappings.get(metadata, "name")) if isinstance(metadata, yaml.MappingNode) else None
        pod = _pod_spec(mappings, document, kind)
        if pod is None:
            continue
        containers = mappings.get(pod, "containers")
        if not isinstance(containers, yaml.SequenceNode):
            continue
        for container in containers.value:
            if not isinstance(container, yaml.MappingNode):
                continue
            label = f"{kind} '{name or '?'}' container '{_scalar(mappings.get(container, 'name')) or '?'}'"
            process = Process(f"{label} command", cwd=_scalar(mappings.get(container, "workingDir")), env_where=f"{label} env")
            argv: list[Token] = []
            for key in ("command", "args"):
                node = mappings.get(container, key)
                if isinstance(node, yaml.SequenceNode):
                    argv.extend(_token(source, item, key) for item in node.value if isinstance(item, yaml.ScalarNode))
            process.argv = argv or None
            env = mappings.get(container, "env")
            if isinstance(env, yaml.SequenceNode):
                for item in env.value:
                    if not isinstance(item, yaml.MappingNode):
                        continue
                    key_node = mappings.get(item, "name")
                    value_node = mappings.get(item, "value")
                    if isinstance(key_node, yaml.ScalarNode):
                        value = _token(source, value_node, "env") if _scalar(value_node) is not None else None
                        process.env.append(Assignment(_token(source, key_node, "env"), value))  # type: ignore[arg-type]
            found.append(process)
    return found


def _pod_spec(mappings: Any, document: Any, kind: str) -> Any:
    import yaml

    path = {"Pod": ("spec",), "CronJob": ("spec", "jobTemplate", "spec", "template", "spec")}.get(
        kind, ("spec", "template", "spec")
    )
    node = document
    for key in path:
        node = mappings.get(node, key) if isinstance(node, yaml.MappingNode) else None
    return node if isinstance(node, yaml.MappingNode) else None


# -- INI-like files (systemd, supervisord) --------------------------------------------------


def _ini(source: SourceText, comments: str) -> list[tuple[str, str, Token]]:
    """``(section, key, value)`` with positions; a trailing backslash continues a line."""
    found: list[tuple[str, str, Token]] = []
    section = ""
    offset = 0
    lines = lines_with_ends(source.text)
    index = 0
    while index < len(lines):
        line = lines[index]
        start = offset
        offset += len(line)
        index += 1
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if not stripped or stripped[0] in comments:
            continue
        header = _SECTION.fullmatch(body)
        if header:
            section = header.group(1).strip()
            continue
        match = _KEY.match(body)
        if match is None:
            continue
        chars = list(body[match.end() :])
        offsets = list(range(start + match.end(), start + len(body)))
        while chars and chars[-1] == "\\" and index < len(lines):  # systemd continuation
            chars.pop()
            offsets.pop()
            following = lines[index].rstrip("\r\n")
            base = offset
            offset += len(lines[index])
            index += 1
            chars.extend(following)
            offsets.extend(range(base, base + len(following)))
        value = Token("".join(chars), tuple(offsets), offsets[0] if offsets else start + match.end(), match.group(1))
        found.append((section, match.group(1), value.strip()))
    return found


def systemd(source: SourceText, name: str) -> list[Process]:
    process = Process(f"unit {name} ExecStart", env_where=f"unit {name} Environment")
    for section, key, value in _ini(source, "#;"):
        if section != "Service":
            continue
        if key == "ExecStart" and value.value:
            lead = len(value.value) - len(value.value.lstrip("@-:+!"))
            words = split_words(value.sub(lead))
            if words:
                process.argv = words  # the last ExecStart= of a simple service is the one kept
        elif key == "Environment":
            for word in split_words(value):
                variable, sep, _ = word.value.partition("=")
                if sep and variable:
                    process.env.append(Assignment(word.sub(0, len(variable)), word.sub(len(variable) + 1)))
        elif key == "WorkingDirectory" and value.value.startswith("/"):
            process.cwd = value.value.lstrip("-")
    return [process] if process.argv or process.env else []


def supervisord(source: SourceText) -> list[Process]:
    programs: dict[str, Process] = {}
    for section, key, value in _ini(source, "#;"):
        if not section.startswith("program:"):
            continue
        name = section.partition(":")[2].strip()
        process = programs.setdefault(name, Process(f"program '{name}' command", env_where=f"program '{name}' environment"))
        if key == "command" and value.value:
            process.argv = split_words(value)
        elif key == "environment":
            process.env.extend(_supervisor_environment(value))
        elif key == "directory":
            process.cwd = value.value
    return [process for process in programs.values() if process.argv or process.env]


def _supervisor_environment(value: Token) -> list[Assignment]:
    """``KEY="v",KEY2=v2``: commas outside quotes separate the pairs."""
    found: list[Assignment] = []
    start, quote = 0, ""
    text = value.value
    for index, char in enumerate(text + ","):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ",":
            pair = value.sub(start, index).strip() if index > start else None
            start = index + 1
            if pair is None or "=" not in pair.value:
                continue
            variable = pair.value.partition("=")[0]
            raw = pair.sub(len(variable) + 1).strip()
            if len(raw.value) >= 2 and raw.value[0] == raw.value[-1] and raw.value[0] in "\"'":
                raw = raw.sub(1, len(raw.value) - 1)
            found.append(Assignment(pair.sub(0, len(variable)).strip(), raw))
    return found


# -- App Engine, Fly.io ---------------------------------------------------------------------


def app_engine(source: SourceText) -> list[Process]:
    import yaml

    from .compose import _environment, _Mappings, _scalar, _token, load

    root = load(source)
    if not isinstance(root, yaml.MappingNode):
        return []
    mappings = _Mappings(source)
    runtime = _scalar(mappings.get(root, "runtime")) or ""
    if not runtime.startswith("python"):
        return []
    process = Process("app.yaml entrypoint", cwd="/workspace", env_where="app.yaml env_variables")
    entrypoint = mappings.get(root, "entrypoint")
    if _scalar(entrypoint) is not None:
        process.shell = _token(source, entrypoint, "entrypoint")
    variables = mappings.get(root, "env_variables")
    if variables is not None:
        process.env = list(_environment(mappings, variables))
    return [process]


def fly(source: SourceText) -> list[Process]:
    """``fly.toml``; positions are found in the text (the TOML reader gives none)."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: the tomli backport, a dependency there
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(source.text)
    except Exception:  # noqa: BLE001 - a malformed fly.toml: flyctl itself refuses it
        return []
    from .facts import WATCHED

    # Only the variables the rules judge are placed in the text (each search reads the file).
    env = [
        _toml_pair(source, "env", str(key), value)
        for key, value in dict(data.get("env") or {}).items()
        if key in WATCHED
    ]
    env_assignments = [pair for pair in env if pair is not None]
    found: list[Process] = []
    processes = data.get("processes")
    if isinstance(processes, dict) and processes:
        for name, command in list(processes.items())[:MAX_PROCESSES]:
            token = _toml_value(source, "processes", str(name), command)
            if token is not None:
                found.append(Process(
                        f"process '{name}'", argv=split_words(token), env=env_assignments, uses_dockerfile=True, env_where="[env]"
                    )
                )
    else:
        cmd = (data.get("experimental") or {}).get("cmd")
        token = _toml_value(source, "experimental", "cmd", cmd) if cmd is not None else None
        process = Process("[experimental] cmd", env=env_assignments, uses_dockerfile=True, env_where="[env]")
        if isinstance(cmd, list) and token is not None:
            process.argv = _list_words(token, cmd)
        elif token is not None:
            process.argv = split_words(token)
        found.append(process)
    return found


def _key_offset(source: SourceText, table: str, key: str) -> int | None:
    """Where ``key = `` starts inside ``[table]`` (or as ``table.key``)."""
    text = source.text
    header = re.search(rf"(?m)^[ \t]*\[{re.escape(table)}\][ \t]*$", text)
    if header is not None:
        following = re.search(r"(?m)^[ \t]*\[", text[header.end() :])
        end = header.end() + following.start() if following else len(text)
        match = re.compile(rf"(?m)^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=").search(text, header.end(), end)
        if match is not None:
            return match.start() + len(match.group(0)) - len(match.group(0).lstrip(" \t"))
    dotted = re.search(rf"(?m)^[ \t]*{re.escape(table)}\.{re.escape(key)}[ \t]*=", text)
    return dotted.start() if dotted else None


def _toml_pair(source: SourceText, table: str, key: str, value: object) -> Assignment | None:
    offset = _key_offset(source, table, key)
    if offset is None or not isinstance(value, (str, int, float, bool)):
        return None
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return Assignment(Token.at(key, offset, table), Token.at(shown, offset, table))


def _toml_value(source: SourceText, table: str, key: str, value: object) -> Token | None:
    """The value's text as a token at its place (a basic or literal string, or a list of them)."""
    offset = _key_offset(source, table, key)
    if offset is None:
        return None
    equals = source.text.index("=", offset) + 1
    while equals < len(source.text) and source.text[equals] in " \t":
        equals += 1
    if isinstance(value, str):
        quote = source.text[equals : equals + 1]
        begin = equals + 1 if quote in ("'", '"') else equals
        return Token(value, tuple(range(begin, begin + len(value))), begin, table)
    if isinstance(value, list):
        return Token.at(source.text[equals : source.text.find("\n", equals)], equals, table)
    return None


def _list_words(token: Token, items: list[Any]) -> list[Token]:
    """The strings of a one-line TOML list, each at its place in the text."""
    words: list[Token] = []
    cursor = 0
    for item in items:
        if not isinstance(item, str):
            continue
        index = token.value.find(item, cursor)
        if index < 0:
            words.append(Token(item, (), token.start, token.origin))
            continue
        words.append(token.sub(index, index + len(item)))
        cursor = index + len(item)
    return words
