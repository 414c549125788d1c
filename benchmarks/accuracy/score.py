#!/usr/bin/env python3
"""Score flake8-flask-devserver against hand-written labels of public repositories.

Every ``labels/<owner>__<name>.toml`` (format: LABELS.md, summarised in README.md here)
names a repository, the commit that was read, and what a human reader found in it. For each
one this script:

1. finds the local snapshot of the repository, ``<mirror>/<owner>+<name>/`` (the search
   tool's ``fetch github:<owner>/<name>`` puts it there); missing ones are listed with that
   command and skipped;
2. extracts the pinned commit into a temporary folder (``git archive <commit> | tar -x``;
   snapshots lack files of 4 MiB and more, so when the archive fails on a missing blob the
   tree is written blob by blob instead, leaving those out);
3. runs the linter there as a user would: ``python -m flake8 --isolated --select=FDS .`` for
   Python (codes FDS1xx-FDS3xx) and ``flake8-flask-devserver --isolated --format json .`` for
   deployment files (FDS400-FDS403) and for Python that flake8's ``*.py`` never names (the
   command's findings in ``.wsgi`` scripts and ``from_pyfile`` configs, any code);
4. matches findings to labels: same path, same category, and the finding's line in
   ``[line, end_line or line]``.

Categories: start = FDS100/101/102, launcher = FDS101, debug = FDS200-FDS205, bind = FDS300,
deploy = FDS400-FDS403. A label with ``expect = true`` that no finding matches is a miss; a
finding that matches no ``expect = true`` label of its category is a false positive (also
when it sits on an ``expect = false`` label: negatives are documentation). Findings outside a
repository's ``scope`` are not counted. Findings are counted once per (path, line, category),
so FDS400 and FDS403 on one Dockerfile line are one deploy finding.

    python benchmarks/accuracy/score.py                 # every labelled repository
    python benchmarks/accuracy/score.py --repo tko22    # names containing "tko22"
    python benchmarks/accuracy/score.py --json > accuracy.json

Exit status: 0 when every labelled repository was scored, 1 when some could not be (missing
snapshot or commit, bad label file, linter failure), 2 on a usage error.
Standard library only (tomllib, or tomli on Python 3.10).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

try:
    import tomllib
except ImportError:  # Python 3.10: the package's own dependency
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
CATEGORIES = ("start", "launcher", "debug", "bind", "deploy")
DEFAULT_MIRROR = os.environ.get("ACCURACY_MIRROR", "/work/.mirror")
TIMEOUT = 900  # seconds per linter run; the corpus repositories take a few seconds each
HEX40 = re.compile(r"[0-9a-f]{40}")


def categories_of(code: str) -> tuple[str, ...]:
    """The label categories a finding's code stands for (FDS101 is a start and a launcher)."""
    if code in ("FDS100", "FDS102"):
        return ("start",)
    if code == "FDS101":
        return ("start", "launcher")
    if re.fullmatch(r"FDS20[0-5]", code):
        return ("debug",)
    if code == "FDS300":
        return ("bind",)
    if re.fullmatch(r"FDS40[0-3]", code):
        return ("deploy",)
    return ()  # FDS103 (allow_unsafe_werkzeug) and FDS001 (bad config) are not scored


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    end_line: int
    category: str
    expect: bool
    why: str

    def covers(self, path: str, line: int, category: str) -> bool:
        return self.path == path and self.category == category and self.line <= line <= self.end_line


@dataclass
class RepoLabels:
    file: Path
    repo: str
    commit: str
    kind: str
    scope: str
    labels: list[Label]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    category: str
    codes: tuple[str, ...]


@dataclass
class RepoResult:
    repo: str
    commit: str
    error: str = ""
    findings: list[Finding] = field(default_factory=list)
    # category -> list of (kind, detail); kind in tp, miss, fp
    hits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class LabelError(Exception):
    pass


def load_labels(file: Path) -> RepoLabels:
    """Read and check one labels file; raise LabelError with one line naming the problem."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LabelError(f"{file.name}: cannot read: {exc}") from None
    repo = data.get("repo")
    commit = data.get("commit")
    if not isinstance(repo, str) or repo.count("/") != 1:
        raise LabelError(f"{file.name}: 'repo' must be 'owner/name'")
    if file.stem != repo.replace("/", "__"):
        raise LabelError(f"{file.name}: file name does not match repo {repo!r}")
    if not isinstance(commit, str) or not HEX40.fullmatch(commit):
        raise LabelError(f"{file.name}: 'commit' must be 40 lowercase hex digits")
    scope = data.get("scope", "")
    if not isinstance(scope, str):
        raise LabelError(f"{file.name}: 'scope' must be a string")
    labels = []
    for i, raw in enumerate(data.get("label", []), 1):
        where = f"{file.name}: label {i}"
        if not isinstance(raw, dict):
            raise LabelError(f"{where}: not a table")
        path, line, category = raw.get("path"), raw.get("line"), raw.get("category")
        end_line = raw.get("end_line", line)
        expect = raw.get("expect")
        if not isinstance(path, str) or not path or "\\" in path or path.startswith(("/", "./")):
            raise LabelError(f"{where}: 'path' must be a relative path with forward slashes")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise LabelError(f"{where}: 'line' must be a positive integer")
        if not isinstance(end_line, int) or isinstance(end_line, bool) or end_line < line:
            raise LabelError(f"{where}: 'end_line' must be an integer >= line")
        if category not in CATEGORIES:
            raise LabelError(f"{where}: 'category' must be one of {', '.join(CATEGORIES)}")
        if not isinstance(expect, bool):
            raise LabelError(f"{where}: 'expect' must be true or false")
        labels.append(Label(path, line, end_line, category, expect, str(raw.get("why", ""))))
    return RepoLabels(file, repo, commit, str(data.get("kind", "")), scope, labels)


def git_dir_of(mirror: Path, repo: str) -> Path | None:
    """The git directory of a fetched snapshot: <mirror>/<owner>+<name>/... (bare or not)."""
    base = mirror / repo.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def git(git_dir: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, **kw)


def extract(git_dir: Path, commit: str, dest: Path) -> list[str]:
    """Write the commit's tree under dest; return the paths left out (blobs absent from the snapshot)."""
    archive = git(git_dir, "archive", "--format=tar", commit)
    if archive.returncode == 0:
        tar = subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, capture_output=True)
        if tar.returncode == 0:
            return []
    # Fallback: blob by blob, skipping what the snapshot lacks (large files, LFS) and submodules.
    shutil.rmtree(dest)
    dest.mkdir()
    listing = git(git_dir, "ls-tree", "-r", "-z", "--full-tree", commit)
    if listing.returncode != 0:
        raise RuntimeError(listing.stderr.decode(errors="replace").strip())
    skipped = []
    entries = [e for e in listing.stdout.decode("utf-8", "surrogateescape").split("\0") if e]
    for entry in entries:
        meta, path = entry.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind != "blob" or mode == "120000":
            continue  # submodule or symlink: the linter does not follow links either
        blob = git(git_dir, "cat-file", "blob", oid)
        if blob.returncode != 0:
            skipped.append(path)
            continue
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return skipped


def companion_command() -> list[str]:
    script = Path(sys.executable).with_name("flake8-flask-devserver")
    if script.is_file():
        return [str(script)]
    found = shutil.which("flake8-flask-devserver")
    return [found] if found else [sys.executable, "-m", "flake8_flask_devserver"]


def norm(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def run_linter(tree: Path) -> tuple[list[tuple[str, int, str]], list[str]]:
    """(path, line, code) of every finding in tree, and problems met on the way."""
    problems: list[str] = []
    raw: list[tuple[str, int, str]] = []
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=FDS",
         "--format=%(path)s\t%(row)d\t%(code)s", "."],
        cwd=tree, capture_output=True, text=True, timeout=TIMEOUT,
    )
    if flake8.returncode not in (0, 1):
        problems.append(f"flake8 exited {flake8.returncode}: {flake8.stderr.strip()[-300:]}")
    for line in flake8.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            raw.append((norm(parts[0]), int(parts[1]), parts[2]))
    command = subprocess.run(
        [*companion_command(), "--isolated", "--format", "json", "-q", "."],
        cwd=tree, capture_output=True, text=True, timeout=TIMEOUT,
    )
    if command.returncode not in (0, 1):
        problems.append(f"flake8-flask-devserver exited {command.returncode}: {command.stderr.strip()[-300:]}")
    try:
        items = json.loads(command.stdout or "[]")
    except json.JSONDecodeError as exc:
        problems.append(f"flake8-flask-devserver printed no JSON: {exc}")
        items = []
    for item in items:
        code = str(item.get("code", ""))
        path = norm(str(item.get("path", "")))
        # Python findings come from flake8, the plugin users run; the command adds deployment files
        # and Python flake8's *.py never names (a mod_wsgi .wsgi script, a from_pyfile config.cfg)
        if code.startswith("FDS4") or not path.endswith(".py"):
            raw.append((path, int(item.get("line", 0)), code))
    if command.stderr.strip() and command.returncode in (0, 1):
        problems.extend(f"command: {l}" for l in command.stderr.strip().splitlines()[:5])
    return raw, problems


def score_repo(entry: RepoLabels, mirror: Path) -> RepoResult:
    result = RepoResult(entry.repo, entry.commit)
    git_dir = git_dir_of(mirror, entry.repo)
    if git_dir is None:
        result.error = f"no snapshot under {mirror}/{entry.repo.replace('/', '+')}: fetch github:{entry.repo}"
        return result
    if git(git_dir, "cat-file", "-e", f"{entry.commit}^{{commit}}").returncode != 0:
        result.error = f"snapshot {git_dir} lacks commit {entry.commit}: fetch github:{entry.repo} again"
        return result
    with tempfile.TemporaryDirectory(prefix="fds-accuracy-") as tmp:
        tree = Path(tmp) / entry.repo.replace("/", "+")
        tree.mkdir()
        try:
            skipped = extract(git_dir, entry.commit, tree)
            raw, problems = run_linter(tree)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            result.error = f"cannot check: {exc}"
            return result
        if skipped:
            result.warnings.append(f"{len(skipped)} file(s) absent from the snapshot left out (e.g. {skipped[0]})")
        result.warnings.extend(problems)
        for label in entry.labels:
            if not (tree / label.path).is_file():
                result.warnings.append(f"labelled path not in the commit: {label.path}")
    grouped: dict[tuple[str, int, str], set[str]] = {}
    for path, line, code in raw:
        if entry.scope and not path.startswith(entry.scope):
            continue
        for category in categories_of(code):
            grouped.setdefault((path, line, category), set()).add(code)
    result.findings = [Finding(p, l, c, tuple(sorted(codes))) for (p, l, c), codes in sorted(grouped.items())]
    for category in CATEGORIES:
        rows: list[dict[str, Any]] = []
        positives = [lb for lb in entry.labels if lb.category == category and lb.expect]
        negatives = [lb for lb in entry.labels if lb.category == category and not lb.expect]
        found = [f for f in result.findings if f.category == category]
        for lb in positives:
            matched = [f for f in found if lb.covers(f.path, f.line, category)]
            kind = "tp" if matched else "miss"
            rows.append({"kind": kind, "path": lb.path, "line": lb.line, "end_line": lb.end_line,
                         "codes": sorted({c for f in matched for c in f.codes}), "why": lb.why})
        for f in found:
            if any(lb.covers(f.path, f.line, category) for lb in positives):
                continue
            neg = next((lb for lb in negatives if lb.covers(f.path, f.line, category)), None)
            rows.append({"kind": "fp", "path": f.path, "line": f.line, "codes": list(f.codes),
                         "why": f"on a labelled negative: {neg.why}" if neg else "no label here"})
        result.hits[category] = rows
    return result


def summarise(results: Iterable[RepoResult]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for category in CATEGORIES:
        labels = found = findings_tp = fp = 0
        for r in results:
            if r.error:
                continue
            rows = r.hits.get(category, [])
            labels += sum(1 for x in rows if x["kind"] in ("tp", "miss"))
            found += sum(1 for x in rows if x["kind"] == "tp")
            fp += sum(1 for x in rows if x["kind"] == "fp")
            findings_tp += sum(1 for f in r.findings if f.category == category) - sum(
                1 for x in rows if x["kind"] == "fp")
        findings = findings_tp + fp
        table[category] = {
            "labels": labels, "found": found, "missed": labels - found,
            "findings": findings, "false_positives": fp,
            "precision": round(findings_tp / findings, 3) if findings else None,
            "recall": round(found / labels, 3) if labels else None,
        }
    return table


def print_report(entries: list[RepoLabels], results: list[RepoResult], table: dict[str, dict[str, Any]],
                 bad: list[str]) -> None:
    scored = [r for r in results if not r.error]
    print(f"flake8-flask-devserver accuracy: {len(scored)} of {len(entries) + len(bad)} labelled repositories scored\n")
    print(f"{'category':<10} {'labels':>6} {'found':>6} {'missed':>6} {'findings':>8} {'FP':>4} {'precision':>9} {'recall':>7}")
    for category, row in table.items():
        p = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        r = "-" if row["recall"] is None else f"{row['recall']:.3f}"
        print(f"{category:<10} {row['labels']:>6} {row['found']:>6} {row['missed']:>6} "
              f"{row['findings']:>8} {row['false_positives']:>4} {p:>9} {r:>7}")
    for title, kind in (("Misses", "miss"), ("False positives", "fp")):
        lines = []
        for r in scored:
            for category in CATEGORIES:
                for x in r.hits.get(category, []):
                    if x["kind"] == kind:
                        codes = ",".join(x["codes"]) or "-"
                        lines.append(f"  {r.repo}: {x['path']}:{x['line']} {category} [{codes}] {x['why']}")
        print(f"\n{title} ({len(lines)}):")
        print("\n".join(lines) if lines else "  none")
    problems = [f"  {r.repo}: {r.error}" for r in results if r.error] + [f"  {b}" for b in bad]
    problems += [f"  {r.repo}: warning: {w}" for r in scored for w in r.warnings]
    if problems:
        print("\nNot scored / warnings:")
        print("\n".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", action="append", default=[],
                        help="only repositories whose owner/name contains this text (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--labels", type=Path, default=HERE / "labels", help="folder of *.toml label files")
    parser.add_argument("--mirror", type=Path, default=Path(DEFAULT_MIRROR),
                        help="folder of fetched snapshots (default: $ACCURACY_MIRROR or /work/.mirror)")
    args = parser.parse_args(argv)
    if not args.labels.is_dir():
        print(f"score.py: no labels folder at {args.labels}", file=sys.stderr)
        return 2
    if shutil.which("git") is None or shutil.which("tar") is None:
        print("score.py: needs git and tar on PATH", file=sys.stderr)
        return 2
    entries: list[RepoLabels] = []
    bad: list[str] = []
    for file in sorted(args.labels.glob("*.toml")):
        try:
            entry = load_labels(file)
        except LabelError as exc:
            bad.append(str(exc))
            continue
        if not args.repo or any(s.lower() in entry.repo.lower() for s in args.repo):
            entries.append(entry)
    results = []
    for entry in entries:
        if not args.json:
            print(f"checking {entry.repo} @ {entry.commit[:12]} ...", file=sys.stderr)
        results.append(score_repo(entry, args.mirror))
    missing = [r.repo for r in results if r.error.startswith("no snapshot")]
    table = summarise(results)
    if args.json:
        json.dump({
            "summary": table,
            "repos": [{"repo": r.repo, "commit": r.commit, "error": r.error, "warnings": r.warnings,
                       "results": r.hits} for r in results],
            "bad_label_files": bad,
        }, sys.stdout, indent=2)
        print()
    else:
        print_report(entries, results, table, bad)
        if missing:
            print("\nMissing snapshots: get each with the search tool's fetch, then rerun:")
            print("\n".join(f"  fetch github:{name}" for name in missing))
    return 1 if bad or any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
