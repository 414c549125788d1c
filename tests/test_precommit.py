"""The pre-commit hooks, through real pre-commit: ``try-repo`` builds them from this repository.

``try-repo`` clones the repository (with uncommitted changes to tracked files) and
installs it with pip into a fresh hook environment, exactly as a user's
``pre-commit install`` would from the published repository. Deselect with
``-m "not precommit"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT

pytestmark = pytest.mark.precommit

TUTORIAL = FIXTURES / "fixes/tutorial_app"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _sample(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "app.py").write_bytes((TUTORIAL / "before.py").read_bytes())
    (sample / "clean.py").write_text("import flask\n\napp = flask.Flask(__name__)\n")
    (sample / "Procfile").write_text("web: flask --app clean run --host=0.0.0.0\n")
    (sample / "README.md").write_text("Run it with: flask run --debug\n")
    _git("init", "-q", cwd=sample)
    _git("add", ".", cwd=sample)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return sample, env


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the repository")
def test_lint_and_fix_hooks_from_the_repository(tmp_path: Path) -> None:
    sample, env = _sample(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files", "--color=never"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    lint, _, fix = out.partition("flake8-flask-devserver (fix)")
    assert "- hook id: flake8-flask-devserver\n" in lint and "Failed" in lint
    assert "app.py:11:1: FDS100 [*] Flask development server starts at import time" in lint  # ruff's mark: fixable
    assert "clean.py" not in out
    assert "Procfile:1:6: FDS400 " in lint and "Procfile:1:28: FDS403 " in lint  # deployment files too
    assert "README.md" not in out
    assert "- hook id: flake8-flask-devserver-fix" in fix and "- files were modified by this hook" in fix
    assert "app.py:12:5: FDS101 " in fix
    assert (sample / "app.py").read_bytes() == (TUTORIAL / "fixed/safe.py").read_bytes()


def test_flake8_hook_with_the_plugin_as_additional_dependency(tmp_path: Path) -> None:
    """The flake8-hook way from the docs, with the plugin installed from this checkout."""
    sample, env = _sample(tmp_path)
    (sample / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: flake8\n"
        "        name: flake8\n"
        "        entry: flake8\n"
        "        language: python\n"
        "        types: [python]\n"
        f"        additional_dependencies: [flake8, '{ROOT.as_posix()}']\n"
        "        args: [--extend-select=FDS, --require-plugins=flake8-flask-devserver]\n"
    )
    _git("add", ".", cwd=sample)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color=never"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app.py:11:1: FDS100 Flask development server starts at import time" in result.stdout  # flake8 prints no fixable mark


def test_hooks_run_serially() -> None:
    """Issue 15 item 6: ``require_serial`` on both hooks (read from the file pre-commit reads)."""
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"]: hook.get("require_serial") for hook in hooks} == {
        "flake8-flask-devserver": True,
        "flake8-flask-devserver-fix": True,
    }


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the repository")
def test_try_repo_with_the_hook_named_runs_it_once_over_all_files(tmp_path: Path) -> None:
    """The docs' ``pre-commit try-repo <path> flake8-flask-devserver``: the lint hook only, one process
    for all files (pre-commit would split 12 files over the cores otherwise), so one summary line."""
    sample, env = _sample(tmp_path)
    for number in range(12):
        (sample / f"mod{number}.py").write_bytes((TUTORIAL / "before.py").read_bytes())
    _git("add", ".", cwd=sample)
    env.pop("PRE_COMMIT_NO_CONCURRENCY", None)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "flake8-flask-devserver", "--all-files", "--color=never"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "- hook id: flake8-flask-devserver\n" in out
    assert "flake8-flask-devserver-fix" not in out and "files were modified" not in out
    summaries = [line for line in out.splitlines() if line.startswith("flake8-flask-devserver: ") and "fixable" in line]
    [summary] = summaries  # one process: one summary (two or more when pre-commit splits the files)
    assert "13 fixable with --fix; 26 more fixable with --fix --unsafe-fixes." in summary
    assert out.count(": FDS100 ") == 13


def test_the_readmes_local_hook_recipe(tmp_path: Path) -> None:
    """The install path until the package is published: a ``repo: local`` hook from this checkout."""
    sample, env = _sample(tmp_path)
    (sample / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: flake8-flask-devserver\n"
        "        name: flake8-flask-devserver\n"
        "        entry: flake8-flask-devserver\n"
        "        language: python\n"
        f"        additional_dependencies: ['{ROOT.as_posix()}']\n"
        "        types: [python]\n"
        "        require_serial: true\n"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "        additional_dependencies: [/path/to/flake8-flask-devserver]" in readme  # the recipe tested here
    _git("add", ".", cwd=sample)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color=never"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "app.py:11:1: FDS100 " in result.stdout
    assert "Procfile" not in result.stdout  # types: [python]
