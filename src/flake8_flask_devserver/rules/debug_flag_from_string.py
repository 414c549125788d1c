'''FDS203 debug-flag-from-string: a debug flag taken from a raw string, which `bool()` makes true.

## What it does
Flags a debug flag set from a string: `debug=os.environ.get("FLASK_DEBUG")`,
`os.getenv(...)`, `os.environ[...]`, `bool(os.getenv(...))`, the project's own helper
that returns such a lookup (`DEBUG = get_env("DEBUG")` where `get_env` returns
`os.getenv(name) or default`; not rewritten by the fix), a string literal such as
`debug="False"`, or the same values assigned to `app.debug`, `app.config["DEBUG"]`
or `DEBUG` in a non-development configuration class.

## Why is this bad?
Flask passes `debug` through `bool()`, and every non-empty string is true: setting
`FLASK_DEBUG=0` or `DEBUG=false` in production turns the debugger *on*, exposing its
interactive console (remote code execution).

## Example
```python
app.run(debug=os.environ.get("FLASK_DEBUG"))
```

## Use instead
```python
app.run(debug=os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no", "off"))
```
or simply `os.environ.get("FLASK_DEBUG") == "1"`.

## Fix safety
Safe: the fix turns the string into a real boolean that is false for `""`, `"0"`,
`"false"`, `"no"` and `"off"` (any case), which is what the author meant:
- `debug=os.environ.get("FLASK_DEBUG")` becomes
  `debug=os.environ.get("FLASK_DEBUG", "").lower() not in ("", "0", "false", "no", "off")`
  (a string default is kept: `os.getenv("DEBUG", "0").lower() not in (...)`;
  `os.environ["FLASK_DEBUG"].lower() not in (...)` for a subscript);
- `bool(os.getenv("DEBUG"))` loses the `bool()`, which was the problem;
- a name bound to such a string in the module, `debug=DEBUG_FROM_ENV`, becomes
  `(DEBUG_FROM_ENV or "").lower() not in (...)`;
- a string literal becomes the boolean it spells: `debug="false"` is `debug=False`,
  `debug="true"` is `debug=True` (which FDS200 then reports, as it should).

- a lookup whose default is `False`, `None` or `0` gets the default `""`, and one whose
  default is `True` (or another non-zero integer) gets `"1"`, so the flag keeps its
  meaning when the variable is unset: `os.environ.get("FLASK_DEBUG", False)` becomes
  `os.environ.get("FLASK_DEBUG", "").lower() not in (...)` (off when unset), and
  `os.environ.get("FLASK_DEBUG", True)` becomes `os.environ.get("FLASK_DEBUG", "1").lower()
  not in (...)` (still on when unset, which FDS205 reports);
- a fixed line that would be longer than 88 characters (or than the file's longest line)
  is wrapped as black wraps it: the last bracket on the line, one item per line.

An environment lookup with any other default, a name bound to anything else (or in
another module), a name bound to a lookup with a true default, and a value in
`**options` bound elsewhere are left for you to fix.

## Options
`dev-config-classes` (for configuration classes).

## References
- https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run
- https://flask.palletsprojects.com/en/stable/config/#DEBUG
'''

from __future__ import annotations

from typing import Callable, Iterator

import libcst as cst

from ..analysis import Analysis, Truth, bind_arguments, string_value
from ..apps import Kind, Scope
from ._base import Report
from ._fix import Edit, Safety, expression, string, written_in

CODE = "FDS203"
NAME = "debug-flag-from-string"
SUMMARY = "debug flag taken from a raw string, which bool() makes true"
DOCS = __doc__ or ""
FIX_SAFETY: Safety | None = "safe"

RAW = (Truth.RAW_ENV, Truth.RAW_LITERAL)
_ADVICE = 'compare it instead: os.environ.get("FLASK_DEBUG") == "1"'


def message(what: str, truth: Truth) -> str:
    source = "an environment string" if truth is Truth.RAW_ENV else "a non-empty string"
    return f"{what} set from {source}: Flask applies bool(), so even '0' or 'false' turns debug on; {_ADVICE}"


def check(analysis: Analysis) -> Iterator[Report]:
    for start in analysis.servers:
        for arg, truth in analysis.debugger_args(start):
            if truth in RAW:
                yield Report(arg.anchor, message(f"{arg.name}=", truth))
    for switch in analysis.debug_switches:
        if switch.truth in RAW and not switch.what.startswith("FLASK_"):
            yield Report(switch.anchor, message(switch.what, switch.truth))
    for site, node in analysis.config_classes:
        if analysis.is_dev_config_name(node.name.value):
            continue
        for target, value in analysis.class_body_assignments(node, "DEBUG"):
            truth = analysis.class_truth(node, value, site)
            if truth in RAW:
                yield Report(target, message(f"DEBUG in {node.name.value}", truth))


#: What the fixed flag is false for (compared lower-cased).
FALSE_WORDS = ("", "0", "false", "no", "off")

_Build = Callable[[cst.BaseExpression], cst.BaseExpression]


def fix(analysis: Analysis, report: Report) -> Edit | None:
    raw = _raw_value(analysis, report.node)
    if raw is None:
        return None
    build = _boolean(analysis, *raw)
    return Edit(raw[0], "replace", build) if build is not None else None


def _raw_value(analysis: Analysis, anchor: cst.CSTNode) -> tuple[cst.BaseExpression, Scope, int] | None:
    """The raw string expression behind a report, where :func:`check` found it (None: not fixable)."""
    for start in (*analysis.starts, *analysis.server_commands):  # starts: the fixer narrows them (H7)
        for arg, truth in analysis.debugger_args(start):
            if arg.anchor is anchor and truth in RAW:
                return (arg.value, start.site.scope, start.site.seq) if written_in(start.call, anchor) else None
    for switch in analysis.debug_switches:
        if switch.anchor is anchor and switch.truth in RAW:
            return switch.value, switch.site.scope, switch.site.seq
    for site, node in analysis.config_classes:
        for target, value in analysis.class_body_assignments(node, "DEBUG"):
            if target is anchor:
                return value, site.scope, site.seq
    return None


def _boolean(analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int) -> _Build | None:
    """How to turn the raw string ``node`` into the boolean it means; None for shapes left alone."""
    text = string_value(node)
    if text is not None:
        meaning = text.lower() not in FALSE_WORDS
        return lambda updated: cst.Name("True" if meaning else "False")
    if isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].star:
        func = analysis.resolver.resolve(node.func, scope, seq)
        if func is not None and func.kind is Kind.BOOL:  # bool(raw): fix the raw string, drop bool()
            inner = _boolean(analysis, node.args[0].value, scope, seq)
            if inner is None:
                return None
            return lambda updated: inner(_only_argument(updated))
    if isinstance(node, cst.Name):
        bound = analysis.resolver.constant(node, scope, seq)
        if bound is None or bound[0] is not analysis.resolver:  # bound in another module: left alone
            return None
        _, value, where, when = bound
        source = _env_default(analysis, value, where, when)
        if string_value(value) is not None or source == "has":
            return lambda updated: _not_false(updated, analysis)
        if source in ("none", "falsy"):  # None, False or 0 when unset: ``or ""`` keeps it false
            return lambda updated: _not_false(_or_empty(updated, analysis), analysis)
        return None  # a true default would reach ``.lower()`` as True: left alone
    source = _env_default(analysis, node, scope, seq)
    if source == "has":
        return lambda updated: _not_false(updated, analysis)
    if source == "none":
        return lambda updated: _not_false(_with_empty_default(updated, analysis), analysis)
    if source in ("falsy", "truthy"):  # the default keeps its meaning as a string: "" is off, "1" on
        word = "" if source == "falsy" else "1"
        return lambda updated: _not_false(_with_string_default(updated, word, analysis), analysis)
    return None


def _only_argument(call: cst.BaseExpression) -> cst.BaseExpression:
    assert isinstance(call, cst.Call)
    return call.args[0].value


def _env_default(analysis: Analysis, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
    """For an environment read: "has" when it is always a string, "none" when it may be None
    (no default), "falsy"/"truthy" for a default of ``None``, ``False``, ``True`` or an integer."""
    if not isinstance(node, (cst.Call, cst.Subscript)):
        return None
    value = analysis.resolver.resolve(node, scope, seq)
    if value is None or value.kind is not Kind.ENV_READ:
        return None
    if isinstance(node, cst.Subscript):
        return "has"
    func = analysis.resolver.resolve(node.func, scope, seq)
    if func is not None and func.qualname:
        return None  # the project's own helper (``get_env("DEBUG")``): its parameters are its own
    default = bind_arguments(node, ("key", "default")).get("default")
    if default is None:
        return "none" if not any(arg.star for arg in node.args) else None
    if string_value(default.value) is not None:
        return "has"
    if not any(arg is default.anchor for arg in node.args):
        return None  # from a ``**options`` dict: not rewritten in place
    return _constant_truth(default.value)


def _constant_truth(node: cst.BaseExpression) -> str | None:
    """"falsy" or "truthy" for ``None``, ``False``, ``True`` and integer literals (keywords:
    they cannot be rebound); None for anything else, whose truth the fix cannot know."""
    if isinstance(node, cst.Name) and node.value in ("None", "False", "True"):
        return "truthy" if node.value == "True" else "falsy"
    if isinstance(node, cst.Integer):
        return "truthy" if node.evaluated_value else "falsy"
    return None


def _with_string_default(call: cst.BaseExpression, word: str, analysis: Analysis) -> cst.BaseExpression:
    """``os.environ.get("X", False)`` -> ``os.environ.get("X", "")`` (``True`` -> ``"1"``), in place."""
    assert isinstance(call, cst.Call)
    default = bind_arguments(call, ("key", "default")).get("default")
    assert default is not None
    args = [
        arg.with_changes(value=string(word, analysis).with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar))
        if arg is default.anchor
        else arg
        for arg in call.args
    ]
    return call.with_changes(args=args)


def _not_false(subject: cst.BaseExpression, analysis: Analysis) -> cst.BaseExpression:
    """``subject.lower() not in ("", "0", "false", "no", "off")``."""
    words = expression("(" + ", ".join(f'"{word}"' for word in FALSE_WORDS) + ")", analysis)
    lowered = cst.Call(func=cst.Attribute(value=subject, attr=cst.Name("lower")))
    return cst.Comparison(left=lowered, comparisons=[cst.ComparisonTarget(cst.NotIn(), words)])


def _or_empty(name: cst.BaseExpression, analysis: Analysis) -> cst.BaseExpression:
    """``(name or "")``: a lookup without a default may give None."""
    return cst.BooleanOperation(
        left=name.with_changes(lpar=[], rpar=[]),
        operator=cst.Or(),
        right=string("", analysis),
        lpar=[cst.LeftParen()],
        rpar=[cst.RightParen()],
    )


def _with_empty_default(call: cst.BaseExpression, analysis: Analysis) -> cst.BaseExpression:
    """``os.environ.get("X")`` -> ``os.environ.get("X", "")`` (``default=""`` after keywords)."""
    assert isinstance(call, cst.Call)
    args = list(call.args)
    empty = cst.Arg(string("", analysis))
    if any(arg.keyword is not None for arg in args):
        no_space = cst.SimpleWhitespace("")
        empty = empty.with_changes(keyword=cst.Name("default"), equal=cst.AssignEqual(no_space, no_space))
    if args and args[-1].comma is cst.MaybeSentinel.DEFAULT:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[*args, empty])
