"""Which calls can reach a launcher (``run_simple(app)``) or the debugger, told from this module alone, before any resolution.

Looking for server starts resolves the function of every call in a module once a launcher's
name is in its text; in library code (Flask's ``app.py``, Werkzeug's ``serving.py``) that is
hundreds of calls, most of them of names imported from other first-party modules, and
resolving those reads and parses those modules. The resolver (apps.py) gives a launcher only
for a dotted name of the family table or a configured launcher (``KNOWN``, ``_configured``):
names ending in a launcher word (``run_simple``, ``make_server``, a configured one's last
name). A call can therefore reach one only when

* its own last name is a launcher word (``run_simple(...)``, ``serving.make_server(...)``);
* its first name is imported as a launcher word (``from werkzeug.serving import run_simple as rs``);
* or, for a plain name (``launch(app)``), it is assigned a name or an attribute here (``launch =
  run_simple``): resolved as before. A ``def``, a ``class``, a parameter, or a name assigned a
  call's result (``response = Response(...)``) is never a launcher under another name (the
  resolver gives each a value of its own kind);
* for an attribute whose last name is no launcher word (``self.serve(app)``,
  ``server.start()``), only ``self.<name>`` with a ``self.<name> = ...`` in the method's class
  whose value can give a launcher or the debugger (kindbounds.py: ``self.dispatch =
  SharedDataMiddleware(self.dispatch, ...)``, a call's result, cannot).

The last rule follows from how apps.py resolves ``base.name`` (``_resolve_attribute``): a known
or configured dotted name, which ends in a launcher word; ``self.name``, from the class's
``self.name = ...`` assignments in this module (``_self_attribute``); or what a first-party
module ``base`` resolves to exports as ``name`` (``_module_attribute``), a launcher under another
name in another module, left out as below. Resolving the base (``self.dash_server``, a parameter,
``future = submit(...)``) is what costs: class bases, parameter annotations and return values
read from other modules (issue 16: Dash's ``backends/_fastapi.py`` read five modules for calls
such as ``self.dash_server._get_traceback(...)``).

Left out are names imported from a first-party module that exports a launcher under another
name (``from .devtools import serve`` where devtools.py has ``serve = run_simple``): the gate
already leaves them out of every module without a launcher word (gate.py: "the name must appear
where it is called"), and now they are left out the same way in a module that has one, so a
finding never depends on an unrelated ``run_simple`` elsewhere in the file. The same holds
for ``DebuggedApplication`` (``values.KNOWN``: werkzeug's two names of it). The audit mode
(``slices.ENABLED = False``) resolves every call, and the benchmark's audit compares the two.
"""

from __future__ import annotations

import libcst as cst

from . import kindbounds
from .apps import Kind, Resolver, Scope, Site

#: The last name of every way to reach werkzeug's debugger class (values.KNOWN).
DEBUGGED_WORDS = frozenset({"DebuggedApplication"})
#: What a call reaching a launcher or the debugger calls.
_CALLED = frozenset({Kind.LAUNCHER, Kind.DEBUGGED_APP_CLASS})


def may_reach(resolver: Resolver, func: cst.BaseExpression, site: Site, words: frozenset[str]) -> bool:
    """Whether the call of ``func`` at ``site`` can resolve to what ``words`` name (False: it cannot)."""
    return may_be(resolver, func, site.scope, site.seq, words)


def may_be(resolver: Resolver, func: cst.BaseExpression, scope: Scope, seq: int, words: frozenset[str]) -> bool:
    """Whether ``func`` evaluated in ``scope`` at ``seq`` can resolve to what ``words`` name."""
    if isinstance(func, cst.Attribute):
        if func.attr.value in words:
            return True
        base = func.value
        if isinstance(base, cst.Name) and scope.self_name == base.value:
            owner = scope.parent  # as Resolver._self_attribute reads it
            if owner is None or owner.kind != "class":
                return False
            # what one of the class's ``self.<name> = value`` gives (kindbounds.py: never a call's result)
            return any(
                kindbounds.kinds(resolver, expr, method, assigned) & _CALLED
                for assigned, expr, method in owner.self_assigns.get(func.attr.value, ())
            )
        return False  # a module's export under another name, or nothing the resolver can make a launcher
    node = func
    if not isinstance(node, cst.Name):
        return True  # ``make()(app)``, ``launchers[0](app)``: resolved as before
    if node is func and node.value in words:
        return True
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None:
        return False  # a builtin or an unbound name: never a launcher
    if binding.kind == "from":
        return binding.imported in words
    if binding.kind == "import":
        return False  # ``pkg.mod.name``: a launcher only if ``name`` is a launcher word (above)
    if binding.kind == "unpack" or (binding.kind == "assign" and not isinstance(binding.node, (cst.Name, cst.Attribute))):
        # Resolver._compute_binding: ``x = f(...)``, ``x = await f()``, ``x = env[...]``, ``a, b = f()`` give
        # what a call gives (an app, a family object, an environment read), never a launcher or werkzeug's
        # debugger class; only a name or an attribute (``launch = run_simple``) can alias one.
        return False
    if binding.kind in ("function", "class", "param"):
        # Resolver._function_value / _class_value / _param_value: a factory, a function, an app or
        # Socket.IO class, an app from an annotation; a launcher only when configured by this very
        # name (a launcher word, above); never werkzeug's debugger class.
        return False
    return True
