"""Deployment files, issue 14: suggestions that fit the image, the pre-commit hooks' pattern."""

from __future__ import annotations

from pathlib import Path

from flake8_flask_devserver import deploy

from .test_deploy import DEPLOY, _command_lines


def test_suggestions_fit_where_the_file_lands_in_the_image() -> None:
    lines = _command_lines("Dockerfile", "Dockerfile.admin", "Dockerfile.board", "compose.yaml", cwd=DEPLOY / "image_paths")
    suggestions = [line.rpartition("in production: ")[2] for line in lines]
    assert suggestions == [
        "gunicorn --bind 0.0.0.0:8000 'api:app'",  # COPY . /app + WORKDIR /app + python api.py
        "gunicorn --bind 0.0.0.0:8000 --chdir /app/tools/my-admin 'admin_app:admin'",  # never --chdir ..
        "a production server cannot import run-admin.py as it is named: rename 'run-admin' to a Python name "
        "(letters, digits, underscores), then serve it with gunicorn",
        "gunicorn --bind 0.0.0.0:8000 'server:site'",  # Compose volume ./web:/code, working_dir /code
    ]


def test_the_pre_commit_hooks_use_the_package_pattern() -> None:
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text()
    files = [line.split("files: ", 1)[1].strip().strip("'") for line in hooks.splitlines() if line.startswith("  files: ")]
    assert files and all(pattern == r"\.pyi?$|" + deploy.PRE_COMMIT_FILES for pattern in files)
