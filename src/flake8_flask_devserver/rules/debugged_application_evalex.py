'''FDS202 debugged-application-evalex: Werkzeug's interactive debugger wrapped around an app.

## What it does
Flags `werkzeug.debug.DebuggedApplication(app, evalex=True)` (keyword or positional,
any truthy value).

## Why is this bad?
`evalex=True` serves a Python console in the browser on every traceback page. Wrapping
the WSGI app makes it part of the app, so it ships with it to gunicorn or any other
server: anyone who triggers an error can run code on the host.

## Example
```python
app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
```

## Use instead
Do not wrap the app; run `flask --app app run --debug` in development.

## Fix safety
Unsafe: the fix turns `evalex=True` (or the positional or constant value) into
`evalex=False`, which keeps the traceback page but removes the console. The traceback
page still shows source and local variables: remove the wrapper outside development.

## Options
None.

## References
- https://werkzeug.palletsprojects.com/en/stable/debug/
'''

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ..analysis import Analysis, Truth
from ._base import Report
from ._fix import Edit, Safety

CODE = "FDS202"
NAME = "debugged-application-evalex"
SUMMARY = "Werkzeug's interactive debugger wrapped around an app"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "unsafe"


def check(analysis: Analysis) -> Iterator[Report]:
    for site, evalex in analysis.debugged_apps:
        if evalex is None:
            continue
        if analysis.truth(evalex.value, site.scope, site.seq) not in (Truth.FALSE, Truth.UNKNOWN):
            yield Report(
                site.node,
                "DebuggedApplication(evalex=True) serves an interactive Python console on every error page; "
                "remove it outside development",
            )


def fix(analysis: Analysis, report: Report) -> Edit | None:
    for site, evalex in analysis.debugged_apps:
        if site.node is report.node and evalex is not None:
            return Edit(evalex.value, "replace", lambda updated: cst.Name("False"))
    return None
