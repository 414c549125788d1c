'''FDS103 allow-unsafe-werkzeug: `allow_unsafe_werkzeug=True` opts in to the development server in production.

## What it does
Flags `allow_unsafe_werkzeug=True` (any truthy value) on a development-server start,
typically `socketio.run(app, allow_unsafe_werkzeug=True)`.

## Why is this bad?
Flask-SocketIO refuses to run Werkzeug's development server when it detects a
production-like environment (no terminal). The keyword exists only to override that
safety check, so its presence means the development server is meant to serve real
traffic.

## Example
```python
socketio.run(app, host="0.0.0.0", allow_unsafe_werkzeug=True)
```

## Use instead
```shell
gunicorn -w 1 --threads 100 'app:app'
```

## Fix safety
No automatic fix: removing the keyword makes the program fail at start-up instead.

## Options
None.

## References
- https://flask-socketio.readthedocs.io/en/latest/deployment.html
'''

from __future__ import annotations

from typing import Iterator

from .. import suggest
from ..analysis import Analysis, Truth
from ._base import Report

CODE = "FDS103"
NAME = "allow-unsafe-werkzeug"
SUMMARY = "allow_unsafe_werkzeug=True opts in to the development server in production"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        arg = start.args.get("allow_unsafe_werkzeug")
        if arg is None:
            continue
        truth = analysis.truth(arg.value, start.site.scope, start.site.seq)
        if truth in (Truth.TRUE, Truth.RAW_ENV, Truth.RAW_LITERAL):
            prod = suggest.for_start(analysis, start).prod
            yield Report(
                arg.anchor,
                f"allow_unsafe_werkzeug=True runs Werkzeug's development server in production; in production: {prod}",
            )
