"""What a function's parameter holds where a start reads it: the arguments of the calls that run it.

``def serve(host="0.0.0.0", debug=True): app.run(host=host, debug=debug)`` binds nothing by
itself; the value is what a call passes, or the parameter's default where the call passes
nothing, as Python binds arguments (:func:`call_frame`, the same mapping when_unset.py uses
to evaluate a helper's ``return`` with its call's arguments). The calls looked at are the
module's own calls of the function by name, and ``Thread(target=serve)`` with nothing handed
on (a call passing nothing).

Which calls decide, precision first (report what holds for a call that really happens):

* calls that run when the module runs, under its ``__main__`` guard, at import time, or in
  a function either of those reaches (launchers.py): the value is dangerous when it is so
  for one of them, since that call happens;
* otherwise, the calls seen elsewhere (in functions nobody is known to run) must all agree;
  a use of the function's name that is not a judged call (a callback, ``*args``) leaves the
  value unknown;
* no call at all: the default, which is what a caller that passes nothing gets. Rules treat
  that as "on unless a caller switches it off" (FDS205 for debug; FDS300 for a host).

A command-line command's parameters are not the function's to default: click, typer and
Flask-Script fill them from the command line, and cliopts.py gives the value when the
command line says nothing. Other decorated functions are called by whatever the decorator
registers them with, and are not judged. Bounded: one pass over the module's calls per
function, cached per analysis; chains of parameters are followed by the callers of
:func:`given` with their own depth limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, TypeVar

import libcst as cst

from . import cliopts
from .apps import Binding, Context, Scope, Site
from .moduleindex import _LEAF_TYPES, _SEQUENCES, _SHAPES, _shape
from .arguments import binds_all_interfaces

if TYPE_CHECKING:
    from .analysis import Analysis, ServerStart, Truth

T = TypeVar("T")

#: Where a value comes from: a call's argument, a parameter's default at a call passing nothing,
#: the default with no call seen, or a command-line option's default (cliopts.py).
ARGUMENT, DEFAULT, UNSEEN, CLI = "argument", "default", "unseen", "cli"


@dataclass(frozen=True)
class Given:
    """One value a parameter (or an argparse namespace attribute) may hold where it is read."""

    expr: cst.BaseExpression
    scope: Scope
    seq: int
    origin: str
    runs: bool  # the call giving it runs when the module is run or imported
    function: str  # the function whose parameter it is ("" for an argparse namespace)
    param: str  # the parameter's (or argparse dest's) name
    option: cliopts.Option | None = None  # the command-line option, for CLI


@dataclass(frozen=True)
class Flow:
    givens: tuple[Given, ...]
    complete: bool  # every use of the function is a judged call
    #: values already picked (a parameter's value does not depend on where it is read): keeps chains of
    #: parameters linear, and a recursive chain reads its own value as unknown
    _memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def pick(self, value_of: Callable[[Given], T], bad: Callable[[T], bool]) -> tuple[T, Given] | None:
        """The value that holds, with the given it comes from (see the module docstring for the rule)."""
        runs = [given for given in self.givens if given.runs]
        pool = runs or (list(self.givens) if self.complete else [])
        if not pool:
            return None
        values = [(value_of(given), given) for given in pool]
        if runs:
            for value, given in values:
                if bad(value):
                    return value, given
        first = values[0][0]
        return (first, values[0][1]) if all(value == first for value, _ in values[1:]) else None


    def only_calls(self) -> Flow:
        """The givens of calls the analysis sees (a default no call overrides and an option's default left out)."""
        return Flow(tuple(given for given in self.givens if given.origin in (ARGUMENT, DEFAULT)), self.complete)

    def pick_truth(self, analysis: Analysis, depth: int, defaults: bool) -> Truth | None:
        from .analysis import Truth

        key = f"truth:{defaults}"
        if key not in self._memo:
            self._memo[key] = None  # while it is computed: a chain back to itself is unknown
            flow = self if defaults else self.only_calls()
            picked = flow.pick(
                lambda given: analysis.truth(given.expr, given.scope, given.seq, depth + 1, defaults=defaults),
                lambda truth: truth is Truth.TRUE,
            )
            self._memo[key] = picked[0] if picked is not None else None
        return self._memo[key]  # type: ignore[return-value]

    def pick_string(self, analysis: Analysis, depth: int) -> str | None:
        if "string" not in self._memo:
            self._memo["string"] = None
            picked = self.pick(
                lambda given: analysis.string(given.expr, given.scope, given.seq, depth + 1),
                lambda text: text is not None and binds_all_interfaces(text, True),
            )
            self._memo["string"] = picked[0] if picked is not None else None
        return self._memo["string"]  # type: ignore[return-value]


def leaf(
    analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int, host: bool = False, defaults: bool = False
) -> Given | None:
    """The given a value finally comes from, following arguments that are parameters in turn (for
    messages and for choosing FDS200 or FDS205): None when the value does not come through one."""
    from .analysis import Truth

    for _ in range(8):
        flow = given(analysis, node, scope, seq)
        if flow is None:
            return None
        if not defaults and not host:
            flow = flow.only_calls()
        found: Given | None = None
        if host:
            text = flow.pick(
                lambda g: analysis.string(g.expr, g.scope, g.seq),
                lambda value: value is not None and binds_all_interfaces(value, True),
            )
            if text is not None and text[0] is not None and binds_all_interfaces(text[0], True):
                found = text[1]
        else:
            truth = flow.pick(
                lambda g: analysis.truth(g.expr, g.scope, g.seq, defaults=defaults), lambda value: value is Truth.TRUE
            )
            if truth is not None and truth[0] is Truth.TRUE:
                found = truth[1]
        if found is None:
            return None  # the value that holds is not the one reported
        if given(analysis, found.expr, found.scope, found.seq) is None:
            return found
        node, scope, seq = found.expr, found.scope, found.seq
    return None


def env_on(analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int) -> frozenset[str] | None:
    """FDS205 through a parameter: the variables whose absence turns on the value a call passes (or the
    default it leaves, ``def serve(debug=os.getenv("DEBUG", "1") == "1")``), by the rule of :class:`Flow`."""
    flow = given(analysis, node, scope, seq) if isinstance(node, cst.Name) else None
    if flow is None:
        return None
    picked = flow.pick(lambda g: analysis.environment.value(g.expr, g.scope, g.seq), lambda found: found.on)
    return picked[0].keys if picked is not None and picked[0].on else None


def call_frame(define: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression | None] | None:
    """How Python binds ``call``'s arguments to ``define``'s parameters: name -> the argument given,
    or None where the parameter is left to its default. None when not judged: ``*args``/``**kwargs``
    at the call or in the signature taking the surplus, more positionals than parameters (a
    TypeError), or a keyword given twice."""
    params = define.params
    positional = [*params.posonly_params, *params.params]
    frame: dict[str, cst.BaseExpression | None] = {
        param.name.value: None for param in [*positional, *params.kwonly_params]
    }
    given = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in call.args) or len(given) > len(positional):
        return None
    for param, arg in zip(positional, given):
        frame[param.name.value] = arg.value
    posonly = {param.name.value for param in params.posonly_params}
    for arg in call.args:
        if arg.keyword is None:
            continue
        name = arg.keyword.value
        if name not in frame or name in posonly or frame[name] is not None:
            return None  # **kwargs takes it, or a TypeError
        frame[name] = arg.value
    return frame


def given(analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int) -> Flow | None:
    """The values ``node`` may hold when it is a parameter of one of the module's functions (or an
    argparse namespace's attribute: cliopts.py); None when it is neither or cannot be judged."""
    resolver = analysis.resolver
    if isinstance(node, cst.Attribute):
        found = cliopts.namespace_default(analysis, node, scope, seq)
        if found is None:
            return None
        option, expr = found
        return Flow((Given(expr, scope, seq, CLI, True, "", option.dest, option),), True)
    if not isinstance(node, cst.Name):
        return None
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None or binding.kind != "param" or not isinstance(binding.node, cst.Param):
        return None
    memo: dict[int, Flow | None] = analysis.__dict__.setdefault("_param_flows", {})
    if id(binding) not in memo:
        memo[id(binding)] = _flow(analysis, binding)
    return memo[id(binding)]


def _flow(analysis: Analysis, binding: Binding) -> Flow | None:
    inner = binding.scope
    define, param = inner.node, binding.node
    parent = inner.parent
    if not isinstance(define, cst.FunctionDef) or not isinstance(param, cst.Param) or parent is None:
        return None
    if parent.kind == "class" or define.asynchronous is not None:
        return None  # methods (``self``, overrides) and coroutines are not followed
    function = _function_binding(parent, define)
    if function is None:
        return None
    name, where = param.name.value, function.seq
    option = cliopts.command_option(analysis, define, param, parent, where)
    if option is not None:
        if option.default is None:
            return None  # a required argument, or an option whose default is not known
        return Flow((Given(option.default, parent, where, CLI, True, define.name.value, name, option),), True)
    if define.decorators:
        return None  # called by what the decorator registers it with (a route, a signal, ...)
    givens: list[Given] = []
    complete = True
    judged = 0
    for site, call in _calls(analysis, function, define.name.value):
        runs = _runs(analysis, site)
        frame = call_frame(define, call) if call is not None else {}
        if frame is None:
            complete = False
            continue
        judged += 1
        passed = frame.get(name)
        if passed is not None:
            givens.append(Given(passed, site.scope, site.seq, ARGUMENT, runs, define.name.value, name))
        elif param.default is not None:
            givens.append(Given(param.default, parent, where, DEFAULT, runs, define.name.value, name))
    if _other_uses(analysis, define.name.value) > judged:
        complete = False  # handed somewhere as a callback: called with arguments not seen here
    if not judged and complete and param.default is not None:
        givens.append(Given(param.default, parent, where, UNSEEN, False, define.name.value, name))
    return Flow(tuple(givens), complete) if givens or not complete else None


def _function_binding(parent: Scope, define: cst.FunctionDef) -> Binding | None:
    for binding in parent.bindings.get(define.name.value, ()):
        if binding.kind == "function" and binding.node is define:
            return binding
    return None


def _calls(analysis: Analysis, function: Binding, name: str) -> list[tuple[Site, cst.Call | None]]:
    """The module's calls of the function (``name(...)``), and the ``Thread(target=name)`` style
    hand-offs with nothing handed on (a call passing nothing: None); hand-offs with ``args``/``kwargs``
    come back as calls that cannot be judged."""
    found: list[tuple[Site, cst.Call | None]] = []
    for site in analysis.model.index.calls:
        call = site.node
        assert isinstance(call, cst.Call)
        if isinstance(call.func, cst.Name) and call.func.value == name:
            if analysis.resolver.lookup(name, site.scope, site.seq) is function:
                found.append((site, call))
            continue
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in ("target", "function") and isinstance(arg.value, cst.Name):
                if arg.value.value == name and analysis.resolver.lookup(name, site.scope, site.seq) is function:
                    handed = any(a.keyword is not None and a.keyword.value in ("args", "kwargs") for a in call.args)
                    found.append((site, _UNJUDGED if handed else None))
    return found


#: A hand-off with arguments: a call whose frame is not judged.
_UNJUDGED = cst.Call(func=cst.Name("_"), args=[cst.Arg(value=cst.Name("_"), star="*")])


def _runs(analysis: Analysis, site: Site) -> bool:
    """Whether a call runs when the module is run as a script or imported."""
    if site.context in (Context.MAIN, Context.IMPORT):
        return True
    return analysis.main_reach.path_to(site) is not None or analysis.import_reach.path_to(site) is not None


def _other_uses(analysis: Analysis, name: str) -> int:
    """How many times ``name`` is read in the module other than as the name of its ``def``: every
    call, hand-off and other use (a callback handed on, ``obj.name``; counted generously)."""
    counts: dict[str, int] | None = analysis.__dict__.get("_name_counts")
    if counts is None:
        counts = analysis.__dict__["_name_counts"] = name_counts(analysis.model.module)
    return counts.get(name, 0)


def name_counts(module: cst.CSTNode) -> dict[str, int]:
    """Per name: the ``Name`` nodes of ``module`` less the ``def`` names and keyword names among them.

    What a ``libcst.CSTVisitor`` counting ``visit_Name`` and subtracting in ``visit_FunctionDef`` and
    ``visit_Arg`` finds, read from the tree directly over the fields libcst visits (moduleindex's
    walk, which leaves out only tokens and whitespace, where no name sits): libcst's own traversal
    rebuilds every node it passes, which cost more than the parse (Werkzeug's ``serving.py``).
    """
    counts: dict[str, int] = {}
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        kind = type(node)
        skip: cst.CSTNode | None = None  # the Name not counted: a ``def``'s own or an argument's keyword
        if kind is cst.FunctionDef:
            skip = node.name  # type: ignore[attr-defined]
        elif kind is cst.Arg:
            skip = node.keyword  # type: ignore[attr-defined]
        for attribute in (_SHAPES.get(kind) or _shape(node))[1]:
            child = getattr(node, attribute)
            for item in child if type(child) in _SEQUENCES else (child,):
                item_kind = type(item)
                if item_kind is cst.Name:
                    if item is not skip:
                        counts[item.value] = counts.get(item.value, 0) + 1
                elif item_kind not in _LEAF_TYPES and isinstance(item, cst.CSTNode):
                    stack.append(item)
    return counts


def called_elsewhere(analysis: Analysis, start: ServerStart) -> bool:
    """Whether another module's ``__main__`` launcher runs the start (crosslaunch.py): its call of the
    function is not seen here, so a default no call here uses is not judged."""
    path = analysis.launched_through(start)
    return path is not None and bool(path) and path[0].endswith(".py")


def describe(given: Given) -> str:
    """Where a value comes from, for messages: "the default of --debug", "the default of serve()'s
    debug parameter", "passed to serve()"."""
    if given.origin == CLI and given.option is not None:
        if given.option.store_false:
            return f"{given.param} is on unless {given.option.flag} is given"
        return f"the default of {given.option.flag}"
    if given.origin == ARGUMENT:
        return f"passed to {given.function}() as {given.param}"
    if given.origin == DEFAULT:
        return f"the default of {given.function}()'s {given.param} parameter, which its call leaves unset"
    return f"the default of {given.function}()'s {given.param} parameter"
