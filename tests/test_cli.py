"""The command line, mostly through a real subprocess: formats, exit status, fixes on disk, stdin."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import cli, docs, sourcefile
from flake8_flask_devserver.model import Diagnostic, Finding
from flake8_flask_devserver.output import Reported, github_line

from .conftest import FIXTURES, run_flake8
from .sarif_schema import validate_sarif

TUTORIAL = FIXTURES / "fixes/tutorial_app"
BEFORE = (TUTORIAL / "before.py").read_bytes()
SAFE = (TUTORIAL / "fixed/safe.py").read_bytes()
UNSAFE = (TUTORIAL / "fixed/unsafe.py").read_bytes()


SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")


def command(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed console script (``python -m`` would put the project folder on sys.path)."""
    result = subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=300,
    )
    _validate_any_sarif(args, result, cwd)
    return result


def _validate_any_sarif(args: tuple[str, ...], result: subprocess.CompletedProcess[bytes], cwd: Path) -> None:
    """Every SARIF document a test makes the command write is checked against the OASIS schema."""
    joined = " ".join(args)
    if "--format sarif" not in joined and "--format=sarif" not in joined:
        return
    target = None
    for index, arg in enumerate(args):
        if arg == "--output-file" and index + 1 < len(args):
            target = cwd / args[index + 1]
        elif arg.startswith("--output-file="):
            target = cwd / arg.split("=", 1)[1]
    if target is not None:
        if target.exists():
            validate_sarif(target.read_bytes())
    elif result.stdout and "--diff" not in args:
        validate_sarif(result.stdout)


def text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_bytes(BEFORE)
    (tmp_path / "clean.py").write_text("import flask\n")
    return tmp_path


# -- formats --------------------------------------------------------------------------------------


def test_default_format_is_flake8s_own_output() -> None:
    ours = command("--select=FDS1,FDS2,FDS3", ".", cwd=FIXTURES)  # FDS4xx: deployment files, not flake8's
    theirs = run_flake8("--select=FDS", ".", cwd=FIXTURES)
    assert ours.returncode == theirs.returncode == 1
    # flake8's lines in flake8's order (files by name, then line and column), fixable ones marked as ruff marks
    # them; the command also checks Python that flake8's *.py never names (otherpython.py: .wsgi, from_pyfile)
    lines = text(ours).replace(" [*] ", " ").splitlines()
    assert [line for line in lines if line.split(":")[0].endswith(".py")] == theirs.stdout.splitlines()
    assert {line.split(":")[0] for line in lines if not line.split(":")[0].endswith(".py")} == {
        "./other_suffixes/loads/config/app.conf",
        "./other_suffixes/wsgi/site.wsgi",
        "./projects/config_loading/instance/site.cfg",
    }
    assert len(text(ours).splitlines()) > 100
    assert " FDS100 [*] Flask development server" in text(ours)


def test_json(project: Path) -> None:
    result = command("--format", "json", "app.py", cwd=project)
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [(r["path"], r["line"], r["column"], r["code"], r["fixable"], r["fix_safety"]) for r in records] == [
        ("app.py", 11, 1, "FDS100", True, "safe"),
        ("app.py", 11, 9, "FDS300", True, "unsafe"),
        ("app.py", 11, 36, "FDS200", True, "unsafe"),
    ]
    assert records[0]["message"].startswith("Flask development server starts at import time")


def test_sarif_has_what_github_code_scanning_needs(project: Path) -> None:
    (project / "pkg dir").mkdir()
    (project / "pkg dir/web.py").write_bytes(BEFORE)
    result = command("--format", "sarif", ".", cwd=project)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0" and "sarif" in document["$schema"]
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "flake8-flask-devserver"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [rule.CODE for rule in docs.ALL_RULES]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "## Why is this bad?" in rule["help"]["markdown"] and rule["help"]["text"]
    uris = set()
    for result_ in run["results"]:
        assert ids[result_["ruleIndex"]] == result_["ruleId"]
        assert result_["message"]["text"] and result_["level"] == ("error" if result_["ruleId"] == "FDS200" else "warning")
        location = result_["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert "\\" not in uri and not uri.startswith(("/", "."))
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        uris.add(uri)
    assert uris == {"app.py", "pkg%20dir/web.py"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_github_annotations(project: Path) -> None:
    result = command("--format", "github", "app.py", cwd=project)
    first = text(result).splitlines()[0]
    assert first.startswith(
        "::warning file=app.py,line=11,col=1,endColumn=80,title=FDS100 (flake8-flask-devserver)::FDS100 [*] Flask "
    )
    assert text(result).splitlines()[2].startswith("::error file=app.py,line=11,col=36,endColumn=80,title=FDS200 ")


def test_gitlab_code_quality(project: Path) -> None:
    (project / "other.py").write_bytes(BEFORE)
    result = command("--format", "gitlab", "app.py", "other.py", cwd=project)
    issues = json.loads(result.stdout)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("FDS100", "app.py", 11),
        ("FDS300", "app.py", 11),
        ("FDS200", "app.py", 11),
        ("FDS100", "other.py", 11),
        ("FDS300", "other.py", 11),
        ("FDS200", "other.py", 11),
    ]
    assert len({issue["fingerprint"] for issue in issues}) == 6
    severities = {"FDS100": "major", "FDS300": "major", "FDS200": "critical"}
    assert all(issue["severity"] == severities[issue["check_name"]] for issue in issues)
    assert all(issue["description"].startswith("FDS") for issue in issues)
    moved = project / "app.py"
    moved.write_bytes(b"\n\n" + BEFORE)
    again = json.loads(command("--format", "gitlab", "app.py", "other.py", cwd=project).stdout)
    assert [issue["fingerprint"] for issue in again] == [issue["fingerprint"] for issue in issues]


def test_github_annotates_files_not_checked(project: Path) -> None:
    (project / "broken.py").write_text("import flask\napp.run(\n")
    result = command("--format", "github", "broken.py", cwd=project)
    assert text(result) == "::error file=broken.py::not checked, E999 SyntaxError: '(' was never closed (line 2, column 8)\n"
    assert result.returncode == 1


def test_github_escaping() -> None:
    finding = Finding(3, 4, "FDS300", "100% bound,\nreally: yes")
    line = github_line(Reported("a,b:c.py", Path("a,b:c.py"), Diagnostic(finding)))
    assert line == (
        "::warning file=a%2Cb%3Ac.py,line=3,col=5,title=FDS300 (flake8-flask-devserver)"
        "::FDS300 100%25 bound,%0Areally: yes"
    )


# -- exit status ------------------------------------------------------------------------------------


def test_exit_status(project: Path) -> None:
    assert command("clean.py", cwd=project).returncode == 0
    assert command("app.py", cwd=project).returncode == 1
    missing = command("missing.py", cwd=project)
    assert missing.returncode == 2 and b"missing.py: no such file or folder" in missing.stderr
    assert command("--select", "E501", ".", cwd=project).returncode == 2
    assert command("--fix", "--diff", ".", cwd=project).returncode == 2
    assert command("--explain", "FDS999", cwd=project).returncode == 2


def test_configuration_error_exits_2(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.flake8-flask-devserver]\napp-classes = 3\n")
    result = command("app.py", cwd=project)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == (
        "flake8-flask-devserver: error: pyproject.toml: [tool.flake8-flask-devserver] app-classes: expected an "
        'array of qualified class names such as ["shop.core.ShopFlask"], got an integer\n'
    )


def test_configuration_is_honoured(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.flake8-flask-devserver]\nallowed-hosts = ["0.0.0.0"]\n')
    result = command("app.py", cwd=project)
    assert [line.split()[1] for line in text(result).splitlines()] == ["FDS100", "FDS200"]
    stdin = command("-", cwd=project, stdin=BEFORE)  # standard input: the current folder's configuration
    assert [line.split()[1] for line in text(stdin).splitlines()] == ["FDS100", "FDS200"]


def test_select_and_ignore(project: Path) -> None:
    result = command("--select", "FDS2,FDS3", "--ignore", "FDS300", "app.py", cwd=project)
    assert [line.split()[1] for line in text(result).splitlines()] == ["FDS200"]


def test_explain() -> None:
    result = command("--explain", "fds100", cwd=FIXTURES)
    assert result.returncode == 0
    out = text(result)
    assert out.startswith("FDS100 dev-server-at-import:") and "## Fix safety" in out
    assert out.endswith("Fix: safe fix.\n")
    assert "Fix: no automatic fix." in text(command("--explain", "dev-server-in-main-guard", cwd=FIXTURES))


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8_flask_devserver", "--version"], capture_output=True, text=True, cwd=FIXTURES
    )
    assert result.returncode == 0 and result.stdout.startswith("flake8-flask-devserver ")
    module = subprocess.run([sys.executable, "-m", "flake8_flask_devserver", "starts/import_time_run.py"], cwd=FIXTURES)
    assert module.returncode == 1


def test_codes_match_the_rules() -> None:
    assert cli.CODES == tuple(sorted(rule.CODE for rule in docs.ALL_RULES))


# -- fixing files ----------------------------------------------------------------------------------


def test_fix_writes_safe_fixes_and_reports_the_rest(project: Path) -> None:
    result = command("--fix", ".", cwd=project)
    assert (project / "app.py").read_bytes() == SAFE
    assert result.returncode == 1  # FDS101 (now a launcher) and the unsafe ones remain
    assert [line.split()[1] for line in text(result).splitlines()] == ["FDS101", "FDS300", "FDS200"]
    assert result.stderr.decode() == (
        "flake8-flask-devserver: Found 4 findings (1 fixed in 1 file, 3 remaining); 2 fixable with --unsafe-fixes.\n"
    )


def test_unsafe_fixes(project: Path) -> None:
    result = command("--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert (project / "app.py").read_bytes() == UNSAFE
    assert result.returncode == 1
    assert [line.split()[1] for line in text(result).splitlines()] == ["FDS101"]
    assert command("--fix", "--unsafe-fixes", "--ignore", "FDS101", "app.py", cwd=project).returncode == 0


def test_diff_writes_nothing_and_applies(project: Path) -> None:
    before = (project / "app.py").stat()
    result = command("--diff", "--unsafe-fixes", ".", cwd=project)
    assert result.returncode == 1
    assert (project / "app.py").read_bytes() == BEFORE
    assert (project / "app.py").stat().st_mtime_ns == before.st_mtime_ns
    assert text(result).startswith("--- a/app.py\n+++ b/app.py\n@@ ")
    subprocess.run(["git", "apply", "-"], cwd=project, input=result.stdout, check=True)
    assert (project / "app.py").read_bytes() == UNSAFE
    clean = command("--diff", "clean.py", cwd=project)
    assert clean.returncode == 0 and clean.stdout == b""


def test_diff_keeps_form_feeds_inside_lines(project: Path) -> None:
    (project / "app.py").write_bytes(b"\x0c\n# section\x0c\n" + BEFORE)
    result = command("--diff", "app.py", cwd=project)
    subprocess.run(["git", "apply", "-"], cwd=project, input=result.stdout, check=True)
    assert (project / "app.py").read_bytes() == b"\x0c\n# section\x0c\n" + SAFE


def test_diff_of_a_file_without_final_newline(project: Path) -> None:
    (project / "app.py").write_bytes(BEFORE.rstrip(b"\n"))
    result = command("--diff", "app.py", cwd=project)
    assert text(result).endswith("\n\\ No newline at end of file\n")
    subprocess.run(["git", "apply", "-"], cwd=project, input=result.stdout, check=True)
    assert (project / "app.py").read_bytes() == SAFE.rstrip(b"\n")


@pytest.mark.parametrize(
    ("name", "convert"),
    [
        ("crlf", lambda data: data.replace(b"\n", b"\r\n")),
        ("bom", lambda data: b"\xef\xbb\xbf" + data),
        ("bom-crlf", lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")),
        ("latin-1", lambda data: b"# -*- coding: latin-1 -*-\n# caf\xe9 \xa9 2024\n" + data),
        ("no-final-newline", lambda data: data.rstrip(b"\n")),
        ("cr-only", lambda data: data.replace(b"\n", b"\r")),
    ],
)
def test_encodings_and_line_endings_survive(project: Path, name: str, convert: object) -> None:
    assert callable(convert)
    (project / "app.py").write_bytes(convert(BEFORE))
    result = command("--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert result.returncode == 1, result.stderr
    assert (project / "app.py").read_bytes() == convert(UNSAFE)


def test_mixed_line_endings_are_kept_line_by_line(project: Path) -> None:
    data = b'"""Doc."""\r\nfrom flask import Flask\n\r\napp = Flask(__name__)\r\napp.run()\r\nx = 1\n'
    (project / "app.py").write_bytes(data)
    command("--fix", "app.py", cwd=project)
    assert (project / "app.py").read_bytes() == data.replace(
        b"app.run()\r\n", b'if __name__ == "__main__":\r\n    app.run()\r\n'
    )


def test_stdin(project: Path) -> None:
    lint = command("-", cwd=project, stdin=BEFORE)
    assert lint.returncode == 1 and text(lint).startswith("stdin:11:1: FDS100 ")
    named = command("--stdin-filename", "src/web.py", "-", cwd=project, stdin=BEFORE)
    assert text(named).startswith("src/web.py:11:1: FDS100 ") and "flask --app web run --debug" in text(named)
    fixed = command("--fix", "--unsafe-fixes", "-", cwd=project, stdin=b"\xef\xbb\xbf" + BEFORE)
    assert fixed.stdout == b"\xef\xbb\xbf" + UNSAFE
    assert fixed.returncode == 1 and b"stdin:14:5: FDS101 " in fixed.stderr
    diff = command("--diff", "-", cwd=project, stdin=BEFORE)
    assert text(diff).startswith("--- a/stdin\n+++ b/stdin\n")


def test_stdin_that_cannot_be_parsed_comes_back_unchanged(project: Path) -> None:
    broken = b"from flask import Flask\napp = Flask(__name__)\napp.run(\n"
    result = command("--fix", "-", cwd=project, stdin=broken)
    assert result.stdout == broken
    assert result.returncode == 1 and b"stdin: not checked, E999 SyntaxError: '(' was never closed (line 3, column 8)" in result.stderr


def test_unparsable_file_is_reported_and_left_alone(project: Path) -> None:
    broken = b"from flask import Flask\napp = Flask(__name__)\napp.run(\n"
    (project / "broken.py").write_bytes(broken)
    result = command("--fix", ".", cwd=project)
    assert (project / "broken.py").read_bytes() == broken
    assert (project / "app.py").read_bytes() == SAFE  # the run went on
    assert result.returncode == 1
    assert "flake8-flask-devserver: ./broken.py: not checked, E999 SyntaxError: '(' was never closed (line 3, column 8)" in (
        result.stderr.decode()
    )


def test_a_file_libcst_cannot_print_back_is_checked_but_not_fixed(project: Path) -> None:
    data = BEFORE[:-1] + b"\r"  # LF lines, then a lone CR at the very end
    (project / "app.py").write_bytes(data)
    result = command("--fix", "app.py", cwd=project)
    assert (project / "app.py").read_bytes() == data
    assert result.returncode == 1
    problem = "flake8-flask-devserver: app.py: not fixed, libcst cannot print it back byte for byte\n"
    assert problem in result.stderr.decode()
    assert text(result).startswith("app.py:11:1: FDS100 ")


def test_undecodable_files_are_one_error_line_each(project: Path) -> None:
    (project / "bad_start.py").write_bytes(b"x = '\xff\xfe'\n")
    (project / "bad_later.py").write_bytes(b"import flask\n\nx = '\xff\xfe'\n")
    result = command(".", cwd=project)
    errors = result.stderr.decode().splitlines()
    assert [line for line in errors if "bad_" in line] == [
        "flake8-flask-devserver: ./bad_later.py: cannot decode it as utf-8 (line 3: invalid start byte)",
        "flake8-flask-devserver: ./bad_start.py: cannot decode it (invalid or missing encoding declaration)",
    ]
    assert "./app.py:11:1: FDS100" in text(result)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_fails_to_read_is_one_error_line(project: Path) -> None:
    result = command("/proc/self/mem", "app.py", cwd=project)  # unreadable even for root
    first = result.stderr.decode().splitlines()[0]
    assert first == "flake8-flask-devserver: /proc/self/mem: cannot read it (Input/output error)"
    assert text(result).startswith("app.py:11:1: FDS100")
    assert result.returncode == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_one_error_line(project: Path) -> None:
    (project / "secret.py").write_text("x = 1\n")
    (project / "secret.py").chmod(0)
    result = command(".", cwd=project)
    assert "./secret.py: cannot read it (Permission denied)" in result.stderr.decode()
    assert "./app.py:11:1: FDS100" in text(result)


# -- writing safely ----------------------------------------------------------------------------------


def test_permissions_survive_and_no_temporary_file_is_left(project: Path) -> None:
    (project / "app.py").chmod(0o754)
    command("--fix", "app.py", cwd=project)
    assert stat.S_IMODE((project / "app.py").stat().st_mode) == 0o754
    assert sorted(path.name for path in project.iterdir()) == ["app.py", "clean.py"]


def test_a_symlink_is_written_through(project: Path) -> None:
    (project / "real").mkdir()
    (project / "app.py").rename(project / "real/app.py")
    (project / "app.py").symlink_to("real/app.py")
    command("--fix", "app.py", cwd=project)
    assert (project / "app.py").is_symlink()
    assert (project / "real/app.py").read_bytes() == SAFE


def test_interrupted_write_leaves_the_original(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: object, target: object) -> None:
        raise KeyboardInterrupt  # as if the run were stopped just before the rename

    monkeypatch.setattr(os, "replace", interrupted)
    source = sourcefile.SourceFile.read(project / "app.py")
    with pytest.raises(KeyboardInterrupt):
        source.write("print('half')\n")
    assert (project / "app.py").read_bytes() == BEFORE
    assert sorted(path.name for path in project.iterdir()) == ["app.py", "clean.py"]


def test_failed_write_is_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.chdir(project)
    assert cli.main(["--fix", "app.py"]) == 1
    assert "flake8-flask-devserver: app.py: cannot write it (No space left on device)\n" in capsys.readouterr().err
    assert (project / "app.py").read_bytes() == BEFORE
    assert sorted(path.name for path in project.iterdir()) == ["app.py", "clean.py"]


def test_a_file_changed_meanwhile_is_not_overwritten(project: Path) -> None:
    source = sourcefile.SourceFile.read(project / "app.py")
    (project / "app.py").write_bytes(BEFORE + b"# edited meanwhile\n")
    with pytest.raises(sourcefile.SourceFileError, match="changed on disk"):
        source.write(SAFE.decode())
    assert (project / "app.py").read_bytes() == BEFORE + b"# edited meanwhile\n"


# -- walking folders ----------------------------------------------------------------------------------


def test_walk_skips_installed_code_and_flake8s_default_excludes(project: Path) -> None:
    """Issue 15 item 2: folders are skipped for what they hold, not their names (env, build, dist are source)."""
    skipped = (".venv/lib", "custom-env", "node_modules/pkg", ".git", "__pycache__", "lib/site-packages", "x.egg")
    checked = ("venv", "env", "build", "dist", "x.egg-info", ".tools")
    for folder in (*skipped, *checked):
        (project / folder).mkdir(parents=True, exist_ok=True)
        (project / folder / "app.py").write_bytes(BEFORE)
    (project / ".venv/pyvenv.cfg").write_text("home = /usr/bin\n")
    (project / "custom-env/pyvenv.cfg").write_text("home = /usr/bin\n")
    (project / "custom-env/bin").mkdir()  # venv makes it beside pyvenv.cfg
    (project / "pkg").mkdir()
    (project / "pkg/web.py").write_bytes(BEFORE)
    (project / "pkg/loop").symlink_to("..")  # a symlink loop is never followed
    result = command(".", cwd=project)
    files = {line.split(":")[0] for line in text(result).splitlines()}
    assert files == {"./app.py", "./pkg/web.py", *(f"./{folder}/app.py" for folder in checked)}
    excluded = command("--extend-exclude", "pkg,*.txt,./env,build,dist,venv,*.egg-info,.tools", ".", cwd=project)
    assert {line.split(":")[0] for line in text(excluded).splitlines()} == {"./app.py"}
    explicit = command("custom-env/app.py", cwd=project)  # a file named explicitly is checked
    assert text(explicit).startswith("custom-env/app.py:11:1: FDS100")


def test_same_file_twice_is_checked_once(project: Path) -> None:
    result = command("app.py", "./app.py", ".", cwd=project)
    assert len(text(result).splitlines()) == 3


def test_lint_summary_names_the_fix_flags(project: Path) -> None:
    result = command("app.py", cwd=project)
    summary = "flake8-flask-devserver: Found 3 findings; [*] 1 fixable with --fix; 2 more fixable with --fix --unsafe-fixes.\n"
    assert result.stderr.decode() == summary
    assert command("-q", "app.py", cwd=project).stderr == b""


def test_git_is_available_for_these_tests() -> None:
    assert shutil.which("git"), "git apply is used to check that --diff output applies"


# -- deployment files -------------------------------------------------------------------------------


def test_walk_checks_deployment_files_next_to_python(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "deploy/docker_python_script", tmp_path / "svc")
    (tmp_path / "svc/Procfile").write_text("web: flask --app app run --host=0.0.0.0\n")
    result = command("--select=FDS4", ".", cwd=tmp_path)
    lines = text(result).splitlines()
    assert result.returncode == 1, result.stderr
    assert any(line.startswith("./svc/Dockerfile:") and " FDS401 " in line for line in lines), lines
    assert any(line.startswith("./svc/Procfile:1:6: FDS400 ") for line in lines), lines
    assert any(line.startswith("./svc/Procfile:") and " FDS403 " in line for line in lines), lines


def test_dev_only_and_negative_deployment_files_stay_silent() -> None:
    result = command("--select=FDS4", "deploy/negatives", "deploy/dev_only", cwd=FIXTURES)
    assert (result.returncode, text(result)) == (0, ""), result.stderr


def test_malformed_deployment_file_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  web: [unclosed\n")
    (tmp_path / "Procfile").write_text("web: flask run\n")
    result = command(".", cwd=tmp_path)
    assert result.returncode == 1
    assert "./Procfile:1:6: FDS400" in text(result)
    errors = result.stderr.decode().splitlines()
    assert [line for line in errors if "docker-compose.yml" in line] == [
        line for line in errors if line.startswith("flake8-flask-devserver: ./docker-compose.yml: not checked, ")
    ]
    assert len([line for line in errors if "docker-compose.yml" in line]) == 1
    assert "Traceback" not in result.stderr.decode()


def test_explain_covers_deployment_rules() -> None:
    result = command("--explain", "FDS400", cwd=FIXTURES)
    assert result.returncode == 0
    assert "## What it does" in text(result) and "Fix: no automatic fix." in text(result)
