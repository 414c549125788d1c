'''FDS203 debug-flag-from-string: a debug flag taken from a raw string, which `bool()` makes true.

## What it does
Flags a debug flag set from a string: `debug=os.environ.get("FLASK_DEBUG")`,
`os.getenv(...)`, `os.environ[...]`, `bool(os.getenv(...))`, a string literal such as
`debug="False"`, or the same values assigned to `app.debug`, `app.config["DEBUG"]`
or `DEBUG` in a non-development configuration class.

## Why is this bad?
Flask passes `debug` through `bool()`, and every non-empty string is true: setting
`FLASK_DEBUG=0` or `DEBUG=false` in production turns the debugger *on*, exposing its
interactive console (remote code execution).

## Example
```python
app.run(debug=os.environ.get("FLASK_DEBUG"))
```

## Use instead
```python
app.run(debug=os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no", "off"))
```
or simply `os.environ.get("FLASK_DEBUG") == "1"`.

## Fix safety
Safe: the fix turns the string into a real boolean that is false for `""`, `"0"`,
`"false"`, `"no"` and `"off"` (any case), which is what the author meant.

## Options
`dev-config-classes` (for configuration classes).

## References
- https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
'''

from __future__ import annotations

from typing import Iterator

from ..analysis import Analysis, Truth
from ._base import Report

CODE = "FDS203"
NAME = "debug-flag-from-string"
SUMMARY = "debug flag taken from a raw string, which bool() makes true"
DOCS = __doc__ or ""

RAW = (Truth.RAW_ENV, Truth.RAW_LITERAL)
_ADVICE = 'compare it instead: os.environ.get("FLASK_DEBUG") == "1"'


def message(what: str, truth: Truth) -> str:
    source = "an environment string" if truth is Truth.RAW_ENV else "a non-empty string"
    return f"{what} set from {source}: Flask applies bool(), so even '0' or 'false' turns debug on; {_ADVICE}"


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        for arg, truth in analysis.debugger_args(start):
            if truth in RAW:
                yield Report(arg.anchor, message(f"{arg.name}=", truth))
    for switch in analysis.debug_switches:
        if switch.truth in RAW and not switch.what.startswith("FLASK_"):
            yield Report(switch.anchor, message(switch.what, switch.truth))
    for site, node in analysis.config_classes:
        if analysis.is_dev_config_name(node.name.value):
            continue
        for target, value in analysis.class_body_assignments(node, "DEBUG"):
            truth = analysis.truth(value, site.scope, site.seq)
            if truth in RAW:
                yield Report(target, message(f"DEBUG in {node.name.value}", truth))
