'''FDS100 dev-server-at-import: a development server that starts when the module is imported.

## What it does
Flags a call that starts Flask's (or Werkzeug's, Quart's, Dash's, Flask-SocketIO's)
development server at module level, or inside a module-level `if`/`try`/`with`/loop
that is not an `if __name__ == "__main__":` guard.

## Why is this bad?
The call runs whenever the module is imported. `gunicorn 'app:app'` imports the
module to find the app, so it starts Werkzeug's single-process development server
instead (and blocks before gunicorn ever serves). Tests, shells and tools that import
the module start a server too. Flask's docs: "Do not use `run()` in a production
setting."

## Example
```python
from flask import Flask

app = Flask(__name__)
app.run(host="0.0.0.0")
```

## Use instead
```python
from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run()
```
and serve production with `gunicorn 'app:app'`; run development with
`flask --app app run --debug`.

## Fix safety
Safe: the fix wraps the statement in `if __name__ == "__main__":`. Running the file as
a script behaves as before; importing it no longer starts a server.

## Options
`app-classes`, `app-factories` and `server-launchers` teach the linter a project's own
apps and launchers.

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run
'''

from __future__ import annotations

from typing import Iterator

from .. import suggest
from ..analysis import Analysis
from ..apps import Context
from ._base import Report

CODE = "FDS100"
NAME = "dev-server-at-import"
SUMMARY = "development server starts at import time"
DOCS = __doc__ or ""


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        if start.site.context is Context.IMPORT:
            advice = suggest.for_start(analysis, start).advice()
            yield Report(
                start.call,
                f"{start.server} development server starts at import time, so gunicorn and every "
                f"importer start it too; {advice}",
            )
