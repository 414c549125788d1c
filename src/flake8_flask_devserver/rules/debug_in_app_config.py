'''FDS201 debug-in-app-config: debug switched on in app configuration or the environment.

## What it does
Flags code that turns Flask's debug mode on outside the command line:
`app.debug = True`, `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`
(also `update({"DEBUG": True})`, `update(dict(DEBUG=True))`, `from_mapping(DEBUG=True)`,
`setdefault("DEBUG", True)`, and `update(settings)`/`from_mapping(settings)` where
`settings` is bound in the module to such a dict or to `(key, value)` pairs, which
`dict.update` accepts too), and `os.environ["FLASK_DEBUG"] = "1"` (or `setdefault`,
`update`, `os.putenv`, with any value Flask reads as true) or
`os.environ["FLASK_ENV"] = "development"` (Flask < 2.3: not where the project's dependency
files pin Flask 2.3 or later, which removed `FLASK_ENV`; pins.py reads them).

Also `DEBUG = True` (or any value `bool()` reads as true; a raw environment string is
FDS203) at the top of a module that the project loads into a Flask-family app's
config: `app.config.from_object(__name__)`, `from_object("settings")` (Werkzeug's
`import_string` names: `"pkg.settings"`, `"pkg:settings"`), `from_object(settings)`
for an imported first-party module, `from_pyfile("settings.py")` and
`from_pyfile("app.cfg")` (any suffix: Flask executes the file as Python), relative
to the app's folder or, with `instance_relative_config=True`, its instance folder
(`os.path.join(self.root_path, filename)` in flask/config.py: an absolute path is kept).
The path may be built: `os.path.join(os.path.dirname(__file__), "..", "conf.py")`,
`os.path.join(app.root_path, "x.py")`, pathlib's `Path(__file__).parent / "x.cfg"`,
`.joinpath(...)`, `.resolve()`, `str(...)`, or a module constant bound to one of those.
Flask's `Config.from_object` copies every upper-case attribute of the module, so the
constant is the app's `DEBUG` (flask/config.py). The finding is at the `DEBUG = ...`
line, the line to change and the place for `# noqa`; the message names the loader
(file, line, method). The loaders are found by an index of the project's
`.from_object(`/`.from_pyfile(` calls on an app's `config` (test files excluded),
built once per run. A module that no loader names stays silent, such as Django's
`settings.py`, and so does a module named for development or testing by the
`dev-config-classes` words (`dev_settings.py`, `local.cfg`), as configuration classes
named so are. flake8 reads `*.py` files only: to have a `.cfg` file checked, give it
to flake8 (`--filename=*.py,*.cfg`) or to the command by name.

A switch under an `if` is reported only when its conditions are known to hold
(`if True:`, a module constant); under a condition that reads the environment it is
FDS205's when the condition holds with nothing set, and silent otherwise; under any
other condition (`sys.argv`, a settings object) it is a deliberate switch, left alone.

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
Unsafe: the fix deletes the statement that switches debug on (`app.debug = True`,
`app.config["DEBUG"] = True`, `os.environ["FLASK_DEBUG"] = "1"`, `os.putenv(...)`,
`setdefault(...)`), or just the `DEBUG=True` item of an `update`/`from_mapping` call
(the whole statement when that was its only item), which changes behaviour for anyone
relying on it. Comment lines above a deleted statement stay (a comment at the end of
its own line goes with it); a block left empty gets `pass`. Not offered for a statement
on a one-line suite (`if x: app.debug = True`) or a chained assignment, nor for a
module-level `DEBUG = True` in a loaded module: other code may read that constant
(`settings.DEBUG`), so set it to `False` yourself.

## Options
`dev-config-classes` (for module-level `DEBUG` in loaded modules).

## References
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
- https://flask.palletsprojects.com/en/stable/config/#configuring-from-python-files
- https://flask.palletsprojects.com/en/stable/debugging/
'''

from __future__ import annotations

from typing import Iterator

import libcst as cst

from .. import suggest
from ..analysis import Analysis, DebugSwitch, Truth
from ..when_unset import Gate
from ._base import Report
from ._fix import Edit, Safety, small_statement, without

CODE = "FDS201"
NAME = "debug-in-app-config"
SUMMARY = "debug switched on in app configuration or the environment"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "unsafe"


def check(analysis: Analysis) -> Iterator[Report]:
    for switch in analysis.debug_switches:
        if switch.truth is not Truth.TRUE or analysis.switch_gate(switch)[0] is not Gate.ALWAYS:
            continue  # under a condition: FDS205 when it holds with the environment empty, else a deliberate switch
        dev = suggest.for_module(analysis).dev or "FLASK_DEBUG=1 in development only"
        if isinstance(switch.anchor, cst.Name):  # configflow: DEBUG = True in a loaded module
            yield Report(
                switch.anchor,
                f"DEBUG = {analysis.model.module.code_for_node(switch.value)} in a module loaded into the app's "
                f"config ({switch.what.partition('(')[2][:-1]}) "
                "enables Werkzeug's debugger wherever the app runs; set DEBUG = False here and switch debug on "
                "in development only (flask run --debug or FLASK_DEBUG=1)",
            )
            continue
        if switch.what.startswith("FLASK_"):
            what = f"{switch.what} set in the environment by code"
        else:
            what = f"debug switched on in app configuration ({switch.what})"
        yield Report(
            switch.anchor, f"{what} enables Werkzeug's debugger wherever the app runs; in development only: {dev}"
        )


def fix(analysis: Analysis, report: Report) -> Edit | None:
    for switch in analysis.debug_switches:
        if switch.anchor is report.node and switch.truth is Truth.TRUE and analysis.switch_gate(switch)[0] is Gate.ALWAYS:
            # A module constant may be read elsewhere (settings.DEBUG): deleting it could break that.
            return None if isinstance(switch.anchor, cst.Name) else _delete(switch)
    return None


def _delete(switch: DebugSwitch) -> Edit | None:
    """Delete the statement, or only the item of an ``update(...)`` call that sets debug."""
    call = switch.anchor
    if switch.item is None or switch.item is call:  # an assignment, os.putenv(...), setdefault(...)
        statement = small_statement(switch.site, switch.anchor)
        return Edit(statement, "remove") if statement is not None else None
    assert isinstance(call, cst.Call)
    path = _item_path(call, switch.item)
    if path is None:
        return None
    if len(call.args) == 1 and (len(path) == 1 or len(_items(call.args[0].value)) == 1):
        statement = small_statement(switch.site, call)  # its only item: the call does nothing left
        return Edit(statement, "remove") if statement is not None else None
    return Edit(call, "replace", lambda updated: _drop(updated, path))


def _items(container: cst.BaseExpression) -> list[cst.CSTNode]:
    """Items of ``{...}`` or ``dict(...)`` passed to update(); empty for anything else."""
    if isinstance(container, cst.Dict):
        return list(container.elements)
    if isinstance(container, cst.Call):
        return list(container.args)
    return []


def _item_path(call: cst.Call, item: cst.CSTNode) -> tuple[int, ...] | None:
    """Where ``item`` sits: ``(i,)`` for the call's own argument, ``(i, j)`` inside a mapping argument."""
    for i, arg in enumerate(call.args):
        if arg is item:
            return (i,)
        for j, inner in enumerate(_items(arg.value)):
            if inner is item:
                return (i, j)
    return None


def _drop(call: cst.Call, path: tuple[int, ...]) -> cst.Call:
    i = path[0]
    if len(path) == 1:
        return call.with_changes(args=without(call.args, i))
    container = call.args[i].value
    if len(_items(container)) == 1:  # the mapping would be empty: drop the argument
        return call.with_changes(args=without(call.args, i))
    if isinstance(container, cst.Dict):
        container = container.with_changes(elements=without(container.elements, path[1]))
    else:
        assert isinstance(container, cst.Call)
        container = container.with_changes(args=without(container.args, path[1]))
    args = list(call.args)
    args[i] = args[i].with_changes(value=container)
    return call.with_changes(args=args)
