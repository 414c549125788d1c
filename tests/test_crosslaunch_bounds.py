"""Another module's ``__main__`` guard (crosslaunch.py): a function that nothing the guard can run
names is answered without parsing any module (issue 16); one that something names is still found.
Each case compares with the audit mode (whole modules, every call resolved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import apps, firstparty, slices
from flake8_flask_devserver.engine import check_source


#: Each test starts and ends with empty caches and slices on (conftest.fresh_caches).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def _both_ways(path: Path) -> tuple[list[str], list[str]]:
    fast = [f"{f.line}:{f.code}" for f in check_source(path.read_text(), path)]
    apps.clear_caches()
    slices.ENABLED = False
    try:
        full = [f"{f.line}:{f.code}" for f in check_source(path.read_text(), path)]
    finally:
        slices.ENABLED = True
    return fast, full


SERVER = (
    "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    "def helper():\n    return 1\n\n\n"
    "def main():\n    helper()\n\n\n"
    "def serve():\n    app.run(host='0.0.0.0')\n"  # line 16
)


def _project(tmp_path: Path, server: str, launcher: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "server.py").write_text(server)
    (tmp_path / "run.py").write_text(launcher)
    return tmp_path / "server.py"


def test_a_function_nothing_names_is_answered_without_parsing(tmp_path: Path) -> None:
    # run.py's guard runs server.main(); nothing anywhere names serve(): FDS102, and server.py is never
    # parsed for the question (before, the walk parsed main() and all it depends on).
    path = _project(tmp_path, SERVER, "from server import main\n\nif __name__ == '__main__':\n    main()\n")
    fast, full = _both_ways(path)
    assert fast == full == ["16:FDS102", "16:FDS300"], fast
    apps.clear_caches()
    check_source(path.read_text(), path)
    assert firstparty.parses(path) == 0


@pytest.mark.parametrize(
    ("server", "launcher"),
    [
        # main() calls serve() in the module
        (SERVER.replace("    helper()\n", "    serve()\n"), "from server import main\n\nif __name__ == '__main__':\n    main()\n"),
        # a thread target in the module
        (
            SERVER.replace("    helper()\n", "    import threading\n    threading.Thread(target=serve).start()\n"),
            "from server import main\n\nif __name__ == '__main__':\n    main()\n",
        ),
        # the launcher calls it as an attribute of the module
        (SERVER, "import server\n\nif __name__ == '__main__':\n    server.serve()\n"),
        # a re-export on the way
        (SERVER, "from relay import go\n\nif __name__ == '__main__':\n    go()\n"),
        # a click group's command, the group called by main()
        (
            SERVER.replace("    helper()\n", "    cli()\n")
            .replace("def main():", "@click.group()\ndef cli():\n    pass\n\n\ndef main():")
            .replace("def serve():", "@cli.command()\ndef serve():"),
            "from server import main\n\nif __name__ == '__main__':\n    main()\n",
        ),
    ],
)
def test_a_function_something_names_is_still_reached(tmp_path: Path, server: str, launcher: str) -> None:
    path = _project(tmp_path, server, launcher)
    (tmp_path / "relay.py").write_text("from server import serve as go\n")
    fast, full = _both_ways(path)
    assert fast == full and any(f.endswith("FDS101") for f in fast), fast


def test_a_name_written_in_other_unicode_letters_still_counts(tmp_path: Path) -> None:
    # Python reads ``ｓｅｒｖｅ`` (full-width) as ``serve`` (NFKC, PEP 3131).
    path = _project(tmp_path, SERVER, "import server\n\nif __name__ == '__main__':\n    server.\uff53\uff45\uff52\uff56\uff45()\n")
    fast, full = _both_ways(path)
    assert fast == full and any(f.endswith("FDS101") for f in fast), fast


BOT = (
    "import threading\n\nfrom pinger import keep_alive\n\n"
    + "".join(f"def handler_{index}(message):\n    return message.upper() + '{index}'\n\n\n" for index in range(30))
    + "def boot():\n    keep_alive()\n\n\ndef start():\n    boot()\n\n\n"
    "if __name__ == '__main__':\n    start()\n"
)
PINGER = (
    "from threading import Thread\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    + "".join(f"def unrelated_{index}():\n    return {index}\n\n\n" for index in range(20))
    + "def run():\n    app.run(host='0.0.0.0')\n\n\ndef keep_alive():\n    Thread(target=run).start()\n"
)


def test_a_launcher_is_read_as_far_as_its_guard_reaches(tmp_path: Path) -> None:
    # bot.py's guard runs start() -> boot() -> pinger.keep_alive() -> Thread(target=run): FDS101,
    # with bot.py's 30 handlers and pinger.py's 20 unrelated functions never parsed.
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "bot.py").write_text(BOT)
    path = tmp_path / "pinger.py"
    path.write_text(PINGER)
    fast, full = _both_ways(path)
    assert fast == full and any(f.endswith("FDS101") for f in fast), fast
    apps.clear_caches()
    check_source(path.read_text(), path)
    assert firstparty.parses(tmp_path / "bot.py") <= 6  # the guard, start(), boot() and the import
    assert firstparty.parses(path) <= 6  # keep_alive(), run(), app and the imports they name


def test_commands_registered_on_a_dispatcher_the_guard_runs_are_read(tmp_path: Path) -> None:
    # the command is registered in a statement the guard's own names never mention
    (tmp_path / "pyproject.toml").write_text("")
    path = tmp_path / "manage.py"
    path.write_text(
        "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@click.group()\ndef cli():\n    pass\n\n\n"
        "def serve():\n    app.run(host='0.0.0.0')\n\n\ncli.add_command(serve)\n\n\n"
        "def main():\n    cli()\n"
    )
    (tmp_path / "run.py").write_text("from manage import main\n\nif __name__ == '__main__':\n    main()\n")
    fast, full = _both_ways(path)
    assert fast == full and any(f.endswith("FDS101") for f in fast), fast
