"""The one place that decides what a name means: is this a Flask app, a factory, a server launcher?

One pass over the libcst tree indexes a module's bindings per scope (imports,
assignments, functions, classes, parameters) in source order, and records the
sites rules care about (calls, attribute/subscript assignments, classes) with
the context they run in. ``Resolver.resolve`` then answers, lazily and with
memoisation, what an expression evaluates to: only the receivers of candidate
calls are ever resolved.

This is a small flow-ordered resolver of our own rather than libcst's
``ScopeProvider``/``QualifiedNameProvider``: those annotate every node of every
scope, which costs several times the parse itself, while the questions asked
here touch a handful of names per file. Ordering matters too: a name rebound to
something else is no longer an app, which a flow-insensitive scope cannot say.

Imports of first-party modules are followed by reading (never importing) their
source: only the statements the imported name depends on are parsed (see
slices.py), and the answer, not the tree, is kept for the process.
"""

from __future__ import annotations

import dataclasses
import enum
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import libcst as cst

from . import firstparty, importsystem, project
from .model import Launcher, Settings

#: Nesting of cross-module and recursive lookups before giving up (cycles, deep chains).
MAX_DEPTH = 24


class Kind(enum.Enum):
    APP_CLASS = "app class"
    APP = "app"
    FACTORY = "factory"
    SOCKETIO_CLASS = "socketio class"
    SOCKETIO = "socketio"
    LAUNCHER = "launcher"
    DEBUGGED_APP_CLASS = "DebuggedApplication"
    CONFIG = "app.config"
    ENVIRON = "os.environ"
    ENV_GET = "environment getter"
    ENV_READ = "environment string"
    PUTENV = "os.putenv"
    BOOL = "bool"
    MODULE = "first-party module"
    QUALNAME = "other"
    FUNCTION = "function"


@dataclass(frozen=True)
class Origin:
    """Where an app can be loaded from: ``module:attr`` or ``module:attr()`` for a factory."""

    module: str | None
    attr: str
    factory: bool = False
    needs_args: bool = False  # a factory with required parameters

    def spec(self, fallback_module: str) -> str:
        module = self.module or fallback_module
        if self.factory:
            return f"{module}:{self.attr}(<args>)" if self.needs_args else f"{module}:{self.attr}()"
        return f"{module}:{self.attr}"


@dataclass(frozen=True)
class Value:
    """What an expression evaluates to, as far as this linter cares."""

    kind: Kind
    family: str | None = None  # flask, quart, apiflask, dash
    qualname: str | None = None
    origin: Origin | None = None
    launcher: Launcher | None = None
    path: Path | None = None  # for MODULE: its source file


def _app_class(family: str) -> Value:
    return Value(Kind.APP_CLASS, family=family)


KNOWN: dict[str, Value] = {
    "flask.Flask": _app_class("flask"),
    "flask.app.Flask": _app_class("flask"),
    "quart.Quart": _app_class("quart"),
    "quart.app.Quart": _app_class("quart"),
    "apiflask.APIFlask": _app_class("apiflask"),
    "apiflask.app.APIFlask": _app_class("apiflask"),
    "dash.Dash": _app_class("dash"),
    "dash.dash.Dash": _app_class("dash"),
    "flask.current_app": Value(Kind.APP, family="flask"),
    "flask.globals.current_app": Value(Kind.APP, family="flask"),
    "quart.current_app": Value(Kind.APP, family="quart"),
    "flask_socketio.SocketIO": Value(Kind.SOCKETIO_CLASS),
    "werkzeug.serving.run_simple": Value(Kind.LAUNCHER, qualname="run_simple"),
    "werkzeug.run_simple": Value(Kind.LAUNCHER, qualname="run_simple"),
    "werkzeug.serving.make_server": Value(Kind.LAUNCHER, qualname="make_server"),
    "werkzeug.debug.DebuggedApplication": Value(Kind.DEBUGGED_APP_CLASS),
    "werkzeug.DebuggedApplication": Value(Kind.DEBUGGED_APP_CLASS),
    "os.environ": Value(Kind.ENVIRON, qualname="os.environ"),
    "os.getenv": Value(Kind.ENV_GET),
    "os.environ.get": Value(Kind.ENV_GET),
    "os.putenv": Value(Kind.PUTENV),
    "builtins.bool": Value(Kind.BOOL),
}


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

    def __init__(self, module: cst.Module, is_main_module: bool = False) -> None:
        self.module_scope = Scope("module", None, module)
        self.is_main_module = is_main_module  # ``pkg/__main__.py`` only runs as ``python -m pkg``
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
        self._walk(node.body)
        if guard is True:
            self.main_depth -= 1
        if node.orelse is not None:
            if guard is False:
                self.main_depth += 1
            self._walk(node.orelse)
            if guard is False:
                self.main_depth -= 1

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


class ModuleModel:
    """A parsed module with its index."""

    def __init__(self, module: cst.Module, path: Path | None) -> None:
        self.module = module
        self.path = path
        self.name = project.module_name(path) if path is not None else None
        self.index = ModuleIndex(module, is_main_module=path is not None and path.name == "__main__.py").run(module)
        self.resolvers: dict[Settings, Resolver] = {}  # for first-party modules read by others


def load_model(path: Path, name: str | None = None) -> ModuleModel | None:
    """A first-party module, parsed only as far as ``name`` needs (all of it without a name).

    Models are kept for a few names at a time; firstparty.py parses each statement at
    most once, and what resolution learns is kept in :data:`_EXPORTS`.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (path, name)
    cached = _MODELS.get(key)
    if cached is not None and cached[0] == stamp:
        _MODELS[key] = _MODELS.pop(key)  # most recently used last
        return cached[1]
    model: ModuleModel | None = None
    module = firstparty.module(path, name)
    if module is not None:
        try:
            model = ModuleModel(module, path)
        except (RecursionError, ValueError):
            model = None
    _MODELS[key] = (stamp, model)
    while len(_MODELS) > _MAX_MODELS:
        _MODELS.pop(next(iter(_MODELS)))
    return model


#: Recently parsed first-party modules: (path, name) -> (file stamp, model), least recently used first.
_MODELS: dict[tuple[Path, str | None], tuple[tuple[int, int], ModuleModel | None]] = {}
_MAX_MODELS = 32

#: What a name in a first-party module is, per process: (path, name, settings) -> (file stamp, value).
_EXPORTS: dict[tuple[Path, str, Settings], tuple[tuple[int, int], Value | None]] = {}
_MAX_EXPORTS = 65536
#: Exports being answered: asking again means an import cycle.
_ACTIVE: set[tuple[Path, str]] = set()


def clear_caches() -> None:
    _MODELS.clear()
    _EXPORTS.clear()
    firstparty.clear_caches()


class _Cut:
    """Whether a lookup gave up (depth limit, cycle) since the last memo decision.

    Process-wide, since lookups cross modules: a partial answer must not be
    memoised by any resolver on the way, or results would depend on lint order.
    """

    gave_up = False
    walking = False  # answering a chain of re-exports from its far end


_cut = _Cut()

_END = 1 << 62  # a sequence number after every binding


class Resolver:
    """Answers what expressions of one module evaluate to."""

    def __init__(self, model: ModuleModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings
        self._memo: dict[int, Value | None] = {}
        self._active: set[int] = set()
        self._launchers = {launcher.qualname: launcher for launcher in settings.server_launchers}
        self._stars: dict[tuple[int, str], Binding] = {}  # (star import, name) -> its binding of the name

    # -- public ----------------------------------------------------------
    def resolve(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Value | None:
        """The value of ``node`` evaluated in ``scope`` just after sequence point ``seq``."""
        if depth > MAX_DEPTH:
            _cut.gave_up = True
            return None
        if isinstance(node, cst.Name):
            return self._resolve_name(node.value, scope, seq, depth)
        if isinstance(node, cst.Attribute):
            return self._resolve_attribute(node, scope, seq, depth)
        if isinstance(node, cst.Call):
            return self._resolve_call(node, scope, seq, depth)
        if isinstance(node, cst.Subscript):
            base = self.resolve(node.value, scope, seq, depth + 1)
            if base is not None and base.kind is Kind.ENVIRON:
                return Value(Kind.ENV_READ)
        return None

    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        """The binding of ``name`` visible from ``scope`` at ``seq`` (the latest one wins)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent  # class bodies are not enclosing scopes
                continue
            if name in current.globals:
                current = self.model.index.module_scope
                first = False  # a global is read when the function runs: the module's last binding
            bindings = current.bindings.get(name)
            limit = seq if first else _END
            if current.stars:
                star = self._star_binding(name, current, limit, bindings)
                if star is not None:
                    return star
            if bindings:
                visible = [binding for binding in bindings if binding.seq < limit]
                if visible:
                    return visible[-1]
                if current.kind in ("function", "comprehension") and first:
                    return None  # a local used before it is bound
            first = False
            current = current.parent
        return None

    def _star_binding(self, name: str, scope: Scope, limit: int, bindings: list[Binding] | None) -> Binding | None:
        """``from m import *`` as ``from m import name``, when it is the latest binding of ``name`` before ``limit``."""
        latest = max((binding.seq for binding in bindings or () if binding.seq < limit), default=-1)
        for star in reversed(scope.stars):
            if latest < star.seq < limit and self._star_provides(star, name):
                key = (id(star), name)
                found = self._stars.get(key)
                if found is None:
                    found = self._stars[key] = Binding(
                        star.seq, "from", scope, star.node, qualname=star.qualname, level=star.level, imported=name
                    )
                return found
        return None

    def _star_provides(self, star: Binding, name: str) -> bool:
        def external(qualname: str) -> bool:
            return qualname in KNOWN or self._configured(qualname) is not None

        if self.model.path is not None:
            target = importsystem.locate(star.qualname, star.level, self.model.path)
            if target is not None:
                return firstparty.star_provides(target, name, external)
        module = self._absolute_module(star.qualname, star.level)
        return not name.startswith("_") and external(f"{module}.{name}")

    def export(self, name: str, depth: int = 0) -> Value | None:
        """What ``from <this module> import name`` gives."""
        binding = self.lookup(name, self.model.index.module_scope, _END)
        if binding is None:
            return None
        return self._binding_value(binding, name, depth)

    def constant(
        self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0
    ) -> tuple[Resolver, cst.BaseExpression, Scope, int] | None:
        """The expression a name or attribute was assigned, and where to evaluate it.

        Follows ``DEBUG``, ``Config.DEBUG`` (class attributes, also inherited within the
        module), ``settings.HOST`` and ``from settings import HOST`` (first-party modules).
        """
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
            if binding is None:
                return None
            if binding.kind == "assign" and isinstance(binding.node, cst.BaseExpression):
                return self, binding.node, binding.scope, binding.seq
            if binding.kind == "from":
                other = self._imported_resolver(binding)
                if other is not None:
                    return other.constant(cst.Name(binding.imported), other.model.index.module_scope, _END, depth + 1)
            return None
        if not isinstance(node, cst.Attribute):
            return None
        attr = node.attr.value
        if isinstance(node.value, cst.Name):
            binding = self.lookup(node.value.value, scope, seq)
            if binding is not None and binding.kind == "class" and isinstance(binding.node, cst.ClassDef):
                value = class_attribute(binding.node, attr)
                if value is not None:
                    return self, value, binding.scope, binding.seq
                for base in binding.node.bases:
                    inherited = cst.Attribute(value=base.value, attr=cst.Name(attr))
                    found = self.constant(inherited, binding.scope, binding.seq, depth + 1)
                    if found is not None:
                        return found
                return None
        base = self.resolve(node.value, scope, seq, depth + 1)
        if base is not None and base.kind is Kind.MODULE and base.path is not None:
            model = load_model(base.path, attr)
            if model is not None:
                other = _resolver_for(model, self.settings)
                return other.constant(cst.Name(attr), model.index.module_scope, _END, depth + 1)
        return None

    def _imported_resolver(self, binding: Binding) -> Resolver | None:
        target = self._import_target(binding)
        model = load_model(target, binding.imported) if target is not None else None
        return _resolver_for(model, self.settings) if model is not None else None

    # -- names -----------------------------------------------------------
    def _resolve_name(self, name: str, scope: Scope, seq: int, depth: int) -> Value | None:
        binding = self.lookup(name, scope, seq)
        if binding is None:
            return Value(Kind.BOOL) if name == "bool" else None
        return self._binding_value(binding, name, depth)

    def _binding_value(self, binding: Binding, name: str, depth: int) -> Value | None:
        key = id(binding)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            _cut.gave_up = True  # a cycle: this answer is partial
            return None
        outer_cut, _cut.gave_up = _cut.gave_up, False
        self._active.add(key)
        try:
            value = self._compute_binding(binding, name, depth + 1)
        finally:
            self._active.discard(key)
        if not _cut.gave_up:  # an answer cut short by depth or a cycle is not the binding's answer
            self._memo[key] = value
        _cut.gave_up = _cut.gave_up or outer_cut
        return value

    def _compute_binding(self, binding: Binding, name: str, depth: int) -> Value | None:
        kind = binding.kind
        if kind == "import":
            return self._from_qualname(binding.qualname, depth)
        if kind == "from":
            return self._from_import(binding, depth)
        if kind in ("assign", "unpack") and isinstance(binding.node, cst.BaseExpression):
            if kind == "assign":
                value = self.resolve(binding.node, binding.scope, binding.seq, depth)
            else:
                value = self._unpacked(binding, depth)
            if (
                value is not None
                and value.kind is Kind.APP
                and binding.scope.kind == "module"
                and (value.origin is None or value.origin.needs_args)
            ):
                # a module-level name is where a WSGI server can load the app from
                return Value(Kind.APP, value.family, origin=Origin(self.model.name, name))
            return value
        if kind == "function" and isinstance(binding.node, cst.FunctionDef):
            return self._function_value(binding, depth)
        if kind == "class" and isinstance(binding.node, cst.ClassDef):
            return self._class_value(binding.node, binding.scope, binding.seq, depth)
        if kind == "param" and isinstance(binding.node, cst.Param):
            return self._param_value(binding.node, binding.scope, depth)
        return None

    def _unpacked(self, binding: Binding, depth: int) -> Value | None:
        """One element of ``a, b = f()``, read from ``f``'s ``return x, y`` statements."""
        call = binding.node
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name):
            return None
        function = self.lookup(call.func.value, binding.scope, binding.seq)
        return self._returned_element(function, binding.index, depth)

    def _returned_element(self, function: Binding | None, index: int, depth: int) -> Value | None:
        if function is None or depth > MAX_DEPTH:
            return None
        if function.kind == "from":
            target = self._import_target(function)
            if target is None:
                return None
            model = load_model(target, function.imported)
            if model is None:
                return None
            other = _resolver_for(model, self.settings)
            return other._returned_element(other.lookup(function.imported, model.index.module_scope, _END), index, depth + 1)
        if function.kind != "function" or function.inner is None:
            return None
        for seq, expr in function.inner.returns:
            if isinstance(expr, (cst.Tuple, cst.List)) and index < len(expr.elements):
                element = expr.elements[index]
                if isinstance(element, cst.StarredElement):
                    continue
                value = self.resolve(element.value, function.inner, seq, depth + 1)
                if value is not None and value.kind in (Kind.APP, Kind.SOCKETIO):
                    return value
        return None

    def _import_target(self, binding: Binding) -> Path | None:
        if self.model.path is None:
            return None
        return importsystem.locate(binding.qualname, binding.level, self.model.path)

    def _qualname_in_module(self, name: str, scope: Scope) -> str:
        prefix = self.model.name or ""
        if scope.kind != "module":
            return ""  # nested definitions cannot be named from configuration
        return f"{prefix}.{name}" if prefix else name

    def _from_qualname(self, qualname: str, depth: int) -> Value | None:
        """A value known only by its dotted name (a third-party or configured object)."""
        qualname = importsystem.flask_ext(qualname)
        known = KNOWN.get(qualname)
        if known is not None:
            return known
        configured = self._configured(qualname)
        if configured is not None:
            return configured
        if self.model.path is not None:
            target = importsystem.locate(qualname, 0, self.model.path)
            if target is not None:
                return Value(Kind.MODULE, qualname=qualname, path=target)
        return Value(Kind.QUALNAME, qualname=qualname)

    def _configured(self, qualname: str) -> Value | None:
        settings = self.settings
        if qualname in settings.app_classes:
            return Value(Kind.APP_CLASS, family="flask", qualname=qualname)
        if qualname in settings.app_factories:
            module, _, attr = qualname.rpartition(".")
            return Value(Kind.FACTORY, family="flask", origin=Origin(module or None, attr, factory=True))
        launcher = self._launchers.get(qualname)
        if launcher is not None:
            return Value(Kind.LAUNCHER, qualname="custom", launcher=launcher)
        return None

    def _absolute_module(self, module: str, level: int) -> str:
        if not level:
            return module
        base = (self.model.name or "").split(".")
        if self.model.path is not None and self.model.path.stem != "__init__":
            base = base[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module] if module else base)

    def _from_import(self, binding: Binding, depth: int) -> Value | None:
        module = self._absolute_module(binding.qualname, binding.level)
        name = binding.imported
        qualname = importsystem.flask_ext(f"{module}.{name}" if module else name)
        known = KNOWN.get(qualname) or self._configured(qualname)
        if known is not None:
            return known
        if self.model.path is None:
            return Value(Kind.QUALNAME, qualname=qualname)
        target = self._import_target(binding)
        if target is not None:
            exported = _module_export(target, name, self.settings, depth)
            if exported is not None:
                return exported
        submodule = self._submodule(binding, depth)
        if submodule is not None:
            return submodule
        return Value(Kind.QUALNAME, qualname=qualname) if target is None else None

    def _submodule(self, binding: Binding, depth: int) -> Value | None:
        assert self.model.path is not None
        dotted = f"{binding.qualname}.{binding.imported}" if binding.qualname else binding.imported
        target = importsystem.locate(dotted, binding.level, self.model.path)
        if target is None:
            return None
        return Value(Kind.MODULE, qualname=project.module_name(target), path=target)

    def _function_value(self, binding: Binding, depth: int) -> Value | None:
        node = binding.node
        assert isinstance(node, cst.FunctionDef)
        qualname = self._qualname_in_module(node.name.value, binding.scope)
        configured = self._configured(qualname) if qualname else None
        if configured is not None:
            return configured
        scope = binding.inner
        if scope is not None:
            for seq, expr in scope.returns:
                value = self.resolve(expr, scope, seq, depth)
                if value is not None and value.kind is Kind.APP:
                    module = self.model.name if binding.scope.kind == "module" else None
                    origin = Origin(module, node.name.value, factory=True, needs_args=_has_required_params(node))
                    return Value(Kind.FACTORY, value.family, origin=origin)
        return Value(Kind.FUNCTION, qualname=qualname)

    def _class_value(self, node: cst.ClassDef, scope: Scope, seq: int, depth: int) -> Value | None:
        qualname = self._qualname_in_module(node.name.value, scope)
        configured = self._configured(qualname) if qualname else None
        if configured is not None:
            return configured
        for base in node.bases:
            value = self.resolve(base.value, scope, seq, depth)
            if value is None:
                continue
            if value.kind is Kind.APP_CLASS:
                return Value(Kind.APP_CLASS, family=value.family, qualname=qualname)
            if value.kind is Kind.SOCKETIO_CLASS:
                return value
        return None

    def _param_value(self, param: cst.Param, scope: Scope, depth: int) -> Value | None:
        if param.annotation is None or scope.parent is None:
            return None
        annotation = param.annotation.annotation
        value = self.resolve(annotation, scope.parent, _END, depth)
        if value is None:
            return None
        if value.kind is Kind.APP_CLASS:
            return Value(Kind.APP, family=value.family)
        if value.kind is Kind.SOCKETIO_CLASS:
            return Value(Kind.SOCKETIO)
        return None

    # -- expressions -----------------------------------------------------
    def _resolve_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> Value | None:
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and scope.self_name == node.value.value:
            return self._self_attribute(attr, scope, depth)
        base = self.resolve(node.value, scope, seq, depth + 1)
        if base is None:
            return None
        if base.kind is Kind.APP:
            if attr == "config":
                return Value(Kind.CONFIG, family=base.family, origin=base.origin)
            if attr == "server" and base.family == "dash":
                return Value(Kind.APP, family="flask")
            return None
        if base.kind is Kind.MODULE and base.path is not None:
            return self._module_attribute(base, attr, depth)
        if base.kind in (Kind.QUALNAME, Kind.ENVIRON) and base.qualname:
            return self._from_qualname(f"{base.qualname}.{attr}", depth)
        return None

    def _module_attribute(self, module: Value, attr: str, depth: int) -> Value | None:
        """``pkg.name`` on a first-party module: a known name, its export, or a submodule."""
        assert module.path is not None
        qualname = f"{module.qualname}.{attr}"
        known = KNOWN.get(qualname) or self._configured(qualname)
        if known is not None:
            return known
        exported = _module_export(module.path, attr, self.settings, depth + 1)
        if exported is not None:
            return exported
        submodule = importsystem.submodule(module.path, attr)
        if submodule is not None:
            return Value(Kind.MODULE, qualname=qualname, path=submodule)
        return Value(Kind.QUALNAME, qualname=qualname)

    def _self_attribute(self, attr: str, scope: Scope, depth: int) -> Value | None:
        owner = scope.parent
        if owner is None or owner.kind != "class":
            return None
        for seq, expr, method in owner.self_assigns.get(attr, []):
            value = self.resolve(expr, method, seq, depth + 1)
            if value is not None:
                return value
        return None

    def _resolve_call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Value | None:
        func = self.resolve(node.func, scope, seq, depth + 1)
        if func is None:
            return None
        if func.kind is Kind.APP_CLASS:
            return Value(Kind.APP, family=func.family)
        if func.kind is Kind.FACTORY:
            return Value(Kind.APP, family=func.family, origin=func.origin)
        if func.kind is Kind.SOCKETIO_CLASS:
            return Value(Kind.SOCKETIO)
        if func.kind is Kind.ENV_GET:
            return Value(Kind.ENV_READ)
        return None


def _module_export(path: Path, name: str, settings: Settings, depth: int) -> Value | None:
    """What ``name`` is in the first-party module at ``path`` (read, never imported)."""
    if depth > MAX_DEPTH:
        _cut.gave_up = True
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (path, name, settings)
    cached = _EXPORTS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    if (path, name) in _ACTIVE:
        _cut.gave_up = True  # an import cycle: this answer is partial
        return None
    if not _ACTIVE and not _cut.walking:
        _answer_reexports_first(path, name, settings)
    outer_cut, _cut.gave_up = _cut.gave_up, False
    _ACTIVE.add((path, name))
    try:
        model = load_model(path, name)
        value = _resolver_for(model, settings).export(name, depth + 1) if model is not None else None
    finally:
        _ACTIVE.discard((path, name))
    if not _cut.gave_up:  # partial answers are not kept: results must not depend on lint order
        if len(_EXPORTS) >= _MAX_EXPORTS:
            _EXPORTS.pop(next(iter(_EXPORTS)))
        _EXPORTS[key] = (stamp, value)
    _cut.gave_up = _cut.gave_up or outer_cut
    return value


#: Longest chain of re-exports (``from b import x`` in a, ``from c import x`` in b...) followed.
MAX_REEXPORTS = 10_000


def _answer_reexports_first(path: Path, name: str, settings: Settings) -> None:
    """Answer the far end of a chain of re-exports first, then each link back towards ``path``.

    Each link then finds the next one answered (in :data:`_EXPORTS`), so a chain of any
    length resolves without the stack growing with it, and the answer does not depend on
    how deep the question was asked. A walk, no recursion; import cycles end it.
    """
    chain: list[tuple[Path, str]] = []
    seen = {(path, name)}
    while len(chain) < MAX_REEXPORTS:
        model = load_model(path, name)
        if model is None:
            break
        resolver = _resolver_for(model, settings)
        binding = resolver.lookup(name, model.index.module_scope, _END)
        if binding is None or binding.kind != "from":
            break
        target = resolver._import_target(binding)
        if target is None or (target, binding.imported) in seen:
            break
        path, name = target, binding.imported
        seen.add((path, name))
        chain.append((path, name))
    _cut.walking = True
    try:
        for link_path, link_name in reversed(chain[1:]):  # the first link is answered by the caller
            _module_export(link_path, link_name, settings, 0)
    finally:
        _cut.walking = False


def _resolver_for(model: ModuleModel, settings: Settings) -> Resolver:
    """One resolver per model and settings (its memo lives as long as the model)."""
    resolver = model.resolvers.get(settings)
    if resolver is None:
        resolver = model.resolvers[settings] = Resolver(model, settings)
    return resolver
