'''FDS102 dev-server-in-function: a development server started inside a function or method.

## What it does
Flags a call that starts a development server inside a function, method or lambda:
a `main()`, a click or argparse command, a `serve()` helper, that the module's own
`__main__` launcher does not run (when it does, the start is FDS101's, named with the
path from the guard, also through a dispatcher's command) and that no module-level
call runs on import (FDS100's). What remains is started by other modules, a console
script or a command line the module itself does not run: subcommands of a group the
guard never calls, entry points, callbacks.

## Why is this bad?
Whatever calls the function (a console script, `python -m pkg`, a container's entry
point) serves the app with Werkzeug's development server, which is single-process,
unhardened and meant for local development only.

## Example
```python
def main() -> None:
    app = create_app()
    app.run(port=8000)
```

## Use instead
Serve the app with a production WSGI server, `gunicorn 'pkg.app:create_app()'`, and
use `flask --app pkg.app run --debug` in development.

## Fix safety
No automatic fix.

## Options
`app-classes`, `app-factories`, `server-launchers`.

## References
- https://flask.palletsprojects.com/en/stable/deploying/
'''

from __future__ import annotations

from typing import Iterator

from .. import suggest
from ..analysis import Analysis, function_name
from ..apps import Context
from ._base import Report

CODE = "FDS102"
NAME = "dev-server-in-function"
SUMMARY = "development server started inside a function or method"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        if (
            start.site.context is Context.FUNCTION
            and analysis.launched_through(start) is None
            and analysis.imported_through(start) is None
        ):
            name = function_name(start.site)
            where = f"function '{name}()'" if name else "a lambda"
            advice = suggest.for_start(analysis, start).advice()
            yield Report(start.call, f"{start.server} development server started in {where}; {advice}")
