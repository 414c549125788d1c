"""The nesting bound that keeps deep sources away from libcst: it covers every construct
that nests, and stays flat for long but flat code, so no real file is refused."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from flake8_flask_devserver.engine import TOO_DEEP
from flake8_flask_devserver import nesting
from flake8_flask_devserver.nesting import MAX_NESTING, nesting_bound, statement_bound, too_deep

from .conftest import FIXTURES, ROOT

HEAD = "from flask import Flask\n\napp = Flask(__name__)\napp.run()\n"

#: Constructs that nest one level deeper per repetition (libcst's tree, and its parser's stack).
DEEP: dict[str, Callable[[int], str]] = {
    "parentheses": lambda n: "x = " + "(" * n + "1" + ")" * n + "\n",
    "lists": lambda n: "x = " + "[" * n + "]" * n + "\n",
    "dicts": lambda n: "x = " + "{'a': " * n + "1" + "}" * n + "\n",
    "call_chain": lambda n: "x = f" + "()" * n + "\n",
    "call_args": lambda n: "x = " + "f(" * n + ")" * n + "\n",
    "subscripts": lambda n: "x = a" + "[0]" * n + "\n",
    "attributes": lambda n: "x = a" + ".b" * n + "\n",
    "not": lambda n: "x = " + "not " * n + "y\n",
    "unary_minus": lambda n: "x = " + "-" * n + "1\n",
    "plus": lambda n: "x = " + " + ".join(["1"] * (n + 1)) + "\n",
    "power": lambda n: "x = " + " ** ".join(["2"] * (n + 1)) + "\n",
    "and": lambda n: "x = " + " and ".join(["y"] * (n + 1)) + "\n",
    "or_multiline": lambda n: "x = (\n" + "\n".join(["    y or"] * n) + "\n    z\n)\n",
    "strings": lambda n: "x = " + " ".join(["'a'"] * (n + 1)) + "\n",
    "lambdas": lambda n: "f = " + "lambda: " * n + "1\n",
    "lambda_params": lambda n: "f = " + "lambda a, b: " * n + "1\n",
    "ternaries": lambda n: "x = " + "a if b else " * n + "c\n",
    "comprehension_fors": lambda n: "x = [a " + "for a in b " * n + "]\n",
    "elif_chain": lambda n: "if a:\n    pass\n" + "elif a:\n    pass\n" * n,
    "fstring_field": lambda n: 'x = f"{' + "-" * n + '1}"\n',
    "backslash_lines": lambda n: "x = 1" + " + \\\n    1" * n + "\n",
    "unclosed_brackets": lambda n: "x = " + "(" * n + "\n",
}

#: Long code that does not nest: refusing any of it would lose real findings.
FLAT: dict[str, str] = {
    "list_of_calls": "x = [" + ", ".join(f"f({i})" for i in range(5000)) + "]\n",
    "dict_literal": "x = {\n" + "".join(f'    "k{i}": ("v", {i}),\n' for i in range(5000)) + "}\n",
    "call_arguments": "f(" + ", ".join(f"a{i}=b.c[{i}]" for i in range(5000)) + ")\n",
    "comparison_chain": "x = " + " < ".join(["a"] * 5000) + "\n",
    "html_fstring": 'page = f"""\n' + "<div class='a.b'>(x) - {name} + [y]</div>\n" * 5000 + '"""\n',
    "docstring": '"""' + "a.b(c)[d] + -e " * 5000 + '"""\n',
    "comments": "# a.b(c)[d] + -e not and or\n" * 5000,
    "statements": "x = a.b(c)[d] + -e\n" * 5000,
    "if_statements": "if a:\n    pass\nelse:\n    pass\n" * 5000,
    "lambda_in_calls": "f(" + ", ".join("lambda a, b: a" for _ in range(3000)) + ")\n",
}


@pytest.mark.parametrize("name", DEEP)
def test_bound_covers_every_level(name: str) -> None:
    for depth in (1, 10, 100, MAX_NESTING + 1):
        assert nesting_bound(DEEP[name](depth)) >= depth
    assert too_deep(DEEP[name](MAX_NESTING + 1))


@pytest.mark.parametrize("name", FLAT)
def test_flat_code_stays_flat(name: str) -> None:
    assert nesting_bound(FLAT[name]) < 20
    assert not too_deep(FLAT[name])


@pytest.mark.parametrize("name", DEEP)
def test_the_statement_bound_covers_every_level(name: str) -> None:
    """With Python's tree (flake8 has it), each statement's own lines are counted: still every level."""
    source = DEEP[name](MAX_NESTING + 1)
    try:
        tree = ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError):
        pytest.skip("Python cannot parse it either (flake8 runs no plugin on it)")
    assert statement_bound(source, tree) > MAX_NESTING
    assert too_deep(source, tree)


def test_the_statement_bound_spares_the_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long files of small statements (classes, functions) have more nesting tokens than
    MAX_NESTING in all, few in any statement: with the tree they are not tokenized."""
    source = "".join(
        f"@decorator({i})\nclass C{i}(Base):\n    def f(self, a=[1]):\n        if a.b(c)[d]:\n"
        f"            return -a.e(f)\n        elif a:  # (x)\n            pass\n        else: g(1)\n"
        for i in range(300)
    )
    assert len(nesting._DEEPENING.findall(source)) > MAX_NESTING  # (past too_deep's first look)
    tokenized: list[str] = []
    monkeypatch.setattr(nesting, "nesting_bound", lambda text: tokenized.append(text) or 0)
    assert statement_bound(source, ast.parse(source)) < 20
    assert not too_deep(source, ast.parse(source))
    assert tokenized == []
    assert not too_deep(source + "\n")  # without a tree, the tokens decide
    assert len(tokenized) == 1


@pytest.mark.parametrize(
    "source",
    [
        "if (a and\n    b): x = (1 +\n 2)\n",  # a header over lines, its body on its last line
        "try:\n    pass\nexcept (A,\n  B): x = [\n 1]\nfinally:\n    y = -1\n",
        "match x:\n    case [a, (b, c)] if d.e:\n        pass\n",
        "@a.b(c)\n@d[e]\ndef f(x=(1,\n 2)) -> g.h:\n    return x\n",
        "x = (1,\n 2); y = -3\r\nz = [4]\rw = {5}\n",
    ],
)
def test_the_statement_bound_counts_each_token_once_at_least(source: str) -> None:
    """Every nesting token in a statement's text is on its own lines (headers, decorators, clauses)."""
    tree = ast.parse(source)
    tokens = len(nesting._DEEPENING.findall(source))
    deepest = max(len(nesting._DEEPENING.findall(ast.get_source_segment(source, node) or "")) for node in ast.walk(tree) if isinstance(node, ast.expr))
    assert deepest <= statement_bound(source, tree) <= tokens + 3


def test_real_code_is_never_refused() -> None:
    """Our own sources, the fixtures and some long stdlib modules."""
    import argparse
    import ast
    import inspect
    import typing

    paths = [*ROOT.joinpath("src").rglob("*.py"), *FIXTURES.rglob("*.py")]
    paths += [Path(module.__file__ or "") for module in (argparse, ast, inspect, typing)]
    for path in paths:
        source = path.read_text(encoding="utf-8")
        assert not too_deep(source), path
        assert statement_bound(source, ast.parse(source)) <= MAX_NESTING, path


_ENGINE = textwrap.dedent(
    """
    import json, sys
    from flake8_flask_devserver.engine import SourceError, check_source

    out = {}
    for name, source in json.loads(sys.stdin.read()).items():
        try:
            out[name] = len(check_source(source))
        except SourceError as error:
            out[name] = str(error)
    print(json.dumps(out))
    """
)


def test_engine_refuses_deep_sources_instead_of_crashing() -> None:
    """Without the guard libcst overflowed the C stack (the process died) or took minutes.

    In a subprocess, so that a regression fails this test instead of killing the run.
    """
    sources = {name: HEAD + build(10_000) for name, build in DEEP.items()}
    result = subprocess.run(
        [sys.executable, "-c", _ENGINE], input=json.dumps(sources), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"engine died with {result.returncode}: {result.stderr[-2000:]}"
    assert json.loads(result.stdout) == {name: TOO_DEEP for name in DEEP}
