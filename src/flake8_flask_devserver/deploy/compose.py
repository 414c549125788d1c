"""Compose files (``docker-compose*.yml``, ``compose*.yaml``), read with PyYAML's node graph.

``yaml.compose`` keeps each scalar's start and end in the file, so a finding points
into the ``command:`` string itself. Anchors and ``<<`` merge keys are followed, and
the service's ``command``/``entrypoint`` (string or list), ``environment`` (map or
list), ``build``, ``working_dir``, bind-mount ``volumes`` and ``profiles`` are read.
PyYAML is imported only when a Compose file is checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from .command import Assignment
from .shell import split_words
from .text import DeploymentFileError, SourceText, Token, align

if TYPE_CHECKING:
    import yaml

_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"


@dataclass
class Service:
    name: str
    command: list[Token] | None = None  # as Compose splits it (no shell)
    entrypoint: list[Token] | None = None
    environment: list[Assignment] = field(default_factory=list)
    build_context: str | None = None
    dockerfile: str | None = None
    target: str | None = None
    working_dir: str | None = None
    binds: list[tuple[str, str]] = field(default_factory=list)  # (host path, container path)
    profiles: list[str] = field(default_factory=list)
    env_files: list[Token] = field(default_factory=list)  # ``env_file:`` paths, as written (positions)


def load(source: SourceText) -> Any:
    """The document's root node; raises :class:`DeploymentFileError` for invalid YAML."""
    import yaml

    try:
        return yaml.compose(source.text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        context, problem = error.context or "", error.problem or "malformed"
        if context.startswith("while "):
            problem = f"{problem} ({context})"  # "expected ',' or ']' (while parsing a flow sequence)"
        elif context:
            problem = f"{context}, {problem}"  # "expected a single document ..., but found another"
        raise DeploymentFileError(source.display, f"{line}invalid YAML, {problem}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (control characters)
        number = source.line_of(min(error.position, len(source.text)))
        char = error.character if isinstance(error.character, int) else ord(error.character)
        raise DeploymentFileError(
            source.display, f"line {number}: invalid YAML, character U+{char:04X} is not allowed"
        ) from None
    except yaml.YAMLError as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DeploymentFileError(source.display, f"invalid YAML, {first}") from None


def parse(source: SourceText) -> list[Service]:
    import yaml

    root = load(source)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise DeploymentFileError(
            source.display, f"line {root.start_mark.line + 1}: not a Compose file (the top level is not a mapping)"
        )
    mappings = _Mappings(source)
    services = mappings.get(root, "services")
    if services is None and not any(key.value in _SPEC_KEYS or key.value.startswith("x-") for key, _ in mappings.items(root)):
        # Compose file format version 1 (docker-compose 1.x): no ``version`` key, the services
        # at the top level (Docker's docs, "Compose file versions and upgrading": "Compose files
        # that do not declare a version are considered version 1 ... all the services are
        # declared at the root of the document").
        services = root
    if services is None or not isinstance(services, yaml.MappingNode):
        return []
    found: list[Service] = []
    for key, node in mappings.items(services):
        if isinstance(node, yaml.MappingNode):
            found.append(_service(mappings, key.value, node))
    return found


#: Top-level keys of the later formats (2.x, 3.x, the Compose Specification): a file with one is not version 1.
_SPEC_KEYS = frozenset({"services", "version", "networks", "volumes", "configs", "secrets", "include", "name", "models"})

#: Entries that ``<<`` merges may contribute in one file, all mappings together.
MAX_MERGED = 100_000
#: Merges of merges followed (a chain of aliases, not nesting in the text, so YAML itself accepts any length).
MAX_MERGE_DEPTH = 64


class _Mappings:
    """Mappings with ``<<`` merges applied, each mapping expanded once per file.

    PyYAML's own ``SafeConstructor.flatten_mapping`` copies every merged entry into
    every mapping that merges it, without removing duplicate keys, so a mapping that
    merges an alias nine times, nine levels deep, holds 9**9 entries (a merge-key
    "billion laughs"). Here a mapping's merged entries are computed once (aliases are
    the same node object, so the cache is by identity), duplicates collapse as the
    YAML merge spec says (own keys win, then earlier sources), and the entries all
    merges contribute are counted against :data:`MAX_MERGED`.
    """

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self._cache: dict[int, tuple[yaml.MappingNode, list[tuple[yaml.ScalarNode, yaml.Node]]]] = {}
        self._merged = 0

    def items(self, node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        """A mapping's entries, keys as scalars, merges applied (own keys win)."""
        cached = self._cache.get(id(node))
        if cached is not None and cached[0] is node:
            return cached[1]
        entries = self._expand(node, set())
        self._cache[id(node)] = (node, entries)  # the node kept alive with it: ids stay unique
        return entries

    def _expand(self, node: yaml.MappingNode, open_nodes: set[int]) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        import yaml

        own: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
        merged: dict[str, tuple[yaml.ScalarNode, yaml.Node]] = {}
        open_nodes.add(id(node))
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.tag == _MERGE:
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for merge in sources:
                    if not isinstance(merge, yaml.MappingNode) or id(merge) in open_nodes:
                        continue  # a mapping merging itself through an alias: nothing new
                    cached = self._cache.get(id(merge))
                    if cached is None or cached[0] is not merge:
                        if len(open_nodes) >= MAX_MERGE_DEPTH:
                            raise DeploymentFileError(
                                self.source.display,
                                f"line {key.start_mark.line + 1}: YAML merge keys (<<) chain more than "
                                f"{MAX_MERGE_DEPTH} mappings deep",
                            )
                        cached = (merge, self._expand(merge, open_nodes))
                        self._cache[id(merge)] = cached
                    self._merged += len(cached[1])
                    if self._merged > MAX_MERGED:
                        line = key.start_mark.line + 1
                        raise DeploymentFileError(
                            self.source.display,
                            f"line {line}: YAML merge keys (<<) add more than {MAX_MERGED} entries",
                        )
                    for item in cached[1]:
                        merged.setdefault(item[0].value, item)
                continue
            own[key.value] = (key, value)
        open_nodes.discard(id(node))
        return list({**merged, **own}.values())

    def get(self, node: yaml.MappingNode, name: str) -> yaml.Node | None:
        for key, value in self.items(node):
            if key.value == name:
                return value
        return None


def _token(source: SourceText, node: yaml.ScalarNode, origin: str) -> Token:
    begin, end = node.start_mark.index, node.end_mark.index
    return Token(node.value, align(node.value, source.text, begin, end), begin, origin)


def _scalar(node: yaml.Node | None) -> str | None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        return str(node.value)
    return None


def _words(source: SourceText, node: yaml.Node, origin: str) -> list[Token] | None:
    """``command``/``entrypoint``: a list is the argv; a string is split the way Compose splits it."""
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return [_token(source, item, origin) for item in node.value if isinstance(item, yaml.ScalarNode)]
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
        return split_words(_token(source, node, origin))
    return None


def _service(mappings: _Mappings, name: str, node: yaml.MappingNode) -> Service:
    import yaml

    source = mappings.source
    service = Service(name)
    for key, value in mappings.items(node):
        field_name = key.value
        if field_name in ("command", "entrypoint"):
            setattr(service, field_name, _words(source, value, field_name))
        elif field_name == "environment":
            service.environment = list(_environment(mappings, value))
        elif field_name == "build":
            if isinstance(value, yaml.MappingNode):
                service.build_context = _scalar(mappings.get(value, "context")) or "."
                service.dockerfile = _scalar(mappings.get(value, "dockerfile"))
                service.target = _scalar(mappings.get(value, "target"))
            else:
                service.build_context = _scalar(value)
        elif field_name == "working_dir":
            service.working_dir = _scalar(value)
        elif field_name == "volumes" and isinstance(value, yaml.SequenceNode):
            service.binds = list(_binds(mappings, value))
        elif field_name == "env_file":
            service.env_files = list(_env_files(mappings, value))
        elif field_name == "profiles" and isinstance(value, yaml.SequenceNode):
            service.profiles = [item for item in (_scalar(v) for v in value.value) if item]
    return service


def _environment(mappings: _Mappings, node: yaml.Node) -> Iterator[Assignment]:
    import yaml

    source = mappings.source
    if isinstance(node, yaml.MappingNode):
        for key, value in mappings.items(node):
            name = _token(source, key, "environment")
            if isinstance(value, yaml.ScalarNode) and value.tag != _NULL:
                yield Assignment(name, _token(source, value, "environment"))
            else:
                yield Assignment(name, None)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                continue
            token = _token(source, item, "environment")
            variable, sep, _ = token.value.partition("=")
            yield Assignment(token.sub(0, len(variable)), token.sub(len(variable) + 1) if sep else None)


def _binds(mappings: _Mappings, node: yaml.SequenceNode) -> Iterator[tuple[str, str]]:
    import yaml

    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            parts = str(item.value).split(":")
            if len(parts) >= 2 and parts[0][:1] in (".", "/", "~"):
                yield parts[0], parts[1]
        elif isinstance(item, yaml.MappingNode) and _scalar(mappings.get(item, "type")) == "bind":
            host, target = _scalar(mappings.get(item, "source")), _scalar(mappings.get(item, "target"))
            if host and target:
                yield host, target


def _env_files(mappings: _Mappings, node: yaml.Node) -> Iterator[Token]:
    """``env_file: a.env``, ``[a.env, b.env]`` or ``[{path: a.env, required: false}]``."""
    import yaml

    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for item in items:
        if isinstance(item, yaml.MappingNode):
            item = mappings.get(item, "path")
        if isinstance(item, yaml.ScalarNode) and item.tag != _NULL and item.value:
            yield _token(mappings.source, item, "env_file")
