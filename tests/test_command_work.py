"""The command's work, counted (issue 16, P3): what it parses, plans and tokenizes per file, and how it splits a tree.

Counts, not time: each test here failed before the change it guards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import _cst, cli, engine, fixer, noqa

HEAD = "from flask import Flask\napp = Flask(__name__)\n"
#: A long module in which the engine's slices keep a few lines: the app, and its start at the end.
HELPERS = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n" for i in range(60))
GUARD = 'if __name__ == "__main__":\n'


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of lines of every text libcst parses from now on (``_cst.parse``, the fixer's and the engine's)."""
    sizes: list[int] = []
    parse_module = _cst.parse_module

    def counted(source: str) -> object:
        sizes.append(source.count("\n"))
        return parse_module(source)

    monkeypatch.setattr(_cst, "parse_module", counted)
    return sizes


def test_findings_without_a_fix_need_no_whole_module_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FDS101 has no fix, so it has no tier to compute: the slices' analysis (the plugin's) is all there is."""
    sizes = _parsed(monkeypatch)
    source = HEAD + HELPERS + GUARD + "    app.run()\n"
    found = fixer.lint_source(source, tmp_path / "app.py")
    assert [(item.finding.code, item.fix) for item in found] == [("FDS101", None)]
    assert len(sizes) == 1 and sizes[0] < 20  # the slice only, never the module's 184 lines


def test_a_finding_with_a_fix_gets_its_tier_from_the_whole_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = _parsed(monkeypatch)
    source = HEAD + HELPERS + GUARD + "    app.run(debug=True)\n"
    found = fixer.lint_source(source, tmp_path / "app.py")
    assert [(item.finding.code, item.fix) for item in found] == [("FDS101", None), ("FDS200", "unsafe")]
    assert sorted(sizes) == [sizes[0], source.count("\n")] and sizes[0] < 20  # the slice, then the whole module
    # Without the tiers (names Python normalises: no fix is offered), the slice is enough again.
    sizes.clear()
    found = fixer.lint_source(source.replace("helper_0", "ｈelper_0"), tmp_path / "app.py")
    assert [(item.finding.code, item.fix) for item in found] == [("FDS101", None), ("FDS200", None)]
    assert len(sizes) == 1 and sizes[0] < 20


def test_noqa_lines_are_tokenized_only_when_the_text_says_noqa(monkeypatch: pytest.MonkeyPatch) -> None:
    mappings = 0
    line_mapping = noqa._line_mapping

    def counted(lines: list[str]) -> dict[int, str]:
        nonlocal mappings
        mappings += 1
        return line_mapping(lines)

    monkeypatch.setattr(noqa, "_line_mapping", counted)
    plain = noqa.Suppressions('x = """\n\n"""\napp.run()\n')
    assert not plain(4, "FDS100") and not plain(2, "FDS100")
    assert mappings == 0
    # A ``# noqa`` closing a multi-line string covers each of its lines, as in flake8.
    marked = noqa.Suppressions('x = f"""\n{app.run()}\n"""  # NoQA: FDS1\ny = 1\n')
    assert marked(2, "FDS100") and not marked(2, "FDS200") and not marked(4, "FDS100")
    assert mappings == 1


def test_the_command_screens_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gate and the ast step, run by the command to skip a file, are not run again to lint it."""
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.py").write_text(HEAD + HELPERS + GUARD + "    app.run(debug=True)\n")
    (tmp_path / "quiet.py").write_text("x = 1\n")
    screens: list[str] = []
    screen = engine._screen  # (what engine.screen, planned and check_source all run)

    def counted(source: str, where: Path | None, settings: object, tree: object) -> object:
        screens.append(str(where))
        return screen(source, where, settings, tree)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_screen", counted)
    monkeypatch.setattr(cli, "PARALLEL_FROM", 10**9)
    assert cli.main(["-q", str(tmp_path)]) == 1
    assert capsys.readouterr().out.count("FDS200 [*]") == 0  # unsafe: no [*] without --unsafe-fixes
    assert sorted(screens) == sorted(str(tmp_path / f"{name}.py") for name in ("one", "quiet", "three", "two"))


@pytest.mark.parametrize(
    ("options", "whole"),
    [
        (["-q"], False),  # only [*] is shown, for safe fixes: FDS200's fix is unsafe
        (["-q", "--format", "github"], False),
        (["-q", "--format", "gitlab"], False),
        (["-q", "--unsafe-fixes"], True),  # [*] for unsafe fixes too
        ([], True),  # the summary counts the unsafe fixes
        (["-q", "--format", "json"], True),  # every finding's fix_safety
        (["-q", "--format", "sarif"], True),
    ],
)
def test_a_fix_tier_is_computed_only_when_the_report_shows_it(
    options: list[str], whole: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = HEAD + HELPERS + GUARD + "    app.run(debug=True)\n"
    (tmp_path / "app.py").write_text(source)
    monkeypatch.setattr(cli, "PARALLEL_FROM", 10**9)
    sizes = _parsed(monkeypatch)
    assert cli.main([*options, str(tmp_path / "app.py")]) == 1
    out = capsys.readouterr().out
    assert "FDS200" in out and ("[*]" in out) == ("--unsafe-fixes" in options)
    assert (source.count("\n") in sizes) == whole


def test_the_command_screens_each_file_once_when_fixing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.py").write_text(HEAD + HELPERS + "app.run(debug=True)\n")
    screens: list[str] = []
    screen = engine._screen  # (what engine.screen, planned and check_source all run)

    def counted(source: str, where: Path | None, settings: object, tree: object) -> object:
        screens.append(str(where))
        return screen(source, where, settings, tree)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_screen", counted)
    monkeypatch.setattr(cli, "PARALLEL_FROM", 10**9)
    assert cli.main(["-q", "--diff", str(tmp_path)]) == 1
    assert capsys.readouterr().out.count('+if __name__ == "__main__":') == 2  # FDS100's safe fix, shown
    # Once by the command, once more by the engine's look at the slices (check_source); the
    # fixed text is not screened (the fixer analyses it whole). It was four times a file.
    assert sorted(screens) == sorted(str(tmp_path / f"{name}.py") for name in ("one", "one", "two", "two"))
