"""FDS400 flask-run-in-deployment: Flask's CLI development server as a deployment entrypoint.

## What it does
Flags `flask run` (also `python -m flask run`, `python3 -m flask run`) where a
deployment file starts it: a Dockerfile's `CMD`/`ENTRYPOINT` (exec or shell form,
also combined, through `sh -c "..."`, `exec`, `env`, `tini`, `gosu`, `poetry run`,
`uv run`, `&&` chains, and entrypoint scripts such as `./boot.sh` that the project
holds), a Procfile process, a Compose service's `command:`/`entrypoint:`, or the
platform files (Kubernetes, systemd, supervisord, App Engine, Fly.io, Layerfile, and
Replit's `.replit` `[deployment] run`, the command Replit Deployments run; its
top-level `run` is the workspace's Run button, development, and is not read).
Other Flask commands (`flask db upgrade`, `flask shell`) and `RUN flask ...`
(build time) are not flagged.

## Why is this bad?
`flask run` is Werkzeug's development server. Flask's docs: "Do not use the
development server when deploying to production. It is intended for use only during
local development. It is not designed to be particularly efficient, stable, or
secure." In a container or on a platform it serves every request of the real site.

## Example
```dockerfile
CMD ["flask", "--app", "shop.web", "run", "--host=0.0.0.0"]
```

## Use instead
```dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop.web:app"]
```
The message names the command for the app `flask run` loads (from `--app`,
`FLASK_APP`, a `.flaskenv`, or Flask's own `wsgi.py`/`app.py` discovery), keeping the
port it was given (`$PORT` in a Procfile, 8000 otherwise).

## Fix safety
No automatic fix: the production server must be installed in the image.

## Options
`app-classes`, `app-factories` (how the app's name is found).
Development-only files are not checked (see docs/deployment.md).

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://flask.palletsprojects.com/en/stable/cli/#run-the-development-server
- https://docs.gunicorn.org/en/stable/run.html
- https://docs.replit.com/replit-workspace/configuring-repl
"""

from __future__ import annotations

from typing import Iterator

from ...model import Finding
from ..facts import Facts
from ._base import finding, runs

CODE = "FDS400"
NAME = "flask-run-in-deployment"
SUMMARY = "Flask's CLI development server (flask run) as a deployment entrypoint"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only: the replacement command is in the message


def check(facts: Facts) -> Iterator[Finding]:
    for run in facts.flask_runs:
        yield finding(
            run.place,
            CODE,
            f"{run.where} {runs(run.via)}{run.framework}'s development server ({run.shown}); "
            f"in production: {run.production}",
        )
