"""FDS401 dev-server-script-in-deployment: a deployment entrypoint runs a Python file that starts a development server.

## What it does
Flags `python some_file.py` and `python -m package.module` (any `python3.x`, any
interpreter options, also through `sh -c`, wrappers, entrypoint scripts and
executable files with a Python shebang) in a Dockerfile's `CMD`/`ENTRYPOINT`, a
Procfile process, a Compose `command:`/`entrypoint:` or a platform file's command
(Replit's `.replit` `[deployment] run = ["python3", "main.py"]` among them), when that file starts a
development server (FDS100, FDS101 or FDS102 in it), or when its `__main__` guard
runs a function of another first-party module that does (`python bot.py` where the
guard calls `keep_alive()` of keep_alive.py: FDS101 there "by the __main__ launcher of
bot.py"); the message then names that module and line.

The file is found the way the container or platform finds it: relative to the
Dockerfile's final `WORKDIR`, mapped back through its `COPY`/`ADD` instructions
(also `--from` another stage) to the build context; through a Compose service's
bind mounts, `working_dir` and build context; relative to a Procfile's folder. The
message names both places: the deployment line (where it is reported) and the
Python line (reported again by the Python check itself).

## Why is this bad?
This is how `app.run(host="0.0.0.0", debug=True)` at the bottom of `app.py`
reaches production: `CMD ["python", "app.py"]` runs the `__main__` launcher, and the
site is served by Werkzeug's development server, with the debugger if it is on.

## Example
```dockerfile
WORKDIR /srv
COPY . .
CMD ["python", "app.py"]
```
with `app.py` ending in `app.run(host="0.0.0.0")`.

## Use instead
```dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```
The message names the app (`module:name`, or `module:factory()`) as the Python
engine resolves it, with `--chdir` when the file's import root is not the working
folder.

## Fix safety
No automatic fix.

## Options
`app-classes`, `app-factories`, `server-launchers` (as for the Python checks).

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://docs.docker.com/reference/dockerfile/#cmd
"""

from __future__ import annotations

from typing import Iterator

from ...model import Finding
from ..facts import Facts
from ._base import finding, runs

CODE = "FDS401"
NAME = "dev-server-script-in-deployment"
SUMMARY = "deployment entrypoint runs a Python file that starts a development server"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only: the replacement command is in the message


def check(facts: Facts) -> Iterator[Finding]:
    for script in facts.scripts:
        named = script.target if script.target == script.script else f"{script.target} ({script.script})"
        starts = (
            f"whose __main__ guard starts the {script.start.server} development server at {script.start.elsewhere}"
            if script.start.elsewhere
            else f"whose line {script.start.line} starts the {script.start.server} development server"
        )
        yield finding(script.place, CODE, f"{script.where} {runs(script.via)}{named}, {starts}; in production: {script.production}")
