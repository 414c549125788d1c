"""What a rule module provides, and the report it yields."""

from __future__ import annotations

from typing import Iterator, NamedTuple, Protocol

import libcst as cst

from ..analysis import Analysis
from ._fix import Edit, Safety


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
    #: "safe", "unsafe", or None for a suggestion-only rule (which then has no ``fix``).
    FIX_SAFETY: Safety | None

    @staticmethod
    def check(analysis: Analysis) -> Iterator[Report]: ...

    @staticmethod
    def fix(analysis: Analysis, report: Report) -> Edit | None:
        """The edit that fixes one of this rule's reports; None for shapes it cannot fix safely."""
