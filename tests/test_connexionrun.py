"""connexion's own run(): a start of Flask's development server only where connexion 2 is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import project
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS


@pytest.fixture(autouse=True)
def _fresh() -> None:
    project.clear_caches()


def findings(tmp_path: Path, source: str, requirements: str | None) -> list[tuple[int, str, str]]:
    (tmp_path / "setup.cfg").touch()
    if requirements is not None:
        (tmp_path / "requirements.txt").write_text(requirements, encoding="utf-8")
    path = tmp_path / "service.py"
    path.write_text(source, encoding="utf-8")
    return sorted((f.line, f.code, f.message) for f in check_source(source, path, DEFAULT_SETTINGS))


HEAD = "import connexion\n\napp = connexion.App(__name__)\n\nif __name__ == '__main__':\n"


def test_pinned_messages_name_the_server_the_default_bind_and_gunicorn(tmp_path: Path) -> None:
    found = findings(tmp_path, HEAD + "    app.run(port=8080)\n", "connexion==2.14.2\n")
    assert [(line, code) for line, code, _ in found] == [(6, "FDS101"), (6, "FDS300")]
    assert found[0][2].startswith("Flask (connexion 2) development server started by the __main__ launcher")
    assert "in production: gunicorn 'service:app'" in found[0][2]
    assert "connexion 2's default when neither run() nor the app is given a host" in found[1][2]
    assert 'pass host="127.0.0.1"' in found[1][2]


@pytest.mark.parametrize(
    ("call", "requirements", "codes"),
    [
        ("app.run(port=8080)", "connexion>=3\n", []),
        ("app.run(port=8080)", "connexion>=2.6\n", []),
        ("app.run(port=8080)", None, []),
        ("app.run(threaded=True)", None, ["FDS101", "FDS300"]),
        ("app.run(8080)", None, ["FDS101", "FDS300"]),  # connexion 3 would take 8080 as an import string
        ("app.run(port=8080, use_reloader=False, host='127.0.0.1')", "connexion\n", ["FDS101"]),
        ("app.run(threaded=True)", "connexion==3.0.0\n", []),  # the pin wins: connexion 3 rejects it
        ("app.run('service:app', reload=True)", "connexion<3\n", []),  # written for connexion 3
        ("app.run(port=8080, log_level='info')", "connexion<3\n", []),
        ("app.run(port=8080, server='tornado')", "connexion<3\n", []),
        ("app.run(port=8080, server='flask')", None, ["FDS101", "FDS300"]),
        ("app.run(port=8080, server=SERVER)", "connexion<3\n", []),  # not known which
        ("app.run(host='', debug=None)", "connexion<3\n", ["FDS101", "FDS300"]),  # falls back to 0.0.0.0
        ("app.run(debug=True, host='localhost')", "connexion<3\n", ["FDS101", "FDS200"]),
    ],
)
def test_signals(tmp_path: Path, call: str, requirements: str | None, codes: list[str]) -> None:
    assert [code for _, code, _ in findings(tmp_path, HEAD + f"    {call}\n", requirements)] == codes


@pytest.mark.parametrize(
    ("init", "codes"),
    [
        ("connexion.App(__name__, 'gevent')", []),
        ("connexion.App(__name__, server='tornado')", []),
        ("connexion.App(__name__, host='127.0.0.1')", ["FDS101"]),
        ("connexion.FlaskApp(__name__, debug=True)", ["FDS200", "FDS101", "FDS300"]),  # constructor options: connexion 2
        ("connexion.FlaskApp(__name__, specification_dir='spec')", []),
    ],
)
def test_constructor(tmp_path: Path, init: str, codes: list[str]) -> None:
    source = f"import connexion\n\napp = {init}\n\nif __name__ == '__main__':\n    app.run(port=8080)\n"
    assert [code for _, code, _ in findings(tmp_path, source, "connexion\n" if "gevent" not in init else "connexion<3\n")] == codes


def test_without_a_path_only_the_call_decides() -> None:
    assert check_source(HEAD + "    app.run(port=8080)\n", None, DEFAULT_SETTINGS) == []
    codes = {f.code for f in check_source(HEAD + "    app.run(processes=2)\n", None, DEFAULT_SETTINGS)}
    assert codes == {"FDS101", "FDS300"}
