"""Procfile parsing (Heroku, Dokku, foreman, honcho): ``<process type>: <shell command>`` lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import DeploymentFileError, SourceText, Token, lines_with_ends

_PROCESS = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*:[ \t]*")


@dataclass(frozen=True)
class Process:
    name: str
    command: Token  # run by the platform through a shell


def parse(source: SourceText) -> list[Process]:
    """The processes; raises :class:`DeploymentFileError` on a line that is none."""
    found: list[Process] = []
    offset = 0
    for number, line in enumerate(lines_with_ends(source.text), start=1):
        start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        match = _PROCESS.match(body)
        if match is None:
            raise DeploymentFileError(source.display, f"line {number}: not a 'process: command' line")
        command = body[match.end() :].rstrip()
        if not command:
            raise DeploymentFileError(source.display, f"line {number}: process '{match.group(1)}' has no command")
        found.append(Process(match.group(1), Token.at(command, start + match.end(), f"process '{match.group(1)}'")))
    return found
