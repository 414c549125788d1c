"""Option names and defaults as click and argparse themselves derive them (differential, against the real libraries)."""

from __future__ import annotations

import argparse
import ast

import click
import libcst as cst
import pytest

from flake8_flask_devserver.cliopts import _argparse_option, _click_option

CLICK_CASES = [
    '"--host"',
    '"--host", default="0.0.0.0"',
    '"-h", "--bind-host", default="::"',
    '"--bind", "-b", "listen_on", default="0.0.0.0"',
    '"-v", "--Verbose-Errors", is_flag=True',
    '"-v", "--verbose", is_flag=True, default=True',
    '"--debug/--no-debug"',
    '"--debug/--no-debug", default=True',
    '"--with-debugger/--without-debugger", default=False',
    '"-d", "--debug", "--dbg", default=True',
    '"-x", default=1',
    '"/debug;/no-debug", default=True',
]


def _call(text: str) -> cst.Call:
    node = cst.parse_expression(f"option({text})")
    assert isinstance(node, cst.Call)
    return node


@pytest.mark.parametrize("text", CLICK_CASES)
def test_click_name_and_default(text: str) -> None:
    tree = ast.parse(f"f({text})", mode="eval").body
    assert isinstance(tree, ast.Call)
    decls = [ast.literal_eval(arg) for arg in tree.args]
    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in tree.keywords if kw.arg}
    real = click.Option(decls, **kwargs)
    received: dict[str, object] = {}
    command = click.Command("c", params=[real], callback=lambda **values: received.update(values))
    command.main([], standalone_mode=False)  # the command line says nothing
    default = received[real.name or ""]
    ours = _click_option(_call(text), real.name or "")
    assert ours is not None, "click names the parameter differently"
    assert ours.default is not None
    assert ast.literal_eval(cst.Module([]).code_for_node(ours.default)) == default


ARGPARSE_CASES = [
    '"--host"',
    '"--host", default="0.0.0.0"',
    '"-H", "--bind-host", default="::"',
    '"-a", "--bind-address", "--addr", default="0.0.0.0"',
    '"-d", action="store_true"',
    '"--no-debug", action="store_false"',
    '"--no-debug", dest="debug", action="store_false"',
    '"--debug", action="store_true", default=True',
    '"-x"',
    '"-p", "--port", type=int, default=5000',
]


@pytest.mark.parametrize("text", ARGPARSE_CASES)
def test_argparse_dest_and_default(text: str) -> None:
    tree = ast.parse(f"f({text})", mode="eval").body
    assert isinstance(tree, ast.Call)
    args = [ast.literal_eval(arg) for arg in tree.args]
    kwargs = {kw.arg: (int if kw.arg == "type" else ast.literal_eval(kw.value)) for kw in tree.keywords if kw.arg}
    parser = argparse.ArgumentParser()
    action = parser.add_argument(*args, **kwargs)
    default = getattr(parser.parse_args([]), action.dest)
    ours = _argparse_option(_call(text), "argparse")
    assert ours is not None and ours.dest == action.dest
    assert ours.default is not None
    assert ast.literal_eval(cst.Module([]).code_for_node(ours.default)) == default
    assert ours.store_false == (kwargs.get("action") == "store_false")
