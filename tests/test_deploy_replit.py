"""Replit's ``.replit``: ``[deployment] run`` judged like a Procfile process, the Run button not."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from flake8_flask_devserver.deploy import (
    PRE_COMMIT_FILES,
    DeploymentFileError,
    check_deployment_file,
    is_deployment_file,
    kind_of,
    read_deployment_file,
)
from flake8_flask_devserver.deploy.replit import value_offsets

from .conftest import FIXTURES

DEPLOY = FIXTURES / "deploy"


def _findings(path: Path) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.col, f.code, f.message) for f in check_deployment_file(path, read_deployment_file(path))]


def _project(tmp_path: Path, replit: str, **files: str) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    path = tmp_path / ".replit"
    path.write_text(replit)
    return path


_SERVER = "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n"
_APP = "from flask import Flask\napp = Flask(__name__)\n"


def test_kind_and_pre_commit_pattern() -> None:
    assert kind_of(Path(".replit")) == "replit"
    assert kind_of(Path("sub/.replit")) == "replit"
    assert is_deployment_file(Path(".replit"))
    assert kind_of(Path("replit.nix")) is None
    assert kind_of(Path(".replit.bak")) is None
    assert re.search(PRE_COMMIT_FILES, "sub/.replit")
    assert not re.search(PRE_COMMIT_FILES, "sub/x.replit")


def test_deployment_script_message_names_the_file_and_the_replacement() -> None:
    ((line, col, code, message),) = _findings(DEPLOY / "replit/cloudrun/.replit")
    assert (line, col, code) == (10, 19, "FDS401")
    assert message == (
        "[deployment] run runs main.py, whose line 12 starts the Flask development server; "
        "in production: gunicorn --bind 0.0.0.0:8080 'main:app'"
    )


def test_flask_run_in_a_multiline_list_points_at_the_word() -> None:
    found = _findings(DEPLOY / "replit/vm/.replit")
    assert [(line, col, code) for line, col, code, _ in found] == [(8, 3, "FDS400"), (8, 25, "FDS403")]
    assert found[0][3] == (
        "[deployment] run runs Flask's development server (flask run); in production: gunicorn --bind 0.0.0.0:8080 'board:app'"
    )


def test_top_level_run_is_the_workspace_run_button(tmp_path: Path) -> None:
    path = _project(tmp_path, 'run = "python3 main.py"\nentrypoint = "main.py"\n', **{"main.py": _SERVER})
    assert _findings(path) == []


def test_build_command_and_static_deployments_are_not_judged(tmp_path: Path) -> None:
    text = '[deployment]\nbuild = ["python3", "main.py"]\nrun = ["gunicorn", "main:app"]\n'
    assert _findings(_project(tmp_path, text, **{"main.py": _SERVER})) == []
    static = '[deployment]\ndeploymentTarget = "static"\nrun = ["python3", "main.py"]\npublicDir = "site"\n'
    assert _findings(_project(tmp_path, static, **{"main.py": _SERVER})) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('[deployment]\nrun = "python3 main.py"\n', (2, 15)),
        ("[deployment]\nrun = 'python3 main.py'\n", (2, 15)),
        ('[ deployment ]\n"run" = ["python3", "main.py"]  # run\n', (2, 21)),
        ('deployment.run = ["python3", "main.py"]\n', (1, 30)),
        ('[deployment]\nrun = """\npython3 main.py"""\n', (3, 8)),
        ('[deployment]\nrun = [\n  # comment "with] quotes"\n  "python3",\n  \'main.py\',\n]\n', (5, 3)),
        ('title = "a [deployment] b"\nnote = """\n[deployment]\nrun = "x"\n"""\n[deployment]\nrun = ["python3", "main.py"]\n', (7, 19)),
        ('[deployment]\nrun = { args = ["python3", "main.py"] }\n', (2, 6)),
        ('deployment = { run = ["python3", "main.py"] }\n', (1, 13)),
    ],
)
def test_positions_of_the_command(tmp_path: Path, text: str, place: tuple[int, int]) -> None:
    ((line, col, code, _),) = _findings(_project(tmp_path, text, **{"main.py": _SERVER}))
    assert (line, col, code) == (*place, "FDS401")


def test_shell_string_with_an_escape_keeps_positions(tmp_path: Path) -> None:
    text = '[deployment]\nrun = "echo \\"up\\" && flask --app site run"\n'
    found = _findings(_project(tmp_path, text, **{"site.py": _APP}))
    assert [(line, col, code) for line, col, code, _ in found] == [(2, 22, "FDS400")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[deployment]\nrun = ["python3", "main.py"\n', "line 2: invalid TOML, unclosed array"),
        ("a = 1\nb = \n", "line 2: invalid TOML, invalid value"),
        ("[x]\n[x]\n", "line 2: invalid TOML, cannot declare ('x',) twice"),
    ],
)
def test_bad_toml_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    path = _project(tmp_path, text)
    with pytest.raises(DeploymentFileError) as raised:
        check_deployment_file(path, read_deployment_file(path))
    assert str(raised.value) == f"{path}: {problem}"


def test_value_offsets_are_linear() -> None:
    """The scan for positions is one pass: a large file of long strings, comments and arrays is quick."""
    chunk = 'k{0} = "{1}"  # {1}\nl{0} = [\n  "{1}", \'{1}\',\n]\nm{0} = """{1}\n{1}"""\n'
    text = "".join(chunk.format(i, "x\\\"" * 200) for i in range(2000)) + '[deployment]\nrun = "flask run"\n'
    started = time.perf_counter()
    offsets = value_offsets(text)
    assert time.perf_counter() - started < 5
    assert text[offsets[("deployment", "run")] :].startswith('"flask run"')
    assert len(offsets) == 6001
