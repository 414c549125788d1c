"""The hostile corpus (issue 12's inputs that flake8 itself reads) and one very large generated module."""

from __future__ import annotations

import random
from pathlib import Path

from .generated_package import ENTITIES

# --------------------------------------------------------------------------- the hostile corpus (issue 12)

BANNER = "#" * 79


def hostile(dest: Path, scale: float = 1.0) -> list[Path]:
    """Write issue 12's inputs that flake8 itself reads under ``dest``; return the .py files.

    Left out: inputs that stop or hang flake8 with or without the plugin (a FIFO or a
    link to /dev/zero named ``x.py``, a ``# coding: rot13`` cookie, which flake8 itself
    dies on with a LookupError traceback), and configuration inputs
    (pyproject.toml nested 600 deep, huge or a FIFO), which belong to the settings'
    own reliability figures.
    """
    flask = "from flask import Flask\n\napp = Flask(__name__)\n"
    files: dict[str, str | bytes] = {
        "banners.py": (
            f"{BANNER}\n# DEBUG\n{BANNER}\nDEBUG = False\n\n"
            + flask
            + f"from threading import Thread\n\nserver = Thread(target=app.run)\n# server.start()\n{BANNER}\n"
            + "".join(f"# {tail}\n{BANNER}\n" for tail in ("app.run", "app.debug", "FLASK_ENV", "config['DEBUG'])"))
        ),
        "comments_between.py": (
            flask
            + "\n\nclass ProductionConfig:\n    # Turn this off before release.\n    DEBUG = True\n\n\n"
            + 'app.config.from_mapping(\n    SECRET_KEY="x",  # rotate it.\n    DEBUG=True,\n)\n'
            + 'import os\nos.environ.setdefault(  # local only\n    "FLASK_DEBUG", "1")\n'
        ),
        "fullwidth.py": "from \uff46\uff4c\uff41\uff53\uff4b import Flask\n\napp = Flask(__name__)\n"
        "app.\uff52\uff55\uff4e(\uff44\uff45\uff42\uff55\uff47=True)\n",
        "deep_and.py": flask + "x = " + " and ".join(["y"] * 10_000) + "\napp.run()\n",
        "deep_lambda.py": flask + "f = " + "lambda: " * 600 + "0\napp.run(debug=True)\n",
        "cr_only.py": flask.replace("\n", "\r") + "app.run(host='0.0.0.0')\r",
        "nul_byte.py": flask + "x = 1\0\napp.run()\n",
        "data/__init__.py": "",
        "data/table.py": "".join(f"ROW_{i} = {{'id': {i}, 'name': 'row {i}', 'tags': ['a', 'b']}}\n" for i in range(int(36_000 * scale))),
        "data/view.py": "from flask import Flask\nfrom .table import ROW_1\n\napp = Flask(__name__)\napp.run()\n",
    }
    chain = max(3, int(330 * scale))
    files["chain/__init__.py"] = ""
    for index in range(chain):
        files[f"chain/m{index}.py"] = f"from .m{index + 1} import app\n" if index < chain - 1 else flask
    files["chain/main.py"] = "from .m0 import app\napp.run(debug=True)\n"
    written = []
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
        if path.suffix == ".py":
            written.append(path)
    return sorted(written)


def big_module(lines: int, seed: int = 11) -> str:
    """One Flask module of about ``lines`` lines: an app, many routes and helpers, a launcher at the end."""
    rng = random.Random(seed)
    out = [
        '"""A very large Flask module (generated)."""\n',
        "import os\n\nfrom flask import Flask, abort, jsonify, request\n\n",
        'app = Flask(__name__)\napp.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")\n\n',
    ]
    count = sum(text.count("\n") for text in out)
    index = 0
    while count < lines - 4:
        entity = rng.choice(ENTITIES)
        block = (
            f"\n\n@app.route(\"/{entity}/{index}\", methods=[\"GET\", \"POST\"])\n"
            f"def {entity}_{index}():\n"
            f"    data = request.get_json(silent=True) or {{}}\n"
            f"    if request.method == \"POST\" and not data.get(\"name\"):\n"
            f"        abort(400)\n"
            f"    result = helper_{index % 50}(data, {index})\n"
            f"    app.logger.debug(\"{entity} %s\", result)\n"
            f"    return jsonify(result)\n"
        )
        if index < 50:
            block += (
                f"\n\ndef helper_{index}(data, number):\n"
                f"    total = sum(len(str(value)) for value in data.values())\n"
                f"    return {{\"number\": number, \"total\": total, \"keys\": sorted(data)}}\n"
            )
        out.append(block)
        count += block.count("\n")
        index += 1
    out.append('\n\nif __name__ == "__main__":\n    app.run(debug=True)\n')
    return "".join(out)
