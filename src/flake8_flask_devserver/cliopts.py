"""The value a command-line option has when the command line does not give it: its default.

A start that reads ``host``/``debug`` from a command's parameters (click, typer, Flask-Script)
or from ``args = parser.parse_args()`` (argparse) gets the option's default whenever the
command is run without the option, which is how a Dockerfile's ``CMD python app.py``
usually runs it. Each library's own rules, read from its source:

* click (src/click/core.py, 8.x): ``Option._parse_decls`` names the parameter: an identifier
  declaration is the name; otherwise the declarations with the longest prefix (``--`` before
  ``-``) are taken in order, the first one's name with ``-`` turned into ``_`` and lowered;
  ``--debug/--no-debug`` declares a boolean flag by its first half. The value with nothing
  given is ``default`` (``get_default``); without one a boolean flag (``/`` in a declaration,
  or ``is_flag=True`` with no ``flag_value``) is False (``_resolve_lazy_default``) and any other
  option None. A callable default, ``flag_value`` or a ``callback`` is not judged.
* typer (typer/params.py): ``typer.Option(default, *param_decls, ...)`` and
  ``typer.Argument(default, ...)`` take the default first (``...``: required); with
  ``Annotated[T, typer.Option()]`` or a plain parameter the parameter's own default is the
  option's default. ``default_factory`` is not judged. Commands: ``@app.command()`` on
  ``app = typer.Typer()`` and ``typer.run(main)``.
* argparse (Lib/argparse.py): ``_get_optional_kwargs`` derives ``dest`` from the first long
  option (``--bind-host`` -> ``bind_host``), else the first option; the namespace gets
  ``default`` (None without one), ``store_true`` False, ``store_false`` True; a string default
  goes through ``type=`` as if typed (so only a ``str`` or absent type is judged). Read as
  ``args.host`` after ``args = parser.parse_args()`` with no argument list (``sys.argv``);
  ``set_defaults`` of the same dest is not judged.
* Flask-Script (flask_script/__init__.py, 2.0.6): ``@manager.option(*args, **kwargs)`` hands its
  arguments to argparse's ``add_argument`` (the rules above); ``@manager.command`` makes an
  option of each parameter with a default, ``default=default`` (a bool one ``store_true``
  keeping its default), so the parameter's default is the option's.

What each option's default means is the rules' to say (FDS205 for a debug switch on by
default, FDS300 for an all-interfaces host).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from .apps import Kind, Scope
from .arguments import string_value

if TYPE_CHECKING:
    from .analysis import Analysis

_FALSE = cst.Name("False")
_TRUE = cst.Name("True")
_NONE = cst.Name("None")


@dataclass(frozen=True)
class Option:
    """A command-line option a value comes from."""

    library: str  # click, typer, argparse, flask_script
    flag: str  # ``--debug`` (for messages)
    dest: str  # the parameter or namespace attribute it fills
    default: cst.BaseExpression | None  # its value when not given (None: not known)
    store_false: bool = False  # argparse ``action="store_false"``: on unless given


def command_option(
    analysis: Analysis, define: cst.FunctionDef, param: cst.Param, scope: Scope, seq: int
) -> Option | None:
    """The option filling ``param`` of a command-line command; an Option with ``default=None`` when the
    function is a command but the value is not known; None when it is no command."""
    resolver = analysis.resolver
    name = param.name.value
    library = None
    for decorator in define.decorators:
        expr = decorator.decorator
        head = expr.func if isinstance(expr, cst.Call) else expr
        qualname = _qualname(analysis, head, scope, seq)
        if qualname in ("click.option", "click.decorators.option") and isinstance(expr, cst.Call):
            library = "click"
            found = _click_option(expr, name)
            if found is not None:
                return found
        elif qualname.startswith("click."):
            library = library or "click"
        elif isinstance(head, cst.Attribute) and isinstance(head.value, cst.Name):
            owner = resolver.resolve(head.value, scope, seq)
            if owner is not None and owner.kind is Kind.FAMILY_OBJECT and owner.qualname == "flask_script.Manager":
                library = "flask_script"
                if head.attr.value == "option" and isinstance(expr, cst.Call):
                    found = _argparse_option(expr, "flask_script")
                    if found is not None and found.dest == name:
                        return found
                elif head.attr.value == "command":
                    return _plain(param, "flask_script")
            elif head.attr.value == "command" and _is_typer_app(analysis, head.value, scope, seq):
                return _typer(param, analysis, scope, seq)
            elif head.attr.value in ("command", "group") and _looks_click(analysis, head.value, scope, seq):
                library = library or "click"  # ``@cli.command()`` of a click group
    if library is None and _typer_run(analysis, define.name.value):
        return _typer(param, analysis, scope, seq)
    return Option(library, "", name, None) if library is not None else None


def _qualname(analysis: Analysis, head: cst.BaseExpression, scope: Scope, seq: int) -> str:
    if not isinstance(head, (cst.Name, cst.Attribute)):
        return ""
    value = analysis.resolver.resolve(head, scope, seq)
    return (value.qualname or "") if value is not None else ""


def _looks_click(analysis: Analysis, owner: cst.BaseExpression, scope: Scope, seq: int) -> bool:
    """``@cli.command()`` where ``cli`` is a click group of this module (a ``def`` decorated by click)."""
    if not isinstance(owner, cst.Name):
        return False
    binding = analysis.resolver.lookup(owner.value, scope, seq)
    node = binding.node if binding is not None else None
    return isinstance(node, cst.FunctionDef) and any(
        _qualname(analysis, d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator, scope, seq).startswith(
            "click."
        )
        for d in node.decorators
    )


def _is_typer_app(analysis: Analysis, owner: cst.BaseExpression, scope: Scope, seq: int) -> bool:
    if not isinstance(owner, cst.Name):
        return False
    binding = analysis.resolver.lookup(owner.value, scope, seq)
    if binding is None or binding.kind != "assign" or not isinstance(binding.node, cst.Call):
        return False
    return _qualname(analysis, binding.node.func, binding.scope, binding.seq) in ("typer.Typer", "typer.main.Typer")


def _typer_run(analysis: Analysis, name: str) -> bool:
    """``typer.run(main)`` somewhere in the module (the names so run, found once per module)."""
    names: set[str] | None = analysis.__dict__.get("_typer_run_names")
    if names is None:
        names = set()
        for site in analysis.model.index.calls:
            call = site.node
            assert isinstance(call, cst.Call)
            if call.args and isinstance(call.args[0].value, cst.Name) and _last(call.func) == "run":
                if _qualname(analysis, call.func, site.scope, site.seq) in ("typer.run", "typer.main.run"):
                    names.add(call.args[0].value.value)
        analysis.__dict__["_typer_run_names"] = names
    return name in names


def _last(node: cst.BaseExpression) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def _click_option(call: cst.Call, param: str) -> Option | None:
    """The click option that fills ``param``, when this decorator declares it."""
    decls = [string_value(arg.value) for arg in call.args if arg.keyword is None and not arg.star]
    if any(decl is None for decl in decls) or any(arg.star for arg in call.args):
        return None
    name: str | None = None
    possible: list[tuple[str, str, str]] = []  # (prefix, name, declaration)
    boolean = False
    for decl in decls:
        assert decl is not None
        if decl.isidentifier():
            name = decl
            continue
        split = ";" if decl[:1] == "/" else "/"
        if split in decl:
            boolean = True
            decl = decl.split(split, 1)[0].rstrip()
            if not decl:
                continue
        prefix = decl[:2] if decl[:2] in ("--", "//") else decl[:1]
        possible.append((prefix, decl[len(prefix) :], decl))
    if name is None and possible:
        ordered = sorted(possible, key=lambda item: -len(item[0]))  # stable: long options first, in order
        name = ordered[0][1].replace("-", "_").lower()
    if name != param:
        return None
    flag = sorted(possible, key=lambda item: -len(item[0]))[0][2] if possible else f"--{param}"
    if any(_keyword(call, key) is not None for key in ("callback", "flag_value", "default_factory")):
        return Option("click", flag, param, None)
    default = _keyword(call, "default")
    is_flag = _keyword(call, "is_flag")
    boolean = boolean or (isinstance(is_flag, cst.Name) and is_flag.value == "True")
    if default is None:
        default = _FALSE if boolean else _NONE
    elif isinstance(default, (cst.Lambda, cst.Call)):
        return Option("click", flag, param, None)  # a callable default, or a value computed at run time
    return Option("click", flag, param, default)


def _plain(param: cst.Param, library: str) -> Option:
    """A parameter whose own default is the option's (Flask-Script's ``@manager.command``, typer)."""
    flag = "--" + param.name.value.replace("_", "-")
    return Option(library, flag, param.name.value, param.default)


def _typer(param: cst.Param, analysis: Analysis, scope: Scope, seq: int) -> Option:
    default = param.default
    flag = "--" + param.name.value.replace("_", "-")
    if isinstance(default, cst.Call) and _qualname(analysis, default.func, scope, seq) in (
        "typer.Option",
        "typer.Argument",
        "typer.params.Option",
        "typer.params.Argument",
    ):
        if _keyword(default, "default_factory") is not None or any(arg.star for arg in default.args):
            return Option("typer", flag, param.name.value, None)
        positional = [arg.value for arg in default.args if arg.keyword is None]
        decls = [string_value(value) for value in positional[1:]]
        longs = [decl.split("/", 1)[0] for decl in decls if decl and decl.startswith("--")]
        flag = longs[0] if longs else flag
        value = positional[0] if positional else _keyword(default, "default")
        if value is None or isinstance(value, cst.Ellipsis):
            return Option("typer", flag, param.name.value, None)  # required
        return Option("typer", flag, param.name.value, value)
    return Option("typer", flag, param.name.value, default)


def _argparse_option(call: cst.Call, library: str) -> Option | None:
    """An ``add_argument(...)`` (or Flask-Script ``option(...)``) call: its dest and default."""
    strings = [string_value(arg.value) for arg in call.args if arg.keyword is None and not arg.star]
    if not strings or any(text is None for text in strings) or any(arg.star for arg in call.args):
        return None
    options = [text for text in strings if text]
    if not options:
        return None
    dest_value = _keyword(call, "dest")
    dest = string_value(dest_value) if dest_value is not None else None
    if not options[0].startswith("-"):
        dest = dest or options[0]  # a positional: given unless ``nargs="?"``/``"*"``
        nargs = string_value(_keyword(call, "nargs") or cst.Name("None"))
        if nargs not in ("?", "*"):
            return Option(library, options[0], dest, None)
    elif dest is None:
        longs = [text for text in options if len(text) > 1 and text[1] == "-"]
        dest = (longs[0] if longs else options[0]).lstrip("-").replace("-", "_")
    if not dest:
        return None
    flag = next((text for text in options if text.startswith("--")), options[0])
    action = string_value(_keyword(call, "action") or cst.Name("None"))
    default = _keyword(call, "default")
    if default is None:
        stored = {"store_true": _FALSE, "store_false": _TRUE}.get(action or "", _NONE)
        return Option(library, flag, dest, stored, store_false=action == "store_false")
    kind = _keyword(call, "type")
    if string_value(default) is not None and kind is not None and not (isinstance(kind, cst.Name) and kind.value == "str"):
        return Option(library, flag, dest, None)  # the string goes through type=: not judged
    return Option(library, flag, dest, default)


def namespace_default(
    analysis: Analysis, node: cst.Attribute, scope: Scope, seq: int
) -> tuple[Option, cst.BaseExpression] | None:
    """``args.host`` where ``args = parser.parse_args()`` and ``parser = argparse.ArgumentParser(...)``
    in this module: the option with that dest and its default (None when not judged)."""
    resolver = analysis.resolver
    if not isinstance(node.value, cst.Name):
        return None
    binding = resolver.lookup(node.value.value, scope, seq)
    if binding is None:
        return None
    parsed = binding.node
    if binding.kind == "unpack" and binding.index == 0:  # ``args, rest = parser.parse_known_args()``
        parsed = parsed if isinstance(parsed, cst.Call) else None
    elif binding.kind != "assign":
        return None
    if not isinstance(parsed, cst.Call) or not isinstance(parsed.func, cst.Attribute):
        return None
    if parsed.func.attr.value not in ("parse_args", "parse_known_args", "parse_intermixed_args") or parsed.args:
        return None  # an argument list of the code's own is not the command line
    parser = parsed.func.value
    if not isinstance(parser, cst.Name):
        return None
    made = resolver.lookup(parser.value, binding.scope, binding.seq)
    if made is None or made.kind != "assign" or not isinstance(made.node, cst.Call):
        return None
    if _qualname(analysis, made.node.func, made.scope, made.seq) != "argparse.ArgumentParser":
        return None
    owners = {id(made)}
    found: list[Option] = []
    for site in analysis.model.index.calls:
        call = site.node
        assert isinstance(call, cst.Call)
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            continue
        owner = resolver.lookup(func.value.value, site.scope, site.seq)
        if owner is None:
            continue
        if id(owner) not in owners and owner.kind == "assign" and isinstance(owner.node, cst.Call):
            inner = owner.node.func  # ``group = parser.add_argument_group(...)``: the parser's actions
            if (
                isinstance(inner, cst.Attribute)
                and inner.attr.value in ("add_argument_group", "add_mutually_exclusive_group")
                and isinstance(inner.value, cst.Name)
                and id(resolver.lookup(inner.value.value, owner.scope, owner.seq)) in owners
            ):
                owners.add(id(owner))
        if id(owner) not in owners:
            continue
        if func.attr.value == "set_defaults" and any(
            arg.star or (arg.keyword is not None and arg.keyword.value == node.attr.value) for arg in call.args
        ):
            return None
        if func.attr.value == "add_argument":
            option = _argparse_option(call, "argparse")
            if option is not None and option.dest == node.attr.value:
                found.append(option)
    if len(found) != 1 or found[0].default is None:
        return None
    return found[0], found[0].default
