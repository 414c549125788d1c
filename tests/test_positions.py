"""Findings are placed exactly where libcst's PositionProvider puts them, for every kind of node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from flake8_flask_devserver import _cst

from .conftest import FIXTURES, generate_flask_corpus, python_fixtures


class _Every(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True


def _assert_same_starts(source: str) -> None:
    module = cst.parse_module(source)
    every = _Every()
    module.visit(every)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found = _cst.locate(module, every.nodes)
    for node in every.nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), (type(node).__name__, cst.Module([]).code_for_node(node))


SNIPPETS = [
    "x = (  # c\n  app\n  .run(debug=True)\n)\n",
    "if a: b(); c = 1\nelse:\n    pass\n",
    "@d(1)\n\n# c\nasync def f(a, /, b=2, *, c: 'x' = 3, **k) -> None:\n    return (yield)\n",
    "class C(B, metaclass=M):\n    '''doc'''\n    DEBUG = True; X = 1\n",
    "s = f'{a!r:>{b}}' 'x' \\\n    \"y\"\nt = {**a, 'k': [1, *b]}\n",
    "with (a as b, c as d):\n    match x:\n        case [1, *rest] if rest:\n            pass\n",
    "\ufeffimport os\r\nos.environ['FLASK_DEBUG'] = '1'\r\n",
    "try:\n    pass\nexcept* E as e:\n    raise\nfinally:\n    del x[1:2, ::3]\n",
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_snippets(source: str) -> None:
    _assert_same_starts(source)


@pytest.mark.parametrize("path", python_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures(path: Path) -> None:
    _assert_same_starts(path.read_text(encoding="utf-8"))


def test_generated_flask_corpus(tmp_path: Path) -> None:
    for path in generate_flask_corpus(tmp_path, seed=5, projects=1, small_apps=1)[:12]:
        _assert_same_starts(path.read_text(encoding="utf-8"))
