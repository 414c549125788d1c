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


def _assert_same_starts(source: str, each: bool = False) -> None:
    module = cst.parse_module(source)
    every = _Every()
    module.visit(every)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    every.nodes = [node for node in every.nodes if node in expected]  # (a default whitespace node libcst shares)
    found = _cst.locate(module, every.nodes)
    by_statement = _cst.locate(module, every.nodes, source)  # only the statements holding them (positions.py)
    for node in every.nodes:
        start = expected[node].start
        assert found[id(node)] == (start.line, start.column), (type(node).__name__, cst.Module([]).code_for_node(node))
        assert by_statement[id(node)] == (start.line, start.column), (type(node).__name__, cst.Module([]).code_for_node(node))
    for node in every.nodes if each else every.nodes[:: max(1, len(every.nodes) // 40)]:  # one at a time
        start = expected[node].start
        alone = _cst.locate(module, [node], source)
        assert alone[id(node)] == (start.line, start.column), (type(node).__name__, cst.Module([]).code_for_node(node))


SNIPPETS = [
    "x = (  # c\n  app\n  .run(debug=True)\n)\n",
    "if a: b(); c = 1\nelse:\n    pass\n",
    "@d(1)\n\n# c\nasync def f(a, /, b=2, *, c: 'x' = 3, **k) -> None:\n    return (yield)\n",
    "class C(B, metaclass=M):\n    '''doc'''\n    DEBUG = True; X = 1\n",
    "s = f'{a!r:>{b}}' 'x' \\\n    \"y\"\nt = {**a, 'k': [1, *b]}\n",
    "with (a as b, c as d):\n    match x:\n        case [1, *rest] if rest:\n            pass\n",
    "\ufeffimport os\r\nos.environ['FLASK_DEBUG'] = '1'\r\n",
    "try:\n    pass\nexcept* E as e:\n    raise\nfinally:\n    del x[1:2, ::3]\n",
    # classes and functions nested, decorators in parentheses, comments and blank lines at any depth
    "# head\n\nclass A(B):\n  \"\"\"d\"\"\"\n\n  # c\n  @(\n    deco\n  )\n  def m(self):\n      x = 1; y = (\n2)\n"
    "      # trailing\n\n  class Inner: X = 1\n      # odd comment\n  async def n(self):\n    async with a:\n      await b()\n"
    "\n\nz = 1 + \\\n    2\n@d\nclass E: pass\n",
    "def f():\r    if x:\r        app.run()\r    return app\rclass G:\r\x0c\r    def h(self): app.run(debug=True)\r",
    "def t():\n\tif a:\n\t\tb()\n\t# c\n\tc = d(\n\t\te)\n",
    # every kind of block, each indented its own way, with comments in their footers
    "if a(1):\n  b(2)\nelif c(3):\n\tif d: e(4); f = g(5)\n\t# c\nelif h:\n      pass\nelse:\n i(6)\n"
    "for x in y(7):\n    z(8)\n    # foot\nelse:\n    w(9)\nwhile v(10):\n  break\nelse:\n  u(11)\n"
    "try:\n   t(12)\nexcept (E, F) as e:\n   s(13)\nexcept G:\n   r(14)\nelse:\n   q(15)\nfinally:\n   p(16)\n"
    "async def co():\n    async with a(17) as b:\n        async for c in d(18):\n            await e(19)\n"
    "match m(20):\n    case {'k': v} if v(21):\n        n(22)\n      # odd\n    case _:\n        with o(23), q(24):\n            pass\n",
    "def outer():\n    def inner():\n        def deepest():\n            app.run(host='0.0.0.0')\n"
    "        return deepest\n    return inner\n\nx = [\n    outer,\n]; y = outer()\n",
]


@pytest.mark.parametrize("source", SNIPPETS)
def test_snippets(source: str) -> None:
    _assert_same_starts(source, each=True)


@pytest.mark.parametrize("path", python_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixtures(path: Path) -> None:
    _assert_same_starts(path.read_text(encoding="utf-8"))


def test_generated_flask_corpus(tmp_path: Path) -> None:
    for path in generate_flask_corpus(tmp_path, seed=5, projects=1, small_apps=1)[:12]:
        _assert_same_starts(path.read_text(encoding="utf-8"))


def test_only_the_statements_holding_the_nodes_are_generated() -> None:
    from flake8_flask_devserver import positions

    source = "".join(f"def f{index}():\n    return {index}\n\n\n" for index in range(200))
    source += "class App:\n    def run(self):\n        app.run(debug=True)\n"
    module = cst.parse_module(source)
    every = _Every()
    module.visit(every)
    call = next(node for node in every.nodes if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)[call].start
    assert _cst.locate(module, [call], source)[id(call)] == (expected.line, expected.column) == (803, 8)
    assert positions.generated[0] == 1  # the method's one statement, not the 201 before it
