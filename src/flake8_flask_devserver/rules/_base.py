"""What a rule module provides, and the report it yields."""

from __future__ import annotations

from typing import Iterator, NamedTuple, Protocol

import libcst as cst

from ..analysis import Analysis


class Report(NamedTuple):
    """A finding before positions are known: the node it points at and its message."""

    node: cst.CSTNode
    message: str


class Rule(Protocol):
    """The shape of a rule module (``rules/<name>.py``)."""

    CODE: str
    NAME: str
    SUMMARY: str
    DOCS: str

    @staticmethod
    def check(analysis: Analysis) -> Iterator[Report]: ...
