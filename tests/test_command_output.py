"""Flags and output users reach for, and code-scanning output (issue 15, items 4 and 5), through the real command."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from flake8_flask_devserver import cli, output
from flake8_flask_devserver.docs import ALL_RULES

from .conftest import run_flake8
from .sarif_schema import validate_sarif
from .test_cli import BEFORE, SCRIPT, command, text

PREFIX = "flake8-flask-devserver: "
DEBUG_APP = "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n"
BAD_CONFIG = "[tool.flake8-flask-devserver]\napp-classes = 3\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_bytes(BEFORE)
    (tmp_path / "clean.py").write_text("import flask\n")
    return tmp_path


# -- item 4: flags -----------------------------------------------------------------------------------


def test_exit_zero(project: Path) -> None:
    result = command("--exit-zero", "app.py", cwd=project)
    assert result.returncode == 0 and text(result).count("\n") == 3
    (project / "pyproject.toml").write_text(BAD_CONFIG)
    assert command("--exit-zero", "app.py", cwd=project).returncode == 2  # a configuration error is not a finding


@pytest.mark.parametrize("form", ["default", "json", "sarif", "github", "gitlab"])
def test_output_file_takes_the_report(form: str, project: Path) -> None:
    plain = command("--format", form, "app.py", cwd=project)
    result = command("--format", form, "--output-file", "report.out", "app.py", cwd=project)
    assert result.returncode == 1 and result.stdout == b""
    assert (project / "report.out").read_bytes() == plain.stdout


@pytest.mark.parametrize(("form", "empty"), [("json", []), ("gitlab", []), ("sarif", None)])
def test_a_configuration_error_still_writes_a_valid_empty_report(form: str, empty: object, project: Path) -> None:
    (project / "pyproject.toml").write_text(BAD_CONFIG)
    result = command("--format", form, "--output-file", "report.out", "app.py", cwd=project)
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"{PREFIX}error: pyproject.toml: [tool.flake8-flask-devserver]")
    data = (project / "report.out").read_bytes()
    if empty is not None:
        assert json.loads(data) == empty
        return
    document = validate_sarif(data)
    run = document["runs"][0]
    assert run["results"] == []
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolConfigurationNotifications"]
    assert notification["level"] == "error" and "app-classes" in notification["message"]["text"]


def test_statistics_and_the_closing_summary(project: Path) -> None:
    (project / "other.py").write_bytes(BEFORE)
    result = command("--statistics", "app.py", "other.py", cwd=project)
    lines = text(result).splitlines()
    assert lines[-3:] == [
        f"2     FDS100 {lines[0].split(' FDS100 [*] ')[1]}",
        f"2     FDS200 {lines[2].split(' FDS200 ')[1]}",
        f"2     FDS300 {lines[1].split(' FDS300 ')[1]}",
    ]
    assert result.stderr.decode() == (
        f"{PREFIX}Found 6 findings; [*] 2 fixable with --fix; 4 more fixable with --fix --unsafe-fixes.\n"
    )
    structured = command("--statistics", "--format", "json", "app.py", cwd=project)
    assert len(json.loads(structured.stdout)) == 3  # the document stays valid: the counts go to stderr
    assert structured.stderr.decode().startswith("1     FDS100 ")


def test_fixable_findings_are_marked_as_ruff_marks_them(project: Path) -> None:
    safe_only = [line.split(":", 3)[3] for line in text(command("app.py", cwd=project)).splitlines()]
    assert [item.split(" ", 3)[1:3] for item in safe_only] == [["FDS100", "[*]"], ["FDS300", "Flask"], ["FDS200", "Werkzeug"]]
    both = text(command("--unsafe-fixes", "app.py", cwd=project))
    assert both.count(" [*] ") == 3


def test_output_is_sorted_as_flake8_sorts_it(tmp_path: Path) -> None:
    for name in ("b.py", "a.py", "sub/z.py", "sub/a.py", "c.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(DEBUG_APP)
    args = ("--select=FDS", "c.py", "sub", "b.py", "a.py")
    ours = command(*args, cwd=tmp_path)
    theirs = run_flake8(*args, cwd=tmp_path)
    assert text(ours).replace(" [*] ", " ").splitlines() == theirs.stdout.splitlines()
    assert [line.split(":")[0] for line in text(ours).splitlines()][::2] == ["a.py", "b.py", "c.py", "sub/a.py", "sub/z.py"]


def test_paths_are_given_as_flake8_gives_them(project: Path) -> None:
    default = text(command(".", cwd=project))
    assert default.startswith("./app.py:11:1: ")  # flake8 .: as given
    records = json.loads(command("--format", "json", ".", cwd=project).stdout)
    assert {record["path"] for record in records} == {"app.py"}  # no leading ./ in JSON
    absolute = str(project / "app.py")
    github = text(command("--format", "github", absolute, cwd=project))
    assert github.startswith("::warning file=app.py,")  # relative to the working folder
    gitlab = json.loads(command("--format", "gitlab", absolute, cwd=project).stdout)
    assert {issue["location"]["path"] for issue in gitlab} == {"app.py"}


def _closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The command writing into a pipe whose reader is already gone (``| head -1`` that has finished)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([str(SCRIPT), *args], stdout=write, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write)


def test_a_closed_pipe_ends_quietly(project: Path) -> None:
    explain = _closed_pipe("--explain", "FDS200")
    assert explain.stderr == b"" and explain.returncode == 1
    lint = _closed_pipe("-q", str(project / "app.py"))
    assert lint.stderr == b"" and lint.returncode == 1


# -- item 5: code scanning ------------------------------------------------------------------------


def test_one_severity_table_for_sarif_github_and_gitlab(project: Path) -> None:
    assert set(output.LEVELS) >= set(cli.CODES) and set(output.SECURITY_SEVERITY) >= set(cli.CODES)
    debugger = {"FDS200", "FDS201", "FDS202", "FDS203", "FDS204", "FDS402"}
    assert {code for code in cli.CODES if output.level(code) == "error"} == debugger
    document = validate_sarif(command("--format", "sarif", "app.py", cwd=project).stdout)
    run = document["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["defaultConfiguration"]["level"] == output.level(rule["id"])
        assert float(rule["properties"]["security-severity"]) == output.SECURITY_SEVERITY[rule["id"]]
    sarif_levels = {result["ruleId"]: result["level"] for result in run["results"]}
    annotations = text(command("--format", "github", "app.py", cwd=project)).splitlines()
    github = {line.split("title=")[1].split()[0]: line.split()[0][2:] for line in annotations}
    gitlab = {issue["check_name"]: issue["severity"] for issue in json.loads(command("--format", "gitlab", "app.py", cwd=project).stdout)}
    assert sarif_levels == {"FDS100": "warning", "FDS300": "warning", "FDS200": "error"}
    assert github == sarif_levels
    assert gitlab == {"FDS100": "major", "FDS300": "major", "FDS200": "critical"}


def test_sarif_rules_carry_their_full_docs(project: Path) -> None:
    document = validate_sarif(command("--format", "sarif", "app.py", cwd=project).stdout)
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    for module in ALL_RULES:
        help_ = rules[module.CODE]["help"]
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert section in help_["text"] and section in help_["markdown"], (module.CODE, section)


def _results(cwd: Path, *args: str) -> list[dict[str, object]]:
    document = validate_sarif(command("--format", "sarif", *args, cwd=cwd).stdout)
    return document["runs"][0]["results"]  # type: ignore[no-any-return]


def test_sarif_fingerprints_survive_moved_lines_and_regions_end(project: Path) -> None:
    before = _results(project, "app.py")
    (project / "app.py").write_bytes(b"# a new first line\n\n" + BEFORE)
    after = _results(project, "app.py")
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert len({json.dumps(r["partialFingerprints"]) for r in before}) == 3
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in after]  # type: ignore[index]
    assert [(g["startLine"], g["startColumn"], g["endLine"], g["endColumn"]) for g in regions] == [
        (13, 1, 13, 80),
        (13, 9, 13, 80),
        (13, 36, 13, 80),
    ]


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "service").mkdir()
    (repo / "service" / "app.py").write_text(DEBUG_APP)
    (tmp_path / "outside.py").write_text(DEBUG_APP)
    results = _results(repo / "service", "app.py", str(tmp_path / "outside.py"))
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]  # type: ignore[index]
    assert {"uri": "service/app.py", "uriBaseId": "%SRCROOT%"} in locations
    assert {"uri": (tmp_path / "outside.py").as_uri()} in locations  # absolute: no uriBaseId
    document = validate_sarif(command("--format", "sarif", "app.py", cwd=repo / "service").stdout)
    assert document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"


def test_sarif_of_files_not_checked_is_valid(project: Path) -> None:
    (project / "broken.py").write_text("from flask import Flask\napp.run(\n")
    document = validate_sarif(command("--format", "sarif", ".", cwd=project).stdout)
    [notification] = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "broken.py" in notification["message"]["text"]


def test_an_output_file_that_cannot_be_written_is_one_line(project: Path) -> None:
    result = command("--output-file", "missing/report.txt", "app.py", cwd=project)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == f"{PREFIX}error: --output-file: cannot write missing/report.txt (No such file or directory)\n"
