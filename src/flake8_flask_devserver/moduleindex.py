"""One pass over a module's libcst tree: its scopes, bindings and the sites rules care about.

Bindings per scope (imports, star imports, assignments, functions, classes, parameters)
in source order, and the calls, attribute/subscript assignments and classes rules
report, each with the context it runs in (at import, under a ``__main__`` guard, in a
function). apps.py's resolver answers what names mean from this index.
"""

from __future__ import annotations

import dataclasses
import enum
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import libcst as cst

_END = 1 << 62  # a sequence number after every binding


class Context(enum.Enum):
    """When a statement runs."""

    IMPORT = "import"  # when the module is imported
    MAIN = "main"  # under an ``if __name__ == "__main__":`` guard
    FUNCTION = "function"  # when a function is called


@dataclass(eq=False)
class Binding:
    """One binding of a name: ``node`` is the value, def, class or parameter."""

    seq: int
    kind: str  # import, from, assign, unpack, function, class, param, unknown
    scope: Scope
    node: cst.CSTNode | None = None
    qualname: str = ""  # import: dotted name; from: module
    level: int = 0
    imported: str = ""  # from: the imported name
    inner: Scope | None = None  # function: its own scope
    index: int = 0  # unpack: position in the unpacked tuple


@dataclass(eq=False)
class Scope:
    kind: str  # module, function, class, comprehension
    parent: Scope | None
    node: cst.CSTNode
    name: str = ""
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    stars: list[Binding] = field(default_factory=list)  # ``from m import *``, in source order
    returns: list[tuple[int, cst.BaseExpression]] = field(default_factory=list)
    # for a class: ``self.<attr> = value`` assignments made in its methods
    self_assigns: dict[str, list[tuple[int, cst.BaseExpression, Scope]]] = field(default_factory=dict)
    self_name: str | None = None  # for a method: the name of its first parameter

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


@dataclass(frozen=True, eq=False)
class Site:
    """A node a rule may report, with the scope and order it was seen in."""

    node: cst.CSTNode
    scope: Scope
    seq: int
    context: Context
    stmt: cst.CSTNode | None = None
    value: cst.BaseExpression | None = None  # for assignments


def _dotted(node: cst.BaseExpression | None) -> str:
    """``a.b.c`` of a Name/Attribute chain, or ""."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _is_name(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "__name__"


def evaluated(node: cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float) -> object:
    """A literal's value, or None when Python would reject it.

    libcst evaluates with ``ast.literal_eval``, which raises for literals Python rejects
    (``"\\N{NO SUCH NAME}"``, integers past 4300 digits) and warns about invalid escapes
    (a SyntaxWarning on Python 3.12+, which would land on flake8's stderr).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return node.evaluated_value
        except Exception:  # noqa: BLE001 - SyntaxError, ValueError, MemoryError...
            return None


def _is_main(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and evaluated(node) == "__main__"


def _main_guard(test: cst.BaseExpression) -> bool | None:
    """True for ``__name__ == "__main__"`` (also inside ``and``), False for ``!=``, else None."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return True if (_main_guard(test.left) or _main_guard(test.right)) else None
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    left, right = test.left, target.comparator
    if not (_is_name(left) and _is_main(right)) and not (_is_name(right) and _is_main(left)):
        return None
    if isinstance(target.operator, cst.Equal):
        return True
    if isinstance(target.operator, cst.NotEqual):
        return False
    return None


#: Nodes that never hold anything the index records: names, literals, tokens, whitespace.
_LEAVES: tuple[type, ...] = (
    cst.Name,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.SimpleString,
    cst.FormattedStringText,
    cst.Ellipsis,
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Comment,
    cst.Newline,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Dot,
    cst.Semicolon,
    cst.Colon,
    cst.AssignEqual,
    cst.ImportStar,
    cst.BaseUnaryOp,
    cst.BaseBooleanOp,
    cst.BaseBinaryOp,
    cst.BaseCompOp,
    cst.BaseAugOp,
    cst.Asynchronous,
    cst.Pass,
    cst.Break,
    cst.Continue,
    cst.ParamStar,
    cst.ParamSlash,
)

#: Fields that only ever hold tokens or whitespace.
_TRIVIA_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "dot",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "leading_lines",
        "lines_after_decorators",
        "trailing_whitespace",
        "leading_whitespace",
        "header",
        "footer",
    }
)

_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
_SEQUENCES = (tuple, list)


def _concrete(bases: tuple[type, ...]) -> frozenset[type]:
    found: set[type] = set()
    todo = list(bases)
    while todo:
        kind = todo.pop()
        found.add(kind)
        todo.extend(kind.__subclasses__())
    return frozenset(found)


#: Exact types, so the walk tests leaves with one set lookup.
_LEAF_TYPES = _concrete(_LEAVES)


class _FieldOrder(cst.CSTVisitor):
    """Records the order in which libcst visits a node's fields (one level, no descent)."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


_Hook = Callable[["ModuleIndex", Any], None]

#: Per node type: (is a statement, child fields in libcst's visiting order minus trivia, enter hook, leave hook).
_Shape = tuple[bool, tuple[str, ...], "_Hook | None", "_Hook | None"]
_SHAPES: dict[type, _Shape] = {}


def _shape(node: cst.CSTNode) -> _Shape:
    kind = type(node)
    shape = _SHAPES.get(kind)
    if shape is None:
        fields = tuple(
            name for name in _field_order(node) if name not in _TRIVIA_FIELDS and not name.startswith("whitespace")
        )
        shape = _SHAPES[kind] = (isinstance(node, _STATEMENTS), fields, _ENTER.get(kind), _LEAVE.get(kind))
    return shape


def _field_order(node: cst.CSTNode) -> list[str]:
    """The fields of a node type in the order libcst visits them, so the walk sees
    nodes exactly as ``node.visit()`` would (sequence numbers depend on it).

    libcst is asked directly (a one-level visit records the order); a field it
    visits only when set (an f-string's ``format_spec``) is placed by the order
    its name appears in libcst's code.
    """
    recorder = _FieldOrder()
    node._visit_and_replace_children(recorder)
    recorded = recorder.fields
    names = {item.name for item in dataclasses.fields(node)}
    code = type(node)._visit_and_replace_children.__code__
    static = list(dict.fromkeys(const for const in code.co_consts if isinstance(const, str) and const in names))
    remaining = iter(static)
    if all(name in remaining for name in recorded):  # the recorded order agrees with the code
        return static
    return [*recorded, *(name for name in static if name not in recorded)]


def quote_counts(module: cst.Module) -> tuple[int, int]:
    """How many one-line string literals use ``'`` and how many ``"`` (the walk below, not libcst's)."""
    single = double = 0
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        for name in (_SHAPES.get(type(node)) or _shape(node))[1]:
            child = getattr(node, name)
            for item in child if type(child) in _SEQUENCES else (child,):
                kind = type(item)
                if kind is cst.SimpleString:
                    quote = item.quote
                    if quote == "'":
                        single += 1
                    elif quote == '"':
                        double += 1
                elif kind not in _LEAF_TYPES and isinstance(item, cst.CSTNode):
                    stack.append(item)
    return single, double


class ModuleIndex:
    """One pass over a module: scopes, bindings and candidate sites.

    The walk calls the same hooks, in the same order, as a ``libcst.CSTVisitor``
    would (visit before the children, leave after them, ``If.body``/``If.orelse``
    around those fields), but reads the tree directly: libcst's own traversal
    rebuilds every node it passes, which costs more than parsing.
    """

    def __init__(self, module: cst.Module, is_main_module: bool = False, own_name: str | None = None) -> None:
        self.module_scope = Scope("module", None, module)
        self.is_main_module = is_main_module  # ``pkg/__main__.py`` only runs as ``python -m pkg``
        self.own_name = own_name  # the last part of the module's ``__name__``, when its path is known
        self.scopes = [self.module_scope]
        self.seq = 0
        self.main_depth = 0  # > 0 inside a __main__ guard body
        self.function_depth = 0  # function and lambda scopes on the stack
        self.calls: list[Site] = []
        self.assigns: list[Site] = []  # attribute / subscript targets
        self.classes: list[Site] = []
        self._statements: list[cst.CSTNode] = []
        self._import_aliases: set[int] = set()  # ids of ``as`` nodes of imports
        self.class_scopes: dict[int, Scope] = {}  # id(ClassDef) -> the scope of its body

    def run(self, module: cst.Module) -> ModuleIndex:
        self._walk(module)
        return self

    # -- the walk --------------------------------------------------------
    def _walk(self, node: cst.CSTNode) -> None:
        statement, fields, enter, leave = _SHAPES.get(type(node)) or _shape(node)
        if statement:
            self._statements.append(node)
        if enter is not None:
            enter(self, node)
        if type(node) is cst.If:
            self._walk_if(node)  # type: ignore[arg-type]
        else:
            walk = self._walk
            for name in fields:
                child = getattr(node, name)
                kind = type(child)
                if kind in _SEQUENCES:
                    for item in child:
                        if type(item) not in _LEAF_TYPES:
                            walk(item)
                elif kind not in _LEAF_TYPES and isinstance(child, cst.CSTNode):
                    walk(child)
        if leave is not None:
            leave(self, node)
        if statement:
            self._statements.pop()

    def _walk_if(self, node: cst.If) -> None:
        # test, body, orelse: the order libcst visits them in (trivia left out).
        if type(node.test) not in _LEAF_TYPES:
            self._walk(node.test)
        guard = _main_guard(node.test)
        if guard is True:
            self.main_depth += 1
        if guard is None and self._never_true(node.test):
            pass  # ``if __name__ == "__main":`` (a typo): the body never runs, so nothing in it is recorded
        else:
            self._walk(node.body)
        if guard is True:
            self.main_depth -= 1
        if node.orelse is not None:
            if guard is False:
                self.main_depth += 1
            self._walk(node.orelse)
            if guard is False:
                self.main_depth -= 1

    def _never_true(self, test: cst.BaseExpression) -> bool:
        """A misspelt guard: ``__name__ == "<name>"`` for a name this module never has, or two
        different string literals compared (``'__name__' == '__main__'``, always False).

        ``__name__`` is ``"__main__"`` when the file runs as a script (runpy) and its import
        name otherwise (importlib's ``ModuleSpec.name``), so a comparison with any other string
        holds only when the module is imported under that name. Without a path we cannot tell.
        """
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return False
        target = test.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            return False
        left, right = test.left, target.comparator
        if isinstance(left, cst.SimpleString) and isinstance(right, cst.SimpleString):
            first, second = evaluated(left), evaluated(right)
            return isinstance(first, str) and isinstance(second, str) and first != second
        other = right if _is_name(left) else left if _is_name(right) else None
        if self.own_name is None or not isinstance(other, cst.SimpleString):
            return False
        value = evaluated(other)
        return isinstance(value, str) and value.rpartition(".")[2] != self.own_name

    # -- helpers ---------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def _context(self) -> Context:
        if self.function_depth:
            return Context.FUNCTION
        return Context.MAIN if self.main_depth or self.is_main_module else Context.IMPORT

    def _site(self, node: cst.CSTNode, value: cst.BaseExpression | None = None) -> Site:
        stmt = self._statements[-1] if self._statements else None
        return Site(node, self.scopes[-1], self._next(), self._context(), stmt, value)

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
            star = Binding(self._next(), "star", self.scope, qualname=module, level=len(node.relative))
            self.scope.stars.append(star)
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
        # with ... as x / except ... as x (import aliases are bound by the import hooks)
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
        self.function_depth += 1
        self._bind_params(params)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.function_depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(Scope("function", self.scope, node))
        self.function_depth += 1
        self._bind_params(node.params)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()
        self.function_depth -= 1

    def _bind_params(self, params: cst.Parameters) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                every.append(extra)
        for param in every:
            self.scope.bind(param.name.value, Binding(self._next(), "param", self.scope, param))

    def visit_comprehension(self, node: cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp) -> None:
        # Comprehension variables are local to it; bound before the element is visited,
        # since the element comes first in the source but runs after the ``for``.
        self.scopes.append(Scope("comprehension", self.scope, node))
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            self._bind_target(comp.target, None)
            comp = comp.inner_for_in

    def leave_comprehension(self, original_node: cst.CSTNode) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name.value, Binding(self._next(), "class", self.scope, node))
        self.classes.append(self._site(node))
        scope = self.class_scopes[id(node)] = Scope("class", self.scope, node, name=node.name.value)
        self.scopes.append(scope)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    # -- sites -----------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(self._site(node))


_ENTER: dict[type, Callable[[ModuleIndex, Any], None]] = {
    cst.Import: ModuleIndex.visit_Import,
    cst.ImportFrom: ModuleIndex.visit_ImportFrom,
    cst.For: ModuleIndex.visit_For,
    cst.AsName: ModuleIndex.visit_AsName,
    cst.Global: ModuleIndex.visit_Global,
    cst.Return: ModuleIndex.visit_Return,
    cst.FunctionDef: ModuleIndex.visit_FunctionDef,
    cst.Lambda: ModuleIndex.visit_Lambda,
    cst.ClassDef: ModuleIndex.visit_ClassDef,
    cst.Call: ModuleIndex.visit_Call,
    **{kind: ModuleIndex.visit_comprehension for kind in (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)},
}
_LEAVE: dict[type, Callable[[ModuleIndex, Any], None]] = {
    cst.Assign: ModuleIndex.leave_Assign,
    cst.AnnAssign: ModuleIndex.leave_AnnAssign,
    cst.AugAssign: ModuleIndex.leave_AugAssign,
    cst.NamedExpr: ModuleIndex.leave_NamedExpr,
    cst.FunctionDef: ModuleIndex.leave_FunctionDef,
    cst.Lambda: ModuleIndex.leave_Lambda,
    cst.ClassDef: ModuleIndex.leave_ClassDef,
    **{kind: ModuleIndex.leave_comprehension for kind in (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)},
}


def class_assignments(node: cst.ClassDef, name: str) -> list[tuple[cst.Name, cst.BaseExpression]]:
    """``name = value`` (or ``name: T = value``) statements directly in a class body."""
    body = node.body
    if isinstance(body, cst.IndentedBlock):
        smalls = [small for line in body.body if isinstance(line, cst.SimpleStatementLine) for small in line.body]
    else:
        smalls = list(body.body)
    found: list[tuple[cst.Name, cst.BaseExpression]] = []
    for small in smalls:
        if isinstance(small, cst.Assign):
            found.extend(
                (target.target, small.value)
                for target in small.targets
                if isinstance(target.target, cst.Name) and target.target.value == name
            )
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            if isinstance(small.target, cst.Name) and small.target.value == name:
                found.append((small.target, small.value))
    return found


def class_attribute(node: cst.ClassDef, name: str) -> cst.BaseExpression | None:
    """The value last assigned to ``name`` in a class body."""
    found = class_assignments(node, name)
    return found[-1][1] if found else None


def _has_required_params(node: cst.FunctionDef) -> bool:
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return any(param.default is None for param in every)


def _is_static(node: cst.FunctionDef) -> bool:
    return any(_dotted(decorator.decorator) == "staticmethod" for decorator in node.decorators)
