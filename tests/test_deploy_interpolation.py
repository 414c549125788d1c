"""Compose interpolation from the project directory's ``.env`` (FDS402 at the Compose line and the .env line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver.deploy import check_deployment_file, read_deployment_file
from flake8_flask_devserver.deploy.interpolation import interpolate

from .conftest import FIXTURES

DEPLOY = FIXTURES / "deploy"


def _findings(path: Path) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.code, f.message) for f in check_deployment_file(path, read_deployment_file(path))]


def _project(tmp_path: Path, compose: str, dotenv: str | None, name: str = "docker-compose.yml") -> tuple[Path, Path]:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv)
    (tmp_path / name).write_text(compose)
    return tmp_path / name, tmp_path / ".env"


@pytest.mark.parametrize(
    ("text", "dotenv", "value"),
    [
        ("${DEBUG}", {"DEBUG": "True"}, "True"),
        ("$DEBUG", {"DEBUG": "True"}, "True"),
        ("${DEBUG}", {}, None),  # the shell's: unknown
        ("${DEBUG:-1}", {}, "1"),
        ("${DEBUG:-1}", {"DEBUG": ""}, "1"),
        ("${DEBUG-1}", {"DEBUG": ""}, ""),
        ("${DEBUG-1}", {}, "1"),
        ("${DEBUG:-1}", {"DEBUG": "0"}, "0"),
        ("${DEBUG:?set DEBUG}", {}, None),
        ("${DEBUG:?set DEBUG}", {"DEBUG": "yes"}, "yes"),
        ("${DEBUG:+on}", {"DEBUG": "1"}, "on"),
        ("${DEBUG:+on}", {"DEBUG": ""}, ""),
        ("${DEBUG:+on}", {}, None),
        ("${A:-${B:-x}}", {"B": "y"}, "y"),
        ("$$DEBUG", {"DEBUG": "True"}, "$DEBUG"),
        ("$${DEBUG}", {"DEBUG": "True"}, "${DEBUG}"),
        ("${DEBUG", {"DEBUG": "True"}, None),
        ("${DEBUG}", {"DEBUG": None}, None),  # .env's own value is unknown
        ("a$-b", {}, "a$-b"),
    ],
)
def test_interpolation_follows_the_compose_spec(text: str, dotenv: dict[str, str | None], value: str | None) -> None:
    assert interpolate(text, dotenv).value == value


def test_nesting_is_bounded() -> None:
    deep = "${A:-" * 200 + "1" + "}" * 200
    assert interpolate(deep, {}).value is None


def test_compose_line_says_where_the_value_comes_from() -> None:
    found = _findings(DEPLOY / "compose_interpolation/docker-compose.yml")
    assert found[0] == (
        5,
        8,
        "FDS402",
        "FLASK_DEBUG=True in service 'web' environment (${DEBUG}, DEBUG=True from .env line 3) turns on Flask's debug "
        "mode; Werkzeug's debugger lets anyone who reaches the server run code; set it only in development",
    )
    assert found[-1][3].startswith(
        "FLASK_DEBUG=1 in service 'jobs' environment (${JOBS_DEBUG:-1}, the default, JOBS_DEBUG not being set in .env)"
    )


def test_dotenv_line_names_the_compose_file_that_uses_it() -> None:
    ((line, col, code, message),) = _findings(DEPLOY / "compose_interpolation/.env")
    assert (line, col, code) == (3, 0, "FDS402")
    assert message.startswith(
        "FLASK_DEBUG=True in docker-compose.yml service 'web' environment (${DEBUG}, from this DEBUG) turns on"
    )


def test_production_server_wording_follows_the_service(tmp_path: Path) -> None:
    compose = "services:\n  web:\n    image: x\n    environment:\n      FLASK_DEBUG: ${DEBUG}\n    command: gunicorn app:app\n"
    compose_path, env_path = _project(tmp_path, compose, "DEBUG=1\n")
    ((_, _, _, message),) = _findings(env_path)
    assert "sets the app's DEBUG config under gunicorn" in message
    ((_, _, _, message),) = _findings(compose_path)
    assert message.startswith("FLASK_DEBUG=1 in service 'web' environment (${DEBUG}, DEBUG=1 from .env line 1) sets")


@pytest.mark.parametrize(
    ("environment", "dotenv"),
    [
        ("FLASK_DEBUG: ${DEBUG}", "DEBUG=False\n"),  # off
        ("FLASK_DEBUG: ${DEBUG}", "OTHER=1\n"),  # not in .env, no default: the shell's
        ("FLASK_DEBUG: ${DEBUG}", None),  # no .env at all
        ("FLASK_DEBUG: ${DEBUG-1}", "DEBUG=\n"),  # set and empty: no default
        ("FLASK_DEBUG: ${DEBUG}\n      FLASK_DEBUG_OTHER: x", "DEBUG=0\n"),
        ("FLASK_DEBUG: '0'\n      OTHER: ${DEBUG}", "DEBUG=1\n"),  # DEBUG feeds no watched variable
    ],
)
def test_negatives(tmp_path: Path, environment: str, dotenv: str | None) -> None:
    compose = f"services:\n  web:\n    image: x\n    environment:\n      {environment}\n"
    compose_path, env_path = _project(tmp_path, compose, dotenv)
    assert _findings(compose_path) == []
    if dotenv is not None:
        assert _findings(env_path) == []


def test_development_compose_files_do_not_make_the_dotenv_line_a_finding(tmp_path: Path) -> None:
    compose = "services:\n  web:\n    image: x\n    environment:\n      FLASK_DEBUG: ${DEBUG}\n"
    _, env_path = _project(tmp_path, compose, "DEBUG=1\n", name="docker-compose.override.yml")
    assert _findings(env_path) == []


def test_env_file_of_another_folder_is_not_the_project_dotenv(tmp_path: Path) -> None:
    (tmp_path / "deploy").mkdir()
    compose = "services:\n  web:\n    image: x\n    environment:\n      FLASK_DEBUG: ${DEBUG}\n"
    (tmp_path / "deploy" / "docker-compose.yml").write_text(compose)
    _, env_path = _project(tmp_path, "services: {}\n", "DEBUG=1\n")
    assert _findings(tmp_path / "deploy" / "docker-compose.yml") == []
    assert _findings(env_path) == []
