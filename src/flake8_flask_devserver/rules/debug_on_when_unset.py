'''FDS205 debug-on-when-unset: debug that is on unless the environment switches it off.

## What it does
Flags a debug flag read from the environment whose default turns debug on:
`debug=os.getenv("FLASK_DEBUG", "1") == "1"`,
`os.environ.get("DEBUG", "True").lower() == "true"`,
`strtobool(os.getenv("DEBUG", "true"))`, `not os.getenv("PRODUCTION")`,
python-decouple's `config("DEBUG", default=True, cast=bool)`, at a
development-server start (also Flask-Script's `Server(use_debugger=...)`), in
`app.debug`/`app.config["DEBUG"]`, or as `DEBUG` in a configuration class not named
for development. Also a debug switch under a condition that holds when nothing is
set: `if not os.environ.get("PRODUCTION"): app.debug = True`, or a name bound that
way and passed on (`debug = True` under such an `if`, then `app.run(debug=debug)`).

The value is computed as Python would with every variable unset: a lookup gives its
default (or None), `os.environ["X"]` raises (nothing is switched on), `"X" in
os.environ` is false. A call of the project's own function (`env_flag("DEBUG", "1")`,
also imported from another module) is its `return` evaluated with the call's
arguments bound to its parameters (their defaults where none is given); every
`return` must agree. A helper that returns the raw lookup (`def get_env(name,
default=None): return os.getenv(name) or default`) gives a raw string, FDS203's. `if os.environ.get("LOCAL"): app.debug = True` and
`debug = False` / `if os.environ["ENV"] == "dev": debug = True` are off with nothing
set: deliberate switches, not reported. Neither is a switch under a condition that is
not the environment and not known statically (command-line arguments, a settings
object).

A value read through a parameter of the function holding the start is judged by the
calls of that function, as FDS200 reads them: `serve()` under the `__main__` guard with
`def serve(debug=os.getenv("DEBUG", "1") == "1")`, or `serve(os.getenv("DEBUG", "1") ==
"1")`.

The same holds for a debug switch that is on unless something outside the code
switches it off:

* a parameter's default that no call in the module is seen to use
  (`def serve(debug=True): app.run(debug=debug)`, never called here): every caller that
  passes nothing gets the debugger (a call seen to pass nothing is FDS200's);
* a command-line option's default, which is the value whenever the command line leaves
  the option out, as a Dockerfile's `CMD ["python", "app.py"]` does. Each library is read
  as its source has it. click (`src/click/core.py`): `Option._parse_decls` names the
  parameter from an identifier declaration, else from the first declaration with the
  longest prefix (`--debug`, `--debug/--no-debug` by its first half), `-` turned into `_`
  and lowered; the default is `default=`, and without one a boolean flag (`--x/--no-x`,
  `is_flag=True`) is False and any other option None. typer (`typer/params.py`):
  `typer.Option(default, *param_decls)` takes the default first (`...`: required);
  `Annotated[bool, typer.Option()] = True` and a plain `debug: bool = True` default
  through the parameter. argparse (`Lib/argparse.py`): `dest=` or the first long
  option (`--no-debug` gives `no_debug`), read as `args.debug` after `args =
  parser.parse_args()`; `store_true` defaults to False and `store_false` to True.
  Flask-Script (`flask_script/__init__.py`): `@manager.option(...)` passes its arguments
  to argparse's `add_argument`, and `@manager.command` makes each defaulted parameter an
  option with that default.

Switches that are off by default stay silent: `store_true`, `default=False`, a flag with
no default, a `--no-debug` that is given. A callable default, a `callback`, a
`flag_value`, `default_factory`, a string default converted by `type=`, a
`set_defaults` of the same name, or `parse_args([...])` with the code's own list is not
judged.

## Why is this bad?
Production forgets variables far more often than it sets wrong ones. With the
variable unset, these defaults start Werkzeug's interactive debugger, which lets
anyone who reaches an error page run code on the server.

## Example
```python
app.run(debug=os.getenv("FLASK_DEBUG", "1") == "1")
```

```python
@click.command()
@click.option("--debug/--no-debug", default=True)
def main(debug):
    app.run(debug=debug)
```

## Use instead
```python
app.run(debug=os.getenv("FLASK_DEBUG", "0") == "1")
```
Debug on only where the environment says so, off when it says nothing; for an option,
`@click.option("--debug/--no-debug", default=False)` (on only with `--debug`).

## Fix safety
No automatic fix: which default was meant is for you to say.

## Options
`dev-config-classes` (for configuration classes).

## References
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
- https://werkzeug.palletsprojects.com/en/stable/debug/
- https://docs.python.org/3.11/distutils/apiref.html#distutils.util.strtobool
- https://click.palletsprojects.com/en/stable/options/#boolean-flags
- https://typer.tiangolo.com/tutorial/parameter-types/bool/
- https://docs.python.org/3/library/argparse.html#action
'''

from __future__ import annotations

from typing import Iterator

from .. import paramflow
from ..analysis import Analysis, Truth
from ..when_unset import Gate
from ._base import Report

CODE = "FDS205"
NAME = "debug-on-when-unset"
SUMMARY = "debug on unless the environment switches it off"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only


def message(what: str, keys: frozenset[str], conditional: bool = False) -> str:
    named = sorted(key for key in keys if key != "?")
    variables = " and ".join(named) if named else "its variable"
    verb = "are" if len(named) > 1 else "is"
    if conditional:
        head = f"debug switched on ({what}) under a condition that holds when {variables} {verb} not set"
        advice = "switch it on only where the environment says so: if os.environ.get(\"FLASK_DEBUG\") == \"1\""
    else:
        head = f"{what} is on when {variables} {verb} not set"
        advice = 'default to off: os.environ.get("FLASK_DEBUG", "0") == "1"'
    return f"{head}, which is how production forgets it: Werkzeug's debugger then lets anyone run code; {advice}"


def default_message(name: str, source: paramflow.Given) -> str:
    """A debug switch on by default: of a command-line option, or of a parameter no call is seen to set."""
    option = source.option
    if option is None:
        return (
            f"{name}= is on by default ({paramflow.describe(source)}): every caller that does not pass "
            f"{source.param}=False starts Werkzeug's debugger, which lets anyone run code; "
            f"default it to off: {source.param}=False"
        )
    if option.store_false:
        fix = f'a --debug option with action="store_true" in place of {option.flag} (on only when given)'
    elif option.library == "typer" or (option.library == "flask_script" and not option.flag.startswith("-")):
        fix = f"{source.param}: bool = False"
    elif option.library == "flask_script" and source.function and option.flag == "--" + source.param.replace("_", "-"):
        fix = f"{source.param}=False in {source.function}()'s signature"
    else:
        fix = f"default=False on {option.flag}"
    return (
        f"{name}= is on unless the command line switches it off ({paramflow.describe(source)}"
        f"{'' if option.store_false else ' is on'}), "
        f"which is how production runs it: Werkzeug's debugger then lets anyone run code; default it to off: {fix}"
    )


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.servers:
        for arg, truth in analysis.debugger_args(start):
            if truth is Truth.UNKNOWN:
                keys = analysis.on_when_unset(arg.value, start.site.scope, start.site.seq)
                if keys is not None:
                    yield Report(arg.anchor, message(f"{arg.name}=", keys))
                    break
                source = paramflow.leaf(analysis, arg.value, start.site.scope, start.site.seq, defaults=True)
                if source is not None and source.origin == paramflow.UNSEEN and paramflow.called_elsewhere(analysis, start):
                    continue  # another module's launcher calls it, with arguments not seen here
                if source is not None and source.origin in (paramflow.CLI, paramflow.UNSEEN):
                    yield Report(arg.anchor, default_message(arg.name, source))
                    break
    for switch in analysis.debug_switches:
        gate, gate_keys = analysis.switch_gate(switch)
        if gate in (Gate.NEVER, Gate.UNKNOWN):
            continue
        if switch.truth is Truth.TRUE and gate is Gate.UNSET:
            yield Report(switch.anchor, message(switch.what, gate_keys, conditional=True))
        elif switch.truth is Truth.UNKNOWN and not switch.what.startswith("FLASK_"):
            keys = analysis.on_when_unset(switch.value, switch.site.scope, switch.site.seq)
            if keys is not None:
                yield Report(switch.anchor, message(switch.what, keys | gate_keys))
    for site, node in analysis.config_classes:
        if analysis.is_dev_config_name(node.name.value):
            continue
        for target, value in analysis.class_body_assignments(node, "DEBUG"):
            keys = analysis.on_when_unset(value, *analysis.class_place(node, value, site))
            if keys is not None:
                yield Report(target, message(f"DEBUG in {node.name.value}", keys))
