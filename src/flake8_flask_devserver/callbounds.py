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
* or its first name is bound here otherwise (an assignment, a parameter, a ``def``, ``self``):
  those are resolved as before, and cost little, since they are this module's own.

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

from .apps import Resolver, Site

#: The last name of every way to reach werkzeug's debugger class (values.KNOWN).
DEBUGGED_WORDS = frozenset({"DebuggedApplication"})


def may_reach(resolver: Resolver, func: cst.BaseExpression, site: Site, words: frozenset[str]) -> bool:
    """Whether the call of ``func`` at ``site`` can resolve to what ``words`` name (False: it cannot)."""
    node = func
    while isinstance(node, cst.Attribute):
        if node is func and node.attr.value in words:
            return True
        node = node.value
    if not isinstance(node, cst.Name):
        return True  # ``make()(app)``, ``launchers[0](app)``: resolved as before
    if node is func and node.value in words:
        return True
    binding = resolver.lookup(node.value, site.scope, site.seq)
    if binding is None:
        return False  # a builtin or an unbound name: never a launcher
    if binding.kind == "from":
        return binding.imported in words
    if binding.kind == "import":
        return False  # ``pkg.mod.name``: a launcher only if ``name`` is a launcher word (above)
    return True
