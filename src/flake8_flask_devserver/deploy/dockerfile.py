"""Dockerfile/Containerfile parsing: instructions with their positions, and the stages they build.

Follows BuildKit's reading: parser directives (``# escape=``) at the top, comment
lines anywhere (also inside a continued instruction), the escape character at the end
of a line continuing it, heredoc bodies (``RUN <<EOF``) skipped, JSON exec form vs
shell form, ``ENV K=V ...`` and the legacy ``ENV K V``, and per-stage ``WORKDIR``,
``COPY``/``ADD``, ``CMD``/``ENTRYPOINT`` with inheritance from ``FROM <stage>``.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field

from .command import Assignment
from .shell import split_words
from .text import DeploymentFileError, SourceText, Token, align, lines_with_ends

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_DIRECTIVE = re.compile(r"#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(\S*)[ \t]*")
_INSTRUCTION = re.compile(r"[ \t]*([A-Za-z]+)(?=[ \t]|$)[ \t]*")
_HEREDOC = re.compile(r"<<(-?)[ \t]*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    args: Token  # the arguments as one logical line (continuations joined), with positions
    line: int  # line of the keyword


@dataclass(frozen=True)
class Command:
    """A ``CMD`` or ``ENTRYPOINT``: exec form (``argv``) or shell form (``script``)."""

    keyword: str
    argv: tuple[Token, ...] | None
    script: Token | None


@dataclass(frozen=True)
class Copy:
    """``COPY``/``ADD`` sources (build-context paths, or paths in stage ``source_stage``) to ``dest``."""

    sources: tuple[str, ...]
    dest: str  # absolute container path, as written after WORKDIR resolution
    dest_is_dir: bool
    source_stage: str | None = None


@dataclass(frozen=True)
class EnvValue:
    """An ``ENV`` setting and its value after ``$VAR`` expansion (None when that is unknown)."""

    assignment: Assignment
    value: str | None


#: Build stages read in one Dockerfile; real ones have a handful (each stage copies what it
#: inherits once, so this bounds the work on a chain of stages).
MAX_STAGES = 256


@dataclass
class Stage:
    index: int
    name: str | None
    parent: Stage | None
    line: int
    env: dict[str, EnvValue] = field(default_factory=dict)  # own ENV, last one wins
    args: dict[str, str | None] = field(default_factory=dict)  # ARG defaults in scope
    workdir: str | None = None  # own last WORKDIR (absolute)
    cmd: Command | None = None
    entrypoint: Command | None = None
    entrypoint_set: bool = False
    copies: list[Copy] = field(default_factory=list)
    users: list[Stage] = field(default_factory=list)  # later stages built FROM it or copying from it
    # What the parent stage had when this one began (it is complete by then), and what
    # ``$NAME`` expands to at this point of the stage: kept as the stage is read, so no
    # lookup walks the chain of parents (that was quadratic in the number of stages).
    inherited_env: dict[str, EnvValue] = field(default_factory=dict, repr=False)
    inherited_workdir: str = "/"
    scope: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, index: int, name: str | None, parent: Stage | None, line: int) -> Stage:
        stage = cls(index, name, parent, line)
        if parent is not None:
            stage.inherited_env = parent.environment()
            stage.inherited_workdir = parent.working_dir()
            stage.scope = dict(parent.scope)
        return stage

    # -- effective values (inherited from the parent stage) --------------
    def environment(self) -> dict[str, EnvValue]:
        return {**self.inherited_env, **self.env}

    def working_dir(self) -> str:
        return self.workdir if self.workdir is not None else self.inherited_workdir

    def effective_entrypoint(self) -> Command | None:
        stage: Stage | None = self
        while stage is not None:
            if stage.entrypoint_set:
                return stage.entrypoint
            stage = stage.parent
        return None

    def effective_cmd(self) -> Command | None:
        stage: Stage | None = self
        while stage is not None:
            if stage.cmd is not None:
                return stage.cmd
            if stage.entrypoint_set:
                return None  # setting ENTRYPOINT resets an inherited CMD
            stage = stage.parent
        return None

    def variables(self) -> dict[str, str | None]:
        """What ``$NAME`` expands to in this stage's instructions (ARG defaults, then ENV)."""
        return self.scope

    def set_arg(self, name: str, value: str | None) -> None:
        self.args[name] = value
        if name not in self.env and name not in self.inherited_env:
            self.scope[name] = value  # ENV wins over ARG of the same name, as in Docker

    def set_env(self, name: str, value: EnvValue) -> None:
        self.env[name] = value
        self.scope[name] = value.value


@dataclass
class Dockerfile:
    source: SourceText
    instructions: list[Instruction]
    stages: list[Stage]
    files_cache: dict[tuple[int, object], object] = field(default_factory=dict, repr=False)  # runtime.StageFiles

    def stage(self, name: str) -> Stage | None:
        return _stage_named(self.stages, name)

    def runs(self, stage: Stage) -> bool:
        """Whether ``stage`` is an image that runs: the last stage, or one that no later stage
        builds on or copies from (a ``--target``). Development stages never count, neither as
        images nor as users: a stage extended only by a ``dev`` stage is the production image."""
        if is_dev_stage(stage):
            return False
        return stage is self.stages[-1] or all(is_dev_stage(user) for user in stage.users)


def is_dev_stage(stage: Stage) -> bool:
    from .files import has_dev_word

    return has_dev_word(stage.name or "")


def _stage_named(stages: list[Stage], name: str) -> Stage | None:
    """A stage by its ``AS`` name (any case) or its index, as ``FROM``/``COPY --from`` name it."""
    for stage in stages:
        if stage.name is not None and stage.name.lower() == name.lower():
            return stage
    if name.isdigit() and int(name) < len(stages):
        return stages[int(name)]
    return None


def expand(value: str, variables: dict[str, str | None]) -> str | None:
    """``$NAME``, ``${NAME}``, ``${NAME:-default}`` expanded; None when a variable's value is unknown."""
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1) or match.group(4)
        operator, word = match.group(2), match.group(3)
        current = variables.get(name)
        if operator in (":-", "-"):
            if current is None or (operator == ":-" and current == ""):
                return word or ""
            return current
        if operator in (":+", "+"):
            return (word or "") if current else ""
        if current is None:
            unknown = True
            return ""
        return current

    result = _VARIABLE.sub(replace, value)
    return None if unknown else result


# -- instructions -------------------------------------------------------


def instructions(source: SourceText) -> list[Instruction]:
    """The instructions of a Dockerfile; raises :class:`DeploymentFileError` for an unknown one."""
    lines = lines_with_ends(source.text)
    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line)

    escape = "\\"
    index = 0
    # Parser directives: only before any comment, blank line or instruction.
    while index < len(lines):
        match = _DIRECTIVE.fullmatch(lines[index].rstrip("\r\n"))
        if match is None:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
        index += 1

    found: list[Instruction] = []
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        match = _INSTRUCTION.match(line)
        keyword = match.group(1).upper() if match else ""
        if keyword not in INSTRUCTIONS:
            word = stripped.split()[0]
            raise DeploymentFileError(source.display, f"line {index + 1}: unknown instruction '{word}'")
        assert match is not None
        first_line = index + 1
        chars: list[str] = []
        offsets: list[int] = []
        begin = match.end()
        while True:
            body = line[begin:]
            content = body.rstrip()
            continued = content.endswith(escape) and index + 1 < len(lines)
            if continued:
                content = content[: -len(escape)]
            base = starts[index] + begin
            chars.extend(content)
            offsets.extend(range(base, base + len(content)))
            index += 1
            if not continued:
                break
            # Comment and empty lines inside a continued instruction are dropped.
            while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
                index += 1
            if index >= len(lines):
                break
            line, begin = lines[index].rstrip("\r\n"), 0
        args = Token("".join(chars), tuple(offsets), starts[first_line - 1] + match.end(), keyword).strip()
        found.append(Instruction(keyword, args, first_line))
        if keyword in ("RUN", "COPY", "ADD"):
            index = _skip_heredocs(args.value, lines, index)
    return found


def _skip_heredocs(args: str, lines: list[str], index: int) -> int:
    """Skip the bodies of ``<<EOF`` heredocs, which would otherwise read as instructions."""
    for match in _HEREDOC.finditer(args):
        strip_tabs, word = match.group(1) == "-", match.group(3)
        while index < len(lines):
            body = lines[index].rstrip("\r\n")
            index += 1
            if (body.lstrip("\t") if strip_tabs else body) == word:
                break
    return index


# -- forms ---------------------------------------------------------------


def json_array(token: Token, source: SourceText, keyword: str) -> tuple[Token, ...] | None:
    """The exec form's words, or None for shell form.

    Docker runs a malformed ``["..."`` through ``/bin/sh -c`` as text, which fails when
    the container starts; that is reported as a malformed file rather than guessed at.
    """
    value = token.value
    if not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return tuple(_json_strings(token, parsed, source))
    if re.match(r"\[\s*[\"']", value):
        line = source.line_of(token.start)
        raise DeploymentFileError(
            source.display,
            f"line {line}: {keyword} is not a valid JSON array of strings "
            "(Docker would run it through /bin/sh -c as text)"
        )
    return None  # ``[ -f x ] && ...``: a shell test, not an array


def _json_strings(token: Token, items: list[str], source: SourceText) -> list[Token]:
    """Each JSON string's value, positioned at its characters in the file."""
    found: list[Token] = []
    value = token.value
    cursor = 0
    for item in items:
        opening = value.find('"', cursor)
        closing = opening + 1
        while value[closing] != '"':
            closing += 2 if value[closing] == "\\" else 1
        offsets = tuple(token.offsets[i] for i in align(item, value, opening + 1, closing))
        found.append(Token(item, offsets, token.offsets[opening], token.origin))
        cursor = closing + 1
    return found


def command(instruction: Instruction, source: SourceText) -> Command:
    argv = json_array(instruction.args, source, instruction.keyword)
    if argv is not None:
        return Command(instruction.keyword, argv, None)
    return Command(instruction.keyword, None, instruction.args)


def env_pairs(instruction: Instruction) -> list[Assignment]:
    """``ENV K=V K2="v 2"`` or the legacy ``ENV K V with spaces``."""
    args = instruction.args
    first = args.value.split(None, 1)[0] if args.value.strip() else ""
    if "=" not in first:
        name = args.sub(0, len(first))
        return [Assignment(name, _unquote(args.sub(len(first)).strip()))] if first else []
    pairs: list[Assignment] = []
    for word in split_words(args):
        key, sep, _ = word.value.partition("=")
        if sep and key:
            pairs.append(Assignment(word.sub(0, len(key)), word.sub(len(key) + 1)))
    return pairs


def _unquote(token: Token) -> Token:
    if len(token.value) >= 2 and token.value[0] == token.value[-1] and token.value[0] in "\"'":
        return token.sub(1, len(token.value) - 1)
    return token


# -- stages --------------------------------------------------------------


def parse(source: SourceText) -> Dockerfile:
    """Instructions and stages; raises :class:`DeploymentFileError` for a malformed file."""
    found = instructions(source)
    stages: list[Stage] = []
    global_args: dict[str, str | None] = {}
    stage: Stage | None = None
    for instruction in found:
        keyword, args = instruction.keyword, instruction.args
        if keyword == "FROM":
            words = [word for word in args.value.split() if not word.startswith("--")]
            image = expand(words[0], global_args) if words else None
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            if len(stages) >= MAX_STAGES:
                raise DeploymentFileError(
                    source.display, f"line {instruction.line}: more than {MAX_STAGES} build stages"
                )
            parent = _stage_named(stages, image) if image is not None else None
            stage = Stage.start(len(stages), name, parent, instruction.line)
            if parent is not None:
                parent.users.append(stage)
            stages.append(stage)
            continue
        if keyword == "ARG":
            for word in args.value.split():
                key, sep, default = word.partition("=")
                if stage is None:
                    global_args[key] = _strip_quotes(default) if sep else None
                else:
                    stage.set_arg(key, _strip_quotes(default) if sep else global_args.get(key))
            continue
        if stage is None:
            continue  # Docker rejects this; nothing of ours to judge before FROM
        if keyword == "ENV":
            # All pairs of one ENV see the values from before it (``ENV abc=bye def=$abc``
            # sets def to the old abc), as Docker documents.
            variables = stage.variables()
            values = [
                (pair, expand(pair.value.value if pair.value is not None else "", variables))
                for pair in env_pairs(instruction)
            ]
            for pair, value in values:
                stage.set_env(pair.name.value, EnvValue(pair, value))
        elif keyword == "WORKDIR":
            path = expand(_strip_quotes(args.value), stage.variables())
            if path:
                stage.workdir = posixpath.normpath(posixpath.join(stage.working_dir(), path))
        elif keyword in ("CMD", "ENTRYPOINT"):
            parsed = command(instruction, source)
            if keyword == "CMD":
                stage.cmd = parsed
            else:
                stage.entrypoint, stage.entrypoint_set, stage.cmd = parsed, True, None
        elif keyword in ("COPY", "ADD"):
            copy = _copy(instruction, stage, source)
            if copy is not None:
                stage.copies.append(copy)
                origin = _stage_named(stages, copy.source_stage) if copy.source_stage else None
                if origin is not None and origin is not stage:
                    origin.users.append(stage)
    return Dockerfile(source, found, stages)


def _strip_quotes(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _copy(instruction: Instruction, stage: Stage, source: SourceText) -> Copy | None:
    args = instruction.args
    if _HEREDOC.search(args.value):
        return None
    try:
        argv = json_array(args, source, instruction.keyword)
    except DeploymentFileError:
        argv = None
    words = [word.value for word in argv] if argv is not None else [word.value for word in split_words(args)]
    source_stage = None
    paths: list[str] = []
    for word in words:
        if word.startswith("--"):
            if word.startswith("--from="):
                source_stage = word.split("=", 1)[1]
            continue
        paths.append(word)
    if len(paths) < 2:
        return None
    variables = stage.variables()
    expanded = [expand(path, variables) for path in paths]
    if any(path is None for path in expanded):
        return None
    *sources, dest = [path for path in expanded if path is not None]
    if any(re.match(r"[a-z][a-z0-9+.-]*://|git@", item) for item in sources):
        return None  # URLs and git sources are not in the build context
    dest_is_dir = dest.endswith("/") or dest in (".", "./") or len(sources) > 1
    dest = posixpath.normpath(posixpath.join(stage.working_dir(), dest))
    return Copy(tuple(sources), dest, dest_is_dir, source_stage)
