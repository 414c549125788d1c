"""The report: lines as each figure is measured, and one summary table at the end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


def say(text: str = "") -> None:
    print(text, flush=True)


def fmt_ratio(value: float, limit: float) -> str:
    mark = "ok" if value <= limit else "OVER"
    return f"{value:.3f} ({mark}, limit {limit:.2f})"


@dataclass
class Summary:
    """One row per goal figure; printed as a table at the end of the run with each part's time."""

    rows: list[tuple[str, str, str, float, float, str]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    parts: list[tuple[str, float]] = field(default_factory=list)
    _part_start: float = 0.0

    def add(self, part: str, subject: str, mode: str, value: float, limit: float, note: str = "") -> None:
        self.rows.append((part, subject, mode, value, limit, note))

    def begin(self, part: str) -> None:
        self._part_start = time.perf_counter()
        self.parts.append((part, 0.0))

    def end(self) -> None:
        part, _ = self.parts[-1]
        self.parts[-1] = (part, time.perf_counter() - self._part_start)

    def print(self) -> None:
        say("\n== Summary (P1, P2, H: median paired CPU ratio with / without the plugin; P3: wall ratio; P4: MiB)")
        say(f"{'part':<5} {'corpus':<22} {'mode':<14} {'figure':>8} {'limit':>7}  verdict  note")
        for part, subject, mode, value, limit, note in self.rows:
            verdict = "ok" if value <= limit else "OVER"
            say(f"{part:<5} {subject:<22} {mode:<14} {value:>8.3f} {limit:>7.2f}  {verdict:<7}  {note}")
        spent = ", ".join(f"{part} {seconds:.0f} s" for part, seconds in self.parts)
        say(f"\nTime per part: {spent}; whole run {time.perf_counter() - self.started:.0f} s")
