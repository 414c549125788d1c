"""Work bounds on library-shaped code (issue 16): calls that cannot reach a launcher are not resolved,
and a module that defines ``run_simple``/``make_server`` itself has no launcher fact. Findings stay
those of the audit mode (every call resolved, whole modules): each test compares both."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import apps, firstparty, slices
from flake8_flask_devserver.engine import check_source, planned
from flake8_flask_devserver.model import DEFAULT_SETTINGS


#: Each test starts and ends with empty caches and slices on (conftest.fresh_caches).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def _both_ways(path: Path) -> tuple[list[str], list[str]]:
    """Findings with every shortcut, then in the audit mode (caches cleared in between)."""
    fast = [str(f) for f in check_source(path.read_text(), path)]
    apps.clear_caches()
    slices.ENABLED = False
    try:
        full = [str(f) for f in check_source(path.read_text(), path)]
    finally:
        slices.ENABLED = True
    return fast, full


def _project(tmp_path: Path, main: str) -> tuple[Path, Path]:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    helpers = package / "helpers.py"
    helpers.write_text("from flask import current_app\n\n\ndef banner(text):\n    current_app.logger.info(text)\n    return text\n")
    path = package / "serve.py"
    path.write_text(main)
    return path, helpers


def test_calls_of_other_first_party_names_are_not_resolved(tmp_path: Path) -> None:
    path, helpers = _project(
        tmp_path,
        "from flask import Flask\nfrom werkzeug.serving import run_simple\n\nfrom .helpers import banner\n\n"
        "app = Flask(__name__)\n\n\ndef main():\n    banner('starting')\n    run_simple('0.0.0.0', 5000, app, use_debugger=True)\n",
    )
    fast, full = _both_ways(path)
    assert fast == full and any("FDS102" in f for f in fast), fast
    apps.clear_caches()
    check_source(path.read_text(), path)
    assert firstparty.parses(helpers) == 0  # banner() cannot be a launcher: helpers.py is never parsed
    apps.clear_caches()
    slices.ENABLED = False
    check_source(path.read_text(), path)
    assert firstparty.parses(helpers) > 0  # the audit mode resolves every call


def test_a_launcher_imported_under_another_name_is_still_resolved(tmp_path: Path) -> None:
    path, _ = _project(
        tmp_path,
        "from flask import Flask\nfrom werkzeug.serving import run_simple as serve\n\n"
        "app = Flask(__name__)\n\n\ndef main():\n    serve('0.0.0.0', 5000, app)\n",
    )
    fast, full = _both_ways(path)
    assert fast == full and any("FDS102" in f for f in fast), fast


def test_a_local_alias_of_a_launcher_is_still_resolved(tmp_path: Path) -> None:
    path, _ = _project(
        tmp_path,
        "import werkzeug.serving\nfrom flask import Flask\n\napp = Flask(__name__)\nlaunch = werkzeug.serving.run_simple\n\n"
        "if __name__ == '__main__':\n    launch('0.0.0.0', 5000, app)\n",
    )
    fast, full = _both_ways(path)
    assert fast == full and any("FDS101" in f for f in fast), fast


LIBRARY = '''"""A server library that defines its own run_simple (shaped like werkzeug.serving)."""
from flask import Flask


def make_server(host, port, app):
    return (host, port, app)


def run_simple(host, port, app):
    server = make_server(host, port, app)
    return server


class Application(Flask):
    def serve(self):
        return run_simple("127.0.0.1", 5000, self)
'''


def test_a_module_defining_run_simple_has_no_launcher_fact(tmp_path: Path) -> None:
    path, _ = _project(tmp_path, LIBRARY)
    plan = planned(path.read_text(), path, DEFAULT_SETTINGS)
    assert plan is None or not plan.facts.launchers
    fast, full = _both_ways(path)
    assert fast == full == []


@pytest.mark.parametrize(
    "extra",
    [
        "from werkzeug.serving import run_simple as _real\n",  # imported under an alias
        "import werkzeug.serving\nstart = werkzeug.serving.make_server\n",  # reached as an attribute
        "run_simple = None\n",  # rebound: resolved as before
    ],
)
def test_a_module_defining_run_simple_keeps_the_fact_when_it_also_reaches_werkzeugs(tmp_path: Path, extra: str) -> None:
    path, _ = _project(tmp_path, LIBRARY + extra)
    plan = planned(path.read_text(), path, DEFAULT_SETTINGS)
    assert plan is not None and plan.facts.launchers
    fast, full = _both_ways(path)
    assert fast == full


def _with_base(tmp_path: Path, main: str) -> tuple[Path, Path]:
    """shop/serve.py (``main``) and shop/base.py, a first-party base class with a helper method."""
    path, _ = _project(tmp_path, main)
    base = path.parent / "base.py"
    base.write_text(
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\nclass Base:\n"
        "    def __init__(self, name):\n        self.helper = log\n\n    def banner(self, text):\n        log.info(text)\n"
    )
    return path, base


ATTRIBUTE_CALLS = (
    "from flask import Flask\nfrom werkzeug.serving import run_simple\n\nfrom .base import Base\n\n"
    "app = Flask(__name__)\n\n\nclass Server(Base):\n    def start(self, other: Base):\n"
    "        self.banner('starting')\n        other.helper.info('x')\n"
    "        run_simple('0.0.0.0', 5000, app, use_debugger=True)\n"
)


def test_attribute_calls_that_cannot_be_launchers_are_not_resolved(tmp_path: Path) -> None:
    # ``self.banner(...)`` and ``other.helper.info(...)``: no launcher word, no ``self.banner = ...`` here,
    # so resolving their bases (the class's first-party base, a parameter's annotation) is skipped.
    path, base = _with_base(tmp_path, ATTRIBUTE_CALLS)
    fast, full = _both_ways(path)
    assert fast == full and any("FDS102" in f for f in fast), fast
    apps.clear_caches()
    check_source(path.read_text(), path)
    assert firstparty.parses(base) == 0
    apps.clear_caches()
    slices.ENABLED = False
    check_source(path.read_text(), path)
    assert firstparty.parses(base) > 0  # the audit mode resolves them, reading base.py


@pytest.mark.parametrize(
    "main",
    [
        # a launcher kept on self under another name, called as a method
        "from flask import Flask\nfrom werkzeug.serving import run_simple\n\napp = Flask(__name__)\n\n\n"
        "class Runner:\n    def __init__(self):\n        self.launch = run_simple\n\n"
        "    def go(self):\n        self.launch('0.0.0.0', 5000, app)\n",
        # a launcher word as the attribute: resolved whatever the base
        "import werkzeug.serving as ws\nfrom flask import Flask\n\napp = Flask(__name__)\nserving = ws\n\n\n"
        "def go():\n    serving.run_simple('0.0.0.0', 5000, app)\n",
    ],
)
def test_attribute_calls_that_can_be_launchers_are_still_resolved(tmp_path: Path, main: str) -> None:
    path, _ = _project(tmp_path, main)
    fast, full = _both_ways(path)
    assert fast == full and any("FDS102" in f for f in fast), fast


NAME_CALLS = (
    "from flask import Flask\nfrom werkzeug.serving import run_simple\n\nfrom .base import Base\nfrom .helpers import banner\n\n"
    "app = Flask(__name__)\n\n\nclass Local(Base):\n    pass\n\n\ndef make():\n    return banner('x')\n\n\n"
    "def main(hook: Base):\n    Local()\n    make()\n    hook()\n    made = banner('y')\n    made()\n"
    "    run_simple('0.0.0.0', 5000, app, use_debugger=True)\n"
)


def test_calls_of_local_definitions_parameters_and_call_results_are_not_resolved(tmp_path: Path) -> None:
    # A class, a def, a parameter or ``made = banner(...)`` is never a launcher under another name,
    # so resolving them (a first-party base class, a return value, an annotation) is skipped.
    path, base = _with_base(tmp_path, NAME_CALLS)
    helpers = path.parent / "helpers.py"
    fast, full = _both_ways(path)
    assert fast == full and any("FDS102" in f for f in fast), fast
    apps.clear_caches()
    check_source(path.read_text(), path)
    assert firstparty.parses(base) == firstparty.parses(helpers) == 0
    apps.clear_caches()
    slices.ENABLED = False
    check_source(path.read_text(), path)
    assert firstparty.parses(base) > 0 and firstparty.parses(helpers) > 0  # the audit mode resolves them


def test_a_partial_under_another_name_is_still_followed(tmp_path: Path) -> None:
    path, _ = _project(
        tmp_path,
        "import threading\nfrom functools import partial as bind\n\nfrom flask import Flask\nfrom werkzeug.serving import run_simple\n\n"
        "app = Flask(__name__)\nserve = bind(app.run, host='0.0.0.0')\nlaunch = bind(run_simple, '0.0.0.0', 5000)\n\n\n"
        "def main():\n    threading.Thread(target=serve).start()\n    launch(app)\n",
    )
    fast, full = _both_ways(path)
    assert fast == full and sum("FDS102" in f for f in fast) == 2, fast
