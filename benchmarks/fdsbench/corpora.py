"""The corpora: folders of Python code the benchmark runs flake8 and the command over."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sysconfig
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# --------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    name: str
    root: Path
    flask: bool
    exclude: tuple[str, ...] = ()  # flake8 --extend-exclude patterns (basenames)
    origin: str = ""  # where it came from (a repository and commit), for the report

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


def named_sample(corpus: Corpus, at_most: int) -> list[Path]:
    """Up to ``at_most`` of the corpus's files, evenly spread over its sorted list (the same every run).

    Named-file mode passes these by name, as pre-commit passes a commit's files (in
    batches, one flake8 process per batch): no folder to screen, each process on its own.
    """
    files = corpus.files()
    if len(files) <= at_most:
        return files
    step = len(files) / at_most
    return [files[int(index * step)] for index in range(at_most)]


# --------------------------------------------------------------------------- public corpora
# Fetched locally, never committed: extracted from bare git snapshots (``git archive``) into a
# cache folder outside any git work tree (~/.cache/flake8-flask-devserver-bench), again only
# when the snapshot's commit changes.

#: name -> GitHub repository, the framework sources and Flask-family projects of issue 16.
PUBLIC = {
    "flask": "pallets/flask",
    "werkzeug": "pallets/werkzeug",
    "quart": "pallets/quart",
    "dash": "plotly/dash",
    "flask-socketio": "miguelgrinberg/Flask-SocketIO",
    "flask-admin": "pallets-eco/flask-admin",
}
#: The big tree: every other snapshot in the mirror (public Flask applications and Indico), unioned.
BIG = "mirror-union"
#: What is extracted: Python files and the pyproject.toml files the plugin reads its settings from.
PATTERNS = (":(glob)**/*.py", ":(glob)**/pyproject.toml")
#: Installed code is left out (flake8 would check it, ruff and the command skip it; see environments.py).
INSTALLED = frozenset({"site-packages", "dist-packages", "__pypackages__"})

DEFAULT_MIRROR = Path(os.environ.get("FDS_BENCH_MIRROR", "/work/.mirror"))
#: Outside any git work tree: the command and ruff skip what a .gitignore names, so a cache inside one would be skipped.
DEFAULT_CACHE = Path(
    os.environ.get("FDS_BENCH_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "flake8-flask-devserver-bench"
)


def how_to_fetch(mirror: Path, repo: str) -> str:
    where = mirror / repo.replace("/", "+") / "repo"
    return (
        f"no snapshot of {repo} under {mirror}: fetch github:{repo} (it lands in {where}), or "
        f"git clone --bare --filter=blob:limit=2m https://github.com/{repo} {where}"
    )


def git_dir(mirror: Path, repo: str) -> Path | None:
    """The bare git folder of ``owner/name``'s snapshot: ``<mirror>/owner+name/repo`` (or the folder itself)."""
    base = mirror / repo.replace("/", "+")
    for candidate in (base / "repo", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def _git(gitdir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], capture_output=True, check=False)


def extract(gitdir: Path, dest: Path) -> str:
    """``dest`` holds the snapshot's Python files at HEAD (extracted again only if HEAD moved); returns HEAD."""
    head = _git(gitdir, "rev-parse", "HEAD").stdout.decode().strip()
    stamp = dest / ".commit"
    if stamp.is_file() and stamp.read_text() == head:
        return head
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    listed = _git(gitdir, "ls-tree", "-r", "--name-only", "HEAD").stdout.decode("utf-8", "replace").splitlines()
    patterns = [PATTERNS[0]] + ([PATTERNS[1]] if any(p.endswith("pyproject.toml") for p in listed) else [])
    if any(p.endswith(".py") for p in listed):
        archive = _git(gitdir, "archive", "--format=tar", "HEAD", "--", *patterns)
        if archive.returncode != 0:
            raise SystemExit(f"bench: git archive failed in {gitdir}: {archive.stderr.decode()[-500:]}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, members=[m for m in tar.getmembers() if (m.isfile() or m.isdir()) and not INSTALLED & set(Path(m.name).parts)], filter="data")
    stamp.write_text(head)
    return head


def public_corpora(names: list[str], mirror: Path, cache: Path, say: Callable[[str], None]) -> list[Corpus]:
    """The named public corpora (``PUBLIC`` keys and ``BIG``), extracted; a missing snapshot is said and skipped."""
    found = []
    for name in names:
        if name == BIG:
            corpus = big_tree(mirror, cache, say)
            if corpus is not None:
                found.append(corpus)
            continue
        repo = PUBLIC[name]
        gitdir = git_dir(mirror, repo)
        if gitdir is None:
            say(f"  corpus {name}: skipped, {how_to_fetch(mirror, repo)}")
            continue
        commit = extract(gitdir, cache / name)
        found.append(Corpus(name, cache / name, flask=True, origin=f"{repo}@{commit[:10]}"))
    return found


def big_tree(mirror: Path, cache: Path, say: Callable[[str], None]) -> Corpus | None:
    """The repositories listed in bigtree.txt (Indico and public Flask applications), as one tree.

    A fixed list (not whatever the mirror holds), so the tree is the same wherever the snapshots are.
    """
    listed = (Path(__file__).resolve().parent / "bigtree.txt").read_text(encoding="utf-8").splitlines()
    repos = [line.strip() for line in listed if line.strip() and not line.startswith("#")]
    root = cache / BIG
    present, missing = [], []
    for repo in repos:
        gitdir = git_dir(mirror, repo)
        if gitdir is None:
            missing.append(repo)
            continue
        extract(gitdir, root / repo.replace("/", "+"))
        present.append(repo.replace("/", "+"))
    if root.is_dir():
        for stale in {p.name for p in root.iterdir()} - set(present):
            shutil.rmtree(root / stale)
    if missing:
        say(f"  corpus {BIG}: {len(missing)} of {len(repos)} snapshots missing, e.g. {how_to_fetch(mirror, missing[0])}")
    corpus = Corpus(BIG, root, flask=True, origin=f"{len(present)} of the {len(repos)} snapshots listed in bigtree.txt")
    if len(corpus.files()) < 2000:
        say(f"  corpus {BIG}: skipped, fewer than 2,000 Python files")
        return None
    return corpus
