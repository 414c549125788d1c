"""Deployment files (FDS400-FDS403): fixture projects with inline markers, exact messages, malformed files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import deploy
from flake8_flask_devserver.deploy import (
    DeploymentFileError,
    check_deployment_file,
    is_deployment_file,
    is_dev_only,
    read_deployment_file,
)
from flake8_flask_devserver.deploy import rules as deploy_rules
from flake8_flask_devserver.model import DEFAULT_SETTINGS, Finding, Settings

from .conftest import FIXTURES

DEPLOY = FIXTURES / "deploy"

#: ``# error: FDS400, FDS403`` (this line) or ``# error-next-line: FDS401`` (for lines that
#: cannot carry a comment: a Dockerfile's JSON exec form, an ENV instruction).
_MARKER = re.compile(r"#\s*error(-next-line)?:\s*(FDS\d{3}(?:\s*,\s*FDS\d{3})*)")


def deployment_fixtures() -> list[Path]:
    return sorted(path for path in DEPLOY.rglob("*") if path.is_file() and is_deployment_file(path))


def markers(path: Path) -> set[tuple[int, str]]:
    expected: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found = _MARKER.search(line)
        if found:
            target = number + 1 if found.group(1) else number
            expected.update((target, code.strip()) for code in found.group(2).split(","))
    return expected


def check(path: Path, settings: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    return check_deployment_file(path, read_deployment_file(path), settings)


CASES = deployment_fixtures()


@pytest.mark.parametrize("path", CASES, ids=lambda path: str(path.relative_to(DEPLOY)))
def test_fixture(path: Path) -> None:
    found = {(finding.line, finding.code) for finding in check(path)}
    assert found == markers(path)


SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")


def test_fixtures_through_the_command() -> None:
    """One run of the installed command over every deployment fixture: the markers, no more, no less."""
    result = subprocess.run([str(SCRIPT), "."], cwd=DEPLOY, capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr
    assert "not checked" not in result.stderr, result.stderr
    found: set[tuple[Path, int, str]] = set()
    for line in result.stdout.splitlines():
        path, row, _, rest = line.split(":", 3)
        if is_deployment_file(Path(path)):
            found.add(((DEPLOY / path).resolve(), int(row), rest.split()[0]))
    expected = {(path.resolve(), row, code) for path in CASES for row, code in markers(path)}
    assert found == expected


def test_fixtures_cover_every_kind_and_code() -> None:
    kinds = {deploy.kind_of(path) for path in CASES}
    assert kinds == {
        "dockerfile", "procfile", "compose", "envfile", "script", "kubernetes", "systemd", "supervisord", "appengine", "fly",
        "layerfile", "replit",
    }
    codes = {code for path in CASES for _, code in markers(path)}
    assert codes == {rule.CODE for rule in deploy_rules.ALL}
    assert sum(1 for path in CASES if not markers(path)) >= 10  # negatives stay silent
    assert sum(1 for path in CASES if is_dev_only(path)) >= 8


def _messages(path: Path) -> dict[tuple[int, int, str], str]:
    return {(f.line, f.col, f.code): f.message for f in check(path)}


def test_launcher_in_docker_image_names_both_places_and_the_replacement() -> None:
    assert _messages(DEPLOY / "docker_python_script/Dockerfile") == {
        (13, 15, "FDS401"): "CMD runs app.py, whose line 13 starts the Flask development server; "
        "in production: gunicorn --bind 0.0.0.0:8000 'app:app'",
    }


def test_flask_cli_in_shell_form_cmd() -> None:
    messages = _messages(DEPLOY / "docker_flask_cli/Dockerfile")
    production = "gunicorn --bind 0.0.0.0:8080 'shop.web:create_app()'"
    assert messages[(15, 9, "FDS400")] == (
        f"CMD runs Flask's development server (flask run); in production: {production}"
    )
    assert messages[(17, 8, "FDS402")].startswith("--debugger on flask run (CMD runs it) turns on Werkzeug's debugger")
    assert messages[(7, 4, "FDS402")].startswith("FLASK_DEBUG=1 in ENV turns on Flask's debug mode;")  # ARG default
    assert messages[(9, 4, "FDS403")].startswith("FLASK_RUN_HOST=0.0.0.0 in ENV binds flask run's")
    assert messages[(11, 4, "FDS402")].startswith(
        "FLASK_ENV=development in ENV turns on Flask's debug mode (Flask < 2.3)"
    )


def _command_lines(*args: str, cwd: Path) -> list[str]:
    result = subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    problems = [line for line in result.stderr.splitlines() if not line.startswith("flake8-flask-devserver: Found ")]
    assert result.returncode in (0, 1) and not problems, result.stderr
    return result.stdout.splitlines()


def test_entry_script_findings_are_at_its_own_lines_with_the_chain() -> None:
    folder = DEPLOY / "docker_boot_script"
    assert _command_lines("Containerfile", cwd=folder) == []  # the script's findings are the script's
    assert _command_lines("boot.sh", cwd=folder) == [
        "boot.sh:5:21: FDS401 boot.sh, run by Containerfile ENTRYPOINT, runs server.py, whose line 9 starts the "
        "Flask development server; in production: gunicorn --bind 0.0.0.0:8080 'server:app'",
        "boot.sh:7:6: FDS400 boot.sh, run by Containerfile ENTRYPOINT, runs Flask's development server "
        "(python -m flask run); in production: gunicorn --bind 0.0.0.0:8000 'server:app'",
        "boot.sh:7:39: FDS403 -h 0.0.0.0 on python -m flask run (boot.sh, run by Containerfile ENTRYPOINT, runs it) "
        "binds the development server to all interfaces, reachable from the network; "
        "in production: gunicorn --bind 0.0.0.0:8000 'server:app'",
    ]


def test_exec_form_cmd_after_an_entrypoint_script() -> None:
    messages = _messages(DEPLOY / "docker_entrypoint_args/Dockerfile")
    assert messages[(6, 5, "FDS400")] == (
        "CMD runs Flask's development server (flask run); in production: gunicorn --bind 0.0.0.0:8000 'wsgi:application'"
    )
    assert (6, 21, "FDS403") in messages  # the --host word


def test_src_layout_gets_chdir() -> None:
    (message,) = _messages(DEPLOY / "docker_src_layout/Dockerfile").values()
    assert message == (
        "CMD runs src/serve.py, whose line 5 starts the Flask development server; "
        "in production: gunicorn --bind 0.0.0.0:8000 --chdir src 'shop:create_app()'"
    )


def test_procfile_uses_the_platform_port_and_the_flaskenv_app() -> None:
    messages = _messages(DEPLOY / "procfile_flask_run/Procfile")
    assert messages[(3, 5, "FDS400")] == (
        "process 'web' runs Flask's development server (flask run); in production: gunicorn --bind 0.0.0.0:$PORT 'wsgi:app'"
    )
    (python_message,) = _messages(DEPLOY / "procfile_python/Procfile").values()
    assert python_message.endswith("in production: gunicorn --bind 0.0.0.0:$PORT 'run:app'")


def test_compose_positions_inside_strings_and_merged_anchors() -> None:
    messages = _messages(DEPLOY / "compose_project/docker-compose.yml")
    assert set(messages) == {
        (3, 2, "FDS402"),  # the anchor's key, merged into service web
        (13, 13, "FDS400"),
        (13, 23, "FDS403"),
        (18, 8, "FDS402"),
        (24, 13, "FDS400"),
        (24, 45, "FDS403"),
    }
    assert messages[(13, 13, "FDS400")] == (
        "service 'web' command runs Flask's development server (flask run); "
        "in production: gunicorn --bind 0.0.0.0:8000 'app:app'"
    )
    assert messages[(24, 13, "FDS400")].startswith(
        "service 'admin' command runs Flask's development server (python -m flask run)"
    )
    assert messages[(24, 13, "FDS400")].endswith("gunicorn --bind 0.0.0.0:8001 'app:app'")
    assert messages[(18, 8, "FDS402")].startswith("FLASK_ENV=development in service 'admin' environment")


def test_compose_bind_mount_and_working_dir() -> None:
    (message,) = _messages(DEPLOY / "compose_bind_mount/compose.yaml").values()
    assert message == (
        "service 'api' command runs main.py (code/main.py), whose line 6 starts the Flask development server; "
        "in production: gunicorn --bind 0.0.0.0:8000 'main:server'"
    )


def test_allowed_hosts_are_respected() -> None:
    path = DEPLOY / "docker_entrypoint_args/Dockerfile"
    codes = {f.code for f in check(path, Settings(allowed_hosts=("0.0.0.0",)))}
    assert codes == {"FDS400"}


# -- small cases, positions exact --------------------------------------------

LAUNCHER = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=5000)\n'

INLINE = {
    "escape directive and backtick continuations": (
        "Dockerfile",
        "# escape=`\nFROM python\nCMD flask `\n  run `\n  --host 0.0.0.0\n",
        {(3, 4, "FDS400"), (5, 2, "FDS403")},
    ),
    "heredoc bodies are not instructions; legacy ENV": (
        "Dockerfile",
        'FROM python\nRUN <<EOF\nCMD flask run\nEOF\nENV FLASK_DEBUG 1\nCMD ["gunicorn", "app:app"]\n',
        {(5, 4, "FDS402")},
    ),
    "lowercase instructions and CRLF": (
        "Dockerfile",
        'from python\r\nworkdir /w\r\ncopy . .\r\nentrypoint ["python"]\r\ncmd ["app.py"]\r\n',
        {(5, 5, "FDS401")},
    ),
    "sh -c inside the JSON exec form, cd followed": (
        "Dockerfile",
        'FROM python\nCOPY app.py /srv/\nCMD ["sh", "-c", "cd /srv && exec python3 -u app.py"]\n',
        {(3, 45, "FDS401")},
    ),
    "variables expand from ENV and ARG": (
        "Dockerfile",
        "FROM python\nARG BIND=0.0.0.0\nENV HOST=$BIND\nCMD flask run --host=$HOST\n",
        {(4, 4, "FDS400"), (4, 14, "FDS403")},
    ),
    "ARG values are gone at run time": (
        "Dockerfile",
        "FROM python\nARG HOST=0.0.0.0\nCMD flask run --host=$HOST\n",
        {(3, 4, "FDS400")},
    ),
    "only the last CMD of a stage runs; RUN is build time": (
        "Dockerfile",
        "FROM python\nRUN flask run --help\nCMD flask run\nCMD gunicorn app:app\n",
        set(),
    ),
    "a stage only copied from is a build stage": (
        "Dockerfile",
        "FROM python AS assets\nENV FLASK_DEBUG=1\nRUN flask assets build\nFROM python\nCOPY --from=assets /s /s\n",
        set(),
    ),
    "ENTRYPOINT resets an inherited CMD": (
        "Dockerfile",
        'FROM python AS base\nCMD flask run\nFROM base\nENTRYPOINT ["gunicorn", "app:app"]\n',
        set(),
    ),
    "the last value of a key wins, as in python-dotenv; off is on for get_debug_flag": (
        ".env",
        "FLASK_DEBUG=0\nFLASK_DEBUG=off\nFLASK_ENV=development\nFLASK_ENV=production\n",
        {(2, 0, "FDS402")},
    ),
    "an earlier on is overridden by a later off": (
        ".env",
        "FLASK_DEBUG=1\nFLASK_DEBUG=${DEBUG:-0}\n",
        set(),
    ),
    "env prefix and env wrapper in a Procfile": (
        "Procfile",
        "web: FLASK_DEBUG=1 env FLASK_ENV=development python -m flask run\n",
        {(1, 5, "FDS402"), (1, 23, "FDS402"), (1, 45, "FDS400")},
    ),
    "flask --debug before run, a later --no-debug wins": (
        "Procfile",
        "a: flask --debug run\nb: flask run --debug --no-debug\n",
        {(1, 3, "FDS400"), (1, 9, "FDS402"), (2, 3, "FDS400")},
    ),
    "IPv6 and short host options": (
        "Procfile",
        "a: flask run -h ::\nb: flask run -h0.0.0.0\nc: flask run --host 127.0.0.1\n",
        {(1, 3, "FDS400"), (1, 13, "FDS403"), (2, 3, "FDS400"), (2, 13, "FDS403"), (3, 3, "FDS400")},
    ),
    "other Flask commands and production servers": (
        "Procfile",
        "release: flask db upgrade\nweb: gunicorn app:app\nw: python -m gunicorn app:app\nh: hypercorn app:app\n",
        set(),
    ),
    "compose entrypoint and command lists combine": (
        "compose.yaml",
        "services:\n  web:\n    entrypoint: [flask]\n    command: [run, --host=0.0.0.0]\n",
        {(3, 17, "FDS400"), (4, 19, "FDS403")},
    ),
    "compose unquoted booleans and interpolation defaults": (
        "docker-compose.yml",
        "services:\n  web:\n    environment:\n      FLASK_DEBUG: true\n      FLASK_RUN_HOST: ${HOST:-0.0.0.0}\n"
        "      FLASK_ENV: ${FLASK_ENV}\n",
        {(4, 6, "FDS402"), (5, 6, "FDS403")},
    ),
    "compose service with a development profile": (
        "docker-compose.yml",
        "services:\n  web:\n    profiles: [debug]\n    command: flask run\n",
        set(),
    ),
}


@pytest.mark.parametrize(("name", "text", "expected"), INLINE.values(), ids=INLINE.keys())
def test_inline(tmp_path: Path, name: str, text: str, expected: set[tuple[int, int, str]]) -> None:
    (tmp_path / "app.py").write_text(LAUNCHER)
    found = {(f.line, f.col, f.code) for f in check_deployment_file(tmp_path / name, text)}
    assert found == expected


@pytest.mark.parametrize(("value", "on"), [("off", True), ("1", True), ("0", False), ("False", False), ("no", False), ("", False)])
def test_debug_spellings_as_get_debug_flag_reads_them(value: str, on: bool) -> None:
    from flake8_flask_devserver.deploy.facts import debug_on

    assert debug_on(value) is on


def test_cd_applies_to_every_later_command(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/one.py").write_text(LAUNCHER)
    (tmp_path / "a/two.py").write_text(LAUNCHER)
    text = "web: cd a && python one.py; python two.py\n"
    found = [(f.col, f.message.split(",")[0]) for f in check_deployment_file(tmp_path / "Procfile", text)]
    assert found == [(20, "process 'web' runs one.py (a/one.py)"), (35, "process 'web' runs two.py (a/two.py)")]


def test_renamed_by_copy(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LAUNCHER)
    (finding,) = check_deployment_file(
        tmp_path / "Dockerfile", "FROM python\nCOPY app.py /srv/main.py\nCMD python /srv/main.py\n"
    )
    assert finding.message == (
        "CMD runs /srv/main.py (app.py), whose line 4 starts the Flask development server; "
        "in production: gunicorn --bind 0.0.0.0:5000 --chdir /srv 'main:app'"
    )


def test_noqa_on_the_line_or_alone_on_the_line_above(tmp_path: Path) -> None:
    text = 'FROM python\nENV FLASK_DEBUG=1 \\\n    FLASK_ENV=development\n# noqa: FDS401\nCMD ["python", "app.py"]\n'
    (tmp_path / "app.py").write_text(LAUNCHER)
    assert {(f.line, f.code) for f in check_deployment_file(tmp_path / "Dockerfile", text)} == {
        (2, "FDS402"),
        (3, "FDS402"),
    }
    procfile = "web: flask run --host 0.0.0.0  # noqa: FDS403\nb: flask run  # NOQA\nc: flask run  # noqa:FDS4\n"
    assert [(f.line, f.code) for f in check_deployment_file(tmp_path / "Procfile", procfile)] == [(1, "FDS400")]
    env = "FLASK_DEBUG=1  # noqa: FDS400\n"  # another code: still reported
    assert [f.code for f in check_deployment_file(tmp_path / ".env", env)] == ["FDS402"]


def test_nothing_outside_the_project_is_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(LAUNCHER)
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    assert check_deployment_file(project / "Procfile", "web: python ../outside.py\n") == []
    assert check_deployment_file(project / "Procfile", "web: python /etc/passwd\n") == []


# -- file kinds ------------------------------------------------------------

KINDS = {
    "Dockerfile": "dockerfile",
    "Dockerfile.prod": "dockerfile",
    "docker/web.Dockerfile": "dockerfile",
    "Containerfile": "dockerfile",
    "Procfile": "procfile",
    "docker-compose.yml": "compose",
    "docker-compose.prod.yaml": "compose",
    "compose.yaml": "compose",
    "compose.override.yml": "compose",
    ".flaskenv": "envfile",
    ".env": "envfile",
    ".env.production": "envfile",
    "deploy/web.env": "envfile",
    "k8s/web.yaml": "kubernetes",
    "mkdocs.yml": "kubernetes",  # read, and a manifest only if its content says so
    "app.yaml": "appengine",
    "fly.toml": "fly",
    "Layerfile": "layerfile",
    "deploy/shop.service": "systemd",
    "supervisord.conf": "supervisord",
    "etc/supervisor/shop.conf": "supervisord",
    "nginx.conf": None,
    "pyproject.toml": None,
    "boot.sh": "script",
    "deploy/start.bash": "script",
    "bin/start": "script",
    "bin/manage.py": None,
    ".envrc": None,
    "Dockerfile.md": None,
    "Dockerfile.j2": None,
    "dockerfile.py": None,
    "compose.py": None,
    ".env.gpg": None,
    "app.py": None,
    "README.md": None,
}


@pytest.mark.parametrize(("name", "kind"), KINDS.items())
def test_kinds_and_the_pre_commit_pattern_agree(name: str, kind: str | None) -> None:
    assert deploy.kind_of(Path(name)) == kind
    assert bool(re.search(deploy.PRE_COMMIT_FILES, name)) is (kind is not None)


def test_pre_commit_pattern_joins_with_another() -> None:
    joined = re.compile(r"\.pyi?$|" + deploy.PRE_COMMIT_FILES)  # the flag is scoped: no "global flags" error
    assert joined.search("src/app.py") and joined.search("deploy/DOCKERFILE") and not joined.search("README.md")


@pytest.mark.parametrize(
    "name",
    [
        "docker-compose.override.yml",
        "compose.dev.yaml",
        "docker-compose-local.yml",
        "Dockerfile.dev",
        "Procfile.dev",
        ".env.development",
        ".env.local",
        ".env.test",
        "dev.env",
        ".devcontainer/Dockerfile",
    ],
)
def test_dev_only_names(name: str) -> None:
    assert is_dev_only(Path(name))


@pytest.mark.parametrize(
    "name", ["docker-compose.yml", "Dockerfile.prod", "Procfile", ".env", ".flaskenv", ".env.prod"]
)
def test_production_names(name: str) -> None:
    assert not is_dev_only(Path(name))


# -- malformed files --------------------------------------------------------


def _error(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    with pytest.raises(DeploymentFileError) as raised:
        check_deployment_file(path, read_deployment_file(path))
    message = str(raised.value)
    assert "\n" not in message and message.startswith(str(path) + ": ")
    return message[len(str(path)) + 2 :]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = "services:\n  web:\n    command: [flask, run\n  db:\n    image: x\n"
    assert _error(tmp_path, "docker-compose.yml", text) == (
        "line 4: invalid YAML, expected ',' or ']', but got ':' (while parsing a flow sequence)"
    )
    assert _error(tmp_path, "compose.yaml", "a: 1\n---\nb: 2\n") == (
        "line 2: invalid YAML, expected a single document in the stream, but found another document"
    )


def test_yaml_with_a_control_character(tmp_path: Path) -> None:
    text = "services:\n  web:\n    command: flask\x0crun\n"
    assert _error(tmp_path, "compose.yaml", text) == "line 3: invalid YAML, character U+000C is not allowed"


def test_compose_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert _error(tmp_path, "compose.yaml", "- web\n") == "line 1: not a Compose file (the top level is not a mapping)"


def test_unterminated_exec_form(tmp_path: Path) -> None:
    text = 'FROM python:3.12\nCMD ["flask", "run", \\\n    "--host=0.0.0.0"\nEXPOSE 5000\n'
    assert _error(tmp_path, "Dockerfile", text) == (
        "line 2: CMD is not a valid JSON array of strings (Docker would run it through /bin/sh -c as text)"
    )


def test_single_quoted_exec_form(tmp_path: Path) -> None:
    assert _error(tmp_path, "Dockerfile", "FROM x\nENTRYPOINT ['python', 'app.py']\n").startswith(
        "line 2: ENTRYPOINT is not"
    )


def test_unknown_instruction(tmp_path: Path) -> None:
    assert _error(tmp_path, "Dockerfile", "FROM x\nCOPPY . .\n") == "line 2: unknown instruction 'COPPY'"
    # A continuation forgotten: the next line is read as an instruction, as Docker does.
    text = 'FROM x\nCMD ["flask", "run",\n    "--host=0.0.0.0"]\n'
    assert _error(tmp_path, "Dockerfile", text) == "line 3: unknown instruction '\"--host=0.0.0.0\"]'"


def test_binary_file(tmp_path: Path) -> None:
    assert _error(tmp_path, "Dockerfile", b"\x7fELF\x02\x01\x00\x00binary") == "a binary file, not text"


def test_not_utf8(tmp_path: Path) -> None:
    assert _error(tmp_path, ".env", b"A=1\nB=caf\xe9\n") == "line 2: not UTF-8 text"


def test_procfile_line_without_process(tmp_path: Path) -> None:
    assert (
        _error(tmp_path, "Procfile", "web: gunicorn app:app\ngunicorn app:app\n")
        == "line 2: not a 'process: command' line"
    )


def test_env_file_malformed_lines_are_skipped_as_python_dotenv_skips_them(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('A=1\nFLASK_DEBUG="1\nA B=1\nFLASK_ENV=development\n')
    assert [(f.line, f.col, f.code) for f in check(path)] == [(4, 0, "FDS402")]


def test_not_a_deployment_file(tmp_path: Path) -> None:
    assert _error(tmp_path, "notes.txt", "flask run") == "not a Dockerfile, Procfile, Compose or env file by its name"


def test_binary_text_passed_directly() -> None:
    with pytest.raises(DeploymentFileError, match="binary"):
        check_deployment_file(Path("Dockerfile"), "FROM x\0\n")


# -- boundaries ---------------------------------------------------------------


def _fresh_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_imports_stay_lazy() -> None:
    """A Dockerfile that runs gunicorn needs neither PyYAML nor libcst; a Compose file needs PyYAML only."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from flake8_flask_devserver.deploy import check_deployment_file as c\n"
        "p = Path(%r)\n"
        "assert c(p, p.read_text()) == []\n"
        "print(sorted(m for m in ('yaml', 'libcst', 'flake8') if m in sys.modules))\n"
        "p = Path(%r)\n"
        "assert c(p, p.read_text()) == []\n"
        "print(sorted(m for m in ('yaml', 'libcst', 'flake8') if m in sys.modules))\n"
    ) % (str(DEPLOY / "negatives/gunicorn/Dockerfile"), str(DEPLOY / "negatives/waitress/docker-compose.yml"))
    assert _fresh_python(code).splitlines() == ["[]", "['yaml']"]


def test_dev_only_files_are_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "docker-compose.override.yml"
    assert check_deployment_file(path, "services: [unclosed\n") == []


def test_rule_modules_have_the_house_shape() -> None:
    assert [rule.CODE for rule in deploy_rules.ALL] == ["FDS400", "FDS401", "FDS402", "FDS403"]
    for rule in deploy_rules.ALL:
        assert rule.DOCS.startswith(f"{rule.CODE} {rule.NAME}: ")
        for heading in (
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "Fix safety",
            "Options",
            "References",
        ):
            assert f"## {heading}\n" in rule.DOCS, (rule.CODE, heading)


def test_rule_docs_render_with_the_shared_renderer() -> None:
    from flake8_flask_devserver import docs

    for rule in deploy_rules.ALL:
        rendered = docs.rule_docs(rule)
        assert rendered.startswith(f"## {rule.CODE} `{rule.NAME}`\n\n")
        assert "### Why is this bad?" in rendered


def test_flask_group_script_is_the_flask_cli() -> None:
    messages = _messages(DEPLOY / "compose_flask_group/docker-compose.yml")
    assert messages == {
        (4, 20, "FDS400"): "service 'web' command runs Flask's development server (python manage.py run); "
        "in production: gunicorn --bind 0.0.0.0:5000 'project:create_app()'",
        (4, 34, "FDS403"): "-h 0.0.0.0 on python manage.py run (service 'web' command runs it) binds the development "
        "server to all interfaces, reachable from the network; in production: "
        "gunicorn --bind 0.0.0.0:5000 'project:create_app()'",
    }


def test_boot_script_exports_are_reported_in_the_script(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "boot.sh").write_text("#!/bin/sh\nexport FLASK_DEBUG=1 OTHER=x\nexec flask run\n")
    (tmp_path / "Dockerfile").write_text('FROM python\nCOPY . .\nCMD ["./boot.sh"]\n')
    lines = _command_lines(".", cwd=tmp_path)
    assert [line.split(" ")[0:2] for line in lines] == [["./boot.sh:2:8:", "FDS402"], ["./boot.sh:3:6:", "FDS400"]]
    assert lines[0].split(" ", 2)[2].startswith(
        "FLASK_DEBUG=1 in boot.sh, run by Dockerfile CMD, turns on Flask's debug mode"
    )


def test_script_that_starts_the_server_through_another_module() -> None:
    (message,) = _messages(DEPLOY / "procfile_cross_module/Procfile").values()
    assert "runs relay.py, whose __main__ guard starts the Flask development server at heartbeat.py line 10" in message


def test_script_whose_module_level_code_starts_the_server_in_another_module() -> None:
    """The keep-alive idiom: main.py calls ``stay_awake()`` at the top (no guard); running it as a
    script runs that call, which starts pinger.py's server in a thread."""
    assert _messages(DEPLOY / "procfile_keep_alive/Procfile") == {
        (1, 12, "FDS401"): "process 'web' runs main.py, whose module-level code starts the Flask development server "
        "at pinger.py line 15 (through stay_awake() -> _serve()); in production: gunicorn --bind 0.0.0.0:$PORT 'pinger:page'"
    }


def test_production_server_whose_import_starts_the_development_server() -> None:
    """gunicorn/waitress import the module they are given: a start at import runs inside them."""
    messages = _messages(DEPLOY / "procfile_gunicorn_import/Procfile")
    assert sorted(messages) == [(1, 5, "FDS401"), (2, 5, "FDS401"), (3, 8, "FDS401"), (5, 15, "FDS401")]
    assert messages[(1, 5, "FDS401")] == (
        "process 'web' runs gunicorn launch:site, which imports launch.py, whose line 7 starts the Flask "
        "development server at import, inside gunicorn's process: the development server serves instead; "
        'in production: keep gunicorn and put that start under if __name__ == "__main__": (or remove it)'
    )
    assert "runs gunicorn wsgi:site, which imports wsgi.py, which imports launch.py, whose line 7" in messages[(2, 5, "FDS401")]
    assert "which imports portal/__init__.py, whose line 5" in messages[(3, 8, "FDS401")]
    assert messages[(5, 15, "FDS401")] == (
        "process 'report' runs report.py, which imports launch.py, whose line 7 starts the Flask development "
        "server at import; in production: gunicorn --bind 0.0.0.0:$PORT 'launch:site'"
    )


def test_compose_version_1_services_at_the_top_level(tmp_path: Path) -> None:
    """docker-compose 1.x files with no ``version`` hold their services at the top level; a file of
    the later formats (a ``version``, ``networks``, ``x-`` key) without ``services`` holds none."""
    assert sorted(_messages(DEPLOY / "compose_v1_flask_script/docker-compose.yml")) == [(4, 18, "FDS401")]
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\napp.run()\n")
    for top in ("version: '3'\n", "networks:\n  front: {}\n", "x-common:\n  restart: always\n"):
        path = tmp_path / "docker-compose.yml"
        path.write_text(top + "web:\n  command: python app.py\n")
        assert check(path) == [], top
    path.write_text("web:\n  command: python app.py\n")
    assert [finding.code for finding in check(path)] == ["FDS401"]
