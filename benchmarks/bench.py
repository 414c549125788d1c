#!/usr/bin/env python3
"""Benchmark flake8-flask-devserver: what the plugin costs on top of flake8, and the command against bandit/ruff.

Run it with the Python of the environment the plugin is installed in (flake8, bandit
and ruff are found next to that interpreter or on PATH)::

    python benchmarks/bench.py                       # generated Flask corpus + the stdlib
    python benchmarks/bench.py --corpus ~/src/flaskbb --corpus ~/src/CTFd
    python benchmarks/bench.py --quick               # small corpora, one round (smoke test)

It measures, and prints medians and ratios for:

* P1 ``flake8 --select=E,W,F`` with the plugin / without it, on Flask code (the generated
  corpus and every ``--corpus``), at ``-j1`` and ``-j2``.
* P2 the same on the running interpreter's standard library (not Flask).
* P3 the companion command (``flake8-flask-devserver``) over a Flask tree against
  ``bandit -t B201,B104 -r`` and ``ruff check --select S201,S104``; also the engine run
  over the same tree from ``python -c`` (so the number exists before the command does).
* P4 peak memory of flake8 with and without the plugin, and engine time per line on
  generated 1k-, 10k- and 50k-line Flask modules.
* Per-stage costs of the engine per corpus: read, gate, parse, index, rules, positions.
* H ``flake8 --select=E`` with the plugin / without it over a hostile corpus: issue 12's
  inputs that flake8 itself gets through (comment banners after the gate's trigger words,
  comments between a finding's parts, full-width names, 10,000 ``and`` terms, 600
  ``lambda:`` levels, CR-only line endings, a NUL byte, a view
  importing one name from a 1.9 MB data module, a 330-module import chain); goal <= 1.10.

How "without the plugin" is made: flake8 7 runs every installed plugin whatever
``--select`` says (codes are filtered afterwards; only ``off_by_default`` plugins are
skipped), so ``--select`` cannot switch the plugin off. Both sides therefore run the same
small driver, ``python -c DRIVER on|off <flake8 args>``; with ``off`` it drops
flake8-flask-devserver from flake8's plugin discovery before flake8 starts, so the plugin
is never imported. Everything else (interpreter, flake8, pycodestyle, pyflakes, driver) is
identical. The two sides run alternately (A B A B ...) after one warm-up run each.
Ratios are of medians; CPU time (user+sys of the process tree, from wait4) is the primary
figure because it is robust against other load on the machine; wall time is shown too.
(Note that ``--select=E,W,F`` also selects ``FDS``: selection is by prefix.)

Standard library only; Linux or macOS (uses os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

PLUGIN = "flake8-flask-devserver"

#: Runs flake8 with (``on``) or without (``off``) the plugin; nothing else differs.
DRIVER = """
import os, sys
mode = sys.argv.pop(1)
account = os.environ.get("FDS_BENCH_ACCOUNT")
if mode == "on" and account:  # one extra run: CPU spent inside the plugin's run(), per process
    import time
    from flake8_flask_devserver import flake8_plugin
    run = flake8_plugin.FlaskDevServerChecker.run
    spent = [0.0]
    def timed(self):
        start = time.process_time()
        try:
            yield from run(self)
        finally:
            spent[0] += time.process_time() - start
            with open(os.path.join(account, str(os.getpid())), "w") as out:
                out.write(repr(spent[0]))
    flake8_plugin.FlaskDevServerChecker.run = timed
if mode == "off":
    import flake8.plugins.finder as finder
    _find = finder._find_importlib_plugins
    finder._find_importlib_plugins = lambda: (p for p in _find() if p.package != "flake8-flask-devserver")
from flake8.main.cli import main
sys.argv[0] = "flake8"
raise SystemExit(main())
"""

#: The engine over a tree in one process: what the companion command does, minus its CLI.
ENGINE_TREE = """
import os, sys
from pathlib import Path
from flake8_flask_devserver import project
from flake8_flask_devserver.engine import SourceError, check_source
found = 0
for top in sys.argv[1:]:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules", "venv"))
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(folder, name)
                source = project.read_source(path)
                if source is None:
                    continue
                try:
                    found += len(check_source(source, path))
                except SourceError:
                    pass
print(found)
"""

#: Per-stage timing of the engine over a corpus, in a fresh interpreter (prints JSON).
STAGES = """
import json, sys, time
from pathlib import Path
t = time.perf_counter
totals = dict(read=0.0, gate=0.0, ast=0.0, libcst_import=0.0, parse=0.0, index=0.0, rules=0.0, positions=0.0)
counts = dict(files=0, lines=0, passed=0, analysed=0, parsed_lines=0, findings=0, unparsable=0)
t0 = t()
from flake8_flask_devserver import engine, project, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS
totals["import"] = t() - t0
paths = [Path(p) for p in json.loads(sys.stdin.read())]
_cst = None
for path in paths:
    t0 = t()
    source = project.read_source(path)
    t1 = t()
    totals["read"] += t1 - t0
    if source is None:
        continue
    counts["files"] += 1
    counts["lines"] += source.count("\\n")
    where = engine.location(path)
    facts = engine.screen(source, where, DEFAULT_SETTINGS)
    t2 = t()
    totals["gate"] += t2 - t1
    if facts is None:
        continue
    counts["passed"] += 1
    t2 = t()
    plan = slices.plan(source, facts, DEFAULT_SETTINGS)
    t3 = t()
    totals["ast"] += t3 - t2
    if plan is None:
        continue
    counts["analysed"] += 1
    if _cst is None:
        t8 = t()
        with engine.collector_paused():  # as in engine.check_source
            from flake8_flask_devserver import _cst
        totals["libcst_import"] = t() - t8
        t3 += totals["libcst_import"]
    with engine.collector_paused():  # as in _cst.analyse
        try:
            module = _cst.parse(plan.text)
        except engine.SourceError:
            counts["unparsable"] += 1
            continue
        t4 = t()
        analysis = _cst.index(module, where, DEFAULT_SETTINGS, plan.facts)
        t5 = t()
        reports = _cst.run_rules(analysis, None)
        t6 = t()
        findings = _cst.place(module, reports)
        t7 = t()
    counts["parsed_lines"] += plan.text.count("\\n")
    totals["parse"] += t4 - t3
    totals["index"] += t5 - t4
    totals["rules"] += t6 - t5
    totals["positions"] += t7 - t6
    counts["findings"] += len(findings)
print(json.dumps(dict(totals=totals, counts=counts)))
"""

#: Findings with every shortcut (gate, facts, slices) against none, over a corpus (prints JSON).
#: A file the whole-module analysis refuses (SourceError: too deep, libcst cannot parse it) while
#: the shortcuts find nothing to look at is counted apart: there is nothing to compare.
AUDIT = """
import json, sys
from pathlib import Path
from flake8_flask_devserver import _cst, apps, engine, gate, project, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS
paths = [Path(p) for p in json.loads(sys.stdin.read())]
def run(shortcuts):
    apps.clear_caches()
    slices.ENABLED = shortcuts
    found = {}
    for path in paths:
        source = project.read_source(path)
        where = engine.location(path)
        if source is None or project.is_test_file(where):
            continue
        try:
            if shortcuts:
                findings = engine.check_source(source, path)
            else:
                findings = _cst.analyse(source, where, DEFAULT_SETTINGS, None)
        except engine.SourceError as error:
            findings = ["refused: " + str(error)]
        found[str(path)] = sorted(str(f) for f in findings)
    return found
fast, full = run(True), run(False)
refused = sorted(p for p in full if full[p][:1] and full[p][0].startswith("refused") and not fast.get(p))
differ = sorted(p for p in full if fast.get(p) != full[p] and p not in refused)
findings = sum(len(v) for p, v in full.items() if p not in refused)
print(json.dumps(dict(files=len(full), findings=findings, differ=differ[:20], count=len(differ), refused=refused)))
"""

#: Engine time per line on one big module, in a fresh interpreter (prints JSON).
PER_LINE = """
import json, sys, time
from pathlib import Path
from flake8_flask_devserver import engine
from flake8_flask_devserver.engine import check_source
import flake8_flask_devserver._cst  # import cost is measured elsewhere
path = Path(sys.argv[1])
source = path.read_text()
best = None
for _ in range(int(sys.argv[2])):
    from flake8_flask_devserver import apps, project
    apps.clear_caches(); project.clear_caches()
    start = time.perf_counter()
    findings = check_source(source, path)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(json.dumps(dict(seconds=best, lines=source.count("\\n"), findings=len(findings))))
"""


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


# --------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    name: str
    root: Path
    flask: bool
    exclude: tuple[str, ...] = ()  # flake8 --extend-exclude patterns (basenames)

    def files(self) -> list[Path]:
        found = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d not in self.exclude and not d.startswith(".") and d != "__pycache__")
            found.extend(Path(folder, name) for name in sorted(names) if name.endswith(".py"))
        return found

    def flake8_args(self) -> list[str]:
        args = [f"--extend-exclude={','.join(self.exclude)}"] if self.exclude else []
        return [*args, str(self.root)]


def stdlib_corpus(flavour: str) -> Corpus:
    root = Path(sysconfig.get_paths()["stdlib"])
    exclude = ("site-packages", "dist-packages")
    if flavour == "lib":
        exclude += ("test", "tests", "idle_test")
    return Corpus(f"stdlib-{flavour} ({root})", root, flask=False, exclude=exclude)


def count_lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.read_bytes().count(b"\n")
        except OSError:
            pass
    return total


# --------------------------------------------------------------------------- measurements


def flake8_pair(corpus: Corpus, jobs: int, rounds: int, warmup: bool = True) -> Pair:
    base = [sys.executable, "-c", DRIVER]
    common = ["--select=E,W,F", f"--jobs={jobs}", *corpus.flake8_args()]
    return alternate([*base, "off", *common], [*base, "on", *common], rounds, warmup=warmup)


def plugin_time(corpus: Corpus, jobs: int) -> float:
    """CPU seconds spent inside the plugin's run() over one flake8 run (all processes)."""
    with tempfile.TemporaryDirectory(prefix="fds-account-") as folder:
        argv = [sys.executable, "-c", DRIVER, "on", "--select=E,W,F", f"--jobs={jobs}", *corpus.flake8_args()]
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


def stages(corpus: Corpus) -> dict[str, dict[str, float]]:
    files = [str(path) for path in corpus.files()]
    sample = run([sys.executable, "-c", STAGES], stdin=json.dumps(files))
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


# --------------------------------------------------------------------------- report


def fmt_ratio(value: float, limit: float) -> str:
    mark = "ok" if value <= limit else "OVER"
    return f"{value:.3f} ({mark}, limit {limit:.2f})"


def say(text: str = "") -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, default=[], help="a Flask project directory (repeatable)")
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds per flake8 pair on Flask corpora (default 5)")
    parser.add_argument("--stdlib-rounds", type=int, default=3, help="A/B rounds on the standard library (default 3)")
    parser.add_argument("--jobs", default="1,2", help="flake8 --jobs values, comma-separated (default 1,2)")
    parser.add_argument("--stdlib", choices=("full", "lib", "none"), default="full", help="full: all of Lib/ but site-packages; lib: without the test suites")
    parser.add_argument("--only", default="P1,P2,P3,P4,H,stages,audit", help="parts to run (default: all)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated Flask corpus")
    parser.add_argument("--workdir", type=Path, help="where to generate corpora (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--quick", action="store_true", help="tiny corpora, one round: proves the script works")
    args = parser.parse_args(argv)

    only = {part.strip() for part in args.only.split(",")}
    jobs = [int(j) for j in args.jobs.split(",")]
    if args.quick:
        args.rounds = args.stdlib_rounds = 1
        jobs = jobs[:1]
    results: dict[str, object] = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}

    with tempfile.TemporaryDirectory(prefix="fds-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        gen_root = workdir / "flask-generated"
        if gen_root.exists():
            shutil.rmtree(gen_root)
        if args.quick:
            generated = generate(gen_root, seed=args.seed, projects=2, small_apps=1)
        else:
            generated = generate(gen_root, seed=args.seed)
        flask_corpora = [Corpus("flask-generated", gen_root, flask=True)]
        flask_corpora += [Corpus(path.name, path.resolve(), flask=True) for path in args.corpus]
        other_corpora: list[Corpus] = []
        if args.quick:
            lib = Path(sysconfig.get_paths()["stdlib"])
            quick_std = workdir / "stdlib-sample"
            if quick_std.exists():
                shutil.rmtree(quick_std)
            quick_std.mkdir()
            for name in ("json", "logging", "http"):
                shutil.copytree(lib / name, quick_std / name, ignore=shutil.ignore_patterns("__pycache__"))
            other_corpora.append(Corpus("stdlib-sample (json, logging, http)", quick_std, flask=False))
        elif args.stdlib != "none":
            other_corpora.append(stdlib_corpus(args.stdlib))

        say(f"flake8-flask-devserver benchmark: Python {results['python']} on {results['platform']}, {results['cpus']} CPUs")
        for corpus in [*flask_corpora, *other_corpora]:
            files = corpus.files()
            say(f"  corpus {corpus.name}: {len(files)} files, {count_lines(files)} lines")
        say(f"  generated Flask corpus: seed {args.seed}, {len(generated)} files under {gen_root}")

        if only & {"P1", "P2", "P4"}:
            check_driver()
            say("\n== P1/P2: flake8 --select=E,W,F with the plugin (B) / without it (A); medians, CPU and wall")
            table = []
            for corpus in [*flask_corpora, *other_corpora]:
                part = "P1" if corpus.flask else "P2"
                if part not in only and "P4" not in only:
                    continue
                rounds = args.rounds if corpus.flask else args.stdlib_rounds
                for j in jobs:
                    pair = flake8_pair(corpus, j, rounds, warmup=not args.quick)
                    inside = plugin_time(corpus, j)
                    same = other_lines(pair.a[-1].stdout) == other_lines(pair.b[-1].stdout)
                    row = {
                        "part": part,
                        "corpus": corpus.name,
                        "jobs": j,
                        "rounds": rounds,
                        "a_cpu": pair.med("a", "cpu"),
                        "b_cpu": pair.med("b", "cpu"),
                        "a_wall": pair.med("a", "wall"),
                        "b_wall": pair.med("b", "wall"),
                        "ratio_cpu": pair.ratio("cpu"),
                        "ratio_wall": pair.ratio("wall"),
                        "paired_cpu": pair.paired("cpu"),
                        "fastest_cpu": pair.fastest("cpu"),
                        "paired_wall": pair.paired("wall"),
                        "a_cpu_all": [round(sample.cpu, 3) for sample in pair.a],
                        "b_cpu_all": [round(sample.cpu, 3) for sample in pair.b],
                        "a_rss": pair.med("a", "rss_mib"),
                        "b_rss": pair.med("b", "rss_mib"),
                        "fds_findings": fds_lines(pair.b[-1].stdout),
                        "plugin_run_cpu": inside,
                        "same_other_output": same,
                    }
                    table.append(row)
                    limit = 1.10 if corpus.flask else 1.02
                    say(
                        f"{part} {corpus.name} -j{j} x{rounds}: "
                        f"CPU {row['a_cpu']:.2f}s -> {row['b_cpu']:.2f}s ratio {fmt_ratio(row['ratio_cpu'], limit)} "
                        f"(paired {row['paired_cpu']:.3f}, fastest {row['fastest_cpu']:.3f}); "
                        f"wall {row['a_wall']:.2f}s -> {row['b_wall']:.2f}s ratio {row['ratio_wall']:.3f} "
                        f"(paired {row['paired_wall']:.3f}); "
                        f"inside the plugin's run(): {inside:.2f}s CPU ({100 * inside / row['a_cpu']:.1f}% of A); "
                        f"{row['fds_findings']} FDS findings; E/W/F output identical: {same}"
                    )
            results["flake8"] = table
            if "P4" in only:
                say("\n== P4: peak RSS of flake8 (process tree), medians")
                for row in table:
                    delta = row["b_rss"] - row["a_rss"]
                    mark = "ok" if delta <= 40 else "OVER"
                    say(
                        f"P4 {row['corpus']} -j{row['jobs']}: {row['a_rss']:.1f} MiB -> {row['b_rss']:.1f} MiB "
                        f"(+{delta:.1f} MiB, {mark}, limit +40 MiB)"
                    )

        if "H" in only:
            say("\n== H: flake8 --select=E with the plugin (B) / without it (A) over the hostile corpus (issue 12)")
            hostile_root = workdir / "hostile"
            if hostile_root.exists():
                shutil.rmtree(hostile_root)
            hostile_files = hostile(hostile_root, scale=0.05 if args.quick else 1.0)
            corpus = Corpus("hostile", hostile_root, flask=True)
            base = [sys.executable, "-c", DRIVER]
            common = ["--select=E", "--jobs=1", str(hostile_root)]
            pair = alternate([*base, "off", *common], [*base, "on", *common], args.rounds, warmup=not args.quick)
            row = {
                "files": len(hostile_files),
                "a_cpu": pair.med("a", "cpu"),
                "b_cpu": pair.med("b", "cpu"),
                "ratio_cpu": pair.ratio("cpu"),
                "paired_cpu": pair.paired("cpu"),
                "ratio_wall": pair.ratio("wall"),
                "b_stderr_lines": pair.b[-1].stderr.count("\n"),
            }
            results["hostile"] = row
            say(
                f"H {corpus.name} ({len(hostile_files)} files) -j1 x{args.rounds}: CPU {row['a_cpu']:.2f}s -> {row['b_cpu']:.2f}s "
                f"ratio {fmt_ratio(row['ratio_cpu'], 1.10)} (paired {row['paired_cpu']:.3f}); wall ratio {row['ratio_wall']:.3f}"
            )

        if "P4" in only:
            sizes = [1000, 3000] if args.quick else [1000, 10000, 50000]
            say("\n== P4: engine time per line on one generated Flask module (best of runs, caches cleared)")
            lines = per_line(sizes, workdir, 1 if args.quick else 3)
            results["per_line"] = lines
            for row in lines:
                say(
                    f"P4 {row['lines']:>6} lines: {row['seconds'] * 1000:8.1f} ms, "
                    f"{row['seconds'] / row['lines'] * 1e6:6.1f} us/line, {row['findings']} findings"
                )
            if len(lines) > 1:
                per = [row["seconds"] / row["lines"] for row in lines]
                say(f"P4 cost per line, largest / smallest file: {per[-1] / per[0]:.2f}")

        if "P3" in only:
            say("\n== P3: the command over a Flask tree vs bandit -t B201,B104 -r and ruff --select S201,S104 (wall medians)")
            trees = [gen_root, *[path.resolve() for path in args.corpus]]
            p3_rows = []
            for tree in trees:
                found = p3(tree, args.rounds, warmup=not args.quick)
                found["tree"] = str(tree)
                p3_rows.append(found)
                for note in found["notes"]:
                    say(note)
                wall = found["wall"]
                parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in wall.items())
                say(f"P3 {tree.name}: {parts}")
                for subject in ("command", "engine"):
                    if subject not in wall:
                        continue
                    label = "command" if subject == "command" else "engine via python -c"
                    if "bandit" in wall:
                        say(f"P3 {tree.name}: {label} / bandit = {fmt_ratio(wall[subject] / wall['bandit'], 0.15)}")
                    if "ruff" in wall:
                        say(f"P3 {tree.name}: {label} / ruff = {fmt_ratio(wall[subject] / wall['ruff'], 10.0)}")
            results["P3"] = p3_rows

        if "stages" in only:
            say("\n== Per-stage engine cost per corpus (one fresh process each; ms)")
            stage_rows = []
            for corpus in [*flask_corpora, *other_corpora]:
                found = stages(corpus)
                found["corpus"] = corpus.name
                stage_rows.append(found)
                totals, counts = found["totals"], found["counts"]
                lines = max(counts["lines"], 1)
                cells = "  ".join(f"{name} {seconds * 1000:.1f}" for name, seconds in totals.items())
                engine_total = sum(v for k, v in totals.items() if k != "import")
                say(
                    f"stages {corpus.name}: {counts['files']} files, {counts['passed']} past the gate, "
                    f"{counts['analysed']} past the ast checks ({counts['parsed_lines']} lines parsed by libcst), "
                    f"{counts['findings']} findings; "
                    f"{cells}; total {engine_total * 1000:.1f} ms ({engine_total / lines * 1e6:.2f} us/line)"
                )
            results["stages"] = stage_rows

        if "audit" in only:
            say("\n== Audit: findings with every shortcut (gate, facts, slices) == with none (whole modules, no gate)")
            audit_rows = []
            for corpus in [*flask_corpora, *other_corpora]:
                found = audit(corpus)
                found["corpus"] = corpus.name
                audit_rows.append(found)
                verdict = "identical" if not found["count"] else f"{found['count']} FILES DIFFER: {found['differ']}"
                refused = found["refused"]
                note = f" ({len(refused)} refused by the whole-module analysis alone: {refused[:3]})" if refused else ""
                say(f"audit {corpus.name}: {found['files']} files, {found['findings']} findings: {verdict}{note}")
            results["audit"] = audit_rows

    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- the generated Flask corpus
# Shaped like the Flask applications people ship: a package with an app factory, configuration
# classes, extensions, models, blueprints with views and forms, services, helpers, a click CLI,
# Celery tasks, Alembic migrations, launchers (run.py, wsgi.py, manage.py), setup.py and tests.
# Most files cannot hold a finding; a small share do, as in real code. Same seed, same bytes.

WORDS = (
    "shop blog wiki tracker helpdesk inventory billing forum gallery recipes booking library "
    "survey payroll crm notes chat events podcast fleet clinic school"
).split()
ENTITIES = (
    "user post comment tag order invoice product customer ticket project task message "
    "category review payment address session asset report event attachment"
).split()
FIELDS = (
    ("name", "db.String(120), nullable=False"),
    ("title", "db.String(200), nullable=False"),
    ("email", "db.String(255), unique=True, index=True"),
    ("body", "db.Text"),
    ("status", "db.String(32), default=\"draft\""),
    ("amount", "db.Numeric(10, 2), default=0"),
    ("quantity", "db.Integer, default=1"),
    ("is_active", "db.Boolean, default=True"),
    ("created_at", "db.DateTime, default=datetime.utcnow"),
    ("updated_at", "db.DateTime, onupdate=datetime.utcnow"),
    ("slug", "db.String(200), unique=True"),
    ("priority", "db.Integer, default=0"),
    ("notes", "db.Text, nullable=True"),
)


def _d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _cap(word: str) -> str:
    return "".join(part.capitalize() for part in word.split("_"))


class _Project:
    def __init__(self, rng: random.Random, name: str, root: Path) -> None:
        self.rng = rng
        self.name = name
        self.root = root
        self.src_layout = rng.random() < 0.35
        self.pkg_dir = root / "src" / name if self.src_layout else root / name
        self.entities = rng.sample(ENTITIES, rng.randint(4, 9))
        self.blueprints = rng.sample(["main", "auth", "admin", "api", "dashboard", "account", "reports"], rng.randint(2, 5))
        self.files: dict[Path, str] = {}

    def add(self, relative: str, text: str) -> None:
        self.files[self.root / relative] = text

    def add_pkg(self, relative: str, text: str) -> None:
        self.files[self.pkg_dir / relative] = text

    @property
    def pkg_prefix(self) -> str:
        return "src/" if self.src_layout else ""


# --------------------------------------------------------------------------- package


def _factory(p: _Project, bug: str | None) -> str:
    imports = "\n".join(f"    from .{bp} import bp as {bp}_bp" for bp in p.blueprints)
    registers = "\n".join(f"    app.register_blueprint({bp}_bp, url_prefix=\"/{bp}\")" for bp in p.blueprints)
    debug_line = ""
    if bug == "factory-debug":
        debug_line = '    app.config["DEBUG"] = True\n'
    elif bug == "factory-attr-debug":
        debug_line = "    app.debug = True\n"
    text = _d(
        f'''
        """{_cap(p.name)} application package: the app factory."""
        import logging
        import os
        from logging.handlers import RotatingFileHandler

        from flask import Flask, jsonify, render_template, request

        from .config import config_by_name
        from .extensions import cache, csrf, db, login_manager, mail, migrate


        def create_app(config_name=None):
            """Create and configure an instance of the application."""
            app = Flask(__name__, instance_relative_config=True)
            config_name = config_name or os.environ.get("{p.name.upper()}_CONFIG", "development")
            app.config.from_object(config_by_name[config_name])
            app.config.from_envvar("{p.name.upper()}_SETTINGS", silent=True)
        __DEBUG__    os.makedirs(app.instance_path, exist_ok=True)
            register_extensions(app)
            register_blueprints(app)
            register_errorhandlers(app)
            register_shellcontext(app)
            register_commands(app)
            configure_logging(app)
            return app


        def register_extensions(app):
            db.init_app(app)
            migrate.init_app(app, db)
            login_manager.init_app(app)
            csrf.init_app(app)
            mail.init_app(app)
            cache.init_app(app)


        def register_blueprints(app):
        __IMPORTS__
        __REGISTERS__


        def register_errorhandlers(app):
            def render_error(error):
                code = getattr(error, "code", 500)
                if request.accept_mimetypes.best == "application/json":
                    return jsonify(error=str(error)), code
                return render_template(f"errors/{{code}}.html"), code

            for errcode in (401, 403, 404, 500):
                app.errorhandler(errcode)(render_error)


        def register_shellcontext(app):
            from . import models

            def shell_context():
                return {{"db": db, "models": models}}

            app.shell_context_processor(shell_context)


        def register_commands(app):
            from .cli import register

            register(app)


        def configure_logging(app):
            if app.debug or app.testing:
                app.logger.setLevel(logging.DEBUG)
                return
            os.makedirs("logs", exist_ok=True)
            handler = RotatingFileHandler("logs/{p.name}.log", maxBytes=10240, backupCount=10)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s [in %(pathname)s:%(lineno)d]"))
            handler.setLevel(logging.INFO)
            app.logger.addHandler(handler)
            app.logger.setLevel(logging.INFO)
            app.logger.info("{p.name} startup")
        '''
    )
    return text.replace("__DEBUG__", debug_line).replace("__IMPORTS__", imports).replace("__REGISTERS__", registers)


def _config(p: _Project, bug: str | None) -> str:
    base_debug = "True" if bug == "config-debug" else "False"
    if bug == "config-raw":
        base_debug = 'os.environ.get("DEBUG", "false")'
    return _d(
        f'''
        """Configuration classes, selected by name in the app factory."""
        import os
        from datetime import timedelta

        basedir = os.path.abspath(os.path.dirname(__file__))


        class Config:
            SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
            DEBUG = {base_debug}
            TESTING = False
            SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(basedir, "app.db"))
            SQLALCHEMY_TRACK_MODIFICATIONS = False
            PERMANENT_SESSION_LIFETIME = timedelta(days=7)
            MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
            MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
            MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS") is not None
            ITEMS_PER_PAGE = {p.rng.choice((10, 20, 25, 50))}
            CACHE_TYPE = "SimpleCache"
            LOG_LEVEL = "INFO"


        class DevelopmentConfig(Config):
            DEBUG = True
            SQLALCHEMY_ECHO = True
            LOG_LEVEL = "DEBUG"


        class TestingConfig(Config):
            TESTING = True
            WTF_CSRF_ENABLED = False
            SQLALCHEMY_DATABASE_URI = "sqlite://"


        class ProductionConfig(Config):
            SESSION_COOKIE_SECURE = True
            REMEMBER_COOKIE_SECURE = True
            CACHE_TYPE = "RedisCache"


        config_by_name = {{
            "development": DevelopmentConfig,
            "testing": TestingConfig,
            "production": ProductionConfig,
            "default": DevelopmentConfig,
        }}
        '''
    )


def _extensions() -> str:
    return _d(
        '''
        """Extension objects, bound to the app in the factory."""
        from flask_caching import Cache
        from flask_login import LoginManager
        from flask_mail import Mail
        from flask_migrate import Migrate
        from flask_sqlalchemy import SQLAlchemy
        from flask_wtf.csrf import CSRFProtect

        db = SQLAlchemy()
        migrate = Migrate()
        login_manager = LoginManager()
        login_manager.login_view = "auth.login"
        login_manager.login_message_category = "info"
        csrf = CSRFProtect()
        mail = Mail()
        cache = Cache()
        '''
    )


def _model(rng: random.Random, entity: str, others: list[str]) -> str:
    fields = rng.sample(FIELDS, rng.randint(4, 9))
    columns = "\n".join(f"    {name} = db.Column({spec})" for name, spec in fields)
    rels = ""
    for other in rng.sample(others, min(len(others), rng.randint(0, 2))):
        rels += f"    {other}_id = db.Column(db.Integer, db.ForeignKey(\"{other}.id\"))\n"
        rels += f"    {other} = db.relationship(\"{_cap(other)}\", backref=\"{entity}s\")\n"
    methods = []
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    def to_dict(self):
                        data = {{"id": self.id}}
                        for column in self.__table__.columns:
                            value = getattr(self, column.name)
                            if isinstance(value, datetime):
                                value = value.isoformat()
                            data[column.name] = value
                        return data
                '''
            )
        )
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    @classmethod
                    def get_or_404(cls, ident):
                        obj = db.session.get(cls, ident)
                        if obj is None:
                            abort(404)
                        return obj

                    @classmethod
                    def recent(cls, limit=10):
                        return cls.query.order_by(cls.id.desc()).limit(limit).all()
                '''
            )
        )
    if rng.random() < 0.9:
        methods.append(
            _d(
                f'''
                    def save(self, commit=True):
                        db.session.add(self)
                        if commit:
                            db.session.commit()
                        return self

                    def delete(self, commit=True):
                        db.session.delete(self)
                        if commit:
                            db.session.commit()
                '''
            )
        )
    if entity == "user":
        methods.append(
            _d(
                '''
                    def set_password(self, password):
                        self.password_hash = generate_password_hash(password)

                    def check_password(self, password):
                        return check_password_hash(self.password_hash, password)

                    @property
                    def is_admin(self):
                        return self.role == "admin"
                '''
            )
        )
        columns += "\n    password_hash = db.Column(db.String(255))\n    role = db.Column(db.String(20), default=\"member\")"
    body = "\n".join(textwrap.indent(method, "    ") for method in methods)
    return (
        f"class {_cap(entity)}(db.Model{', UserMixin' if entity == 'user' else ''}):\n"
        f"    __tablename__ = \"{entity}\"\n\n"
        f"    id = db.Column(db.Integer, primary_key=True)\n{columns}\n{rels}\n"
        f"    def __repr__(self):\n        return f\"<{_cap(entity)} {{self.id}}>\"\n\n{body}"
    )


def _models(p: _Project) -> str:
    head = _d(
        '''
        """Database models."""
        from datetime import datetime

        from flask import abort
        from flask_login import UserMixin
        from werkzeug.security import check_password_hash, generate_password_hash

        from .extensions import db, login_manager


        @login_manager.user_loader
        def load_user(user_id):
            return db.session.get(User, int(user_id))

        '''
    )
    entities = sorted(set(p.entities) | {"user"})
    parts = [_model(p.rng, entity, [e for e in entities if e != entity]) for entity in entities]
    return head + "\n\n" + "\n\n".join(parts)


def _blueprint_init(bp: str) -> str:
    return _d(
        f'''
        """The {bp} blueprint."""
        from flask import Blueprint

        bp = Blueprint("{bp}", __name__, template_folder="templates")

        from . import views  # noqa: E402,F401
        '''
    )


def _view(rng: random.Random, bp: str, entity: str, index: int) -> str:
    cls = _cap(entity)
    kind = rng.choice(("list", "detail", "create", "edit", "delete", "api", "search"))
    logger = rng.random() < 0.5
    log = f'    current_app.logger.debug("{bp}.{entity} {kind} %s", request.path)\n' if logger else ""
    if kind == "list":
        return (
            f"@bp.route(\"/{entity}s\")\n@login_required\ndef list_{entity}s_{index}():\n{log}"
            f"    page = request.args.get(\"page\", 1, type=int)\n"
            f"    query = {cls}.query.order_by({cls}.id.desc())\n"
            f"    pagination = query.paginate(page=page, per_page=current_app.config[\"ITEMS_PER_PAGE\"])\n"
            f"    return render_template(\"{bp}/{entity}_list.html\", pagination=pagination, items=pagination.items)\n"
        )
    if kind == "detail":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>\")\ndef show_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    if not can_view(current_user, item):\n        abort(403)\n"
            f"    return render_template(\"{bp}/{entity}_detail.html\", item=item)\n"
        )
    if kind == "create":
        return (
            f"@bp.route(\"/{entity}s/new\", methods=[\"GET\", \"POST\"])\n@login_required\ndef create_{entity}_{index}():\n{log}"
            f"    form = {cls}Form()\n"
            f"    if form.validate_on_submit():\n"
            f"        item = {cls}()\n"
            f"        form.populate_obj(item)\n"
            f"        db.session.add(item)\n"
            f"        db.session.commit()\n"
            f"        flash(\"{cls} created.\", \"success\")\n"
            f"        return redirect(url_for(\"{bp}.show_{entity}_{index}\", ident=item.id))\n"
            f"    return render_template(\"{bp}/{entity}_form.html\", form=form)\n"
        )
    if kind == "edit":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>/edit\", methods=[\"GET\", \"POST\"])\n@login_required\n"
            f"def edit_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    form = {cls}Form(obj=item)\n"
            f"    if form.validate_on_submit():\n"
            f"        form.populate_obj(item)\n"
            f"        db.session.commit()\n"
            f"        flash(\"Saved.\", \"success\")\n"
            f"        return redirect(url_for(\"{bp}.show_{entity}_{index}\", ident=item.id))\n"
            f"    elif request.method == \"POST\":\n"
            f"        current_app.logger.info(\"invalid form: %s\", form.errors)\n"
            f"    return render_template(\"{bp}/{entity}_form.html\", form=form, item=item)\n"
        )
    if kind == "delete":
        return (
            f"@bp.route(\"/{entity}s/<int:ident>/delete\", methods=[\"POST\"])\n@login_required\n"
            f"def delete_{entity}_{index}(ident):\n{log}"
            f"    item = {cls}.query.get_or_404(ident)\n"
            f"    if item.user_id != current_user.id and not current_user.is_admin:\n        abort(403)\n"
            f"    db.session.delete(item)\n    db.session.commit()\n"
            f"    flash(\"Deleted.\", \"info\")\n"
            f"    return redirect(url_for(\"{bp}.index\"))\n"
        )
    if kind == "api":
        return (
            f"@bp.route(\"/api/{entity}s\", methods=[\"GET\", \"POST\"])\ndef api_{entity}s_{index}():\n{log}"
            f"    if request.method == \"POST\":\n"
            f"        payload = request.get_json(force=True) or {{}}\n"
            f"        errors = validate_payload(payload, required=(\"name\",))\n"
            f"        if errors:\n            return jsonify(errors=errors), 400\n"
            f"        item = {cls}(**payload)\n"
            f"        db.session.add(item)\n        db.session.commit()\n"
            f"        return jsonify(item.to_dict()), 201\n"
            f"    items = {cls}.query.limit(request.args.get(\"limit\", 50, type=int)).all()\n"
            f"    return jsonify([item.to_dict() for item in items])\n"
        )
    return (
        f"@bp.route(\"/{entity}s/search\")\ndef search_{entity}s_{index}():\n{log}"
        f"    term = request.args.get(\"q\", \"\").strip()\n"
        f"    if not term:\n        return redirect(url_for(\"{bp}.index\"))\n"
        f"    results = {cls}.query.filter({cls}.id.in_(search_ids(term, \"{entity}\"))).all()\n"
        f"    session[\"last_search\"] = term\n"
        f"    return render_template(\"{bp}/search.html\", results=results, term=term)\n"
    )


def _views(p: _Project, bp: str) -> str:
    rng = p.rng
    entities = rng.sample(p.entities, min(len(p.entities), rng.randint(1, 3)))
    classes = ", ".join(sorted({_cap(e) for e in entities}))
    forms = ", ".join(sorted({_cap(e) + "Form" for e in entities}))
    head = _d(
        f'''
        """Views of the {bp} blueprint."""
        from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
        from flask_login import current_user, login_required

        from ..extensions import db
        from ..models import {classes}
        from ..utils import can_view, search_ids, validate_payload
        from . import bp
        from .forms import {forms}


        @bp.route("/")
        def index():
            return render_template("{bp}/index.html")

        '''
    )
    routes = [_view(rng, bp, rng.choice(entities), i) for i in range(rng.randint(16, 44))]
    return head + "\n\n" + "\n\n".join(routes)


def _forms(p: _Project, bp: str) -> str:
    parts = [
        _d(
            '''
            """Forms of the blueprint."""
            from flask_wtf import FlaskForm
            from wtforms import BooleanField, DecimalField, IntegerField, PasswordField, StringField, TextAreaField
            from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
            '''
        )
    ]
    for entity in p.entities:
        fields = p.rng.sample(
            [
                'name = StringField("Name", validators=[DataRequired(), Length(max=120)])',
                'title = StringField("Title", validators=[DataRequired(), Length(max=200)])',
                'email = StringField("Email", validators=[Optional(), Email()])',
                'body = TextAreaField("Body")',
                'quantity = IntegerField("Quantity", validators=[NumberRange(min=0)])',
                'amount = DecimalField("Amount", places=2)',
                'is_active = BooleanField("Active")',
                'password = PasswordField("Password", validators=[Optional(), Length(min=8)])',
            ],
            4,
        )
        body = "\n".join(f"    {field}" for field in fields)
        first = fields[0].split(" = ")[0]
        validator = (
            f"\n    def validate_{first}(self, field):\n"
            f"        value = field.data\n"
            f"        if isinstance(value, str) and value.strip() != value:\n"
            f"            raise ValidationError(\"No leading or trailing spaces.\")\n"
            f"        if value in self.reserved:\n"
            f"            raise ValidationError(\"This value is reserved.\")\n"
        )
        parts.append(f"\n\nclass {_cap(entity)}Form(FlaskForm):\n    reserved = (\"admin\", \"root\")\n\n{body}\n{validator}")
    return "".join(parts)


def _utils(p: _Project) -> str:
    return _d(
        '''
        """Small helpers shared by the views (no Flask here)."""
        import hashlib
        import re
        import unicodedata
        from datetime import datetime, timezone

        _SLUG = re.compile(r"[^a-z0-9]+")


        def slugify(text, max_length=80):
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
            return _SLUG.sub("-", text.lower()).strip("-")[:max_length]


        def can_view(user, item):
            if getattr(user, "is_admin", False):
                return True
            owner = getattr(item, "user_id", None)
            return owner is None or owner == getattr(user, "id", None)


        def validate_payload(payload, required=()):
            errors = {}
            for key in required:
                if not payload.get(key):
                    errors[key] = "required"
            return errors


        def search_ids(term, kind, limit=100):
            digest = hashlib.sha1(f"{kind}:{term}".encode()).hexdigest()
            return [int(digest[i:i + 4], 16) % 1000 for i in range(0, min(len(digest), limit), 4)]


        def utcnow():
            return datetime.now(timezone.utc)


        def humanize_delta(moment, now=None):
            now = now or utcnow()
            seconds = int((now - moment).total_seconds())
            for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
                if seconds >= size:
                    count = seconds // size
                    return f"{count} {unit}{'s' if count != 1 else ''} ago"
            return "just now"


        def chunked(items, size):
            for start in range(0, len(items), size):
                yield items[start:start + size]
        '''
    )


def _service(p: _Project, entity: str) -> str:
    cls = _cap(entity)
    return _d(
        f'''
        """Business logic for {entity}s, kept out of the views."""
        import csv
        import io
        import logging
        import subprocess

        from ..extensions import db
        from ..models import {cls}

        log = logging.getLogger(__name__)


        class {cls}Service:
            def __init__(self, session=None):
                self.session = session or db.session

            def create(self, **fields):
                item = {cls}(**fields)
                self.session.add(item)
                self.session.commit()
                log.debug("created {entity} %s", item.id)
                return item

            def bulk_import(self, text):
                reader = csv.DictReader(io.StringIO(text))
                created = 0
                for row in reader:
                    self.session.add({cls}(**{{k: v for k, v in row.items() if v}}))
                    created += 1
                self.session.commit()
                return created

            def export(self):
                out = io.StringIO()
                writer = csv.writer(out)
                for item in {cls}.query.all():
                    writer.writerow(item.to_dict().values())
                return out.getvalue()

            def archive(self, path):
                result = subprocess.run(["tar", "czf", path, "data/{entity}s"], capture_output=True, check=False)
                if result.returncode:
                    log.warning("archive failed: %s", result.stderr)
                return result.returncode == 0
        '''
    )


def _schemas(p: _Project) -> str:
    parts = [
        '"""Serialisation schemas for the JSON API."""\n'
        "from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate\n\n"
        "from .models import " + ", ".join(sorted({_cap(e) for e in p.entities})) + "\n"
    ]
    for entity in p.entities:
        cls = _cap(entity)
        chosen = p.rng.sample(FIELDS, p.rng.randint(4, 8))
        lines = []
        for name, spec in chosen:
            kind = "Str"
            if "Integer" in spec:
                kind = "Int"
            elif "Boolean" in spec:
                kind = "Bool"
            elif "DateTime" in spec:
                kind = "DateTime"
            elif "Numeric" in spec:
                kind = "Decimal"
            extra = ", validate=validate.Length(max=200)" if kind == "Str" else ""
            lines.append(f"    {name} = fields.{kind}({'required=True' if 'nullable=False' in spec else 'allow_none=True'}{extra})")
        body = "\n".join(lines)
        parts.append(
            f"\n\nclass {cls}Schema(Schema):\n"
            f"    id = fields.Int(dump_only=True)\n{body}\n\n"
            f"    class Meta:\n        ordered = True\n\n"
            f"    @pre_load\n    def strip_strings(self, data, **kwargs):\n"
            f"        return {{key: value.strip() if isinstance(value, str) else value for key, value in data.items()}}\n\n"
            f"    @post_load\n    def make_object(self, data, **kwargs):\n"
            f"        if not data:\n            raise ValidationError(\"empty payload\")\n"
            f"        return {cls}(**data)\n\n\n"
            f"{entity}_schema = {cls}Schema()\n{entity}s_schema = {cls}Schema(many=True)\n"
        )
    return "".join(parts)


def _cli(p: _Project) -> str:
    return _d(
        f'''
        """Command line helpers registered on the app (flask <command>)."""
        import os
        import subprocess

        import click
        from flask.cli import with_appcontext

        from .extensions import db


        @click.command("init-db")
        @with_appcontext
        def init_db():
            """Create all tables."""
            db.create_all()
            click.echo("Initialised the database.")


        @click.command("lint")
        @click.option("--fix", is_flag=True, help="Fix imports and formatting.")
        def lint(fix):
            """Lint the code base."""
            files = [name for name in os.listdir(".") if name.endswith(".py")]
            subprocess.run(["flake8", *files], check=False)
            if fix:
                subprocess.run(["isort", "."], check=False)


        @click.command("clean")
        def clean():
            """Remove *.pyc files."""
            for dirpath, _, filenames in os.walk("."):
                for filename in filenames:
                    if filename.endswith(".pyc"):
                        os.remove(os.path.join(dirpath, filename))


        def register(app):
            for command in (init_db, lint, clean):
                app.cli.add_command(command)
        '''
    )


def _tasks(p: _Project) -> str:
    return _d(
        f'''
        """Celery tasks."""
        import logging

        from celery import Celery, shared_task

        log = logging.getLogger(__name__)
        celery = Celery(__name__, broker="redis://localhost:6379/0")


        def init_celery(app):
            celery.conf.update(app.config)

            class ContextTask(celery.Task):
                def __call__(self, *args, **kwargs):
                    with app.app_context():
                        return self.run(*args, **kwargs)

            celery.Task = ContextTask
            return celery


        @shared_task(bind=True, max_retries=3)
        def send_digest(self, user_id):
            try:
                log.info("sending digest to %s", user_id)
            except Exception as exc:  # noqa: BLE001
                raise self.retry(exc=exc, countdown=60)
        '''
    )


# --------------------------------------------------------------------------- project files


def _run_py(p: _Project, variant: str) -> str:
    head = f'"""Development launcher."""\nimport os\n\nfrom {p.name} import create_app\n\napp = create_app(os.environ.get("APP_CONFIG", "development"))\n'
    if variant == "debug":
        return head + '\nif __name__ == "__main__":\n    app.run(debug=True)\n'
    if variant == "host":
        return head + '\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))\n'
    if variant == "env":
        return head + '\nif __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n'
    return head + '\nif __name__ == "__main__":\n    app.run()\n'


def _wsgi_py(p: _Project) -> str:
    return f'"""WSGI entry point for gunicorn: gunicorn \'wsgi:app\'."""\nfrom {p.name} import create_app\n\napp = create_app("production")\n'


def _manage_py(p: _Project, variant: str) -> str:
    body = _d(
        f'''
        """Management script."""
        import sys

        import click

        from {p.name} import create_app
        from {p.name}.extensions import db

        app = create_app()


        @click.group()
        def cli():
            pass


        @cli.command()
        def shell():
            import code

            with app.app_context():
                code.interact(local={{"app": app, "db": db}})


        @cli.command()
        @click.option("--port", default=5000)
        def serve(port):
        '''
    )
    if variant == "host":
        body += '    app.run(host="0.0.0.0", port=port)\n'
    else:
        body += '    from waitress import serve as waitress_serve\n\n    waitress_serve(app, port=port)\n'
    return body + '\n\nif __name__ == "__main__":\n    sys.exit(cli())\n'


def _setup_py(p: _Project) -> str:
    return _d(
        f'''
        from setuptools import find_packages, setup

        setup(
            name="{p.name}",
            version="0.{p.rng.randint(1, 9)}.0",
            packages=find_packages({'"src"' if p.src_layout else ''}),
            {'package_dir={"": "src"},' if p.src_layout else ''}
            include_package_data=True,
            install_requires=["flask>=2.3", "flask-sqlalchemy", "flask-login", "flask-wtf", "flask-migrate"],
        )
        '''
    )


def _docs_conf(p: _Project) -> str:
    return _d(
        f'''
        # Sphinx configuration.
        import os
        import sys

        sys.path.insert(0, os.path.abspath(".."))

        project = "{p.name}"
        author = "{p.name} developers"
        release = "0.1"
        extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinx.ext.napoleon"]
        templates_path = ["_templates"]
        exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
        html_theme = "alabaster"
        html_static_path = ["_static"]
        '''
    )


def _migration_env(p: _Project) -> str:
    return _d(
        '''
        import logging
        from logging.config import fileConfig

        from alembic import context
        from flask import current_app

        config = context.config
        fileConfig(config.config_file_name)
        logger = logging.getLogger("alembic.env")


        def get_engine():
            return current_app.extensions["migrate"].db.engine


        config.set_main_option("sqlalchemy.url", str(get_engine().url).replace("%", "%%"))
        target_db = current_app.extensions["migrate"].db


        def run_migrations_offline():
            url = config.get_main_option("sqlalchemy.url")
            context.configure(url=url, target_metadata=target_db.metadata, literal_binds=True)
            with context.begin_transaction():
                context.run_migrations()


        def run_migrations_online():
            def process_revision_directives(context, revision, directives):
                if getattr(config.cmd_opts, "autogenerate", False):
                    script = directives[0]
                    if script.upgrade_ops.is_empty():
                        directives[:] = []
                        logger.info("No changes in schema detected.")

            connectable = get_engine()
            with connectable.connect() as connection:
                context.configure(
                    connection=connection,
                    target_metadata=target_db.metadata,
                    process_revision_directives=process_revision_directives,
                )
                with context.begin_transaction():
                    context.run_migrations()


        if context.is_offline_mode():
            run_migrations_offline()
        else:
            run_migrations_online()
        '''
    )


def _migration(p: _Project, index: int, entity: str) -> str:
    rng = p.rng
    revision = f"{rng.getrandbits(48):012x}"
    columns = ",\n".join(
        f"        sa.Column(\"{name}\", sa.{spec.split(',')[0].split('(')[0].replace('db.', '')}(), nullable=True)"
        for name, spec in rng.sample(FIELDS, 5)
    )
    return _d(
        f'''
        """add {entity} table

        Revision ID: {revision}
        """
        import sqlalchemy as sa
        from alembic import op

        revision = "{revision}"
        down_revision = None
        branch_labels = None
        depends_on = None


        def upgrade():
            op.create_table(
                "{entity}_{index}",
                sa.Column("id", sa.Integer(), nullable=False),
        '''
    ) + columns + _d(
        f'''
        ,
                sa.PrimaryKeyConstraint("id"),
            )
            op.create_index(op.f("ix_{entity}_{index}_id"), "{entity}_{index}", ["id"], unique=False)


        def downgrade():
            op.drop_index(op.f("ix_{entity}_{index}_id"), table_name="{entity}_{index}")
            op.drop_table("{entity}_{index}")
        '''
    )


def _conftest(p: _Project) -> str:
    return _d(
        f'''
        import pytest

        from {p.name} import create_app
        from {p.name}.extensions import db


        @pytest.fixture
        def app():
            app = create_app("testing")
            app.config.update(TESTING=True, DEBUG=True)
            with app.app_context():
                db.create_all()
                yield app
                db.drop_all()


        @pytest.fixture
        def client(app):
            return app.test_client()
        '''
    )


def _test_module(p: _Project, bp: str) -> str:
    rng = p.rng
    tests = []
    for index in range(rng.randint(10, 36)):
        entity = rng.choice(p.entities)
        shape = rng.choice(("get", "post", "json", "auth"))
        if shape == "get":
            body = (
                f"    response = client.get(\"/{bp}/{entity}s\")\n"
                f"    assert response.status_code in (200, 302)\n"
                f"    assert b\"<html\" in response.data or response.status_code == 302\n"
            )
        elif shape == "post":
            body = (
                f"    response = client.post(\"/{bp}/{entity}s/new\", data={{\"name\": \"x{index}\"}}, follow_redirects=True)\n"
                f"    assert response.status_code == 200\n"
                f"    with app.app_context():\n"
                f"        assert db.session.query({_cap(entity)}).count() >= 0\n"
            )
        elif shape == "json":
            body = (
                f"    response = client.post(\"/{bp}/api/{entity}s\", json={{\"name\": \"item{index}\"}})\n"
                f"    assert response.status_code in (201, 400, 404)\n"
                f"    if response.status_code == 201:\n"
                f"        assert response.get_json()[\"id\"] > 0\n"
            )
        else:
            body = (
                f"    client.post(\"/auth/login\", data={{\"email\": \"a@example.com\", \"password\": \"secret{index}\"}})\n"
                f"    response = client.get(\"/{bp}/{entity}s/1/edit\")\n"
                f"    assert response.status_code in (200, 302, 403, 404)\n"
            )
        tests.append(f"def test_{bp}_{entity}_{shape}_{index}(app, client):\n{body}")
    entities = ", ".join(sorted({_cap(e) for e in p.entities}))
    head = f'"""Tests for the {bp} blueprint."""\nfrom {p.name}.extensions import db\nfrom {p.name}.models import {entities}  # noqa: F401\n\n\n'
    return head + "\n\n".join(tests)


def _single_file_app(rng: random.Random, name: str, variant: str) -> str:
    routes = "\n\n".join(
        f"@app.route(\"/{word}\")\ndef {word}():\n    return render_template(\"{word}.html\", items=ITEMS.get(\"{word}\", []))\n"
        for word in rng.sample(ENTITIES, rng.randint(3, 8))
    )
    head = _d(
        f'''
        """{_cap(name)}: a small single-file Flask app."""
        import os

        from flask import Flask, render_template

        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
        ITEMS = {{}}

        '''
    )
    tail = {
        "import-time": 'app.run(debug=True)\n',
        "main": 'if __name__ == "__main__":\n    app.run(host="0.0.0.0", port=8080, debug=True)\n',
        "clean": 'if __name__ == "__main__":\n    app.run()\n',
    }[variant]
    return head + "\n" + routes + "\n\n" + tail


def _project(rng: random.Random, name: str, root: Path) -> dict[Path, str]:
    p = _Project(rng, name, root)
    bug = rng.choice((None, None, None, None, "config-debug", "config-raw", "factory-debug", "factory-attr-debug"))
    p.add("pyproject.toml", f'[project]\nname = "{name}"\nversion = "0.1.0"\n')
    p.add_pkg("__init__.py", _factory(p, bug))
    p.add_pkg("config.py", _config(p, bug))
    p.add_pkg("extensions.py", _extensions())
    p.add_pkg("models.py", _models(p))
    p.add_pkg("utils.py", _utils(p))
    p.add_pkg("cli.py", _cli(p))
    p.add_pkg("schemas.py", _schemas(p))
    if rng.random() < 0.5:
        p.add_pkg("tasks.py", _tasks(p))
    p.add_pkg("services/__init__.py", '"""Services."""\n')
    for entity in rng.sample(p.entities, min(len(p.entities), rng.randint(1, 4))):
        p.add_pkg(f"services/{entity}.py", _service(p, entity))
    for bp in p.blueprints:
        p.add_pkg(f"{bp}/__init__.py", _blueprint_init(bp))
        p.add_pkg(f"{bp}/views.py", _views(p, bp))
        p.add_pkg(f"{bp}/forms.py", _forms(p, bp))
    p.add("run.py", _run_py(p, rng.choice(("debug", "debug", "host", "env", "plain"))))
    p.add("wsgi.py", _wsgi_py(p))
    if rng.random() < 0.5:
        p.add("manage.py", _manage_py(p, rng.choice(("host", "waitress", "waitress"))))
    p.add("setup.py", _setup_py(p))
    if rng.random() < 0.5:
        p.add("docs/conf.py", _docs_conf(p))
    p.add("migrations/env.py", _migration_env(p))
    for index in range(rng.randint(2, 6)):
        p.add(f"migrations/versions/{index:03d}_{p.entities[index % len(p.entities)]}.py", _migration(p, index, p.entities[index % len(p.entities)]))
    p.add("tests/__init__.py", "")
    p.add("tests/conftest.py", _conftest(p))
    for bp in p.blueprints:
        p.add(f"tests/test_{bp}.py", _test_module(p, bp))
    return p.files


def generate(dest: Path, seed: int = 7, projects: int = 8, small_apps: int = 4) -> list[Path]:
    """Write the corpus under ``dest`` (which must not hold anything else); return the .py files."""
    rng = random.Random(seed)
    names = rng.sample(WORDS, projects + small_apps)
    files: dict[Path, str] = {}
    for name in names[:projects]:
        files.update(_project(rng, name, dest / name))
    for name in names[projects:]:
        variant = rng.choice(("import-time", "main", "clean"))
        root = dest / f"{name}_app"
        files[root / "app.py"] = _single_file_app(rng, name, variant)
        files[root / "requirements.txt"] = "flask\n"
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(path for path in files if path.suffix == ".py")


# --------------------------------------------------------------------------- the hostile corpus (issue 12)

BANNER = "#" * 79


def hostile(dest: Path, scale: float = 1.0) -> list[Path]:
    """Write issue 12's inputs that flake8 itself reads under ``dest``; return the .py files.

    Left out: inputs that stop or hang flake8 with or without the plugin (a FIFO or a
    link to /dev/zero named ``x.py``, a ``# coding: rot13`` cookie, which flake8 itself
    dies on with a LookupError traceback), and configuration inputs
    (pyproject.toml nested 600 deep, huge or a FIFO), which belong to the settings'
    own reliability figures.
    """
    flask = "from flask import Flask\n\napp = Flask(__name__)\n"
    files: dict[str, str | bytes] = {
        "banners.py": (
            f"{BANNER}\n# DEBUG\n{BANNER}\nDEBUG = False\n\n"
            + flask
            + f"from threading import Thread\n\nserver = Thread(target=app.run)\n# server.start()\n{BANNER}\n"
            + "".join(f"# {tail}\n{BANNER}\n" for tail in ("app.run", "app.debug", "FLASK_ENV", "config['DEBUG'])"))
        ),
        "comments_between.py": (
            flask
            + "\n\nclass ProductionConfig:\n    # Turn this off before release.\n    DEBUG = True\n\n\n"
            + 'app.config.from_mapping(\n    SECRET_KEY="x",  # rotate it.\n    DEBUG=True,\n)\n'
            + 'import os\nos.environ.setdefault(  # local only\n    "FLASK_DEBUG", "1")\n'
        ),
        "fullwidth.py": "from \uff46\uff4c\uff41\uff53\uff4b import Flask\n\napp = Flask(__name__)\n"
        "app.\uff52\uff55\uff4e(\uff44\uff45\uff42\uff55\uff47=True)\n",
        "deep_and.py": flask + "x = " + " and ".join(["y"] * 10_000) + "\napp.run()\n",
        "deep_lambda.py": flask + "f = " + "lambda: " * 600 + "0\napp.run(debug=True)\n",
        "cr_only.py": flask.replace("\n", "\r") + "app.run(host='0.0.0.0')\r",
        "nul_byte.py": flask + "x = 1\0\napp.run()\n",
        "data/__init__.py": "",
        "data/table.py": "".join(f"ROW_{i} = {{'id': {i}, 'name': 'row {i}', 'tags': ['a', 'b']}}\n" for i in range(int(36_000 * scale))),
        "data/view.py": "from flask import Flask\nfrom .table import ROW_1\n\napp = Flask(__name__)\napp.run()\n",
    }
    chain = max(3, int(330 * scale))
    files["chain/__init__.py"] = ""
    for index in range(chain):
        files[f"chain/m{index}.py"] = f"from .m{index + 1} import app\n" if index < chain - 1 else flask
    files["chain/main.py"] = "from .m0 import app\napp.run(debug=True)\n"
    written = []
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
        if path.suffix == ".py":
            written.append(path)
    return sorted(written)


def big_module(lines: int, seed: int = 11) -> str:
    """One Flask module of about ``lines`` lines: an app, many routes and helpers, a launcher at the end."""
    rng = random.Random(seed)
    out = [
        '"""A very large Flask module (generated)."""\n',
        "import os\n\nfrom flask import Flask, abort, jsonify, request\n\n",
        'app = Flask(__name__)\napp.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")\n\n',
    ]
    count = sum(text.count("\n") for text in out)
    index = 0
    while count < lines - 4:
        entity = rng.choice(ENTITIES)
        block = (
            f"\n\n@app.route(\"/{entity}/{index}\", methods=[\"GET\", \"POST\"])\n"
            f"def {entity}_{index}():\n"
            f"    data = request.get_json(silent=True) or {{}}\n"
            f"    if request.method == \"POST\" and not data.get(\"name\"):\n"
            f"        abort(400)\n"
            f"    result = helper_{index % 50}(data, {index})\n"
            f"    app.logger.debug(\"{entity} %s\", result)\n"
            f"    return jsonify(result)\n"
        )
        if index < 50:
            block += (
                f"\n\ndef helper_{index}(data, number):\n"
                f"    total = sum(len(str(value)) for value in data.values())\n"
                f"    return {{\"number\": number, \"total\": total, \"keys\": sorted(data)}}\n"
            )
        out.append(block)
        count += block.count("\n")
        index += 1
    out.append('\n\nif __name__ == "__main__":\n    app.run(debug=True)\n')
    return "".join(out)


if __name__ == "__main__":
    sys.exit(main())
