"""What a debug value is when the environment says nothing (FDS205), and which switches run then.

Production forgets variables; it rarely sets the wrong ones. So a debug value read
from the environment is judged by what it is when the variable is unset:
``os.getenv("FLASK_DEBUG", "1") == "1"`` is on, ``os.getenv("FLASK_DEBUG") == "1"``
is off. The same test decides a debug switch under an ``if``: ``if not
os.environ.get("PRODUCTION"): app.debug = True`` runs when nothing is set, ``if
os.environ.get("LOCAL"): ...`` does not. A condition that is not the environment
and not known statically (``sys.argv``, a settings object) is a deliberate switch
the linter cannot judge.

Values are computed as Python would, for the small set of operations such code
uses: ``os.getenv``/``os.environ.get`` (their default, or None), ``os.environ[...]``
(KeyError: the program stops, nothing is switched on), ``"X" in os.environ``,
``str`` methods (``lower``, ``strip``, ...), comparisons, ``not``/``and``/``or``,
conditional expressions, ``bool``/``int``/``str``, ``distutils.util.strtobool``
(which returns 1 for y, yes, t, true, on, 1 and 0 for n, no, f, false, off, 0,
and raises otherwise: Lib/distutils/util.py in CPython <= 3.11), and python-decouple's
``config(option, default=..., cast=bool)`` (its default through the cast; a ``.env`` or
``settings.ini`` entry is taken to be as absent as the variable).

Pure functions over the libcst index and resolver; no recursion deeper than
:data:`MAX_DEPTH`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from .apps import Kind, Resolver, Scope, Site, evaluated

MAX_DEPTH = 16


class _Sentinel(enum.Enum):
    UNKNOWN = "unknown"  # not known statically
    RAISES = "raises"  # evaluating it raises: nothing is switched on


UNKNOWN = _Sentinel.UNKNOWN
RAISES = _Sentinel.RAISES


@dataclass(frozen=True)
class Unset:
    """A value with the environment empty, and the variables read to get it."""

    value: object
    keys: frozenset[str] = frozenset()

    @property
    def from_environment(self) -> bool:
        return bool(self.keys)

    @property
    def on(self) -> bool:
        """Read from the environment, and true when nothing is set."""
        return self.from_environment and not isinstance(self.value, _Sentinel) and bool(self.value)


#: A first-party call's arguments: parameter -> (environment, expression, scope, seq) to evaluate it in.
_Frame = dict[str, tuple["Environment", cst.BaseExpression, Scope, int]]


class Gate(enum.Enum):
    """Whether the statement holding a switch runs when the environment says nothing."""

    ALWAYS = "always"  # no condition, or only ones known to hold (and not from the environment)
    UNSET = "when unset"  # only because the environment is empty: FDS205
    NEVER = "never"  # a condition is false (or raises) when nothing is set
    UNKNOWN = "unknown"  # a condition the linter cannot judge


#: str methods that take no argument and return a str.
_STR_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "capitalize"})
_STRTOBOOL = frozenset({"distutils.util.strtobool", "setuptools._distutils.util.strtobool", "decouple.strtobool"})
_DECOUPLE = frozenset({"decouple.config"})
_TRUE_WORDS = ("y", "yes", "t", "true", "on", "1")
_FALSE_WORDS = ("n", "no", "f", "false", "off", "0")

_Condition = tuple[cst.If, bool]  # an ``if`` and whether the statement is in its body (else: its orelse)


class Environment:
    """The questions FDS205 asks about one module (one per resolver: names may lead to other modules)."""

    def __init__(
        self, resolver: Resolver, others: dict[int, Environment] | None = None, frames: dict[int, _Frame] | None = None
    ) -> None:
        self.resolver = resolver
        # the arguments of first-party calls being evaluated, by the callee's scope (shared by all modules)
        self._frames: dict[int, _Frame] = frames if frames is not None else {}
        self._others: dict[int, Environment] = others if others is not None else {}
        self._others[id(resolver)] = self
        self._conditions: dict[int, tuple[_Condition, ...]] | None = None
        self._suites: dict[int, list[tuple[cst.BaseSmallStatement, tuple[_Condition, ...]]]] = {}
        self._scopes: dict[int, Scope] = {}
        self._tests: dict[int, Unset] = {}

    def for_resolver(self, resolver: Resolver) -> Environment:
        found = self._others.get(id(resolver))
        return found if found is not None else Environment(resolver, self._others, self._frames)

    # -- values ----------------------------------------------------------
    def value(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Unset:
        """What ``node`` evaluates to when no environment variable is set."""
        if depth > MAX_DEPTH:
            return Unset(UNKNOWN)
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return Unset({"True": True, "False": False, "None": None}[node.value])
            return self._bound(node, scope, seq, depth)
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
            if isinstance(node, cst.SimpleString) and "f" in node.prefix.lower():
                return Unset(UNKNOWN)
            literal = evaluated(node)
            return Unset(UNKNOWN if literal is None else literal)
        if isinstance(node, cst.Attribute):
            return self._bound(node, scope, seq, depth)
        if isinstance(node, cst.Call):
            return self._call(node, scope, seq, depth)
        if isinstance(node, cst.Subscript):
            base = self.resolver.resolve(node.value, scope, seq)
            if base is not None and base.kind is Kind.ENVIRON and len(node.slice) == 1:
                index = node.slice[0].slice
                return Unset(RAISES, _keys(index.value if isinstance(index, cst.Index) else None))  # KeyError
            return Unset(UNKNOWN)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            inner = self.value(node.expression, scope, seq, depth + 1)
            return inner if isinstance(inner.value, _Sentinel) else Unset(not inner.value, inner.keys)
        if isinstance(node, cst.BooleanOperation):
            return self._boolean(node, scope, seq, depth)
        if isinstance(node, cst.Comparison):
            return self._comparison(node, scope, seq, depth)
        if isinstance(node, cst.IfExp):
            test = self.value(node.test, scope, seq, depth + 1)
            if isinstance(test.value, _Sentinel):
                return test
            branch = self.value(node.body if test.value else node.orelse, scope, seq, depth + 1)
            return Unset(branch.value, test.keys | branch.keys)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            values: list[object] = []
            keys: frozenset[str] = frozenset()
            for element in node.elements:
                item = self.value(element.value, scope, seq, depth + 1)
                if isinstance(element, cst.StarredElement) or isinstance(item.value, _Sentinel):
                    return Unset(UNKNOWN)
                values.append(item.value)
                keys |= item.keys
            return Unset(tuple(values), keys)
        return Unset(UNKNOWN)

    def _bound(self, node: cst.Name | cst.Attribute, scope: Scope, seq: int, depth: int) -> Unset:
        """A name or attribute: the value it was bound to, skipping bindings that do not run when unset."""
        if isinstance(node, cst.Name) and self._frames:
            binding = self.resolver.lookup(node.value, scope, seq)
            frame = self._frames.get(id(binding.scope)) if binding is not None and binding.kind == "param" else None
            if frame is not None:
                passed = frame.get(node.value)
                if passed is None:
                    return Unset(UNKNOWN)
                env, expr, where, when = passed
                return env.value(expr, where, when, depth + 1)
        bound = self.resolver.constant(node, scope, seq)
        keys: frozenset[str] = frozenset()
        for _ in range(MAX_DEPTH):
            if bound is None:
                return Unset(UNKNOWN, keys)
            other, expr, where, when = bound
            env = self.for_resolver(other)
            gate, decided_by = env.binding_gate(expr, depth)
            keys |= decided_by
            if gate is Gate.UNKNOWN:
                return Unset(UNKNOWN, keys)
            if gate is not Gate.NEVER:
                found = env.value(expr, where, when, depth + 1)
                return Unset(found.value, found.keys | keys)
            if not isinstance(node, cst.Name):
                return Unset(UNKNOWN, keys)
            earlier = other.constant(node, where, when)  # the binding before this one, in its scope
            if earlier is not None and earlier[0] is other and earlier[3] >= when:
                return Unset(UNKNOWN, keys)
            bound = earlier
        return Unset(UNKNOWN, keys)

    def _call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Unset:
        inlined = self._first_party(node, scope, seq, depth)
        if inlined is not None:
            return inlined
        resolved = self.resolver.resolve(node, scope, seq)
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        if resolved is not None and resolved.kind is Kind.ENV_READ:
            keys = _keys(positional[0] if positional else None)
            if not keys and positional:  # ``os.getenv(name)`` inside a helper: the name it was called with
                name = self.value(positional[0], scope, seq, depth + 1)
                keys = frozenset({name.value}) if isinstance(name.value, str) else keys
            default = positional[1] if len(positional) > 1 else _keyword(node, "default")
            if any(arg.star for arg in node.args):
                return Unset(UNKNOWN, keys)
            if default is None:
                return Unset(None, keys)
            found = self.value(default, scope, seq, depth + 1)
            return Unset(found.value, keys | found.keys)
        func = node.func
        if isinstance(func, (cst.Name, cst.Attribute)):
            callee = self.resolver.resolve(func, scope, seq)
            if callee is not None and callee.kind is Kind.QUALNAME and callee.qualname in _DECOUPLE:
                return self._decouple(node, scope, seq, depth)
        if isinstance(func, cst.Attribute) and func.attr.value in _STR_METHODS and not node.args:
            base = self.value(func.value, scope, seq, depth + 1)
            if isinstance(base.value, str):
                return Unset(getattr(base.value, func.attr.value)(), base.keys)
            if base.value is None or isinstance(base.value, (bool, int, float, tuple)):
                return Unset(RAISES, base.keys)  # AttributeError
            return base
        if len(positional) != 1 or len(node.args) != 1:
            return Unset(UNKNOWN)
        name = self._function(func, scope, seq)
        if name is None:
            return Unset(UNKNOWN)
        inner = self.value(positional[0], scope, seq, depth + 1)
        if isinstance(inner.value, _Sentinel):
            return inner
        return Unset(_apply(name, inner.value), inner.keys)

    def _decouple(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Unset:
        """python-decouple's ``config(option, default, cast)`` with the variable unset (and no .env or
        settings.ini entry): the default, through the cast (decouple.py 3.8, ``Config.get``)."""
        if any(arg.star for arg in node.args):
            return Unset(UNKNOWN)
        positional = [arg.value for arg in node.args if arg.keyword is None]
        option = positional[0] if positional else _keyword(node, "option")
        keys = _keys(option)
        default = positional[1] if len(positional) > 1 else _keyword(node, "default")
        cast = positional[2] if len(positional) > 2 else _keyword(node, "cast")
        if default is None:
            return Unset(RAISES, keys)  # UndefinedValueError
        found = self.value(default, scope, seq, depth + 1)
        if isinstance(found.value, _Sentinel) or cast is None:
            return Unset(found.value, keys | found.keys)
        name = self._function(cast, scope, seq) if isinstance(cast, (cst.Name, cst.Attribute)) else None
        if name == "bool":  # Config._cast_boolean: "" is False, else its strtobool of str(value)
            text = str(found.value)
            result = False if text == "" else _apply("strtobool", text)
            return Unset(bool(result) if not isinstance(result, _Sentinel) else result, keys | found.keys)
        if name in ("int", "str"):
            return Unset(_apply(name, found.value), keys | found.keys)
        return Unset(UNKNOWN, keys)

    def _first_party(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Unset | None:
        """A call of one of the project's own functions (``get_env("DEBUG")``, ``env_flag("DEBUG", "1")``):
        its ``return`` evaluated with the call's arguments bound to its parameters, as Python binds them
        (a parameter's default when no argument is given). Every ``return`` must agree; None when the
        callee is not a plain first-party function."""
        from .apps import _END

        func = node.func
        if not isinstance(func, cst.Name) or any(arg.star for arg in node.args) or depth > MAX_DEPTH // 2:
            return None
        binding = self.resolver.lookup(func.value, scope, seq)
        owner = self.resolver
        if binding is not None and binding.kind == "from":
            other = self.resolver._imported_resolver(binding)
            if other is None:
                return None
            owner = other
            binding = other.lookup(binding.imported, other.model.index.module_scope, _END)
        if binding is None or binding.kind != "function" or binding.inner is None:
            return None
        define = binding.node
        if not isinstance(define, cst.FunctionDef) or define.asynchronous is not None or define.decorators:
            return None
        inner = binding.inner
        if not inner.returns or id(inner) in self._frames:
            return None  # no return (None: not ours to judge), or a recursive call
        from .paramflow import call_frame

        bound = call_frame(define, node)  # Python's binding of the call's arguments (shared with paramflow.py)
        if bound is None:
            return None  # a TypeError, or *args/**kwargs: not judged
        defaults = {
            param.name.value: param.default
            for param in [*define.params.posonly_params, *define.params.params, *define.params.kwonly_params]
        }
        frame: _Frame = {}
        here = self.for_resolver(owner)
        for name, passed in bound.items():
            default = defaults.get(name)
            if passed is not None:
                frame[name] = (self, passed, scope, seq)
            elif default is not None:
                frame[name] = (here, default, binding.scope, binding.seq)
        self._frames[id(inner)] = frame
        try:
            results = [here.value(expr, inner, when, depth + 1) for when, expr in inner.returns]
        finally:
            del self._frames[id(inner)]
        first = results[0]
        if any(result.value != first.value or type(result.value) is not type(first.value) for result in results[1:]):
            return Unset(UNKNOWN, frozenset().union(*(result.keys for result in results)))
        return Unset(first.value, frozenset().union(*(result.keys for result in results)))

    def _function(self, func: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        """``bool``, ``int``, ``str`` (builtins, not rebound) or strtobool, for a callee."""
        value = self.resolver.resolve(func, scope, seq)
        if value is not None and value.kind is Kind.BOOL:
            return "bool"
        if value is not None and value.kind is Kind.QUALNAME and value.qualname in _STRTOBOOL:
            return "strtobool"
        if isinstance(func, cst.Name) and func.value in ("int", "str") and self.resolver.lookup(func.value, scope, seq) is None:
            return func.value
        return None

    def _boolean(self, node: cst.BooleanOperation, scope: Scope, seq: int, depth: int) -> Unset:
        left = self.value(node.left, scope, seq, depth + 1)
        if left.value is RAISES:
            return left
        is_and = isinstance(node.operator, cst.And)
        if not isinstance(left.value, _Sentinel) and bool(left.value) != is_and:
            return left  # ``a or b`` with a true, ``a and b`` with a false: b is not evaluated
        right = self.value(node.right, scope, seq, depth + 1)
        if isinstance(left.value, _Sentinel):
            if is_and and not isinstance(right.value, _Sentinel) and not right.value:
                return Unset(False, right.keys)  # ``x and <false>`` is falsy whatever x is
            if not is_and and not isinstance(right.value, _Sentinel) and right.value:
                return Unset(True, right.keys)  # ``x or <true>`` is truthy whatever x is
            return Unset(UNKNOWN, left.keys | right.keys)
        return Unset(right.value, left.keys | right.keys)

    def _comparison(self, node: cst.Comparison, scope: Scope, seq: int, depth: int) -> Unset:
        left = self.value(node.left, scope, seq, depth + 1)
        keys = left.keys
        for target in node.comparisons:
            operator = target.operator
            if isinstance(operator, (cst.In, cst.NotIn)):
                container = self.resolver.resolve(target.comparator, scope, seq)
                if container is not None and container.kind is Kind.ENVIRON:
                    if len(node.comparisons) != 1:
                        return Unset(UNKNOWN, keys)
                    # ``"X" in os.environ``: False when nothing is set
                    return Unset(isinstance(operator, cst.NotIn), keys | _keys(node.left))
            right = self.value(target.comparator, scope, seq, depth + 1)
            keys = keys | right.keys
            if left.value is RAISES or right.value is RAISES:
                return Unset(RAISES, keys)
            if isinstance(left.value, _Sentinel) or isinstance(right.value, _Sentinel):
                return Unset(UNKNOWN, keys)
            result = _compare(operator, left.value, right.value)
            if isinstance(result, _Sentinel) or not result:
                return Unset(result, keys)
            left = right
        return Unset(True, keys)

    # -- conditions -------------------------------------------------------
    def gate(self, site: Site) -> tuple[Gate, frozenset[str]]:
        """Whether the statement of a site runs when nothing is set (and the variables that decide it)."""
        return self._judge(self._site_conditions(site), 0)

    def binding_gate(self, expr: cst.BaseExpression, depth: int = 0) -> tuple[Gate, frozenset[str]]:
        """The same for the assignment (of this module) whose value is ``expr``."""
        return self._judge(self._map().get(id(expr), ()), depth)

    def _judge(self, conditions: tuple[_Condition, ...], depth: int) -> tuple[Gate, frozenset[str]]:
        gate, keys = Gate.ALWAYS, frozenset[str]()
        module_scope = self.resolver.model.index.module_scope
        for statement, in_body in conditions:
            if _mentions_main(statement.test):
                continue  # the ``__main__`` guard: a context the start rules judge, not a switch
            test = self._tests.get(id(statement))
            if test is None:  # each ``if`` once, however many switches sit under it
                scope = self._scopes.get(id(statement), module_scope)
                test = self._tests[id(statement)] = self.value(statement.test, scope, _END, depth + 1)
            keys |= test.keys
            if test.value is UNKNOWN:
                gate = Gate.UNKNOWN
                continue
            if test.value is RAISES or bool(test.value) != in_body:
                return Gate.NEVER, keys
            if test.from_environment and gate is Gate.ALWAYS:
                gate = Gate.UNSET
        return gate, keys

    def _site_conditions(self, site: Site) -> tuple[_Condition, ...]:
        conditions = self._map()
        stmt = site.stmt
        if stmt is None:
            return ()
        if isinstance(stmt, cst.BaseCompoundStatement):
            # a one-line suite (``if x: app.debug = True``): the small statement holding the node
            for small, inner in self._suites.get(id(stmt), ()):
                if _holds(small, site.node):
                    return inner
        return conditions.get(id(stmt), ())

    def _map(self) -> dict[int, tuple[_Condition, ...]]:
        """Per statement (and per assigned value): the ``if`` conditions it runs under, outermost first."""
        if self._conditions is None:
            self._conditions = {}
            self._walk()
        return self._conditions

    def _walk(self) -> None:
        assert self._conditions is not None
        index = self.resolver.model.index
        functions = _function_scopes(index.module_scope)
        todo: list[tuple[cst.CSTNode, tuple[_Condition, ...], Scope]] = [(self.resolver.model.module, (), index.module_scope)]
        while todo:
            block, conditions, scope = todo.pop()
            for statement in _statements(block):
                self._conditions[id(statement)] = conditions
                if isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        self._record_value(small, conditions)
                    continue
                inner_scope = functions.get(id(statement), scope) if isinstance(statement, cst.FunctionDef) else scope
                for owner, inner, inner_conditions in _sub_blocks(statement, conditions):
                    if isinstance(owner, cst.If):
                        self._scopes[id(owner)] = scope
                    if isinstance(inner, cst.SimpleStatementSuite):
                        for small in inner.body:
                            self._suites.setdefault(id(owner), []).append((small, inner_conditions))
                            self._record_value(small, inner_conditions)
                    else:
                        todo.append((inner, inner_conditions, inner_scope))

    def _record_value(self, small: cst.BaseSmallStatement, conditions: tuple[_Condition, ...]) -> None:
        assert self._conditions is not None
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
            self._conditions[id(small.value)] = conditions


_END = 1 << 62


def _sub_blocks(
    statement: cst.CSTNode, conditions: tuple[_Condition, ...]
) -> Iterator[tuple[cst.CSTNode, cst.CSTNode, tuple[_Condition, ...]]]:
    """(the statement owning it, a block inside ``statement``, the conditions that block runs under)."""
    if isinstance(statement, cst.If):
        current: cst.If | None = statement
        outer = conditions
        while current is not None:  # an elif chain, without recursion
            yield current, current.body, (*outer, (current, True))
            outer = (*outer, (current, False))
            orelse = current.orelse
            if isinstance(orelse, cst.Else):
                yield current, orelse.body, outer
            current = orelse if isinstance(orelse, cst.If) else None
        return
    body = getattr(statement, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        yield statement, body, conditions
    for name in ("orelse", "finalbody"):
        extra = getattr(statement, name, None)
        if extra is not None and isinstance(getattr(extra, "body", None), (cst.IndentedBlock, cst.SimpleStatementSuite)):
            yield statement, extra.body, conditions
    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        yield statement, part.body, conditions


def _statements(block: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(block, (cst.Module, cst.IndentedBlock)):
        return list(block.body)
    return []


def _function_scopes(module_scope: Scope) -> dict[int, Scope]:
    """id(FunctionDef) -> its scope, from the index's bindings (every def binds its name)."""
    found: dict[int, Scope] = {}
    todo = [module_scope]
    while todo:
        scope = todo.pop()
        for bindings in scope.bindings.values():
            for binding in bindings:
                if binding.kind == "function" and binding.inner is not None and binding.node is not None:
                    if id(binding.node) not in found:
                        found[id(binding.node)] = binding.inner
                        todo.append(binding.inner)
    return found


def _holds(small: cst.BaseSmallStatement, node: cst.CSTNode) -> bool:
    """Whether ``node`` is inside ``small`` (one small statement: a bounded walk)."""
    stack: list[cst.CSTNode] = [small]
    seen = 0
    while stack and seen < 10_000:
        current = stack.pop()
        seen += 1
        if current is node:
            return True
        stack.extend(current.children)
    return False


def _mentions_main(test: cst.BaseExpression) -> bool:
    """``__name__ == "__main__"`` (or inside ``and``/``not``): the launcher guard."""
    if isinstance(test, cst.BooleanOperation):
        return _mentions_main(test.left) or _mentions_main(test.right)
    if isinstance(test, cst.UnaryOperation):
        return _mentions_main(test.expression)
    if isinstance(test, cst.Comparison):
        return any(isinstance(part, cst.Name) and part.value == "__name__" for part in (test.left, *(t.comparator for t in test.comparisons)))
    return False


def _keys(node: cst.BaseExpression | None) -> frozenset[str]:
    """The variable a lookup reads (its name when spelled as a literal)."""
    if isinstance(node, cst.SimpleString):
        key = evaluated(node)
        if isinstance(key, str):
            return frozenset({key})
    return frozenset({"?"})


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _apply(name: str, value: object) -> object:
    """``bool``/``int``/``str``/``strtobool`` of a known value (RAISES where Python raises)."""
    if name == "bool":
        return bool(value)
    if name == "str":
        return str(value)
    if name == "int":
        try:
            return int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return RAISES
    if not isinstance(value, str):
        return RAISES
    word = value.lower()
    if word in _TRUE_WORDS:
        return 1
    return 0 if word in _FALSE_WORDS else RAISES


def _compare(operator: cst.BaseCompOp, left: object, right: object) -> object:
    try:
        if isinstance(operator, cst.Equal):
            return left == right
        if isinstance(operator, cst.NotEqual):
            return left != right
        if isinstance(operator, cst.Is):
            return left is None and right is None if None in (left, right) else UNKNOWN
        if isinstance(operator, cst.IsNot):
            return not (left is None and right is None) if None in (left, right) else UNKNOWN
        if isinstance(operator, cst.In):
            return left in right  # type: ignore[operator]
        if isinstance(operator, cst.NotIn):
            return left not in right  # type: ignore[operator]
        if isinstance(operator, cst.LessThan):
            return left < right  # type: ignore[operator]
        if isinstance(operator, cst.LessThanEqual):
            return left <= right  # type: ignore[operator]
        if isinstance(operator, cst.GreaterThan):
            return left > right  # type: ignore[operator]
        if isinstance(operator, cst.GreaterThanEqual):
            return left >= right  # type: ignore[operator]
    except TypeError:
        return RAISES
    return UNKNOWN
