"""The benchmark's command line: which parts to run, over which corpora; the summary at the end."""

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
from .corpora import BIG, DEFAULT_CACHE, DEFAULT_MIRROR, PUBLIC, Corpus, count_lines, public_corpora, stdlib_corpus
from .generated import generate
from .hostile import hostile
from .parts import audit_part, flake8_modes, floor_part, hostile_part, memory, p3_part, per_line_part, stages_part
from .report import Summary, say
from .runners import check_driver

ALL_PARTS = "P1,P2,P3,P4,H,floor,stages,audit"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DOC.split("\n\n")[0])
    add = parser.add_argument
    add("--corpus", action="append", type=Path, default=[], help="another Flask project folder (repeatable)")
    add("--public", default=",".join([*PUBLIC, BIG]), help=f"public corpora from the snapshots (default: all; 'none': skip): {', '.join([*PUBLIC, BIG])}")
    add("--mirror", type=Path, default=DEFAULT_MIRROR, help=f"folder of bare git snapshots, owner+name/repo (default {DEFAULT_MIRROR}; env FDS_BENCH_MIRROR)")
    add("--cache", type=Path, default=DEFAULT_CACHE, help=f"where the public corpora are extracted, outside any git work tree (default {DEFAULT_CACHE}; env FDS_BENCH_CACHE)")
    add("--rounds", type=int, default=5, help="A/B rounds per flake8 pair on Flask corpora (default 5)")
    add("--modes", default="folder,named", help="flake8 modes: folder (the corpus's folder) and named (files by name, as pre-commit)")
    add("--named-files", type=int, default=60, help="files passed by name in named mode, spread over the corpus (default 60)")
    add("--jobs", default="1,2", help="flake8 --jobs values, comma-separated (default 1,2)")
    add("--big-jobs", default="2", help=f"--jobs in folder mode on {BIG} (default 2: -j1 adds about 8 minutes)")
    add("--stdlib", choices=("full", "lib", "none"), default="lib", help="P2 corpus: lib (default: without the test suites) or full (all of Lib/ but site-packages)")
    add("--stdlib-rounds", type=int, default=3, help="A/B rounds on the standard library (default 3)")
    add("--stdlib-jobs", default="2", help="--jobs values on the standard library (default 2)")
    add("--p3-trees", default=f"flask-generated,{BIG}", help="trees for P3 (corpus names)")
    add("--p3-rounds", type=int, default=3, help="rounds of P3 (default 3)")
    add("--audit-big", action="store_true", help=f"audit {BIG} too (about 4 minutes more; its last result is in docs/performance.md)")
    add("--only", default=ALL_PARTS, help=f"parts to run (default: all: {ALL_PARTS})")
    add("--seed", type=int, default=7, help="seed of the generated Flask corpus")
    add("--workdir", type=Path, help="where to generate corpora (default: a temporary folder)")
    add("--json", type=Path, help="also write all figures to this JSON file")
    add("--quick", action="store_true", help="tiny corpora, one round, flask only of the public ones: proves the script works")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = args.stdlib_rounds = args.p3_rounds = 1
        args.jobs = args.jobs.split(",")[0]
        args.big_jobs = args.stdlib_jobs = args.jobs
        args.named_files = 5
        args.public = "flask" if "flask" in args.public.split(",") else "none"
        args.p3_trees = "flask-generated"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    only = {part.strip() for part in args.only.split(",")}
    jobs = [int(j) for j in args.jobs.split(",")]
    modes = [m.strip() for m in args.modes.split(",")]
    summary = Summary()
    results: dict[str, object] = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}
    warm = not args.quick

    with tempfile.TemporaryDirectory(prefix="fds-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        say(f"flake8-flask-devserver benchmark: Python {results['python']} on {results['platform']}, {results['cpus']} CPUs")
        gen_root = workdir / "flask-generated"
        if gen_root.exists():
            shutil.rmtree(gen_root)
        generated = generate(gen_root, seed=args.seed, projects=2, small_apps=1) if args.quick else generate(gen_root, seed=args.seed)
        flask_corpora = [Corpus("flask-generated", gen_root, flask=True, origin=f"seed {args.seed}, {len(generated)} files")]
        names = [n.strip() for n in args.public.split(",") if n.strip() and n.strip() != "none"]
        unknown = [n for n in names if n not in PUBLIC and n != BIG]
        if unknown:
            raise SystemExit(f"bench: unknown public corpora {unknown}; known: {', '.join([*PUBLIC, BIG])}")
        flask_corpora += public_corpora(names, args.mirror, args.cache, say)
        flask_corpora += [Corpus(path.name, path.resolve(), flask=True, origin=str(path)) for path in args.corpus]
        other_corpora: list[Corpus] = []
        if args.quick:
            other_corpora.append(_quick_stdlib(workdir))
        elif args.stdlib != "none":
            other_corpora.append(stdlib_corpus(args.stdlib))
        for corpus in [*flask_corpora, *other_corpora]:
            files = corpus.files()
            say(f"  corpus {corpus.name}: {len(files)} files, {count_lines(files)} lines ({corpus.origin or corpus.root})")

        if only & {"P1", "P2", "P4"}:
            check_driver()
            say("\n== P1/P2: flake8 --select=E,W,F with the plugin (B) / without it (A); paired CPU ratio = 1 + median(B - A) / median(A)")
            table = []
            for corpus in [*flask_corpora, *other_corpora]:
                part = "P1" if corpus.flask else "P2"
                if part not in only and "P4" not in only:
                    continue
                summary.begin(f"{part} {corpus.name}")
                if corpus.flask:
                    folder_jobs = [int(j) for j in args.big_jobs.split(",")] if corpus.name == BIG else jobs
                    plan = [("folder", j) for j in folder_jobs if "folder" in modes] + [("named", j) for j in jobs if "named" in modes]
                    table += flake8_modes(corpus, plan, args.rounds, args.named_files, warm, 1.10, part, summary)
                else:
                    plan = [("folder", int(j)) for j in args.stdlib_jobs.split(",")]
                    table += flake8_modes(corpus, plan, args.stdlib_rounds, args.named_files, warm, 1.02, part, summary)
                summary.end()
            results["flake8"] = table
            if "P4" in only:
                memory(table, summary)

        if "H" in only:
            summary.begin("H")
            say("\n== H: flake8 --select=E with the plugin (B) / without it (A) over the hostile corpus (issue 12)")
            hostile_root = workdir / "hostile"
            if hostile_root.exists():
                shutil.rmtree(hostile_root)
            files = hostile(hostile_root, scale=0.05 if args.quick else 1.0)
            results["hostile"] = hostile_part(hostile_root, len(files), args.rounds, warm, summary)
            summary.end()

        if "P4" in only:
            summary.begin("P4 per line")
            results["per_line"] = per_line_part([1000, 3000] if args.quick else [1000, 10000, 50000], workdir, 1 if args.quick else 3)
            summary.end()

        if "P3" in only:
            summary.begin("P3")
            say("\n== P3: the command over a Flask tree vs bandit -t B201,B104 -r and ruff --select S201,S104 (wall medians)")
            wanted = [n.strip() for n in args.p3_trees.split(",")]
            trees = [c for c in flask_corpora if c.name in wanted] + [c for c in flask_corpora if c.origin == str(c.root) and c.name not in wanted]
            results["P3"] = [p3_part(c.name, c.root, args.p3_rounds, warm, summary) for c in trees]
            summary.end()

        if "floor" in only:
            summary.begin("floor")
            say("\n== Floor: flake8 with the plugin loaded but its run() doing no work (stub), and with libcst imported too / flake8 alone")
            results["floor"] = [floor_part(c, args.rounds, warm, summary) for c in flask_corpora if c.name != BIG]
            summary.end()

        if "stages" in only:
            summary.begin("stages")
            say("\n== Per-stage engine cost per corpus (one fresh process each; CPU ms; ast.parse, which flake8 does for every file, not counted), and its most expensive files")
            results["stages"] = [stages_part(corpus, 10) for corpus in [*flask_corpora, *other_corpora]]
            summary.end()

        if "audit" in only:
            summary.begin("audit")
            say("\n== Audit: findings with every shortcut (gate, facts, slices) == with none (whole modules, no gate)")
            audited = [c for c in [*flask_corpora, *other_corpora] if c.name != BIG or args.audit_big]
            results["audit"] = [audit_part(corpus, summary) for corpus in audited]
            summary.end()

    summary.print()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


def _quick_stdlib(workdir: Path) -> Corpus:
    lib = Path(sysconfig.get_paths()["stdlib"])
    quick_std = workdir / "stdlib-sample"
    if quick_std.exists():
        shutil.rmtree(quick_std)
    quick_std.mkdir()
    for name in ("json", "logging", "http"):
        shutil.copytree(lib / name, quick_std / name, ignore=shutil.ignore_patterns("__pycache__"))
    return Corpus("stdlib-sample (json, logging, http)", quick_std, flask=False)
