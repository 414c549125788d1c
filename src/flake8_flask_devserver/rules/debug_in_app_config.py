'''FDS201 debug-in-app-config: debug switched on in app configuration or the environment.

## What it does
Flags code that turns Flask's debug mode on outside the command line:
`app.debug = True`, `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`
(also `update({"DEBUG": True})`, `update(dict(DEBUG=True))`, `from_mapping(DEBUG=True)`,
`setdefault("DEBUG", True)`), and `os.environ["FLASK_DEBUG"] = "1"` (or `setdefault`,
`update`, `os.putenv`, with any value Flask reads as true) or
`os.environ["FLASK_ENV"] = "development"` (Flask < 2.3).

## Why is this bad?
Debug mode set in code travels with the code: the next `app.run()` anywhere (or
Flask-SocketIO, Dash) starts Werkzeug's interactive debugger, which lets anyone who
reaches an error page run code on the server, and tracebacks leak source and secrets.

## Example
```python
app = Flask(__name__)
app.config["DEBUG"] = True
```

## Use instead
Leave `DEBUG` unset in code and switch it on per environment, in development only:
`flask --app app run --debug` (or `FLASK_DEBUG=1`).

## Fix safety
Unsafe: the fix deletes the statement (or the `DEBUG=True` item of an
`update`/`from_mapping` call), which changes behaviour for anyone relying on it.

## Options
None.

## References
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
- https://flask.palletsprojects.com/en/stable/debugging/
'''

from __future__ import annotations

from typing import Iterator

from .. import suggest
from ..analysis import Analysis, Truth
from ._base import Report

CODE = "FDS201"
NAME = "debug-in-app-config"
SUMMARY = "debug switched on in app configuration or the environment"
DOCS = __doc__ or ""


def check(analysis: Analysis) -> Iterator[Report]:
    for switch in analysis.debug_switches:
        if switch.truth is not Truth.TRUE:
            continue
        dev = suggest.for_module(analysis).dev or "FLASK_DEBUG=1 in development only"
        if switch.what.startswith("FLASK_"):
            what = f"{switch.what} set in the environment by code"
        else:
            what = f"debug switched on in app configuration ({switch.what})"
        yield Report(
            switch.anchor, f"{what} enables Werkzeug's debugger wherever the app runs; in development only: {dev}"
        )
