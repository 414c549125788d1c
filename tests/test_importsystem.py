"""importsystem.find_spec and locate, differentially against CPython's own import system.

Hundreds of small generated layouts (packages, namespace packages, a module and a package
of the same name, bytecode-only modules, names that differ in case, sys.path entries that
are missing or are files, scripts inside package folders, src/ layouts). For each, one
``python -I -S`` subprocess per batch sets the same ``sys.path`` and asks
``importlib.util.find_spec`` for every dotted name the layout can spell; the files are
empty, since ``find_spec`` imports parent packages. Our answer must be the same.
``FDS_LONG_TESTS=1`` runs ten times as many layouts.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import pytest

from flake8_flask_devserver import importsystem, project

LAYOUTS = 6000 if os.environ.get("FDS_LONG_TESTS") == "1" else 600
BATCH = 300


def _pool() -> tuple[str, ...]:
    names = ("zqa", "zqb", "zqc")
    assert not set(names) & (set(sys.stdlib_module_names) | set(sys.builtin_module_names))
    return names


POOL = _pool()
#: Every dotted name the layouts can spell, up to three parts.
QUERIES = [".".join(parts) for depth in (1, 2, 3) for parts in product(POOL, repeat=depth)]


@dataclass
class Layout:
    root: Path
    paths: list[list[str]]  # sys.path variants to ask about
    importer: Path | None = None  # a script whose locate() is checked (project layouts)
    answers: list[dict[str, object]] = field(default_factory=list)


def _tree(rng: random.Random, folder: Path, depth: int) -> None:
    """Random modules, packages and namespace portions (with collisions) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in rng.sample(POOL, rng.randint(1, len(POOL))):
        kind = rng.choice(("module", "package", "namespace", "module+package", "module+namespace", "pyc", "case"))
        if kind == "case":
            (folder / f"{name.upper()}.py").write_text("")  # not ``name`` for CPython's case-sensitive cache
            continue
        if kind == "pyc":
            (folder / f"{name}.pyc").write_bytes(b"")  # a sourceless module: found, never read
        if "module" in kind:
            (folder / f"{name}.py").write_text("")
        if "package" in kind or "namespace" in kind:
            (folder / name).mkdir(exist_ok=True)
            if "package" in kind:
                (folder / name / "__init__.py").write_text("")
            if depth < 2:
                _tree(rng, folder / name, depth + 1)


def _raw(rng: random.Random, root: Path) -> Layout:
    """Up to three sys.path entries, some missing, one perhaps a file."""
    entries = []
    for index in range(rng.randint(1, 3)):
        entry = root / f"e{index}"
        roll = rng.random()
        if roll < 0.8:
            _tree(rng, entry, 0)
        elif roll < 0.9:
            entry.write_text("")  # a file on sys.path: no finder
        entries.append(str(entry))
    return Layout(root, [entries])


def _project(rng: random.Random, root: Path) -> Layout:
    """A project (maybe with src/) and a script inside one of its package folders."""
    (root / "pyproject.toml").write_text("")
    _tree(rng, root, 0)
    if rng.random() < 0.5:
        _tree(rng, root / "src", 0)
    folders = [root] + sorted(path for path in root.rglob("*") if path.is_dir())
    where = rng.choice(folders)
    importer = where / "run_script.py"
    importer.write_text('if __name__ == "__main__":\n    pass\n')
    paths = [[str(entry) for entry in way] for way in importsystem.search_paths(importer)]
    return Layout(root, paths, importer)


_ASK = r"""
import importlib, importlib.util, json, sys
layouts = json.load(sys.stdin)
before = set(sys.modules)
out = []
for paths, queries in layouts:
    answers = []
    for path in paths:
        sys.path[:] = path
        sys.path_importer_cache.clear()
        importlib.invalidate_caches()
        found = {}
        for name in queries:
            try:
                spec = importlib.util.find_spec(name)
            except ImportError:  # ModuleNotFoundError: a parent is missing or is not a package
                spec = None
            if spec is None:
                found[name] = None
            else:
                locations = spec.submodule_search_locations
                found[name] = [spec.origin, None if locations is None else list(locations)]
        for module in set(sys.modules) - before:
            del sys.modules[module]
        answers.append(found)
    out.append(answers)
json.dump(out, sys.stdout)
"""


def _cpython(layouts: list[Layout]) -> None:
    request = [[layout.paths, QUERIES] for layout in layouts]
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _ASK],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for layout, answers in zip(layouts, json.loads(result.stdout)):
        layout.answers = answers


def _ours(spec: importsystem.Spec | None) -> object:
    if spec is None:
        return None
    origin = None if spec.origin is None else str(spec.origin)
    locations = [str(location) for location in spec.locations] if spec.locations else None
    if spec.origin is None and not spec.locations:
        return None
    return [origin, locations]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> list[Layout]:
    base = tmp_path_factory.mktemp("layouts")
    rng = random.Random(13)
    made = []
    for number in range(LAYOUTS):
        root = base / f"l{number}"
        root.mkdir()
        made.append(_project(rng, root) if number % 2 else _raw(rng, root))
    for start in range(0, len(made), BATCH):
        _cpython(made[start : start + BATCH])
    return made


def test_find_spec_agrees_with_cpython(layouts: list[Layout]) -> None:
    assert len(layouts) >= 500
    checked = disagreements = 0
    shown: list[str] = []
    for layout in layouts:
        for path, answers in zip(layout.paths, layout.answers):
            entries = tuple(Path(entry) for entry in path)
            for name in QUERIES:
                checked += 1
                ours = _ours(importsystem.find_spec(name, entries))
                if ours != answers[name]:
                    disagreements += 1
                    if len(shown) < 10:
                        shown.append(f"{layout.root} {path} {name}: ours {ours}, CPython {answers[name]}")
    assert not disagreements, "\n".join(shown)
    # the layouts exercise every outcome
    outcomes = {
        "module" if answer[1] is None else ("namespace" if answer[0] is None else "package")
        for layout in layouts
        for answers in layout.answers
        for answer in answers.values()
        if answer is not None
    }
    assert outcomes == {"module", "package", "namespace"}
    assert checked >= 500 * len(QUERIES)


def test_locate_agrees_with_cpython(layouts: list[Layout]) -> None:
    """The file an import in a script loads: the first interpretation whose spec is Python source wins."""
    project.clear_caches()
    checked = 0
    for layout in layouts:
        if layout.importer is None:
            continue
        for name in QUERIES:
            expected = None
            for answers in layout.answers:
                answer = answers[name]
                if answer is not None and answer[0] is not None and str(answer[0]).endswith(".py"):
                    expected = answer[0]
                    break
            found = importsystem.locate(name, 0, layout.importer)
            assert (str(found) if found else None) == expected, (layout.root, name)
            checked += 1
    assert checked >= 250 * len(QUERIES)


def test_a_script_gets_its_own_folder_first(tmp_path: Path) -> None:
    """python site/run.py: site/ is sys.path[0], __init__.py or not; a module of a package gets its import root."""
    (tmp_path / "pyproject.toml").write_text("")
    site = tmp_path / "site"
    site.mkdir()
    (site / "__init__.py").write_text("")
    script = site / "run.py"
    script.write_text('if __name__ == "__main__":\n    pass\n')
    module = site / "views.py"
    module.write_text("")
    project.clear_caches()
    assert importsystem.search_paths(script)[0][0] == site
    assert importsystem.search_paths(script)[1][0] == tmp_path
    assert importsystem.search_paths(module) == ((tmp_path,),)


def test_standard_library_names_are_not_taken_from_later_entries(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "json.py").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    user = tmp_path / "pkg" / "user.py"
    user.write_text("")
    project.clear_caches()
    assert importsystem.locate("json", 0, user) is None  # src/ follows the standard library
    script = tmp_path / "tool.py"
    script.write_text('if __name__ == "__main__":\n    pass\n')
    (tmp_path / "json.py").write_text("")
    project.clear_caches()  # (folders are listed once per run)
    assert importsystem.locate("json", 0, script) == tmp_path / "json.py"  # the script's own folder comes first


def test_flask_ext() -> None:
    assert importsystem.flask_ext("flask.ext.socketio.SocketIO") == "flask_socketio.SocketIO"
    assert importsystem.flask_ext("flask.ext") == "flask.ext"
    assert importsystem.flask_ext("flask.extras.x") == "flask.extras.x"


def test_a_namespace_submodule_resolves_with_the_scripts_folder_as_cpython_does(tmp_path: Path) -> None:
    """``python service/boot.py`` imports views.pages (views/ has no __init__.py), whose ``import core``
    CPython finds in service/, the script's folder: the file's own ways fail, the namespace root is tried next."""
    (tmp_path / "pyproject.toml").write_text("")
    service = tmp_path / "service"
    (service / "views").mkdir(parents=True)
    (service / "core.py").write_text("NAME = 'service core'\n")
    pages = service / "views" / "pages.py"
    pages.write_text("import core\n")
    boot = service / "boot.py"
    boot.write_text("import views.pages\nimport sys\nif __name__ == '__main__':\n    print(sys.modules['core'].__file__)\n")
    ran = subprocess.run([sys.executable, "-E", "-s", "-S", str(boot)], capture_output=True, text=True, timeout=60)
    assert ran.stdout.strip() == str(service / "core.py"), ran.stderr
    project.clear_caches()
    assert importsystem.search_paths(pages) == ((service / "views", tmp_path), (service, tmp_path))
    assert importsystem.locate("core", 0, pages) == service / "core.py"
    (tmp_path / "my-views").mkdir()
    odd = tmp_path / "my-views" / "pages.py"  # my-views cannot be a package name: no root above it
    odd.write_text("import core\n")
    assert importsystem.search_paths(odd) == ((tmp_path / "my-views", tmp_path),)
