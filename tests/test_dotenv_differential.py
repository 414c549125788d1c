"""env files read as Flask reads them: our values equal python-dotenv's ``dotenv_values`` (issue 14, item 4).

Generated files built from the pieces python-dotenv's grammar turns on (quotes,
escapes, ``export``, comments, ``${VAR:-default}``, every line end, malformed lines)
are read by the real python-dotenv, with an empty environment, and by
``deploy.envfile``; the keys, their order and their values must be equal, and each
key's position must point at the key in the file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flake8_flask_devserver.deploy import envfile
from flake8_flask_devserver.deploy.text import SourceText, normalise_newlines

dotenv = pytest.importorskip("dotenv")

_EXAMPLES = int(os.environ.get("FDS_FUZZ_EXAMPLES", "400"))

PIECES = st.sampled_from(
    [
        "FLASK_DEBUG", "A", "B_1", "export", "export ", " ", "  ", "\t", "\x0b", "=", "= ", "#", " #", "# c",
        "'", '"', "\\", "\\'", '\\"', "\\n", "\\t", "\\\\", "\n", "\r\n", "\r", "${", "}", ":-", "$", "${A}",
        "${A:-1}", "${FLASK_DEBUG:-0}", "${:-x}", "1", "0", "on", "x y", "é", "\u00a0", "'v'", '"v"',
    ]
)
LINES = st.lists(PIECES, max_size=8).map("".join)
FILES = st.lists(LINES, max_size=10).map(lambda lines: "\n".join(lines))


def _ours(text: str) -> tuple[list[tuple[str, str | None]], SourceText, dict[str, envfile.Binding]]:
    source = SourceText(normalise_newlines(text[1:] if text.startswith("\ufeff") else text), ".env")
    found = envfile.values(source)
    return [(key, binding.value) for key, binding in found.items()], source, found


def _theirs(path: Path) -> list[tuple[str, str | None]]:
    with mock.patch.dict(os.environ, clear=True):
        return list(dotenv.dotenv_values(path, interpolate=True).items())


@pytest.fixture(autouse=True)
def _quiet_dotenv() -> None:
    logging.getLogger("dotenv.main").setLevel(logging.ERROR)  # "could not parse statement" warnings


@settings(max_examples=_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=FILES)
@example(text='A=1\nB="x\\ny"\nC=\'a\\\'b\'\nD=${A:-z}${Q:-d}${B}\nexport E = hi # c\nF= #c\nG=#x\nH\nA B=1\n')
@example(text="'K'=v\nL=\"unterminated\nM=2\nX=a\r\nY=\"b\r\nc\"\rZ=${X}\nN=${:-x}${N:-}${X\n")
@example(text="FLASK_DEBUG=${DEBUG:-0}\n")
def test_values_equal_python_dotenv(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("env") / ".env"
    path.write_text(text, encoding="utf-8", newline="")
    ours, source, found = _ours(text)
    assert ours == _theirs(path)
    for key, binding in found.items():  # the position is the key's own
        start = binding.name.start
        written = source.text[start : start + len(key)]
        assert written == key or (source.text[start - 1] == "'" and key.startswith(written.split("\n")[0]))


def test_interpolation_default_when_unset() -> None:
    _, _, found = _ours("FLASK_DEBUG=${DEBUG:-0}\nFLASK_ENV=${MODE:-development}\n")
    assert found["FLASK_DEBUG"].value == "0" and found["FLASK_ENV"].value == "development"
