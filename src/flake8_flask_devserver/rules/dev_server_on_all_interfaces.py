'''FDS300 dev-server-on-all-interfaces: a development server bound to every network interface.

## What it does
Flags the host of a development-server start when it listens on all interfaces:
`"0.0.0.0"`, `"::"`, `"::0"`, `"0"` and other all-zero spellings, given as a literal,
positionally, through a module constant, or as the default of
`os.environ.get`/`os.getenv`. An empty host binds everything for
`werkzeug.serving.run_simple`/`make_server` and Quart, but not for `Flask.run`
(which turns `""` into `127.0.0.1`) and is flagged only there. Flask-Script's
`Server(host=...)` is checked too: its `runserver` passes the host to `app.run`.
connexion 2's `run()` (see FDS101) binds `"0.0.0.0"` when neither it nor the app's
constructor is given a host (`host or self.host or '0.0.0.0'`, connexion/apps/flask_app.py,
2.0.0 to 2.14.2): that default is reported at the call (no fix: add `host="127.0.0.1"`).

The host may also come through the app's configuration, read as FDS200 reads
`debug`: `host=app.config["HOST"]`, or `app.config.get("BIND_ADDRESS", "127.0.0.1")`
where a loaded configuration class or module sets `BIND_ADDRESS = "0.0.0.0"` (the
default counts only when nothing known sets the key), and through first-party settings
modules, configuration classes (`host=config.Config.HOST`) and settings objects
(`settings = Settings()` whose `__init__` stores `self.FLASK_HOST = "0.0.0.0"`), read
as FDS200 reads `debug` through them (Python's attribute lookup).

It may also come through the parameters of the function holding the start, as FDS200
follows them: what a call that runs passes, or the parameter's default where it passes
nothing (`def serve(host="0.0.0.0")` started by `serve()` under the `__main__` guard); with
no call seen, the default (what a caller passing nothing gets); and a command-line
option's default, which is the bind whenever the command line leaves the option out
(`@click.option("--host", default="0.0.0.0")` then `app.run(host=host)`; click, typer,
argparse, Flask-Script: see FDS205 for how each names and defaults its options, from
their source, in cliopts.py). The message says where the value comes from. No fix is offered through a name.

## Why is this bad?
The development server then accepts connections from the whole network, not just
from the machine it runs on; with the debugger on, that is remote code execution for
anyone on the network. A `"0.0.0.0"` that is not a bind (a log line, a docstring, a
gunicorn `--bind`) is not flagged.

## Example
```python
app.run(host="0.0.0.0")
```

## Use instead
```python
app.run(host="127.0.0.1")
```
and in production let a WSGI server bind: `gunicorn --bind 0.0.0.0:8000 'app:app'`.

## Fix safety
Unsafe: the fix rewrites the host to `127.0.0.1` (`::1` for IPv6 spellings, `[::1]`
for `[::]`), which makes the server unreachable from other machines and containers.
It rewrites the literal written in the call: the host itself, the default of
`os.environ.get("HOST", "0.0.0.0")` (the variable still wins), or the fallback of
`os.getenv("HOST") or "0.0.0.0"`. A host that comes through a name (`host=HOST`, or
`**options` bound elsewhere) is left for you: it may serve more than this bind.

## Options
`allowed-hosts`: bind addresses the team accepts (default none).

## References
- https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode
- https://werkzeug.palletsprojects.com/en/stable/serving/
'''

from __future__ import annotations

from typing import Iterator

from .. import paramflow, suggest
from ..analysis import Analysis, binds_all_interfaces, string_value
from ..connexionrun import DefaultHost
from ._base import Report
from ._fix import Edit, Safety, retext, written_in

CODE = "FDS300"
NAME = "dev-server-on-all-interfaces"
SUMMARY = "development server bound to all network interfaces"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "unsafe"

#: Starts for which an empty host string binds every interface.
_EMPTY_BINDS_ALL = ("run_simple", "make_server", "quart")


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.servers:
        arg = start.args.get(start.host_param()) or start.args.get("host")
        if arg is None:
            continue
        host = analysis.string(arg.value, start.site.scope, start.site.seq)
        if host is None or host.strip() in analysis.settings.allowed_hosts:
            continue
        if binds_all_interfaces(host, start.kind in _EMPTY_BINDS_ALL):
            prod = suggest.for_start(analysis, start).prod_bound()
            source = paramflow.leaf(analysis, arg.value, start.site.scope, start.site.seq, host=True)
            if source is not None and source.origin == paramflow.UNSEEN and paramflow.called_elsewhere(analysis, start):
                continue  # another module's launcher calls it, with arguments not seen here
            where = f", {paramflow.describe(source)}" if source is not None else ""
            if isinstance(arg, DefaultHost):
                where = ", connexion 2's default when neither run() nor the app is given a host"
            bind = "bind 127.0.0.1"
            if source is not None and source.origin != paramflow.ARGUMENT:
                bind = f"default it to 127.0.0.1 ({'--host' if source.option is None else source.option.flag} " \
                    "can still open it in development)" if source.origin == paramflow.CLI else \
                    f"default it to 127.0.0.1 ({source.param}=\"127.0.0.1\")"
            if isinstance(arg, DefaultHost):
                bind = 'pass host="127.0.0.1"'
            yield Report(
                arg.anchor,
                f"{start.server} development server bound to all interfaces (host={host!r}{where}) is reachable "
                f"from the network; {bind}, and in production: {prod}",
            )


def fix(analysis: Analysis, report: Report) -> Edit | None:
    for start in (*analysis.starts, *analysis.server_commands):  # starts: the fixer narrows them (H7)
        arg = start.args.get(start.host_param()) or start.args.get("host")
        if arg is None or arg.anchor is not report.node:
            continue
        if isinstance(arg, DefaultHost) or not written_in(start.call, arg.anchor):
            return None
        literal = analysis.string_literal(arg.value, start.site.scope, start.site.seq)
        host = string_value(literal)
        if literal is None or host is None:
            return None
        host = host.strip()
        loopback = "[::1]" if host.startswith("[") else "::1" if ":" in host else "127.0.0.1"
        return Edit(literal, "replace", lambda updated: retext(updated, loopback))
    return None
