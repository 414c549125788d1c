"""The flake8 adapter and the engine's boundaries, through real flake8 where it matters."""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_flask_devserver import docs, flake8_plugin, project
from flake8_flask_devserver.engine import check_source

from .conftest import FIXTURES, ROOT, run_flake8

LAUNCHER = 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(debug=True)\n'


def _fresh_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_engine_does_not_import_flake8() -> None:
    code = (
        "import sys, flake8_flask_devserver.engine as e\n"
        "e.check_source(open(%r).read(), %r)\n"
        "print(sorted(m for m in sys.modules if m == 'flake8' or m.startswith('flake8.')))"
    ) % (str(FIXTURES / "debug/debug_true_spellings.py"), str(FIXTURES / "debug/debug_true_spellings.py"))
    assert _fresh_python(code) == "[]"


def test_gate_keeps_libcst_unimported_for_files_without_findings() -> None:
    code = (
        "import sys, flake8_flask_devserver.engine as e\n"
        "e.check_source('import subprocess\\nsubprocess.run([\"ls\"])\\n', 'x.py')\n"
        "print('libcst' in sys.modules)"
    )
    assert _fresh_python(code) == "False"


def test_a_flake8_run_with_nothing_past_the_gate_imports_only_the_gate(tmp_path: Path) -> None:
    """What only files past the gate need (the ast checks, libcst, the NFKC tables), and what only a
    warning or a misspelt table needs (hashlib, difflib), is not imported by a run that has none
    (``unicodedata``: with ASCII text only)."""
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-flask-devserver]\nallowed-hosts = ['0.0.0.0']\n")
    (tmp_path / "a.py").write_text("import subprocess\nsubprocess.call(['ls'])\n")
    (tmp_path / "b.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    lazy = ["flake8_flask_devserver.slices", "libcst", "unicodedata", "hashlib", "difflib"]
    code = (
        "import sys\n"
        "from flake8.main.cli import main\n"
        "try:\n"
        "    main(['--select=FDS', '-j1', '.'])\n"
        "finally:\n"
        f"    print('flake8_flask_devserver.gate' in sys.modules, [m for m in {lazy!r} if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1:] == ["True []"], result.stdout + result.stderr


def test_libcst_objects_are_frozen_once_for_processes_that_opt_in() -> None:
    code = (
        "import gc, flake8_flask_devserver.engine as e\n"
        "e.check_source(%r, 'app.py')\n"
        "library = gc.get_freeze_count()  # a library caller (editor, test run) is left alone\n"
        "e.freeze_libcst_objects()\n"
        "first = gc.get_freeze_count()  # libcst's classes and functions, and the rest of the moment\n"
        "e.check_source(%r, 'app.py')  # no second freeze\n"
        "print(library == 0, first > 10_000, gc.get_freeze_count() <= first, gc.isenabled())"
    ) % (LAUNCHER, LAUNCHER + "\n")
    assert _fresh_python(code) == "True True True True"


def test_a_host_without_the_collector_keeps_it_off_and_unfrozen() -> None:
    code = (
        "import gc, flake8_flask_devserver.engine as e\n"
        "gc.disable()\n"
        "e.freeze_libcst_objects()\n"
        "found = e.check_source(%r, 'app.py')\n"
        "print(len(found) > 0, gc.get_freeze_count(), gc.isenabled())"
    ) % LAUNCHER
    assert _fresh_python(code) == "True 0 False"


def test_stdin_with_display_name_names_the_module() -> None:
    result = run_flake8("--select=FDS", "--stdin-display-name=src/shop/web.py", "-", stdin=LAUNCHER)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["FDS101", "FDS200"]
    assert lines[0].startswith("src/shop/web.py:4:5: FDS101 ")
    assert "flask --app web run --debug" in lines[0]  # no package around it on disk: plain module
    assert result.stderr == ""


def test_plain_stdin() -> None:
    result = run_flake8("--select=FDS", "-", stdin=LAUNCHER)
    assert result.returncode == 1
    assert "stdin:4:5: FDS101" in result.stdout


def test_messages_are_tailored_to_the_file() -> None:
    run_py = FIXTURES / "projects/shop/run.py"
    messages = {f.code: f.message for f in check_source(run_py.read_text(), run_py)}
    assert "gunicorn --bind 0.0.0.0:8000 'shop.factory:create_app()'" in messages["FDS300"]
    assert "flask --app shop.factory run --debug" in messages["FDS100"]
    manage = FIXTURES / "projects/blog/manage.py"
    messages = {f.code: f.message for f in check_source(manage.read_text(), manage)}
    assert messages["FDS101"].endswith("in development: flask --app blog run --debug; in production: gunicorn 'blog:app'")


def test_module_names_follow_package_layout() -> None:
    assert project.module_name(FIXTURES / "projects/shop/src/shop/web.py") == "shop.web"
    assert project.module_name(FIXTURES / "projects/shop/src/shop/__init__.py") == "shop"
    assert project.module_name(FIXTURES / "projects/blog/blog/views.py") == "blog.views"
    assert project.module_name(FIXTURES / "projects/scripts/run.py") == "run"
    assert project.module_name(FIXTURES / "projects/blog/blog/__main__.py") == "blog.__main__"


def test_internal_error_is_one_warning_and_no_findings(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def explode(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(flake8_plugin, "check_source", explode)
    checker = flake8_plugin.FlaskDevServerChecker(None, LAUNCHER.splitlines(True), "shop/web.py")  # type: ignore[arg-type]
    assert list(checker.run()) == []
    err = capsys.readouterr().err
    assert err == "flake8-flask-devserver: shop/web.py: not checked, internal error RuntimeError: boom\n"


def test_one_bad_file_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "app.py").write_text(LAUNCHER)
    result = run_flake8("--select=FDS,E999", ".", cwd=tmp_path)
    assert "./app.py:4:5: FDS101" in result.stdout
    assert "./broken.py:1:8: E999" in result.stdout
    assert "Traceback" not in result.stderr


def test_rule_docs_are_rendered() -> None:
    assert (ROOT / "docs/rules.md").read_text() == docs.render(), "run: python -m flake8_flask_devserver.docs > docs/rules.md"


def test_every_rule_has_ruff_shaped_docs() -> None:
    from flake8_flask_devserver import rules

    for rule in rules.ALL:
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## Options"):
            assert heading in rule.DOCS, (rule.CODE, heading)
        assert rule.__name__.rsplit(".", 1)[-1] == rule.NAME.replace("-", "_")


def test_factory_with_required_arguments_suggests_the_module_level_app() -> None:
    flasky = FIXTURES / "projects/flasky/flasky.py"
    (finding,) = check_source(flasky.read_text(), flasky)
    assert finding.message.endswith("in development: flask --app flasky run --debug; in production: gunicorn 'flasky:app'")


def test_unknown_app_location_gets_a_placeholder_not_a_made_up_module() -> None:
    source = "from flask import Flask\n\ndef serve(app: Flask):\n    app.run()\n"
    (finding,) = check_source(source, "shop/cli.py")
    assert "gunicorn '<module>:<app>'" in finding.message


def test_results_do_not_depend_on_lint_order(tmp_path: Path) -> None:
    """A lookup cut short by the depth limit must not be remembered for later files."""
    from flake8_flask_devserver import apps

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "m0.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    for i in range(1, 40):
        (pkg / f"m{i}.py").write_text(f"from .m{i - 1} import app\n")
    shallow = tmp_path / "shallow.py"
    shallow.write_text("from pkg.m1 import app\napp.run()\n")
    alone = check_source(shallow.read_text(), shallow)
    assert alone
    for entry in range(2, 40):  # wherever the long chain gives up, m1 must stay resolvable
        project.clear_caches()
        apps.clear_caches()
        deep = tmp_path / f"deep{entry}.py"
        deep.write_text(f"from pkg.m{entry} import app\napp.run()\n")
        check_source(deep.read_text(), deep)
        assert check_source(shallow.read_text(), shallow) == alone, entry


@pytest.mark.parametrize(
    ("names", "expected"),
    [([], True), (["."], True), (["src", "app.py"], True), (["app.py", "wsgi.py"], False), (["-"], False)],
)
def test_runs_over_folders_are_told_from_named_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: list[str], expected: bool
) -> None:
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path)
    assert flake8_plugin._checks_a_tree(argparse.Namespace(filenames=names)) is expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-j1", "."], "True True"),  # a tree: libcst imported for app.py, and frozen
        (["-j1", "app.py", "b.py"], "True True"),  # a batch of named files (pre-commit): frozen too
        (["-j1", "app.py"], "True False"),  # one named file (an editor): not frozen
        (["-j1", "b.py"], "False False"),  # nothing that needs libcst: not even imported
    ],
)
def test_flake8_freezes_libcst_objects_when_it_checks_a_tree(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "app.py").write_text(LAUNCHER)
    (tmp_path / "b.py").write_text("import subprocess\nsubprocess.run(['ls'])\n")
    output, state = _flake8_reporting_libcst(tmp_path, args)
    assert state == expected, output


def _flake8_reporting_libcst(folder: Path, args: list[str]) -> tuple[list[str], str]:
    """flake8's output lines, and whether its own process imported libcst and froze objects."""
    code = (
        "import gc, sys\n"
        "from flake8.main.cli import main\n"
        f"status = main(['--select=FDS', *{args!r}])\n"
        "print('libcst' in sys.modules, gc.get_freeze_count() > 10_000)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines() or [result.stderr]
    return lines[:-1], lines[-1]


_TWO_APPS = {"app.py": LAUNCHER, "other.py": LAUNCHER, "b.py": "x = 1\n"}
_FORK_BY_DEFAULT = multiprocessing.get_all_start_methods()[0] == "fork"


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        # Two files that need libcst: imported (and frozen) once, before the workers fork.
        pytest.param(
            _TWO_APPS, ["-j2", "."], "True True", marks=pytest.mark.skipif(not _FORK_BY_DEFAULT, reason="no fork")
        ),
        # One such file: only one worker would import it anyway, so the workers decide.
        ({"app.py": LAUNCHER, "b.py": "x = 1\n"}, ["-j2", "."], "False False"),
        # A .run( call the text gate lets through and the ast checks rule out needs none.
        ({"b.py": 'from flask import Flask\nimport subprocess\nsubprocess.run(["ls"])\n'}, ["-j2", "."], "False False"),
        # A batch of named files (pre-commit) is screened as a tree is.
        pytest.param(
            _TWO_APPS,
            ["-j2", "app.py", "other.py", "b.py"],
            "True True",
            marks=pytest.mark.skipif(not _FORK_BY_DEFAULT, reason="no fork"),
        ),
        ({"app.py": LAUNCHER, "b.py": "x = 1\n"}, ["-j2", "app.py", "b.py"], "False False"),
        # Nor is a run with no paths, which may be flake8's legacy API (given its files later).
        (_TWO_APPS, ["-j2"], "False False"),
        # Files flake8 runs no plugin on are not counted.
        ({"app.py": LAUNCHER, "other.py": "# flake8: noqa\n" + LAUNCHER}, ["-j2", "."], "False False"),
    ],
)
def test_flake8_imports_libcst_before_forking_only_where_it_saves_an_import(
    tmp_path: Path, files: dict[str, str], args: list[str], expected: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    output, state = _flake8_reporting_libcst(tmp_path, args)
    assert state == expected, output
    # The workers report the same findings, whoever imported libcst.
    reported = sorted(line.split(":")[0].removeprefix("./") for line in output)
    wanted = sorted(name for name, text in files.items() if text == LAUNCHER for _ in range(2))  # FDS101, FDS200
    assert reported == wanted, output


def _flake8_options(tmp_path: Path, jobs: str = "2", **changes: object) -> argparse.Namespace:
    from flake8.main.options import JobsArgument

    values: dict[str, object] = {
        "filenames": [str(tmp_path)],
        "stdin_display_name": "stdin",
        "filename": ["*.py"],
        "exclude": [],
        "extend_exclude": [],
        "disable_noqa": False,
        "jobs": JobsArgument(jobs),
    }
    values.update(changes)
    return argparse.Namespace(**values)


@pytest.mark.parametrize(
    ("jobs", "method", "expected"),
    [("2", "fork", True), ("1", "fork", False), ("auto", "fork", True), ("2", "spawn", False), ("2", "forkserver", False)],
)
def test_only_forked_workers_are_worth_an_import_before_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, method: str, expected: bool
) -> None:
    monkeypatch.setattr(flake8_plugin.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(flake8_plugin.multiprocessing, "get_start_method", lambda allow_none=False: method)
    assert flake8_plugin._forks_workers(_flake8_options(tmp_path, jobs)) is expected


@pytest.mark.parametrize("default", ["fork", "spawn"])
def test_an_unset_start_method_is_the_default_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default: str) -> None:
    monkeypatch.setattr(flake8_plugin.multiprocessing, "get_start_method", lambda allow_none=False: None)
    monkeypatch.setattr(flake8_plugin.multiprocessing, "get_all_start_methods", lambda: [default, "forkserver"])
    assert flake8_plugin._forks_workers(_flake8_options(tmp_path)) is (default == "fork")


def test_asking_for_the_start_method_leaves_it_unset() -> None:
    code = (
        "import argparse, multiprocessing\n"
        "from flake8.main.options import JobsArgument\n"
        "from flake8_flask_devserver import flake8_plugin\n"
        "flake8_plugin._forks_workers(argparse.Namespace(jobs=JobsArgument('2')))\n"
        "multiprocessing.set_start_method('spawn')  # raises once the context is fixed\n"
        "print(multiprocessing.get_start_method())"
    )
    assert _fresh_python(code).strip() == "spawn"


def test_screening_before_the_fork_counts_what_the_workers_would_parse(tmp_path: Path) -> None:
    broken, good, skipped = tmp_path / "broken", tmp_path / "good", tmp_path / "skipped"
    for folder in (broken, good, skipped):
        folder.mkdir()
    (broken / "pyproject.toml").write_text("[tool.flake8-flask-devserver\n")
    (broken / "app.py").write_text(LAUNCHER)  # its configuration is broken: the worker reports that
    (good / "latin.py").write_bytes(b"x = '\xff'\n")  # not UTF-8, no coding line: unreadable
    (good / "runner.py").write_text('from flask import Flask\nimport subprocess\nsubprocess.run(["ls"])\n')  # ast: no app
    (good / "bad.py").write_text(LAUNCHER + "def (:\n")  # E999: flake8 runs no plugin on it
    (good / "deep.py").write_text("from flask import Flask\napp = Flask(__name__)\nx = " + "(" * 1200 + ")" * 1200 + "\napp.run()\n")
    (skipped / "app.py").write_text(LAUNCHER)
    settings, explicit = flake8_plugin.DEFAULT_SETTINGS, frozenset[str]()

    def count(**changes: object) -> int:
        options = _flake8_options(tmp_path, filenames=[str(broken), str(good), str(skipped)], **changes)
        return flake8_plugin._files_needing_libcst(options, settings, explicit, enough=5)

    assert count() == 1  # skipped/app.py only
    assert count(exclude=[str(skipped)]) == 0
    assert count(extend_exclude=["skipped"]) == 0
    (good / "app.py").write_text(LAUNCHER)
    assert count() == 2
    assert flake8_plugin._files_needing_libcst(_flake8_options(tmp_path), settings, explicit, enough=1) == 1


def test_screening_before_the_fork_reads_a_bounded_number_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(LAUNCHER)
    options = _flake8_options(tmp_path, filenames=[str(tmp_path / name) for name in ("a.py", "b.py", "c.py")])
    monkeypatch.setattr(flake8_plugin, "SCREEN_AT_MOST", 2)
    assert flake8_plugin._files_needing_libcst(options, flake8_plugin.DEFAULT_SETTINGS, frozenset(), enough=5) == 2


def test_screening_before_the_fork_gives_up_quietly_on_a_flake8_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(LAUNCHER)
    options = _flake8_options(tmp_path)
    del options.filename  # as if flake8 had renamed an option
    assert flake8_plugin._files_needing_libcst(options, flake8_plugin.DEFAULT_SETTINGS, frozenset(), enough=1) == 0
