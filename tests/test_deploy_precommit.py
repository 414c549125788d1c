"""One real pre-commit run over every deployment fixture (issue 14): the hook's ``files:`` pattern
hands it each kind of file, and it reports what the fixtures' markers say.

``try-repo`` builds a hook environment from this checkout, so there is only this one run.
Deselect with ``-m "not precommit"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver.deploy import is_deployment_file

from .conftest import ROOT
from .test_deploy import CASES, DEPLOY, markers

pytestmark = pytest.mark.precommit


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the repository")
def test_the_hook_over_every_deployment_fixture(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    shutil.copytree(DEPLOY, sample)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    for args in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *args], cwd=sample, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "flake8-flask-devserver", "--all-files"],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found: set[tuple[str, int, str]] = set()
    for line in result.stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit() and is_deployment_file(Path(parts[0])):
            found.add((parts[0], int(parts[1]), parts[3].split()[0]))
    expected = {(path.relative_to(DEPLOY).as_posix(), row, code) for path in CASES for row, code in markers(path)}
    assert found == expected
    assert "not checked" not in result.stdout
