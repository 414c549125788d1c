'''FDS100 dev-server-at-import: a development server that starts when the module is imported.

## What it does
Flags a call that starts Flask's (or Werkzeug's, Quart's, Dash's, Flask-SocketIO's)
development server at module level, or inside a module-level `if`/`try`/`with`/loop
that is not an `if __name__ == "__main__":` guard; also a start inside a function of
the module that such a module-level call runs (`main()` at the bottom of the file
with no guard, and the functions it calls in turn), reported at the start call with
the path in the message ("through main()").

A guard comparing `__name__` with another string holds only when the module is imported
under that name: `__name__` is `"__main__"` when the file runs as a script (CPython's
runpy, `_run_module_as_main`) and the spec's name when it is imported (importlib's
`_init_module_attrs`). So `if __name__ == "app":` in `app.py` runs at import and is
flagged, while a misspelt `if __name__ == "__main":` never runs and is silent (its `else`
always runs), as is `if '__name__' == '__main__':` (two different strings, always False).

connexion's own `app.run()` (`connexion.App`, `connexion.FlaskApp`) counts as a start, here
and in FDS101/FDS102, only where it is known to be connexion 2's: there it calls the held
Flask app's `run` (Flask's development server; on `0.0.0.0` unless a host is given, see
FDS300), while connexion 3's starts uvicorn (connexion/apps/flask_app.py at 2.0.0-2.14.2,
connexion/middleware/main.py at 3.x). Known when the dependency files nearest the module,
up to the project root, allow no connexion 3 (`connexion==2.14.2`, `<3`, `~=2.6`, Poetry's
`^2.9`, a `2.x` in Pipfile.lock, poetry.lock or uv.lock; requirements files with their `-r`/`-c`
includes, Pipfile, pyproject.toml, setup.cfg, setup.py), or, with no version known, when the
call passes an option uvicorn's `run` rejects (`threaded`, `use_reloader`, `processes`,
`ssl_context`, `server`, a port as first positional) or the constructor takes one connexion 3's
does not (`host`, `port`, `debug`, `server`). Silent for connexion 3, for an unbounded
`connexion>=2.6`, for uvicorn options (`reload=`, `log_level=`), and for `server="tornado"`/
`"gevent"` (their own servers). The production command is `gunicorn 'module:app'`: connexion 2's
app object is itself a WSGI application (`AbstractApp.__call__`).

## Why is this bad?
The call runs whenever the module is imported. `gunicorn 'app:app'` imports the
module to find the app, so it starts Werkzeug's single-process development server
instead (and blocks before gunicorn ever serves). Tests, shells and tools that import
the module start a server too. Flask's docs: "Do not use `run()` in a production
setting." A mod_wsgi script (`*.wsgi`, which the command checks as Python) is loaded
the same way by Apache, under a module name made from its path: the start runs
inside Apache, and the message says to remove it.

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
Safe: the fix wraps the statement that starts the server, exactly that line, in
`if __name__ == "__main__":`, in place (also inside a module-level `if`, `try`, `with`,
loop or class body, where the guard goes around that one line). Running the file as a
script behaves as before, in the same order; importing it no longer starts a server.
Comments stay where they were, continuation lines are re-indented, and adjacent starts
share one guard. The start is then a deliberate launcher (FDS101), which you may keep
or replace with `flask run`.

The fix is not offered (the finding stays, to fix by hand) when the start is part of a
compound statement's header (`with app.run():`, a decorator, a default argument), on a
one-line suite (`if ready: app.run()`), or shares its line with other statements
(`setup(); app.run()`): there, wrapping would also guard code that must keep running
at import. It never moves code into an existing guard further down: that would change
the order the script runs in. Nor is it offered for a start inside a function that an
import-time call reaches: guard the call (`main()`) by hand, since the function may
also be an entry point that other code calls.

## Options
`app-classes`, `app-factories` and `server-launchers` teach the linter a project's own
apps and launchers.

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run
- https://modwsgi.readthedocs.io/en/master/user-guides/configuration-guidelines.html
'''

from __future__ import annotations

from typing import Iterator

import libcst as cst

from .. import launchers, suggest
from ..analysis import Analysis
from ..apps import Context
from ._base import Report
from ._fix import Edit, Safety

CODE = "FDS100"
NAME = "dev-server-at-import"
SUMMARY = "development server starts at import time"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "safe"


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        path = analysis.imported_through(start)
        if start.site.context is Context.IMPORT or path is not None:
            through = f" {launchers.describe(path)}" if path else ""
            if _mod_wsgi_script(analysis):
                yield Report(
                    start.call,
                    f"{start.server} development server starts when mod_wsgi loads this script{through}, inside "
                    "Apache's own server; mod_wsgi serves the script's application itself: remove the start",
                )
                continue
            advice = suggest.for_start(analysis, start).advice()
            yield Report(
                start.call,
                f"{start.server} development server starts at import time{through}, so gunicorn and every "
                f"importer start it too; {advice}",
            )


def _mod_wsgi_script(analysis: Analysis) -> bool:
    """A ``.wsgi`` file: what mod_wsgi's WSGIScriptAlias loads (otherpython.py), never imported by gunicorn."""
    path = analysis.model.path
    return path is not None and path.suffix == ".wsgi"


def fix(analysis: Analysis, report: Report) -> Edit | None:
    for start in analysis.starts:
        if start.call is report.node:
            if start.site.context is not Context.IMPORT:
                return None  # reached through a function (launchers.py): guard the call by hand
            line = start.site.stmt
            # Only a line that is nothing but the start: anything sharing it would be guarded too.
            if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
                return Edit(line, "guard")
            return None
    return None
