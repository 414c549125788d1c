"""FDS402 debug-env-in-deployment: Flask's debug mode or Werkzeug's debugger switched on by a deployment file.

## What it does
Flags, in a Dockerfile `ENV` (of a stage that is run, inherited values included), a
Compose service's `environment:` (map and list forms, interpolated as Compose does:
`$VAR`/`${VAR}` from the `.env` file of the Compose file's folder, `${VAR:-default}`
its default when `.env` does not set it, `$$` a literal `$`; the Compose specification's
"Interpolation" section), a `.flaskenv`/`.env*` file, or a `NAME=value` prefix of an entrypoint
command:

- `FLASK_DEBUG` set to anything Flask reads as on: `flask.helpers.get_debug_flag`
  treats every non-empty value except `0`, `false` and `no` (any case) as on, so
  `FLASK_DEBUG=off` is on for `app.run()` and the app's config; `QUART_DEBUG` the same
  way for Quart (`quart.helpers.get_debug_flag`);
- `FLASK_ENV=development` (debug mode in Flask < 2.3; silent where the project's dependency
  files pin Flask 2.3 or later, which removed it);
- `FLASK_RUN_DEBUGGER` set true (the debugger of `flask run`);

and `--debug` or `--debugger` on an entrypoint's `flask run` (`flask --debug run`
too; a later `--no-debug` wins, as in click).

Where the image, service or app is served only by a production server (gunicorn,
uWSGI, waitress, hypercorn, ...), `FLASK_RUN_DEBUGGER` is not reported (only
`flask run` reads it), and `FLASK_DEBUG`/`FLASK_ENV` are worded for what they do
there: Flask reads `FLASK_DEBUG` when the app is created (`DEBUG` config), but the
interactive debugger only comes with the development server or an explicit
`DebuggedApplication`. A `.env`/`.flaskenv` is loaded by Flask only in the `flask`
command and in `app.run()`: next to deployment files that run only production
servers it is not reported, unless the app module calls python-dotenv itself.

A value Compose takes from `.env` is reported at both lines that make it so: the
Compose file's `FLASK_DEBUG=${DEBUG}` (naming the `.env` line) and the `DEBUG=True`
line of `.env` (naming the Compose service that substitutes it). `${DEBUG}` that
neither `.env` nor a default gives is the shell's at `docker compose up`: unknown,
not reported.

## Why is this bad?
Debug mode turns on Werkzeug's interactive debugger: an error page with a Python
console, which is remote code execution for anyone who reaches the server (the PIN
is a weak guard). It also reloads code and shows tracebacks to visitors.

## Example
```dockerfile
ENV FLASK_DEBUG=1
```

## Use instead
Leave `FLASK_DEBUG` unset in images, platform config and committed env files, and
set it on the developer's machine (`flask --app app run --debug`) or in a
development-only file (`.env.development`, `docker-compose.override.yml`).

## Fix safety
No automatic fix.

## Options
None. Development-only files are not checked (see docs/deployment.md).

## References
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
- https://flask.palletsprojects.com/en/stable/debugging/
- https://werkzeug.palletsprojects.com/en/stable/debug/
- https://github.com/compose-spec/compose-spec/blob/main/spec.md#interpolation
"""

from __future__ import annotations

from typing import Iterator

from ...model import Finding
from ..facts import Facts, click_true, debug_on
from ._base import finding, runs, through

CODE = "FDS402"
NAME = "debug-env-in-deployment"
SUMMARY = "Flask debug mode or Werkzeug's debugger switched on by a deployment file"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only: the replacement command is in the message

_DANGER = "Werkzeug's debugger lets anyone who reaches the server run code"
_QUART_DANGER = "it shows tracebacks, with source and values, to anyone who triggers an error"


def check(facts: Facts) -> Iterator[Finding]:
    for setting in facts.env:
        name, value = setting.name, setting.value
        if name == "FLASK_DEBUG" and debug_on(value):
            effect = "turns on Flask's debug mode"
        elif name == "FLASK_ENV" and value == "development":
            from ... import pins  # (packaging: only where FLASK_ENV is set)

            if pins.ignores_flask_env(facts.path.parent):
                continue  # the project's Flask (2.3+) reads no FLASK_ENV
            effect = "turns on Flask's debug mode (Flask < 2.3)"
        elif name == "QUART_DEBUG" and debug_on(value):
            effect = "turns on Quart's debug mode"
        elif name == "FLASK_RUN_DEBUGGER" and click_true(value) and setting.server is None:
            effect = "turns on the debugger of flask run"
        else:
            continue
        if setting.server is not None:
            # Under a production server Flask reads FLASK_DEBUG once, when the app is created
            # (sansio/app.py: config DEBUG = get_debug_flag()); Werkzeug's debugger comes only
            # with the development server or an explicit DebuggedApplication.
            yield finding(
                setting.place,
                CODE,
                f"{name}={value} in {setting.where}{through(setting.via)} sets the app's DEBUG config under "
                f"{setting.server} (no Werkzeug debugger there, but debug-only code and extensions such as "
                "Flask-DebugToolbar turn on); set it only in development",
            )
            continue
        danger = _QUART_DANGER if name.startswith("QUART_") else _DANGER
        yield finding(
            setting.place,
            CODE,
            f"{name}={value} in {setting.where}{through(setting.via)} {effect}; {danger}; set it only in development",
        )
    for run in facts.flask_runs:
        for place, flag in run.debug:
            if run.framework == "Quart":
                effect = f"turns on Quart's debug mode; {_QUART_DANGER}"
            elif flag == "--debugger":
                effect = "turns on Werkzeug's debugger, which lets anyone who reaches the server run code"
            else:
                effect = "turns on debug mode and Werkzeug's debugger, which lets anyone who reaches the server run code"
            yield finding(
                place,
                CODE,
                f"{flag} on {run.shown} ({run.where} {runs(run.via)}it) {effect}; in production: {run.production}",
            )
