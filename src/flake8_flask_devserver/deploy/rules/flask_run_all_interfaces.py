"""FDS403 flask-run-all-interfaces: `flask run` in a deployment file bound to every network interface.

## What it does
Flags `--host 0.0.0.0`, `--host=0.0.0.0`, `-h 0.0.0.0` and `-h0.0.0.0` (also `::`,
`0` and other all-zero spellings, and `$VAR`/`${VAR:-0.0.0.0}` that expand to one)
on a deployment entrypoint's `flask run`, and `FLASK_RUN_HOST` set to such an
address in a Dockerfile `ENV`, a Compose `environment:`, an env file or a command
prefix (click reads it as `flask run --host`), unless the image or service runs only
a production server (gunicorn, uWSGI, waitress, hypercorn), which never reads it.

## Why is this bad?
Bound to all interfaces, the development server (and its debugger, when on) is
reachable from the whole network. In a container that is the only way to reach it,
which is the sign that it is serving for real: use a production server, which is
made to be exposed.

## Example
```text
web: flask run --host=0.0.0.0 --port=$PORT
```

## Use instead
```text
web: gunicorn --bind 0.0.0.0:$PORT 'app:app'
```

## Fix safety
No automatic fix.

## Options
`allowed-hosts`: bind addresses the team accepts (default none), as for FDS300.

## References
- https://flask.palletsprojects.com/en/stable/cli/#run-the-development-server
- https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode
"""

from __future__ import annotations

from typing import Iterator

from ...model import Finding
from ..facts import Facts, all_interfaces
from ._base import finding, runs, through

CODE = "FDS403"
NAME = "flask-run-all-interfaces"
SUMMARY = "flask run in a deployment file bound to all network interfaces"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only: the replacement command is in the message


def check(facts: Facts) -> Iterator[Finding]:
    for run in facts.flask_runs:
        if run.host is None:
            continue
        place, option, value = run.host
        if value is not None and all_interfaces(value, facts.settings):
            yield finding(
                place,
                CODE,
                f"{option} on {run.shown} ({run.where} {runs(run.via)}it) binds the development server to all "
                f"interfaces, reachable from the network; in production: {run.production}",
            )
    for setting in facts.env:
        # FLASK_RUN_HOST is read by ``flask run`` alone: nothing to say where gunicorn & co. serve.
        if setting.server is not None or setting.name not in ("FLASK_RUN_HOST", "QUART_RUN_HOST"):
            continue
        if all_interfaces(setting.value, facts.settings):
            yield finding(
                setting.place,
                CODE,
                f"{setting.name}={setting.value} in {setting.where}{through(setting.via)} binds "
                f"{setting.name.split('_')[0].lower()} run's "
                "development server to all interfaces, reachable from the network; serve production with "
                "gunicorn, waitress or uWSGI instead",
            )
