"""Running things: one process with its wall time, CPU time and peak memory; A/B pairs; the measurements."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .corpora import Corpus
from .hostile import big_module
from .probes import AUDIT, DRIVER, ENGINE_TREE, PER_LINE, PLUGIN, STAGES

# --------------------------------------------------------------------------- running things


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mib: float
    code: int
    stdout: str
    stderr: str


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Let children write bytecode caches like a normal install would (the warm-up run
    # writes them), so neither side recompiles its modules on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(argv: list[str], cwd: Path | None = None, stdin: str | None = None) -> Sample:
    """Run a command; wall time, CPU time and peak RSS of its whole process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin.encode())
            inp.seek(0)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err, cwd=cwd, env=_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        return Sample(
            wall,
            usage.ru_utime + usage.ru_stime,
            rss,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def tool(name: str) -> str | None:
    """An executable next to this interpreter, else on PATH."""
    here = Path(sys.executable).parent / name
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(name)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Pair:
    """Medians of alternating runs of A (baseline) and B (with the plugin)."""

    a: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)

    def med(self, side: str, what: str) -> float:
        return median([getattr(sample, what) for sample in getattr(self, side)])

    def ratio(self, what: str) -> float:
        return self.med("b", what) / self.med("a", what)

    def fastest(self, what: str) -> float:
        """Ratio of the fastest runs: load from other work only ever adds CPU time."""
        return min(getattr(sample, what) for sample in self.b) / min(getattr(sample, what) for sample in self.a)

    def paired(self, what: str) -> float:
        """1 + the median of the per-round differences B - A, over the median of A.

        Each B runs right after its A, so slow changes in the machine's load cancel out.
        """
        differences = [getattr(b, what) - getattr(a, what) for a, b in zip(self.a, self.b)]
        return 1 + median(differences) / self.med("a", what)


def alternate(a: list[str], b: list[str], rounds: int, cwd: Path | None = None, warmup: bool = True) -> Pair:
    pair = Pair()
    if warmup:
        run(a, cwd)
        run(b, cwd)
    for _ in range(rounds):
        pair.a.append(run(a, cwd))
        pair.b.append(run(b, cwd))
    return pair


def alternate_many(commands: dict[str, list[str]], rounds: int, warmup: bool = True) -> dict[str, list[Sample]]:
    """Each command once per round, in turn (the first is the baseline), after one warm-up run of each."""
    if warmup:
        for argv in commands.values():
            run(argv)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            samples[name].append(run(argv))
    return samples


def paired_against(base: list[Sample], other: list[Sample], what: str = "cpu") -> float:
    """:meth:`Pair.paired` for one of several commands run in turn with the baseline."""
    return Pair(a=base, b=other).paired(what)


# --------------------------------------------------------------------------- measurements


def plugin_time(flake8_args: list[str]) -> float:
    """CPU seconds spent inside the plugin's run() over one flake8 run (all processes)."""
    with tempfile.TemporaryDirectory(prefix="fds-account-") as folder:
        argv = [sys.executable, "-c", DRIVER, "on", *flake8_args]
        env = _env()
        env["FDS_BENCH_ACCOUNT"] = folder
        with tempfile.TemporaryFile() as out:
            subprocess.run(argv, stdout=out, stderr=out, env=env, check=False)
        return sum(float(Path(folder, name).read_text()) for name in os.listdir(folder))


def check_driver() -> None:
    """The driver's ``off`` side really has no plugin, and ``on`` has it."""
    base = [sys.executable, "-c", DRIVER]
    off = run([*base, "off", "--version"]).stdout
    on = run([*base, "on", "--version"]).stdout
    if PLUGIN in off or PLUGIN not in on:
        raise SystemExit(f"bench: cannot switch the plugin off and on:\n off: {off}\n on: {on}")


def fds_lines(output: str) -> int:
    return sum(1 for line in output.splitlines() if ": FDS" in line)


def other_lines(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if ": FDS" not in line)


def stages(corpus: Corpus, top: int = 10) -> dict[str, object]:
    files = [str(path) for path in corpus.files()]
    sample = run([sys.executable, "-c", STAGES, str(top)], stdin=json.dumps(files))
    if sample.code != 0:
        raise SystemExit(f"bench: stage timing failed on {corpus.name}:\n{sample.stderr[-3000:]}")
    return json.loads(sample.stdout)


def audit(corpus: Corpus) -> dict[str, object]:
    files = [str(path) for path in corpus.files()]
    sample = run([sys.executable, "-c", AUDIT], stdin=json.dumps(files))
    if sample.code != 0:
        raise SystemExit(f"bench: audit failed on {corpus.name}:\n{sample.stderr[-3000:]}")
    return json.loads(sample.stdout)


def per_line(sizes: list[int], workdir: Path, repeat: int) -> list[dict[str, float]]:
    results = []
    for size in sizes:
        path = workdir / f"big_{size}" / "app.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(big_module(size), encoding="utf-8")
        sample = run([sys.executable, "-c", PER_LINE, str(path), str(repeat)])
        if sample.code != 0:
            raise SystemExit(f"bench: per-line timing failed:\n{sample.stderr[-3000:]}")
        results.append(json.loads(sample.stdout))
    return results


def p3(tree: Path, rounds: int, warmup: bool = True) -> dict[str, object]:
    """The command (or the engine from python -c), bandit and ruff over one tree, alternating."""
    commands: dict[str, list[str]] = {}
    notes: list[str] = []
    command = tool(PLUGIN)
    if command is not None:
        commands["command"] = [command, str(tree)]
    else:
        notes.append(f"P3: command not installed ({PLUGIN} not found next to {sys.executable} or on PATH)")
    commands["engine"] = [sys.executable, "-c", ENGINE_TREE, str(tree)]
    bandit = tool("bandit")
    if bandit is not None:
        commands["bandit"] = [bandit, "-q", "-t", "B201,B104", "-r", str(tree)]
    else:
        notes.append("P3: bandit not installed (pip install bandit)")
    ruff = tool("ruff")
    if ruff is not None:
        commands["ruff"] = [ruff, "check", "--isolated", "--no-cache", "--select", "S201,S104", "--exit-zero", str(tree)]
    else:
        notes.append("P3: ruff not installed (pip install ruff)")
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for argv in commands.values() if warmup else ():
        run(argv)  # warm-up
    for _ in range(rounds):
        for name, argv in commands.items():
            samples[name].append(run(argv))
    failed = {name: s[-1] for name, s in samples.items() if s and s[-1].code not in (0, 1)}
    for name, sample in failed.items():
        notes.append(f"P3: {name} exited {sample.code}: {sample.stderr.strip()[-300:]}")
    walls = {name: median([s.wall for s in runs]) for name, runs in samples.items()}
    cpus = {name: median([s.cpu for s in runs]) for name, runs in samples.items()}
    return {"wall": walls, "cpu": cpus, "notes": notes}
