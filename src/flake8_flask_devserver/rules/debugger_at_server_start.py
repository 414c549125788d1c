'''FDS200 debugger-at-server-start: Werkzeug's debugger switched on where the development server starts.

## What it does
Flags a truthy `debug=` (`True`, `1`, a module constant bound to a truthy literal,
the positional `debug` of `Flask.run`, `**{"debug": True}`) or `use_debugger=True`
(also positional in `run_simple`) on a development-server start. `use_debugger=False`
next to it switches the debugger off, and the call is left alone. Flask-Script's
`Server(use_debugger=True)` (also its third positional) is flagged too: its `runserver`
passes it to `app.run` as `debug` and `use_debugger`. So is connexion 2's
`connexion.App(__name__, debug=True)` when its `run()` is a start (FDS100): `run` passes
`self.debug` to Flask's. A value bound under an `if` counts
only when the condition is known to hold; see FDS205 for conditions on the environment.

The value may come through the app's configuration: `debug=app.config["DEBUG"]` or
`app.config.get("DEBUG", False)` reads what this module writes into the config
(`app.config[...] = `, `update`, `from_mapping`) or what any loader of the project
hands over with `from_object`/`from_pyfile` (classes named for development or
testing left out; when the candidates disagree, nothing is reported), else the
`.get` default. It may also come through a first-party settings module
(`settings.FLASK_DEBUG`), a first-party configuration class (`Config.DEBUG` with
`from config import Config`, or `config.Config.DEBUG`; inherited as Python's MRO
finds it) or an instance of a first-party class (`settings = Settings()`, here or
in another module): read as Python's attribute lookup reads it (the instance's
`__dict__`, then the class's MRO; CPython Objects/object.c
`_PyObject_GenericGetAttrWithDict`), that is the one `self.FLASK_DEBUG = ...` its
`__init__` makes, else its class attribute. A value stored by other methods too, a
method or property of that name, or an unreadable (third-party) base before the class
holding the name leaves the value unknown, and nothing is reported.

It may come through the parameters of the function that starts the server
(`def serve(debug=True): app.run(debug=debug)`): the value is what the module's calls of
the function pass, bound as Python binds arguments, or the parameter's default where a
call passes nothing, followed through callers that pass their own parameters on. A call
that runs (under the `__main__` guard, at import time, or in a function they reach)
decides: one that turns the debugger on is reported, whatever other calls pass. Calls
that nothing is seen to run must all agree. A function also handed on as a callback, or
called with `*args`/`**kwargs`, is judged by its running calls only; a decorated function
(a route, a command) is not judged, except for a command line's options (FDS205). A
default that no call is seen to use, or a command-line option's default, is on only
until someone passes the switch off: FDS205 reports those (not when another module's
`__main__` launcher runs the start: its call is not seen here). No fix is offered through a
parameter: the default or the call is the line to change.

## Why is this bad?
The debugger shows a traceback page with an interactive Python console in every frame.
Anyone who reaches the page (or guesses or leaks the PIN) runs arbitrary code on the
server: remote code execution. Flask's docs: "Do not run the development server or
debugger in a production environment."

## Example
```python
if __name__ == "__main__":
    app.run(debug=True)
```

## Use instead
```python
import os

if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
```
or drop the launcher and run `flask --app app run --debug` in development only.

## Fix safety
Unsafe: the fix replaces the value with `os.environ.get("FLASK_DEBUG") == "1"`
(`QUART_DEBUG` for Quart and `DASH_DEBUG` for Dash, the variables they read), adding
`import os` once, where isort would put it, when the module lacks it. The debugger is
then off unless the variable is set: behaviour changes for anyone relying on it. A
constant (`debug=DEBUG`) is replaced at the call and left alone itself. Not offered
where `os` names something else, or for a value in `**options` bound elsewhere.

## Options
None.

## References
- https://flask.palletsprojects.com/en/stable/debugging/
- https://werkzeug.palletsprojects.com/en/stable/debug/
'''

from __future__ import annotations

from typing import Iterator

from .. import paramflow, suggest
from ..analysis import Analysis, Truth
from ._base import Report
from ._fix import Edit, Safety, expression, os_import, written_in

CODE = "FDS200"
NAME = "debugger-at-server-start"
SUMMARY = "debugger switched on at a development-server start"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "unsafe"


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.servers:
        for arg, truth in analysis.debugger_args(start):
            if truth is Truth.TRUE:
                dev = suggest.for_start(analysis, start).dev
                source = paramflow.leaf(analysis, arg.value, start.site.scope, start.site.seq)
                if source is not None:  # through a parameter: its default, or what a call passes
                    yield Report(arg.anchor, _through_parameter(start.kind, arg.name, source))
                    break
                if start.kind == "dash":
                    hint = "drop it and set DASH_DEBUG=true in development only"
                elif dev:
                    hint = f"run it only in development: {dev}"
                elif arg.name == "debug":
                    hint = 'use debug=os.environ.get("FLASK_DEBUG") == "1"'
                else:
                    hint = f'use {arg.name}=os.environ.get("FLASK_DEBUG") == "1" or drop it outside development'
                what = (
                    "Quart debug mode switched on (debug=True) shows tracebacks with local variables to anyone"
                    if start.kind == "quart"
                    else f"Werkzeug debugger switched on ({arg.name}=True) lets anyone who reaches the server run code"
                )
                yield Report(arg.anchor, f"{what}; {hint}")
                break


def _through_parameter(kind: str, name: str, source: paramflow.Given) -> str:
    what = "Quart debug mode" if kind == "quart" else "Werkzeug debugger"
    if source.origin == paramflow.DEFAULT:
        hint = f"default it to off ({source.param}=False) and pass True only in development"
    else:
        hint = "pass it only in development (FLASK_DEBUG=1), or run `flask run --debug` there"
    return (
        f"{what} switched on ({name}=True, {paramflow.describe(source)}) "
        f"lets anyone who reaches the server run code; {hint}"
    )


#: The variable each framework's own CLI reads for debug mode.
_DEBUG_VARIABLE = {"quart": "QUART_DEBUG", "dash": "DASH_DEBUG"}


def fix(analysis: Analysis, report: Report) -> Edit | None:
    for start in (*analysis.starts, *analysis.server_commands):  # starts: the fixer narrows them (H7)
        for arg, truth in analysis.debugger_args(start):
            if arg.anchor is report.node and truth is Truth.TRUE:
                if paramflow.leaf(analysis, arg.value, start.site.scope, start.site.seq) is not None:
                    return None  # the parameter is the caller's to set: the default or the call is the line to change
                imports = os_import(analysis, start.site)
                if imports is None or not written_in(start.call, arg.anchor):
                    return None
                variable = _DEBUG_VARIABLE.get(start.kind, "FLASK_DEBUG")
                new = expression(f'os.environ.get("{variable}") == "1"', analysis)
                return Edit(arg.value, "replace", lambda updated: new, imports)
    return None
