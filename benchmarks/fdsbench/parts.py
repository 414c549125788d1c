"""The parts of the benchmark: each measures, prints its lines and adds its goal figures to the summary."""

from __future__ import annotations

import sys
from pathlib import Path

from .corpora import Corpus, named_sample
from .probes import DRIVER
from .report import Summary, fmt_ratio, say
from .runners import Pair, alternate, alternate_many, audit, fds_lines, other_lines, p3, paired_against, per_line, plugin_time, stages


def flake8_modes(
    corpus: Corpus, modes: list[tuple[str, int]], rounds: int, named_files: int, warmup: bool, limit: float, part: str, summary: Summary
) -> list[dict[str, object]]:
    """``flake8 --select=E,W,F`` with / without the plugin over ``corpus`` in each (mode, jobs): folder or named files."""
    base = [sys.executable, "-c", DRIVER]
    rows = []
    for index, (mode, jobs) in enumerate(modes):
        if mode == "folder":
            targets = corpus.flake8_args()
            count = ""
        else:
            sample = named_sample(corpus, named_files)
            targets = [str(path) for path in sample]
            count = f" ({len(sample)} files)"
        common = ["--select=E,W,F", f"--jobs={jobs}", *targets]
        # One warm-up per corpus (bytecode and file caches); later modes find them warm.
        pair = alternate([*base, "off", *common], [*base, "on", *common], rounds, warmup=warmup and index == 0)
        inside = plugin_time(common)
        row = _row(pair, part, corpus.name, f"{mode}{count}", jobs, rounds, inside)
        rows.append(row)
        say(
            f"{part} {corpus.name} {mode}{count} -j{jobs} x{rounds}: "
            f"CPU {row['a_cpu']:.2f}s -> {row['b_cpu']:.2f}s paired {fmt_ratio(row['paired_cpu'], limit)} "
            f"(ratio of medians {row['ratio_cpu']:.3f}, fastest {row['fastest_cpu']:.3f}); "
            f"wall {row['a_wall']:.2f}s -> {row['b_wall']:.2f}s ratio {row['ratio_wall']:.3f}; "
            f"inside the plugin's run(): {inside:.2f}s CPU ({100 * inside / max(row['a_cpu'], 1e-9):.1f}% of A); "
            f"{row['fds_findings']} FDS findings; E/W/F output identical: {row['same_other_output']}"
        )
        summary.add(part, corpus.name, f"{mode} -j{jobs}", row["paired_cpu"], limit, f"inside run() {inside:.2f}s")
    return rows


def _row(pair: Pair, part: str, corpus: str, mode: str, jobs: int, rounds: int, inside: float) -> dict[str, object]:
    return {
        "part": part,
        "corpus": corpus,
        "mode": mode,
        "jobs": jobs,
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
        "same_other_output": other_lines(pair.a[-1].stdout) == other_lines(pair.b[-1].stdout),
    }


def memory(table: list[dict[str, object]], summary: Summary) -> None:
    say("\n== P4: peak RSS of flake8 (process tree), medians")
    worst: dict[str, object] | None = None
    for row in table:
        delta = row["b_rss"] - row["a_rss"]
        mark = "ok" if delta <= 40 else "OVER"
        say(f"P4 {row['corpus']} {row['mode']} -j{row['jobs']}: {row['a_rss']:.1f} MiB -> {row['b_rss']:.1f} MiB (+{delta:.1f} MiB, {mark}, limit +40 MiB)")
        if worst is None or delta > worst["b_rss"] - worst["a_rss"]:
            worst = row
    if worst is not None:
        summary.add("P4", str(worst["corpus"]), f"{worst['mode'].split()[0]} -j{worst['jobs']}", worst["b_rss"] - worst["a_rss"], 40.0, "largest +MiB of all rows")


def hostile_part(root: Path, files: int, rounds: int, warmup: bool, summary: Summary) -> dict[str, object]:
    base = [sys.executable, "-c", DRIVER]
    common = ["--select=E", "--jobs=1", str(root)]
    pair = alternate([*base, "off", *common], [*base, "on", *common], rounds, warmup=warmup)
    row = {
        "files": files,
        "a_cpu": pair.med("a", "cpu"),
        "b_cpu": pair.med("b", "cpu"),
        "ratio_cpu": pair.ratio("cpu"),
        "paired_cpu": pair.paired("cpu"),
        "ratio_wall": pair.ratio("wall"),
        "b_stderr_lines": pair.b[-1].stderr.count("\n"),
    }
    say(
        f"H hostile ({files} files) -j1 x{rounds}: CPU {row['a_cpu']:.2f}s -> {row['b_cpu']:.2f}s "
        f"paired {fmt_ratio(row['paired_cpu'], 1.10)} (ratio of medians {row['ratio_cpu']:.3f}); wall ratio {row['ratio_wall']:.3f}"
    )
    summary.add("H", "hostile", "folder -j1", row["paired_cpu"], 1.10, "flake8 --select=E")
    return row


def per_line_part(sizes: list[int], workdir: Path, repeat: int) -> list[dict[str, float]]:
    say("\n== P4: engine time per line on one generated Flask module (best of runs, caches cleared)")
    lines = per_line(sizes, workdir, repeat)
    for row in lines:
        say(f"P4 {row['lines']:>6} lines: {row['seconds'] * 1000:8.1f} ms, {row['seconds'] / row['lines'] * 1e6:6.1f} us/line, {row['findings']} findings")
    if len(lines) > 1:
        per = [row["seconds"] / row["lines"] for row in lines]
        say(f"P4 cost per line, largest / smallest file: {per[-1] / per[0]:.2f}")
    return lines


def p3_part(name: str, tree: Path, rounds: int, warmup: bool, summary: Summary) -> dict[str, object]:
    found = p3(tree, rounds, warmup=warmup)
    found["tree"] = str(tree)
    for note in found["notes"]:
        say(note)
    wall = found["wall"]
    say(f"P3 {name}: " + ", ".join(f"{who} {seconds * 1000:.0f} ms" for who, seconds in wall.items()))
    for subject in ("command", "engine"):
        if subject not in wall:
            continue
        label = "command" if subject == "command" else "engine via python -c"
        if "bandit" in wall:
            say(f"P3 {name}: {label} / bandit = {fmt_ratio(wall[subject] / wall['bandit'], 0.15)}")
            if subject == "command":
                summary.add("P3", name, "/ bandit", wall[subject] / wall["bandit"], 0.15, "wall")
        if "ruff" in wall:
            say(f"P3 {name}: {label} / ruff = {fmt_ratio(wall[subject] / wall['ruff'], 10.0)}")
            if subject == "command":
                summary.add("P3", name, "/ ruff", wall[subject] / wall["ruff"], 10.0, "wall")
    return found


def stages_part(corpus: Corpus, top: int) -> dict[str, object]:
    found = stages(corpus, top)
    found["corpus"] = corpus.name
    totals, counts = found["totals"], found["counts"]
    lines = max(counts["lines"], 1)
    cells = "  ".join(f"{name} {seconds * 1000:.1f}" for name, seconds in totals.items())
    engine_total = sum(v for k, v in totals.items() if k != "import")
    say(
        f"stages {corpus.name}: {counts['files']} files ({counts['installed']} installed, skipped), {counts['passed']} past the gate, "
        f"{counts['analysed']} past the ast checks ({counts['parsed_lines']} lines parsed by libcst), {counts['findings']} findings; "
        f"{cells}; total {engine_total * 1000:.1f} ms ({engine_total / lines * 1e6:.2f} us/line)"
    )
    for item in found["worst"]:
        if item["total"] < 0.0005:
            break
        path = Path(item["path"])
        shown = path.relative_to(corpus.root) if path.is_relative_to(corpus.root) else path
        parts = " ".join(f"{name} {item[name] * 1000:.1f}" for name in ("read", "gate", "ast", "parse", "index", "rules", "positions") if item[name] >= 0.00005)
        say(f"    {item['total'] * 1000:7.1f} ms  {shown} ({item['lines']} lines): {parts}")
    return found


def audit_part(corpus: Corpus, summary: Summary) -> dict[str, object]:
    found = audit(corpus)
    found["corpus"] = corpus.name
    verdict = "identical" if not found["count"] else f"{found['count']} FILES DIFFER: {found['differ']}"
    refused = found["refused"]
    note = f" ({len(refused)} refused by the whole-module analysis alone: {refused[:3]})" if refused else ""
    say(f"audit {corpus.name}: {found['files']} files, {found['findings']} findings: {verdict}{note}")
    summary.add("audit", corpus.name, "", float(found["count"]), 0.0, f"files differing; {found['findings']} findings")
    return found




def floor_part(corpus: Corpus, rounds: int, warmup: bool, summary: Summary) -> dict[str, object]:
    """What P1 cannot go below on ``corpus`` (folder, ``-j1``): the plugin loaded with a run() that does no work.

    ``stub``: the plugin's imports, options and flake8 calling it per file. ``stub-libcst``: the
    same plus one import of libcst and the engine's libcst half, which any run pays once a
    file needs libcst. Measured in turn with flake8 alone and with the plugin, paired like P1.
    """
    base = [sys.executable, "-c", DRIVER]
    common = ["--select=E,W,F", "--jobs=1", *corpus.flake8_args()]
    sides = {side: [*base, side, *common] for side in ("off", "stub", "stub-libcst", "on")}
    samples = alternate_many(sides, rounds, warmup=warmup)
    row: dict[str, object] = {"corpus": corpus.name, "rounds": rounds, "a_cpu": Pair(a=samples["off"]).med("a", "cpu")}
    for side in ("stub", "stub-libcst", "on"):
        row[side] = paired_against(samples["off"], samples[side])
    say(
        f"floor {corpus.name} folder -j1 x{rounds}: flake8 alone {row['a_cpu']:.2f}s CPU; paired ratios: "
        f"plugin loaded, no work {row['stub']:.3f}; and libcst imported {row['stub-libcst']:.3f}; "
        f"the plugin at work (P1) {row['on']:.3f}"
    )
    summary.add("floor", corpus.name, "folder -j1", float(row["stub-libcst"]), 1.10, f"no work but imports; P1 here {row['on']:.3f}")
    return row
