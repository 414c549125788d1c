"""flake8 -j 2 reports exactly what -j 1 does: per-process caches (first-party modules
read for resolution, project roots) give the same answers in every worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flake8_flask_devserver import apps, project
from flake8_flask_devserver.engine import check_source

from .conftest import FIXTURES, run_flake8

FORMAT = "--format=%(path)s|%(row)d|%(col)d|%(code)s|%(text)s"

_STARTS = [
    "app.run(host='0.0.0.0', debug=True)",
    "app.run(debug=True)",
    "app.run('::', 8000)",
    "app.run()",
]


def _generate(root: Path) -> None:
    """Many small modules that resolve their apps through a few shared first-party modules."""
    shop = root / "generated" / "shop"
    (shop / "src" / "shop").mkdir(parents=True)
    (shop / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    package = shop / "src" / "shop"
    (package / "__init__.py").write_text("from .factory import create_app\n")
    (package / "factory.py").write_text(
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n"
    )
    (package / "core.py").write_text("from .factory import create_app\n\napp = create_app()\n")
    for i in range(24):
        start = _STARTS[i % len(_STARTS)]
        source = ["from shop.core import app" if i % 2 else "from shop import create_app\n\napp = create_app()"]
        if i % 3 == 0:
            source.append(start)  # at import time
        elif i % 3 == 1:
            source.append(f'if __name__ == "__main__":\n    {start}')
        else:
            source.append(f"def main():\n    {start}")
        (shop / f"run_{i}.py").write_text("\n\n".join(source) + "\n")
    loose = root / "generated" / "loose"
    loose.mkdir()
    for i in range(24):
        (loose / f"app_{i}.py").write_text(
            f"from flask import Flask\n\napp = Flask(__name__)\napp.config['DEBUG'] = {i % 2 == 0}\n\n"
            f'if __name__ == "__main__":\n    {_STARTS[i % len(_STARTS)]}\n'
        )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("concurrency")
    (root / "setup.cfg").write_text("[flake8]\n")
    shutil.copytree(FIXTURES, root / "fixtures")
    _generate(root)
    return root


def _report(tree: Path, jobs: str) -> list[str]:
    result = run_flake8("--select=FDS", FORMAT, "-j", jobs, ".", cwd=tree)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return sorted(result.stdout.splitlines())


def test_parallel_run_matches_serial_run(tree: Path) -> None:
    serial = _report(tree, "1")
    parallel = _report(tree, "2")
    assert parallel == serial
    paths = {line.split("|", 1)[0] for line in serial}
    # Cross-module resolution came through in the workers: the apps live in other files.
    assert sum(path.startswith("./generated/shop/run_") for path in paths) == 24
    assert "./fixtures/projects/shop/run.py" in paths
    assert len(paths) > 60


def test_flake8_matches_the_engine_in_process(tree: Path) -> None:
    """A third opinion, with caches warm from earlier files (fixtures carry noqa: generated files only)."""
    project.clear_caches()
    apps.clear_caches()
    expected = set()
    for path in sorted((tree / "generated").rglob("*.py")):
        for finding in check_source(path.read_text(), path):
            expected.add(f"./{path.relative_to(tree)}|{finding.line}|{finding.col + 1}|{finding.code}")
    found = {line.rsplit("|", 1)[0] for line in _report(tree, "2") if line.startswith("./generated/")}
    assert found == expected
