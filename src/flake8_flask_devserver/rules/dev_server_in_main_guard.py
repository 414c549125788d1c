'''FDS101 dev-server-in-main-guard: a development server started by the `__main__` launcher.

## What it does
Flags a call that starts a development server inside an
`if __name__ == "__main__":` block (either operand order, either quote, also combined
with `and`, and the `else` of `if __name__ != "__main__":`), or inside a function of
the same module that the block runs: `main()`, `sys.exit(main())`, `run()`, a click
command invoked there (`cli()` where `@click.command() def cli(): app.run()`), a
function handed to a thread or process there (`Thread(target=serve).start()`), and
the functions those call in turn, at any depth; and the commands of a command-line
dispatcher the block runs, since `python manage.py runserver` runs them: Flask-Script's
`manager.run()` dispatches to `@manager.command`/`@manager.option(...)` functions and
to `manager.add_command("name", MyCommand())` (its `run` method), a click group's
`cli()` to its `@cli.command()` subcommands and `cli.add_command(f)`, a typer app's
`app()` to its `@app.command()` functions. The message names the path
("started by the __main__ launcher through main() -> serve()", "through the
runserver command"), and the finding
stays at the start call itself: that is the line to change, and where `# noqa`
goes (the guard's `main()` may run much more than the server). Only calls of names
bound to the module's own functions are followed; a function that only other
modules, callbacks or a dispatcher the block never runs call stays FDS102.

Another module's block counts too: when `bot.py` ends with `if __name__ == "__main__":
keep_alive()` and `keep_alive` comes from `keep_alive.py` (directly, or through further
first-party modules, `import m` then `m.f()`, a re-export, a `Thread(target=f)`),
`python bot.py` runs the start in keep_alive.py. The finding stays at the start call,
in the module that holds it ("started by the __main__ launcher of bot.py through
keep_alive() -> run()"): that is the line to change and where `# noqa` goes, as for a
launcher within one module. This is looked for only for a start that its own module's
block does not reach, among the project's files with a `__main__` block, the ones
naming the module first (crosslaunch.py: 32 launchers and 16 module visits each at most).

A server method handed to a thread, a process or a timer that is started
(`multiprocessing.Process(target=app.run, args=("0.0.0.0", 8080)).start()`,
`Thread(target=app.run, kwargs={...})`, `Timer(1, app.run)`, `Thread(None, app.run)`,
also `socketio.run` with the app in `args`), or a `functools.partial` of it that is
called or handed on, is a start too, reported at that call under FDS100/101/102 by
where it runs; its `args`/`kwargs` are mapped onto the server's own signature
(Flask.run's `host, port, debug, load_dotenv, **options`), so FDS200 and FDS300 read
them (handoff.py, citing CPython's `threading`, `multiprocessing` and `functools`).

## Why is this bad?
The launcher is how the development server reaches production (through a function or
not: `CMD ["python", "main.py"]` runs `main()` just the same): a Dockerfile's
`CMD ["python", "app.py"]`, a Procfile's `web: python app.py` or a systemd unit runs
exactly this block, and the app is then served by Werkzeug's development server,
which Werkzeug's docs say "is not designed to be particularly efficient, stable, or
secure". Flask's CLI replaces the launcher in development.

## Example
```python
if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
```

```python
def main() -> int:
    app.run(port=8000)  # FDS101: started by the __main__ launcher through main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
```

## Use instead
Delete the launcher. In development run `flask --app app run --debug`; in production
serve the app with `gunicorn 'app:app'` (or waitress, uWSGI, mod_wsgi).

## Fix safety
No automatic fix: the launcher may be used on purpose. Suppress it per file with
flake8's `per-file-ignores = manage.py:FDS101` where a launcher is wanted.

## Options
`app-classes`, `app-factories`, `server-launchers`.

## References
- https://flask.palletsprojects.com/en/stable/deploying/
- https://flask.palletsprojects.com/en/stable/cli/#run-the-development-server
'''

from __future__ import annotations

from typing import Iterator

from .. import launchers, suggest
from ..analysis import Analysis
from ..apps import Context
from ._base import Report

CODE = "FDS101"
NAME = "dev-server-in-main-guard"
SUMMARY = "development server started by the __main__ launcher"
DOCS = __doc__ or ""
FIX_SAFETY = None  # suggestion only


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.starts:
        path = analysis.launched_through(start)
        if start.site.context is Context.MAIN or path is not None:
            advice = suggest.for_start(analysis, start).advice()
            through = f" {launchers.describe(path)}" if path else ""
            yield Report(
                start.call, f"{start.server} development server started by the __main__ launcher{through}; {advice}"
            )
