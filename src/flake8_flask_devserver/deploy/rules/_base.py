"""Message pieces shared by the FDS4xx rules."""

from __future__ import annotations

from ...model import Finding
from ..facts import Hop, Place


def runs(hops: tuple[Hop, ...]) -> str:
    """``runs boot.sh, whose line 4 runs `` for an entrypoint reached through scripts."""
    return "runs " + "".join(f"{hop.display}, whose line {hop.line} runs " for hop in hops)


def through(hops: tuple[Hop, ...]) -> str:
    """`` (boot.sh line 4)`` for a setting found in a script the entrypoint runs."""
    if not hops:
        return ""
    return " (" + ", ".join(f"{hop.display} line {hop.line}" for hop in hops) + ")"


def finding(place: Place, code: str, message: str) -> Finding:
    return Finding(place.line, place.col, code, message)
