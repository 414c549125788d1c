"""A real, fresh virtualenv install of the package, then flake8 on the shipped fixtures."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from .conftest import FIXTURES, ROOT


def test_fresh_venv_install_runs_the_plugin(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    result = subprocess.run(
        [str(python), "-m", "flake8", "--select=FDS", "--require-plugins=flake8-flask-devserver", "."],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "FDS101" in result.stdout and "FDS300" in result.stdout
    assert result.stderr == ""
    versions = subprocess.run([str(python), "-m", "flake8", "--version"], capture_output=True, text=True)
    assert "flake8-flask-devserver" in versions.stdout
