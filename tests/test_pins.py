"""pins.py: which major version of a distribution a project's dependency files allow."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from flake8_flask_devserver import pins, project


@pytest.fixture(autouse=True)
def _fresh() -> None:
    project.clear_caches()


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "setup.cfg").touch()  # a project root marker
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def below(folder: Path) -> bool | None:
    return pins.below(folder, "connexion", 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("connexion==2.7.0\n", True),
        ("Connexion[swagger-ui]==2.14.2\n", True),
        ("connexion<3\n", True),
        ("connexion ~= 2.6\n", True),
        ("connexion<=2.14.2 ; python_version >= '3.6'\n", True),
        ("connexion==2.*\n", True),
        ("connexion>=2.6,<3.0 \\\n  --hash=sha256:00\n", True),
        ("connexion>=2.6.0\n", None),
        ("connexion\n", None),
        ("connexion!=3.0.0\n", None),
        ("connexion<3.0.1\n", None),
        ("connexion<=3.0\n", None),
        ("connexion<3.0.0rc1\n", None),  # admits 3.0.0 pre-releases
        ("connexion==3.1.0\n", False),
        ("connexion[flask,uvicorn]>=3\n", False),
        ("connexion-extras==2.0\n", None),  # another distribution
        ("# connexion==2.7.0\nflask\n", None),
        ("-e git+https://example.invalid/connexion.git#egg=connexion\n", None),
        ("connexion @ https://example.invalid/connexion-2.7.0.tar.gz\n", None),
    ],
)
def test_requirements(tmp_path: Path, text: str, expected: bool | None) -> None:
    assert below(_project(tmp_path, {"requirements.txt": text})) is expected


def test_included_and_constraint_files(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {"requirements-prod.txt": "-r reqs/base.txt\n", "reqs/base.txt": "--constraint=pins.txt\nconnexion\n", "reqs/pins.txt": "connexion==2.9.0\n"},
    )
    assert below(root) is True


def test_include_cycle_and_outside_root(tmp_path: Path) -> None:
    root = _project(tmp_path / "app", {"requirements.txt": "-r requirements.txt\n-r ../../outside.txt\n"})
    (tmp_path / "outside.txt").write_text("connexion==2.7.0\n", encoding="utf-8")
    assert below(root) is None


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"Pipfile": '[packages]\nconnexion = "==2.7.0"\n'}, True),
        ({"Pipfile": '[packages]\nconnexion = {version = "~=2.6", extras = ["swagger-ui"]}\n'}, True),
        ({"Pipfile": '[packages]\nconnexion = "*"\n'}, None),
        ({"Pipfile": '[packages]\nconnexion = "*"\n', "Pipfile.lock": json.dumps({"default": {"connexion": {"version": "==2.14.2"}}})}, True),
        ({"Pipfile.lock": json.dumps({"default": {}, "develop": {"connexion": {"version": "==2.14.2"}}})}, None),
        ({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["connexion>=2.6,<3"]\n'}, True),
        ({"pyproject.toml": '[project]\nname = "x"\noptional-dependencies = {api = ["connexion<3"]}\n'}, None),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "^2.9"\n'}, True),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "^3.0"\n'}, False),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "2.14.2"\n'}, True),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = {version = "~2.7", extras = ["swagger-ui"]}\n'}, True),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "^2.9 || ^3.0"\n'}, None),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "^2.0 || ~2.14"\n'}, True),
        ({"pyproject.toml": '[tool.poetry.dependencies]\nconnexion = "*"\n', "poetry.lock": '[[package]]\nname = "connexion"\nversion = "2.14.2"\n'}, True),
        ({"uv.lock": '[[package]]\nname = "connexion"\nversion = "3.2.0"\n'}, False),
        ({"setup.cfg": "[options]\ninstall_requires =\n    flask\n    connexion[swagger-ui]<3\n"}, True),
        ({"setup.py": 'from setuptools import setup\nREQUIRES = ["connexion>=2.0.2,<3"]\nsetup(install_requires=REQUIRES)\n'}, True),
        ({"setup.py": 'from setuptools import setup\nsetup(install_requires=["connexion>=2.0.2"])\n'}, None),
        # files that disagree: which one is installed is not known
        ({"requirements.txt": "connexion==2.7.0\n", "uv.lock": '[[package]]\nname = "connexion"\nversion = "3.0.5"\n'}, None),
        # one bounds, another does not: installed together, the bound holds
        ({"requirements.txt": "connexion>=2.6\n", "Pipfile.lock": json.dumps({"default": {"connexion": {"version": "==2.7.0"}}})}, True),
    ],
)
def test_dependency_files(tmp_path: Path, files: dict[str, str], expected: bool | None) -> None:
    assert below(_project(tmp_path, files)) is expected


def test_nearest_folder_decides(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements.txt": "connexion==3.0.0\n", "service/requirements.txt": "connexion==2.14.2\n"})
    (root / "service/api").mkdir()
    assert below(root / "service/api") is True
    assert below(root) is False
    assert below(_project(tmp_path / "other", {"lib/README": ""}) / "lib") is None


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "connexion==2.7.0\n\xff", "pyproject.toml": "[project\n"},
        {"pyproject.toml": "[project]\ndependencies = [" + "[" * 500 + "\n"},
        {"pyproject.toml": '[project]\ndependencies = "connexion<3"\n'},
        {"pyproject.toml": "[tool.poetry.dependencies]\nconnexion = \"^two\"\n"},
        {"Pipfile": "[packages\nconnexion = '==2.7'\n", "Pipfile.lock": "{not json"},
        {"Pipfile.lock": "[" * 100_000},
        {"Pipfile.lock": json.dumps({"default": ["connexion"]})},
        {"poetry.lock": '[[package]]\nname = "connexion"\nversion = 2\n'},
        {"setup.cfg": "[options\ninstall_requires = connexion<3\n"},
        {"setup.py": "REQUIRES = ['connexion<3'\n"},
        {"requirements.txt": "connexion===\nconnexion==two\nconnexion>=<3\n"},
    ],
)
def test_malformed_files_declare_nothing(tmp_path: Path, files: dict[str, str]) -> None:
    root = tmp_path
    (root / "setup.cfg").touch()
    for name, text in files.items():
        (root / name).write_bytes(text.encode("utf-8", errors="surrogateescape").replace(b"\xc3\xbf", b"\xff"))
    assert below(root) is None


def test_invalid_utf8_requirements_are_ignored(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    (root / "requirements.txt").write_bytes(b"connexion==2.7.0\n\xff\xfe\n")
    assert below(root) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_large_files_are_not_read(tmp_path: Path) -> None:
    root = _project(tmp_path, {})
    os.mkfifo(root / "requirements.txt")  # would block a plain open() for ever
    (root / "poetry.lock").write_bytes(b"#" * (pins.MAX_LOCK_BYTES + 1))
    assert below(root) is None


def test_cached_until_cleared(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements.txt": "connexion==2.7.0\n"})
    assert below(root) is True
    (root / "requirements.txt").write_text("connexion==3.0.0\n", encoding="utf-8")
    assert below(root) is True
    project.clear_caches()
    assert below(root) is False


# -- differential: verdict_of against packaging's own membership test ----------------

_VERSIONS = [
    Version(v)
    for v in (
        "0.9", "1.0", "1.5.3", "2", "2.0.0rc1", "2.6", "2.7.0", "2.14.2", "2.15.0rc1", "2.99.99",
        "3.0.0.dev0", "3.0.0a1", "3.0.0rc2", "3", "3.0.0.post1", "3.0.1", "3.1", "3.2.0", "4.0", "10.1",
    )
]
_CLAUSES = [
    "", "==2.7.0", "==3.0.0", "==2.*", "==3.*", "!=3.*", "~=2.6", "~=2.14.1", "~=3.0", "<3", "<3.0.0", "<3.0.1",
    "<3.0.0rc1", "<=2.14.2", "<=3", "<=3.0.0a1", ">=2.6", ">=3", ">=3.0.0a1", ">2.99", ">3", "!=2.7.0", "===2.7.0", "<2.99.99",
]


@pytest.mark.parametrize("pair", list(itertools.combinations_with_replacement(_CLAUSES, 2)), ids=str)
def test_verdict_agrees_with_packaging(pair: tuple[str, str]) -> None:
    """BELOW only if packaging admits no 3+ version of the grid; AT_LEAST only if it admits none below 3."""
    specifiers = SpecifierSet(",".join(clause for clause in pair if clause))
    admitted = [version for version in _VERSIONS if specifiers.contains(version, prereleases=True)]
    verdict = pins.verdict_of(specifiers, 3)
    if verdict is pins.Verdict.BELOW:
        assert all(version.release[0] < 3 for version in admitted)
    elif verdict is pins.Verdict.AT_LEAST:
        assert all(version.release[0] >= 3 for version in admitted)
    elif admitted:  # EITHER: packaging admits versions on both sides, or the bounds are the subtle ones
        sides = {version.release[0] >= 3 for version in admitted}
        assert sides == {True, False} or any(c.startswith(("<3.0.0rc1", "<=3.0.0a1", "<=3", "<3.0.1")) for c in pair), admitted


_FLASK_VERSIONS = [
    Version(v)
    for v in ("0.12.5", "1.1.4", "2.0", "2.2.0rc1", "2.2.5", "2.2.99", "2.3.0.dev0", "2.3.0rc1", "2.3", "2.3.3", "3.0.2", "3.1")
]
_FLASK_CLAUSES = [
    "", "==2.2.5", "==2.3.3", "==2.2.*", "==2.*", "==3.*", "~=2.2", "~=2.2.0", "~=2.3", "~=3.0", "<2.3", "<2.3.0",
    "<2.3.0rc1", "<3", "<=2.2.5", "<=2.3", ">=2.3", ">=2.2", ">2.2.99", ">=3.0", "==1.1.4", "!=2.3.*", "===2.2.5",
]


@pytest.mark.parametrize("pair", list(itertools.combinations_with_replacement(_FLASK_CLAUSES, 2)), ids=str)
def test_a_release_bound_agrees_with_packaging(pair: tuple[str, str]) -> None:
    """The same against a release bound (Flask 2.3 removed FLASK_ENV): BELOW admits nothing at 2.3 or above."""
    specifiers = SpecifierSet(",".join(clause for clause in pair if clause))
    admitted = [version for version in _FLASK_VERSIONS if specifiers.contains(version, prereleases=True)]
    verdict = pins.verdict_of(specifiers, "2.3")
    if verdict is pins.Verdict.BELOW:
        assert all(version.release[:2] < (2, 3) for version in admitted), admitted
    elif verdict is pins.Verdict.AT_LEAST:
        assert all(version.release[:2] >= (2, 3) for version in admitted), admitted
    assert pins.verdict_of(SpecifierSet("==2.2.5"), "2.3") is pins.Verdict.BELOW
    assert pins.verdict_of(SpecifierSet(">=2.3,<4"), "2.3") is pins.Verdict.AT_LEAST
    assert pins.verdict_of(SpecifierSet("~=2.2.0"), "2.3") is pins.Verdict.BELOW
