"""The __main__ launcher reaching a start through the module's own functions (issue 13 item 2), through real flake8."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_flake8

SOURCE = '''import sys

from flask import Flask

app = Flask(__name__)


def serve():
    app.run(debug=True)


def main():
    serve()
    return 0


def library_entry():
    app.run()


if __name__ == "__main__":
    sys.exit(main())
'''


def test_message_names_the_path(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "launch.py").write_text(SOURCE)
    result = run_flake8("--select=FDS101,FDS102", "--format=%(row)d %(code)s %(text)s", "launch.py", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert [line.split(";")[0] for line in lines] == [
        "9 FDS101 Flask development server started by the __main__ launcher through main() -> serve()",
        "18 FDS102 Flask development server started in function 'library_entry()'",
    ], result.stderr
