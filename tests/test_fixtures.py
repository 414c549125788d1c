"""Every fixture, through the engine and through real flake8: findings match the inline markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver.config import settings_for
from flake8_flask_devserver.engine import check_source

from .conftest import FIXTURES, expectations, python_fixtures

CASES = python_fixtures()


def _id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.mark.parametrize("path", CASES, ids=_id)
def test_engine(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = {(finding.line, finding.code) for finding in check_source(source, path, settings_for(path))}
    assert found == expectations(path, honour_noqa=False)


@pytest.mark.parametrize("path", CASES, ids=_id)
def test_flake8(path: Path, flake8_fixture_output: dict[Path, set[tuple[int, str]]]) -> None:
    assert flake8_fixture_output.get(path.resolve(), set()) == expectations(path, honour_noqa=True)


def test_fixtures_exist() -> None:
    assert len(CASES) > 20
    assert any(expectations(path, honour_noqa=False) for path in CASES)
    assert any(not expectations(path, honour_noqa=False) for path in CASES)
