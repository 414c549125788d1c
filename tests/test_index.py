"""The index walk in moduleindex.py calls its hooks exactly as a libcst visitor would.

``moduleindex.ModuleIndex`` reads the tree directly instead of going through libcst's
traversal (which rebuilds every node). The reference below is the same index as
a plain ``libcst.CSTVisitor``; both must produce the same scopes, bindings,
sequence numbers and sites on every fixture, on the benchmark's generated Flask
corpus and on tricky snippets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import libcst as cst
import pytest

from flake8_flask_devserver import apps, moduleindex
from flake8_flask_devserver.apps import Binding, Context, ModuleIndex, Scope, Site, _dotted, _is_static, _main_guard

from .conftest import FIXTURES, generate_flask_corpus, python_fixtures


class ReferenceIndex(cst.CSTVisitor):
    """The index as a plain libcst visitor (as main had it before the walk)."""

    def __init__(self, module: cst.Module, is_main_module: bool = False) -> None:
        self.module_scope = Scope("module", None, module)
        self.is_main_module = is_main_module  # ``pkg/__main__.py`` only runs as ``python -m pkg``
        self.scopes = [self.module_scope]
        self.seq = 0
        self.main_depth = 0  # > 0 inside a __main__ guard body
        self.calls: list[Site] = []
        self.assigns: list[Site] = []  # attribute / subscript targets
        self.classes: list[Site] = []
        self._statements: list[cst.CSTNode] = []
        self._import_aliases: set[int] = set()
        self._dead: set[int] = set()  # ids of the bodies of guards that never hold

    # -- helpers ---------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def _context(self) -> Context:
        if any(scope.kind == "function" for scope in self.scopes):
            return Context.FUNCTION
        return Context.MAIN if self.main_depth or self.is_main_module else Context.IMPORT

    def _site(self, node: cst.CSTNode, value: cst.BaseExpression | None = None) -> Site:
        stmt = self._statements[-1] if self._statements else None
        return Site(node, self.scope, self._next(), self._context(), stmt, value)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            kind = "assign" if value is not None else "unknown"
            self._bind(target.value, Binding(self._next(), kind, self.scope, value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            values: Sequence[cst.BaseExpression | None]
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(target.elements):
                values = [element.value for element in value.elements]
            elif isinstance(value, cst.Call) and all(isinstance(e.value, cst.Name) for e in target.elements):
                # ``app, socketio = create_app()``: resolved through the function's tuple returns
                for index, element in enumerate(target.elements):
                    assert isinstance(element.value, cst.Name)
                    binding = Binding(self._next(), "unpack", self.scope, value, index=index)
                    self._bind(element.value.value, binding)
                return
            else:
                values = [None] * len(target.elements)
            for element, item in zip(target.elements, values):
                starred = isinstance(element, cst.StarredElement)
                self._bind_target(element.value, None if starred else item)
        elif isinstance(target, (cst.Attribute, cst.Subscript)) and value is not None:
            self.assigns.append(self._site(target, value))
            self._record_self_assign(target, value)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)

    def _record_self_assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        scope = self.scope
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and scope.self_name is not None
            and target.value.value == scope.self_name
            and scope.parent is not None
        ):
            scope.parent.self_assigns.setdefault(target.attr.value, []).append((self.seq, value, scope))

    def _bind(self, name: str, binding: Binding) -> None:
        scope = self.scope
        if name in scope.globals:
            binding.scope = self.module_scope
            self.module_scope.bind(name, binding)
        else:
            scope.bind(name, binding)

    # -- statements ------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self._statements.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if isinstance(original_node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self._statements.pop()

    def visit_Import(self, node: cst.Import) -> None:
        self._import_aliases.update(id(alias.asname) for alias in node.names if alias.asname is not None)
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, Binding(self._next(), "import", self.scope, qualname=dotted))
            else:
                top = dotted.split(".")[0]
                self._bind(top, Binding(self._next(), "import", self.scope, qualname=top))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            module = _dotted(node.module) if node.module is not None else ""
            self.scope.stars.append(Binding(self._next(), "star", self.scope, qualname=module, level=len(node.relative)))
            return
        module = _dotted(node.module) if node.module is not None else ""
        self._import_aliases.update(id(alias.asname) for alias in node.names if alias.asname is not None)
        for alias in node.names:
            name = _dotted(alias.name)
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            binding = Binding(self._next(), "from", self.scope, qualname=module, level=len(node.relative), imported=name)
            self._bind(local, binding)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._bind_target(target.target, original_node.value)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        self._bind_target(original_node.target, original_node.value)

    def leave_AugAssign(self, original_node: cst.AugAssign) -> None:
        if isinstance(original_node.target, cst.Name):
            self._bind_target(original_node.target, None)

    def leave_NamedExpr(self, original_node: cst.NamedExpr) -> None:
        self._bind_target(original_node.target, original_node.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        if id(node) not in self._import_aliases:
            self._bind_target(node.name, None)

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(item.name.value for item in node.names)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.scope.kind == "function":
            self.scope.returns.append((self._next(), node.value))

    # -- scopes ----------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self.scope
        scope = Scope("function", parent, node, name=node.name.value)
        self._bind(node.name.value, Binding(self._next(), "function", parent, node, inner=scope))
        params = node.params
        positional = [*params.posonly_params, *params.params]
        if parent.kind == "class" and positional and not _is_static(node):
            scope.self_name = positional[0].name.value
        self.scopes.append(scope)
        self._bind_params(params)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(Scope("function", self.scope, node))
        self._bind_params(node.params)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def _bind_params(self, params: cst.Parameters) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                every.append(extra)
        for param in every:
            self.scope.bind(param.name.value, Binding(self._next(), "param", self.scope, param))

    def _enter_comprehension(self, node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp) -> None:
        self.scopes.append(Scope("comprehension", self.scope, node))
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            self._bind_target(comp.target, None)
            comp = comp.inner_for_in

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comprehension(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comprehension(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self.scopes.pop()

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self.scopes.pop()

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self.scopes.pop()

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name.value, Binding(self._next(), "class", self.scope, node))
        self.classes.append(self._site(node))
        self.scopes.append(Scope("class", self.scope, node, name=node.name.value))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    # -- __main__ guards -------------------------------------------------
    def visit_If(self, node: cst.If) -> None:
        # ``if "__name__" == "__main__":`` (two different literals) never runs: nothing in its body
        # is recorded (without a path, the only misspelt guard the index can judge)
        test = node.test
        if (
            isinstance(test, cst.Comparison)
            and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Equal)
            and isinstance(test.left, cst.SimpleString)
            and isinstance(test.comparisons[0].comparator, cst.SimpleString)
            and test.left.evaluated_value != test.comparisons[0].comparator.evaluated_value
        ):
            self._dead.add(id(node.body))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        return id(node) not in self._dead

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        return id(node) not in self._dead

    def visit_If_body(self, node: cst.If) -> None:
        if _main_guard(node.test) is True:
            self.main_depth += 1

    def leave_If_body(self, node: cst.If) -> None:
        if _main_guard(node.test) is True:
            self.main_depth -= 1

    def visit_If_orelse(self, node: cst.If) -> None:
        if _main_guard(node.test) is False:
            self.main_depth += 1

    def leave_If_orelse(self, node: cst.If) -> None:
        if _main_guard(node.test) is False:
            self.main_depth -= 1

    # -- sites -----------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self._site(node))


def _reference(module: cst.Module) -> ReferenceIndex:
    index = ReferenceIndex(module)
    module.visit(index)
    return index


def _site(site: Site) -> tuple[Any, ...]:
    return (id(site.node), id(site.scope.node), site.seq, site.context, id(site.stmt), id(site.value))


def _binding(binding: Binding) -> tuple[Any, ...]:
    inner = id(binding.inner.node) if binding.inner is not None else None
    return (
        binding.seq,
        binding.kind,
        id(binding.scope.node),
        id(binding.node),
        binding.qualname,
        binding.level,
        binding.imported,
        inner,
        binding.index,
    )


def _scopes(index: Any) -> dict[int, tuple[Any, ...]]:
    """Every scope reachable from the index, keyed by the node that opens it."""
    found: dict[int, Scope] = {}
    todo: list[Scope] = [index.module_scope]
    todo += [site.scope for site in (*index.calls, *index.assigns, *index.classes)]
    while todo:
        scope = todo.pop()
        if id(scope.node) in found:
            continue
        found[id(scope.node)] = scope
        if scope.parent is not None:
            todo.append(scope.parent)
        for bindings in scope.bindings.values():
            for binding in bindings:
                todo.append(binding.scope)
                if binding.inner is not None:
                    todo.append(binding.inner)
        for assigns in scope.self_assigns.values():
            todo.extend(method for _, _, method in assigns)
    return {
        key: (
            scope.kind,
            scope.name,
            id(scope.parent.node) if scope.parent is not None else None,
            {name: [_binding(b) for b in bindings] for name, bindings in scope.bindings.items()},
            sorted(scope.globals),
            [_binding(star) for star in scope.stars],
            [(seq, id(expr)) for seq, expr in scope.returns],
            {attr: [(seq, id(expr), id(method.node)) for seq, expr, method in items] for attr, items in scope.self_assigns.items()},
            scope.self_name,
        )
        for key, scope in found.items()
    }


def _summary(index: Any) -> dict[str, Any]:
    return {
        "calls": [_site(site) for site in index.calls],
        "assigns": [_site(site) for site in index.assigns],
        "classes": [_site(site) for site in index.classes],
        "seq": index.seq,
        "scopes": _scopes(index),
    }


def _assert_same(source: str, is_main_module: bool = False) -> None:
    module = cst.parse_module(source)
    reference = ReferenceIndex(module, is_main_module)
    module.visit(reference)
    assert _summary(ModuleIndex(module, is_main_module).run(module)) == _summary(reference)


TRICKY = [
    # main guards: if/elif/else, negated, nested, with and
    'if __name__ == "__main__":\n    a.run()\nelif x:\n    b()\nelse:\n    c()\n',
    'if __name__ != "__main__":\n    pass\nelse:\n    app.run()\n',
    'if x and __name__ == "__main__":\n    if y:\n        app.run()\n    else:\n        f()\n',
    # decorators, defaults and annotations are visited inside the function scope
    "@app.route(f())\ndef view(a=g(), *args, b: h() = i(), **kw) -> j():\n    return k()\n",
    "class C(Base, metaclass=m()):\n    x = f()\n    def meth(self):\n        self.app = Flask(__name__)\n        return self.app\n    @staticmethod\n    def s(a):\n        a.x = 1\n",
    "lam = lambda a=f(): g(a)\nx = [h(i) for i in range(3)]\n",
    "def f():\n    global app\n    app = Flask(__name__)\n    (y := g())\n    return y\n",
    "with open(p) as fh, ctx() as (a, b):\n    pass\ntry:\n    f()\nexcept E as err:\n    g(err)\n",
    "if x: import flask as f\nfor a, *b in c(): d.e = a\n",
    "a = b = c()\n(x, y) = (f(), g())\n[p, q] = r()\nm[0], n.attr = 1, 2\nt: int = u()\nv += w()\n",
    "app, socketio = create_app()\nfirst, *rest = make()\n",
    "async def main():\n    async with s() as t:\n        await u(t)\n    async for z in w():\n        print(z)\n",
    "match cmd():\n    case [a, b] if g(a):\n        h(b)\n    case {\"k\": v}:\n        i(v)\n    case _:\n        pass\n",
    "x = {k(): v() for k in a}\ny = {*s(), *t()}\nz = f(*a(), **b())\nw = a[b():c()]\nq = f'{g()!r:>{h()}}'\n",
    "from . import a\nfrom .b import c as d, e\nfrom x import *\nimport p.q.r\nimport s.t as u\n",
    "class A: DEBUG = True; x = f()\ndef g(): return 1\n",
    "del a[f()]\nassert g(), h()\nraise E() from F()\nwhile i(): j()\nelse: k()\n",
]


@pytest.mark.parametrize("source", TRICKY)
def test_tricky(source: str) -> None:
    _assert_same(source)


def test_main_module() -> None:
    _assert_same("app.run()\ndef f():\n    app.run()\n", is_main_module=True)


def test_field_order_does_not_depend_on_the_first_node_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    # libcst visits an f-string's format_spec only when there is one.
    monkeypatch.setattr(moduleindex, "_SHAPES", {})
    _assert_same("a = f'{x()}'\n")
    _assert_same("b = f'{g()!r:>{h()}}'\n")


@pytest.mark.parametrize("path", python_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    _assert_same(path.read_text(encoding="utf-8"))


def test_generated_flask_corpus(tmp_path: Path) -> None:
    files = generate_flask_corpus(tmp_path, projects=1, small_apps=1)
    assert len(files) > 20
    for path in files:
        _assert_same(path.read_text(encoding="utf-8"))


class _QuoteCounter(cst.CSTVisitor):
    """The quote count as main had it: a libcst visitor."""

    def __init__(self) -> None:
        self.single = self.double = 0

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if node.quote == "'":
            self.single += 1
        elif node.quote == '"':
            self.double += 1


@pytest.mark.parametrize("path", python_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_quote_counts(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8") + "\nx = ('a' \"b\" f'c', b'd', '''e''', [u\"g\"])\n")
    counter = _QuoteCounter()
    module.visit(counter)
    assert apps.quote_counts(module) == (counter.single, counter.double)
