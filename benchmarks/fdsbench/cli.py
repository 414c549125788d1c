"""The benchmark's command line: which parts to run, over which corpora, and the report."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from . import __doc__ as DOC
from .corpora import Corpus, count_lines, stdlib_corpus
from .generated import generate
from .hostile import hostile
from .probes import DRIVER
from .runners import alternate, audit, check_driver, flake8_pair, fds_lines, other_lines, p3, per_line, plugin_time, stages

# --------------------------------------------------------------------------- report


def fmt_ratio(value: float, limit: float) -> str:
    mark = "ok" if value <= limit else "OVER"
    return f"{value:.3f} ({mark}, limit {limit:.2f})"


def say(text: str = "") -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=DOC.split("\n\n")[0])
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
