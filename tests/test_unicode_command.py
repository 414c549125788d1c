"""The command finds what the plugin finds on names Python normalises (PEP 3131), and never rewrites them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FULL_RUN = "\uff52\uff55\uff4e"  # ｒｕｎ
FULL_FLASK = "\uff46\uff4c\uff41\uff53\uff4b"  # ｆｌａｓｋ
SOURCE = f"from {FULL_FLASK} import Flask\napp = Flask(__name__)\napp.{FULL_RUN}(debug=True)\n"


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_flask_devserver", *args], capture_output=True, text=True, encoding="utf-8"
    )


def test_command_reports_full_width_names(tmp_path: Path) -> None:
    target = tmp_path / "web.py"
    target.write_text(SOURCE, encoding="utf-8")
    result = _command(str(target))
    assert result.returncode == 1, result.stderr
    codes = {line.split()[1] for line in result.stdout.splitlines() if ": FDS" in line}
    assert {"FDS100", "FDS200"} <= codes


def test_fix_leaves_full_width_names_alone(tmp_path: Path) -> None:
    target = tmp_path / "web.py"
    target.write_text(SOURCE, encoding="utf-8")
    result = _command("--fix", "--unsafe-fixes", str(target))
    assert target.read_text(encoding="utf-8") == SOURCE  # not a byte of theirs changed
    assert "NFKC" in result.stdout + result.stderr
