"""Deployment files under hostile input (issue 12): through the real command, work bounded by counts.

Each test names the item it covers (C5, H3, H4, H5, H8, H9, W2, W4, B1) and failed
before its fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver.deploy import check_deployment_file, compose, dockerfile, facts, runtime, text
from flake8_flask_devserver.deploy.text import SourceText

SCRIPT = Path(sys.executable).with_name("flake8-flask-devserver")

LAUNCHER = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=5000)\n'


def command(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed console script, its closing summary line left out of stderr (problem lines stay);
    the timeout only keeps a regression from hanging the suite."""
    result = subprocess.run([str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    result.stderr = without_summary(result.stderr)
    return result


def without_summary(stderr: str) -> str:
    """stderr without the command's ``Found N findings ...`` line."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if not line.startswith("flake8-flask-devserver: Found ")
    )


def project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    return tmp_path


# -- C5: a module a deployment file names, nested 10,000 deep ---------------------------


def test_c5_deep_module_named_by_a_procfile_does_not_crash_the_command(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "deep.py").write_text(
        "from flask import Flask\napp = Flask(__name__)\nx = " + " and ".join(["y"] * 10_000) + "\napp.run()\n"
    )
    (root / "Procfile").write_text("web: flask --app deep run\nworker: python deep.py\n")
    (root / "Dockerfile").write_text('FROM python\nCOPY . .\nCMD ["flask", "--app", "deep", "run"]\n')
    (root / "compose.yaml").write_text("services:\n  web:\n    build: .\n    command: python -m deep\n")
    result = command("Procfile", "Dockerfile", "compose.yaml", "deep.py", cwd=root)
    assert result.returncode == 1, result.stderr  # findings, not a signal (-11 before)
    assert "Procfile:1:6: FDS400" in result.stdout
    assert "Dockerfile:3:6: FDS400" in result.stdout
    assert "deep.py: not checked, it nests more than 1000 levels deep" in result.stderr
    assert "Traceback" not in result.stderr


# -- H3: FIFOs where deployment files are expected ------------------------------------------


@pytest.mark.parametrize("name", [".env", "Dockerfile", "Procfile", "compose.yaml"])
def test_h3_a_fifo_is_refused_not_waited_on(tmp_path: Path, name: str) -> None:
    root = project(tmp_path)
    os.mkfifo(root / name)
    (root / "Procfile.web").write_text("web: flask run\n")
    result = command(".", cwd=root, timeout=60)
    (line,) = result.stderr.splitlines()  # one line naming the file (the command's or deploy's wording)
    assert line.startswith(f"flake8-flask-devserver: ./{name}: ") and "FIFO" in line and "regular file" in line
    assert "./Procfile.web:1:6: FDS400" in result.stdout  # the run goes on


def test_h3_files_read_for_a_command_are_regular_files_only(tmp_path: Path) -> None:
    root = project(tmp_path)
    os.mkfifo(root / ".flaskenv")  # read for FLASK_APP of ``flask run``
    os.mkfifo(root / "boot.sh")  # an entry script
    (root / "Procfile").write_text("web: flask run\nworker: ./boot.sh\n")
    result = command("Procfile", cwd=root, timeout=60)
    assert result.stdout.startswith("Procfile:1:6: FDS400"), result.stderr


def test_h3_a_symlink_to_dev_zero(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "Dockerfile").symlink_to("/dev/zero")
    result = command("Dockerfile", cwd=root, timeout=60)
    (line,) = result.stderr.splitlines()
    assert line.startswith("flake8-flask-devserver: Dockerfile: ") and "regular file" in line


# -- H4: escapes in a JSON exec form ---------------------------------------------------------


class _CountingText(str):
    """A str whose ``find`` counts the characters it may look at."""

    looked = 0

    def find(self, sub: str, start: int = 0, end: int | None = None) -> int:  # type: ignore[override]
        stop = len(self) if end is None else end
        _CountingText.looked += max(0, stop - start)
        return super().find(sub, start, end)


class _CountingPattern:
    def __init__(self) -> None:
        self.looked = 0

    def search(self, raw: str, start: int, stop: int):  # type: ignore[no-untyped-def]
        self.looked += max(0, stop - start)
        return text._SPACE_PATTERN.search(raw, start, stop)


def test_h4_align_is_linear_on_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = _CountingPattern()
    monkeypatch.setattr(text, "_SPACE_PATTERN", text._SPACE, raising=False)
    monkeypatch.setattr(text, "_SPACE", pattern)
    for escape, value in (("\\t", "\t"), ("\\u00e9", "é"), ("\\n", "\n")):
        _CountingText.looked, pattern.looked = 0, 0
        raw = _CountingText('"' + escape * 8000 + 'x"')
        offsets = text.align(value * 8000 + "x", raw, 1, len(raw) - 1)
        assert offsets[-1] == len(raw) - 2  # the last character still found
        assert _CountingText.looked + pattern.looked <= 20 * len(raw)  # quadratic: 8000 * len(raw)


def test_h4_64_kb_of_tab_escapes_in_a_cmd(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "Dockerfile").write_text('FROM python\nCMD ["flask", "run", "' + "\\t" * 32_000 + '", "--host=0.0.0.0"]\n')
    result = command("Dockerfile", cwd=root)
    assert result.stdout.splitlines()[0].startswith("Dockerfile:2:6: FDS400"), result.stderr
    assert "Dockerfile:2:64026: FDS403" in result.stdout  # the --host word, past the escapes


# -- H5: a merge-key bomb ------------------------------------------------------------------------


def _bomb(levels: int) -> str:
    lines = ["x-a0: &a0 {FLASK_DEBUG: '1'}"]
    for level in range(1, levels + 1):
        lines.append(f"x-a{level}: &a{level} {{<<: [{', '.join([f'*a{level - 1}'] * 9)}]}}")
    return "\n".join(lines) + f"\nservices:\n  web:\n    command: flask run\n    environment:\n      <<: *a{levels}\n"


def test_h5_merge_bomb_expands_each_mapping_once(monkeypatch: pytest.MonkeyPatch) -> None:
    expanded: list[int] = []
    original = compose._Mappings._expand

    def counting(self, node, open_nodes):  # type: ignore[no-untyped-def]
        expanded.append(id(node))
        return original(self, node, open_nodes)

    monkeypatch.setattr(compose._Mappings, "_expand", counting)
    services = compose.parse(SourceText(_bomb(9), "compose.yaml"))
    assert [a.name.value for a in services[0].environment] == ["FLASK_DEBUG"]
    assert len(expanded) == len(set(expanded)) <= 14  # 9**9 expansions before


def test_h5_merge_bomb_through_the_command(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "compose.yaml").write_text(_bomb(9))
    assert len(_bomb(9)) < 700
    result = command("compose.yaml", cwd=root)
    assert result.stdout.splitlines() == [
        "compose.yaml:1:12: FDS402 FLASK_DEBUG=1 in service 'web' environment turns on Flask's debug mode; "
        "Werkzeug's debugger lets anyone who reaches the server run code; set it only in development",
        "compose.yaml:13:14: FDS400 service 'web' command runs Flask's development server (flask run); "
        "in production: gunicorn --bind 0.0.0.0:8000 'app:app'",
    ]


def test_h5_too_many_merged_entries_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    keys = ", ".join(f"K{i}: v" for i in range(2000))
    services = "".join(f"  s{i}:\n    <<: *big\n" for i in range(60))
    (root / "compose.yaml").write_text(f"x-big: &big {{{keys}}}\nservices:\n{services}")
    result = command("compose.yaml", cwd=root)
    assert result.stderr.splitlines() == [
        f"flake8-flask-devserver: compose.yaml: not checked, line {2 + 2 * 50 + 2}: YAML merge keys (<<) add more "
        f"than {compose.MAX_MERGED} entries"
    ]


# -- H8 / H9: Dockerfile stages, Compose services sharing one Dockerfile ---------------------------


def test_h8_stage_lookups_do_not_walk_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["FROM python AS s0", "WORKDIR /srv", "ENV V0="]
    for i in range(1, 200):
        lines += [f"FROM s{i - 1} AS s{i}", f"ENV V{i}=${{V{i - 1}}}x", f"WORKDIR w{i}", f"COPY --from=s{i - 1} /a /a"]
    lines.append('CMD ["python", "app.py"]')
    parsed = dockerfile.parse(SourceText("\n".join(lines) + "\n", "Dockerfile"))
    last = parsed.stages[-1]
    calls = 0
    original = dockerfile.Stage.environment

    def counting(self):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(self)

    monkeypatch.setattr(dockerfile.Stage, "environment", counting)
    assert last.environment()["V199"].value == "x" * 199
    assert last.working_dir() == "/srv/" + "/".join(f"w{i}" for i in range(1, 200))
    assert calls == 1  # one dict merge, not one per ancestor


def test_h8_many_stages_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    body = "".join(f"FROM {'python' if i == 0 else f's{i - 1}'} AS s{i}\nENV V{i}=1\n" for i in range(300))
    (root / "Dockerfile").write_text(body)
    result = command("Dockerfile", cwd=root)
    assert result.stderr.splitlines() == [
        f"flake8-flask-devserver: Dockerfile: not checked, line {2 * dockerfile.MAX_STAGES + 1}: more than "
        f"{dockerfile.MAX_STAGES} build stages"
    ]


def _copy_graph(stages: int, fan: int) -> dockerfile.Dockerfile:
    lines = ["FROM python AS s0", "COPY . /"]
    for i in range(1, stages):
        lines.append(f"FROM python AS s{i}")
        lines += [f"COPY --from=s{j} / /" for j in range(max(0, i - fan), i)]
    return dockerfile.parse(SourceText("\n".join(lines) + "\n", "Dockerfile"))


def test_h8_copy_from_graph_lookup_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LAUNCHER)
    parsed = _copy_graph(5, 2)
    files = runtime.StageFiles.of(parsed, parsed.stages[-1], tmp_path)
    assert tmp_path / "app.py" in files.candidates("/app.py", runtime.Walk())
    parsed = _copy_graph(100, 6)
    files = runtime.StageFiles.of(parsed, parsed.stages[-1], tmp_path)
    walk = runtime.Walk()
    visited = sum(1 for _ in files.candidates("/missing.py", walk))
    assert walk.left < 0 and visited <= runtime.Walk.BUDGET  # 6**8 paths before, stopped by the budget


def test_h9_compose_services_share_one_parse_of_their_dockerfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    (root / "app.py").write_text(LAUNCHER)
    (root / "Dockerfile").write_text("FROM python\nWORKDIR /srv\nCOPY . .\n")
    services = "".join(f"  s{i}:\n    build: .\n    command: python app.py\n" for i in range(50))
    parses = 0
    original = dockerfile.parse

    def counting(source: SourceText) -> dockerfile.Dockerfile:
        nonlocal parses
        parses += 1
        return original(source)

    monkeypatch.setattr(dockerfile, "parse", counting)
    found = check_deployment_file(root / "compose.yaml", f"services:\n{services}")
    assert len(found) == 50 and parses == 1


# -- W2: nothing outside the project is read ---------------------------------------------------------


def test_w2_compose_dockerfile_outside_the_root_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text('FROM python\nWORKDIR /x\nCOPY . .\n')
    root = project(tmp_path / "project")
    (root / "app.py").write_text(LAUNCHER)
    (root / "Dockerfile").write_text("FROM python\nCOPY . .\n")
    opened: list[str] = []
    original = facts.files.read_regular

    def spying(path, limit):  # type: ignore[no-untyped-def]
        opened.append(os.path.abspath(path))
        return original(path, limit)

    monkeypatch.setattr(facts.files, "read_regular", spying)
    builds = ("{context: ., dockerfile: /etc/passwd}", "../outside", "{context: ., dockerfile: ../outside/Dockerfile}", ".")
    for build in builds:
        check_deployment_file(root / "compose.yaml", f"services:\n  web:\n    build: {build}\n    command: python app.py\n")
    assert opened and all(path.startswith(str(root)) for path in opened), opened


def test_w2_through_the_command(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "compose.yaml").write_text(
        "services:\n  web:\n    build: {context: ., dockerfile: /etc/passwd}\n    command: flask run\n"
    )
    result = command("-q", "compose.yaml", cwd=root)  # -q: no closing summary
    assert result.stdout.startswith("compose.yaml:4:14: FDS400") and not result.stderr


# -- W4: CR-only line ends ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Dockerfile", "FROM python\rCOPY . .\rCMD python app.py\r", ["Dockerfile:3:12: FDS401"]),
        ("Procfile", "release: flask db upgrade\rweb: flask run\r", ["Procfile:2:6: FDS400"]),
        (".env.production", "A=1\rFLASK_DEBUG=1\r", [".env.production:2:1: FDS402"]),
        ("compose.yaml", "services:\r  web:\r    command: flask run\r", ["compose.yaml:3:14: FDS400"]),
    ],
)
def test_w4_cr_only_line_ends(tmp_path: Path, name: str, content: str, expected: list[str]) -> None:
    root = project(tmp_path)
    (root / "app.py").write_text(LAUNCHER.replace("\n", "\r"), newline="")
    (root / name).write_text(content, newline="")
    result = command(name, cwd=root)
    assert [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in result.stdout.splitlines()] == expected


def test_w4_cr_only_app_module_gives_its_factory(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "web.py").write_text("import flask\r\rdef create_app():\r    return object()\r", newline="")
    (root / "Procfile").write_text("web: flask --app web run\n")
    result = command("Procfile", cwd=root)
    assert result.stdout.rstrip().endswith("gunicorn --bind 0.0.0.0:$PORT 'web:create_app()'")


# -- B1: one file name per line ------------------------------------------------------------------


def test_b1_the_file_is_named_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "compose.yaml").write_text("services: [\n")
    (root / "Dockerfile").write_text("FROM x\nCOPPY . .\n")
    result = command(".", cwd=root)
    assert sorted(result.stderr.splitlines()) == [
        "flake8-flask-devserver: ./Dockerfile: not checked, line 2: unknown instruction 'COPPY'",
        "flake8-flask-devserver: ./compose.yaml: not checked, line 2: invalid YAML, expected the node content, "
        "but found '<stream end>' (while parsing a flow node)",
    ]


def test_each_deployment_file_is_read_once_for_all_the_scripts_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flake8_flask_devserver.deploy import kinds, scripts

    root = project(tmp_path)
    for i in range(20):
        (root / f"p{i}.sh").write_text("#!/bin/sh\nexec flask run\n")
    (root / "Procfile").write_text("".join(f"p{i}: ./p{i}.sh\n" for i in range(20)))
    builds: list[Path] = []
    original = kinds.build_into

    def counting(builder):  # type: ignore[no-untyped-def]
        builds.append(builder.path)
        return original(builder)

    monkeypatch.setattr(kinds, "build_into", counting)
    monkeypatch.setattr(scripts, "_CACHE", {})
    found = [check_deployment_file(root / f"p{i}.sh", (root / f"p{i}.sh").read_text()) for i in range(20)]
    # Counted per file: with no .git above it, the search for who runs a script also reads the
    # deployment files of the folders around the project (other tests' folders here), once each.
    assert all(len(findings) == 1 for findings in found)
    assert builds.count(root / "Procfile") == 1 and len(builds) == len(set(builds))
