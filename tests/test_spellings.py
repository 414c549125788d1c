"""Odd but valid spellings of findings: every shortcut (text gate, ast checks, slices) agrees with none.

Each case is a small module with a finding written in some unusual way; the
engine with its shortcuts must report exactly what it reports with all of them
off (no gate, every fact assumed, whole modules parsed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_flask_devserver import _cst, apps, engine, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS

HEAD = "import os\nfrom flask import Flask\napp = Flask(__name__)\n"

SPELLINGS = [
    # server starts
    "app.run(debug=True)",
    "app .run (debug = True)",
    "app.\\\n    run(host='0.0.0.0')",
    "(app\n .run)(debug=True)",
    "(app).run(  # comment\n    debug=True)",
    "app.run(**{'debug': True})",
    "app.run(**dict(host='0.0.0.0'))",
    "app.run('0.0.0.0', 5000, True)",
    "if __name__ == '__main__': app.run(debug=True)",
    "if __name__ != '__main__':\n    pass\nelse:\n    app.run(debug=True)",
    "def main():\n    app.run(debug=True)",
    "server = lambda: app.run(debug=True)",
    "application = app\napplication.run(debug='1')",
    "a = b = app\nb.run(allow_unsafe_werkzeug=True)",
    "class Runner:\n    def __init__(self):\n        self.app = app\n    def go(self):\n        self.app.run(debug=True)",
    "def serve(web: Flask):\n    web.run(host='')",
    "from werkzeug.serving import run_simple as rs\nrs('0.0.0.0', 5000, app, use_debugger=True)",
    "import werkzeug.serving as ws\nws.run_simple('', 1, app, use_evalex=True)",
    "from werkzeug import serving\nsrv = serving.make_server('0.0.0.0', 8000, app)",
    "from werkzeug.debug import DebuggedApplication\nwrapped = DebuggedApplication(app, evalex=True)",
    "from werkzeug.debug import DebuggedApplication as DA\nwrapped = DA(app, True)",
    # debug switches
    "app.debug = True",
    "app.debug: bool = 1",
    "app.debug, other = True, 2",
    "[app.debug] = [True]",
    "app.debug = os.environ.get('DEBUG')",
    "app.config['DEBUG'] = True",
    'app.config["DEBUG"] = 10',
    "app.config[ 'DEBUG' ] = 'yes'",
    'app.config["DEBUG",] = True',
    "app.config[('DEBUG')] = True",
    pytest.param(
        "app.config['DE' 'BUG'] = True",
        marks=pytest.mark.xfail(strict=True, reason="documented: the gate reads keys as written in the text"),
    ),
    "app.config.update(DEBUG=True)",
    "app.config.update({'DEBUG': True})",
    "app.config.update(\n    DEBUG=True,\n)",
    "app.config.from_mapping(**{'DEBUG': 'true'})",
    "app.config.setdefault('DEBUG', True)",
    "cfg = app.config\ncfg['DEBUG'] = True",
    "os.environ['FLASK_DEBUG'] = '1'",
    "os.environ['FLASK_ENV'] = 'development'",
    "os.environ.update(FLASK_DEBUG='1')",
    "os.environ.setdefault('FLASK_DEBUG', 'yes')",
    "os.putenv('FLASK_DEBUG', '1')",
    "env = os.environ\nenv['FLASK_DEBUG'] = 'true'",
    # config classes
    "class Config:\n    DEBUG = True",
    "class Config: DEBUG = True",
    "class BaseConfiguration:\n    X = DEBUG = True",
    "class Config:\n    DEBUG: bool = True",
    "class Config:\n    DEBUG = 'false'",
    "class Config:\n    DEBUG = os.environ.get('DEBUG')",
    "class Base(object):\n    pass\nclass BaseConfig(Base):\n    pass\nclass Mid(BaseConfig):\n    pass\nclass Prod(Mid):\n    DEBUG = True",
    "def make():\n    class ProdConfig:\n        DEBUG = True\n    return ProdConfig",
    # things that are not findings, spelled to look like them
    "subprocess.run(['ls'])",
    "app.config['DEBUG']",
    "print(app.debug)",
    "LEVELS = {'DEBUG': 10}",
    "class DevelopmentConfig:\n    DEBUG = True",
    "class Config:\n    DEBUG = 10",
    "app.config['DEBUG'] = False",
    "app = object()\napp.run(debug=True)",
]


def _all(source: str, path: Path, shortcuts: bool) -> list[tuple[int, int, str, str]]:
    apps.clear_caches()
    slices.ENABLED = shortcuts
    try:
        if shortcuts:
            found = engine.check_source(source, path)
        else:
            found = _cst.analyse(source, engine.location(path), DEFAULT_SETTINGS, None)
    finally:
        slices.ENABLED = True
        apps.clear_caches()
    return [(f.line, f.col, f.code, f.message) for f in found]


@pytest.mark.parametrize("body", SPELLINGS)
@pytest.mark.parametrize("padding", [0, 30], ids=["short", "padded"])
def test_same_with_and_without_shortcuts(body: str, padding: int, tmp_path: Path) -> None:
    filler = "".join(f"\n\ndef view_{i}():\n    return str({i})\n" for i in range(padding))
    source = HEAD + filler + "\n\n" + body + "\n"
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert _all(source, path, shortcuts=True) == _all(source, path, shortcuts=False)


CONFIGURED = [
    "from shopkit.devtools import serve\nserve(app, '0.0.0.0', 8000, True)",
    "from shopkit import devtools\ndevtools.serve(app, host='0.0.0.0')",
    "from shopkit.devtools import serve as go\ngo(app, '0.0.0.0')",
    "from shopkit.core import ShopFlask\nweb = ShopFlask(__name__)\nweb.run(debug=True)",
    "import shopkit.factory\nadmin = shopkit.factory.build()\nadmin.config['DEBUG'] = True",
    # (a configured app class imported: the evidence FDS204 needs that these configure a Flask app)
    "from shopkit.core import ShopFlask\n\n\nclass LocalConfig:\n    DEBUG = True",
    "from shopkit.core import ShopFlask\n\n\nclass StagingConfig:\n    DEBUG = True",
]


@pytest.mark.parametrize("body", CONFIGURED)
def test_configured_names(body: str, tmp_path: Path) -> None:
    from flake8_flask_devserver.model import Launcher, Settings

    settings = Settings(
        app_classes=("shopkit.core.ShopFlask",),
        app_factories=("shopkit.factory.build",),
        server_launchers=(Launcher("shopkit.devtools.serve", host=1, debug=3),),
        dev_config_classes=("Staging",),
    )
    source = "import os\n\n" + body + "\n"
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    apps.clear_caches()
    fast = engine.check_source(source, path, settings)
    slices.ENABLED = False
    try:
        apps.clear_caches()
        full = _cst.analyse(source, engine.location(path), settings, None)
    finally:
        slices.ENABLED = True
        apps.clear_caches()
    assert fast == full
    assert full or "Staging" in body


#: A first-party settings module: constants, a class, a factory returning two values.
SETTINGS = (
    "import os\nfrom flask import Flask\nfrom flask_socketio import SocketIO\n"
    + "".join(f"\n\ndef helper_{i}():\n    return {i}\n" for i in range(20))
    + "\n\nHOST = os.environ.get('HOST') or '0.0.0.0'\nDEBUG = not False\nQUIET = DEBUG and False\n"
    + "OPTIONS = {'debug': True, 'host': HOST}\n"
    + "class Config:\n    DEBUG = DEBUG\n\nclass Production(Config):\n    pass\n"
    + "def create_app():\n    app = Flask(__name__)\n    socketio = SocketIO(app)\n    return app, socketio\n"
)

ACROSS = [
    "from settings import HOST\napp.run(host=HOST)",
    "import settings\napp.run(host=settings.HOST, debug=settings.DEBUG)",
    "from settings import Production\napp.run(debug=Production.DEBUG)",
    "from settings import OPTIONS\napp.run(**OPTIONS)",
    "from settings import create_app\nweb, io = create_app()\nio.run(web, host='0.0.0.0')",
    "import settings\nclass Local(settings.Config):\n    pass\napp.config['DEBUG'] = Local.DEBUG",
    "from settings import QUIET\napp.run(debug=QUIET)",
]


@pytest.mark.parametrize("body", ACROSS)
def test_across_modules(body: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "settings.py").write_text(SETTINGS)
    source = HEAD + "\n" + body + "\n"
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    fast, full = _all(source, path, shortcuts=True), _all(source, path, shortcuts=False)
    assert fast == full
    assert full or "QUIET" in body or "Local" in body  # (a base class read through a module: not followed)


def test_main_module_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = HEAD + "".join(f"\n\ndef view_{i}():\n    return {i}\n" for i in range(20)) + "\napp.run(debug=True)\n"
    path = package / "__main__.py"
    path.write_text(source)
    fast, full = _all(source, path, shortcuts=True), _all(source, path, shortcuts=False)
    assert fast == full and {f[2] for f in full} == {"FDS101", "FDS200"}
