"""FDS401 dev-server-script-in-deployment: a deployment entrypoint runs a Python file that starts a development server.

## What it does
Flags `python some_file.py` and `python -m package.module` (any `python3.x`, any
interpreter options, also through `sh -c`, wrappers, entrypoint scripts and
executable files with a Python shebang) in a Dockerfile's `CMD`/`ENTRYPOINT`, a
Procfile process, a Compose `command:`/`entrypoint:` or a platform file's command
(Replit's `.replit` `[deployment] run = ["python3", "main.py"]` among them), when that file starts a
development server (FDS100, FDS101 or FDS102 in it), or when running it runs a
function of another first-party module that does: from its `__main__` guard
(`python bot.py` where the guard calls `keep_alive()` of keep_alive.py: FDS101 there
"by the __main__ launcher of bot.py"), or from its module-level code, which a file run
as a script executes top to bottom as `__main__`, just as its guard (Python's docs,
"`__main__` — Top-level code environment"; CPython's `pymain_run_file`): the
keep-alive idiom, `from keep_alive import keep_alive` then `keep_alive()` at the top of
main.py, where `keep_alive()` starts `Thread(target=run)` and `run()` calls `app.run()`.
The message then names that module and line ("whose module-level code starts the Flask
development server at keep_alive.py line 14 (through keep_alive() -> run())"). The
finding in that module stays its own (FDS101 when some module's guard runs it, else
FDS102: importing keep_alive.py starts nothing, so it is not FDS100's).

Imports run code too. A first-party module the file imports at module level (or in its
guard), directly or through other first-party modules and their packages'
`__init__.py`, that starts a server at import (FDS100 in it) is reported ("runs
report.py, which imports launch.py, whose line 7 starts the Flask development server at
import"). So is a production server given such a module: `web: gunicorn run:app`,
`waitress-serve run:app`, `uwsgi -w run:app`, `python -m gunicorn run:app` import `run`
to find `app` (gunicorn's `util.import_app` calls `importlib.import_module`), and a
module-level `app.run(host="0.0.0.0")` in run.py then starts Werkzeug's server inside
the production server's process, blocking the import: the development server is what
serves. The finding is at the server's word, naming the module and line. Imports inside
functions and classes, and, for an imported module, under its own `__main__` guard
(`__name__` is then the module's name), do not run and are not followed; so
`gunicorn guarded:app` where guarded.py starts the server only under its guard stays
silent.

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
folder. When a production server already loads the module, the fix is in the module:
put its start under `if __name__ == "__main__":` (or remove it).

## Fix safety
No automatic fix.

## Options
`app-classes`, `app-factories`, `server-launchers` (as for the Python checks).

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://docs.docker.com/reference/dockerfile/#cmd
- https://docs.python.org/3/library/__main__.html
- https://docs.python.org/3/reference/import.html#loading
- https://docs.gunicorn.org/en/stable/run.html
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
        start = script.start
        if start.loader is not None:
            imports = ", which imports ".join(start.imports)
            yield finding(
                script.place,
                CODE,
                f"{script.where} {runs(script.via)}{script.target}, which imports {imports}, whose line {start.line} "
                f"starts the {start.server} development server at import, inside {start.loader}'s process: "
                f"the development server serves instead; in production: {script.production}",
            )
            continue
        if start.imports:
            starts = (
                "which imports " + ", which imports ".join(start.imports)
                + f", whose line {start.line} starts the {start.server} development server at import"
            )
        elif start.elsewhere and start.at_import:
            starts = (
                f"whose module-level code starts the {start.server} development server at {start.elsewhere} "
                f"({start.through})"
            )
        elif start.elsewhere:
            starts = f"whose __main__ guard starts the {start.server} development server at {start.elsewhere}"
        else:
            starts = f"whose line {start.line} starts the {start.server} development server"
        yield finding(script.place, CODE, f"{script.where} {runs(script.via)}{named}, {starts}; in production: {script.production}")
