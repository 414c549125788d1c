"""Attributes of instances of first-party classes: ``web.app`` where ``web = Dashboard(bot=b)``.

An app is often held by an object of the project's own: ``class Dashboard:`` whose
``__init__`` stores ``self.app = Quart(__name__)``, then ``web = Dashboard(bot=b)`` and
``web.app.run(host="0.0.0.0")``; a settings object likewise holds the host a start reads
(``settings = Settings()``, ``self.FLASK_HOST = "0.0.0.0"`` in its ``__init__``).

Python's attribute lookup on an instance (``object.__getattribute__``, Objects/object.c
``_PyObject_GenericGetAttrWithDict``; the language reference, "Data model", 3.3.2.4
"Invoking Descriptors"): a data descriptor found on the type wins, then the instance's
``__dict__`` (what ``self.attr = ...`` in any method of the class or its bases stores),
then the first class of the type's MRO (C3 linearisation, Objects/typeobject.c
``mro_implementation``) whose namespace holds the name. So here:

* the class is found by name, as the resolver finds any name: in the module, through
  ``from m import Name`` (re-exports followed) or ``module.Name``, and read whole from its
  file (firstparty.py: a module is read, never imported) since its methods store what is asked;
* a name of the class's namespace that is a ``def`` (a method, a property: possibly a data
  descriptor) or a class, or a class of the MRO that cannot be read (a third-party base may
  define anything) before the one holding the name, leaves the answer unknown;
* :func:`app_attribute` gives an app only when every store of the attribute (each
  ``self.attr = ...`` in the MRO's methods, and the class attribute the MRO finds) is one;
* :func:`value_bound` gives the expression an attribute holds for a value read (host,
  debug): the one ``self.attr = value`` of the MRO's methods when there is exactly one and
  ``__init__`` makes it, else the class attribute when no method stores the name; else nothing
  (stores in other methods, or more than one, depend on which ran last).

Stores made from outside the class (``web.app = ...``) or through ``setattr`` are not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from .crossmodule import MAX_DEPTH, _cut, _resolver_for, load_model
from .moduleindex import _END, Binding, Scope, class_attribute
from .values import Kind, Value

if TYPE_CHECKING:
    from .apps import Resolver

Bound = tuple["Resolver", cst.BaseExpression, Scope, int]


@dataclass(frozen=True, eq=False)
class ClassRef:
    """A first-party class: the resolver of the module that defines it (read whole), its binding and body."""

    resolver: Resolver
    binding: Binding
    body: Scope

    @property
    def node(self) -> cst.ClassDef:
        assert isinstance(self.binding.node, cst.ClassDef)
        return self.binding.node

    @property
    def key(self) -> tuple[object, str]:
        return (self.resolver.model.path or id(self.resolver), self.node.name.value)


#: An MRO entry that cannot be read (a third-party or unresolved base): it may define anything.
OPAQUE = None


def instance_class(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> ClassRef | None:
    """The first-party class ``node`` is an instance of: a name bound to a call of the class
    (``web = Dashboard(...)``), here or imported from a first-party module."""
    if not isinstance(node, cst.Name):
        return None
    if depth > MAX_DEPTH:
        _cut.gave_up = True  # a partial answer: not memoised (crossmodule._Cut)
        return None
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None:
        return None
    if binding.kind == "from":
        other = resolver._imported_resolver(binding)
        if other is None:
            return None
        return instance_class(other, cst.Name(binding.imported), other.model.index.module_scope, _END, depth + 1)
    if binding.kind == "assign" and isinstance(binding.node, cst.Call):
        return class_named(resolver, binding.node.func, binding.scope, binding.seq, depth + 1)
    return None


def class_named(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> ClassRef | None:
    """The first-party class ``node`` names: ``Name``, ``from m import Name``, ``module.Name``."""
    if depth > MAX_DEPTH:
        _cut.gave_up = True
        return None
    if isinstance(node, cst.Name):
        binding = resolver.lookup(node.value, scope, seq)
        if binding is None:
            return None
        if binding.kind == "class":
            return _whole(resolver, binding)
        if binding.kind == "from":
            other = resolver._imported_resolver(binding)
            if other is None:
                return None
            return class_named(other, cst.Name(binding.imported), other.model.index.module_scope, _END, depth + 1)
        return None
    if isinstance(node, cst.Attribute):
        base = resolver.resolve(node.value, scope, seq, depth + 1)
        if base is None or base.kind is not Kind.MODULE or base.path is None:
            return None
        model = load_model(base.path)
        if model is None:
            return None
        other = _resolver_for(model, resolver.settings)
        return class_named(other, cst.Name(node.attr.value), model.index.module_scope, _END, depth + 1)
    return None


def _whole(resolver: Resolver, binding: Binding) -> ClassRef | None:
    """The class of ``binding`` in its module read whole (a model sliced for a name may lack its methods)."""
    node = binding.node
    if not isinstance(node, cst.ClassDef):
        return None
    path = resolver.model.path
    if path is not None:
        if binding.scope.kind != "module":
            return None  # a class defined in a function: not found again in the file's model
        model = load_model(path)
        if model is None:
            return None
        whole = _resolver_for(model, resolver.settings)
        found = model.index.module_scope.bindings.get(node.name.value, [])
        if len(found) != 1 or found[0].kind != "class":
            return None  # rebound: which class a call made depends on when it ran
        resolver, binding = whole, found[0]
        node = binding.node
        assert isinstance(node, cst.ClassDef)
    body = resolver.model.index.class_scopes.get(id(node))
    return ClassRef(resolver, binding, body) if body is not None else None


def mro(cls: ClassRef, depth: int = 0, seen: dict[tuple[object, str], list[ClassRef | None] | None] | None = None) -> list[ClassRef | None] | None:
    """The C3 linearisation of ``cls`` (OPAQUE for a base that cannot be read), None when it fails
    (inconsistent, cyclic, too deep): as ``type.__mro__`` would be, or as Python would refuse it.
    Each class is linearised once per question (``seen``), so a lattice of bases costs its size."""
    if seen is None:
        seen = {}
    if cls.key in seen:
        return seen[cls.key]  # None while it is being linearised: a cycle (Python cannot build one)
    if depth > MAX_DEPTH:
        _cut.gave_up = True
        return None
    seen[cls.key] = None
    sequences: list[list[ClassRef | None]] = []
    direct: list[ClassRef | None] = []
    for base in cls.node.bases:
        if base.keyword is not None or base.star:
            if base.keyword is not None and base.keyword.value == "metaclass":
                continue
            return None
        if isinstance(base.value, cst.Name) and base.value.value == "object":
            binding = cls.resolver.lookup("object", cls.binding.scope, cls.binding.seq)
            if binding is None:
                continue  # the builtin: defines none of the names asked for
        found = class_named(cls.resolver, base.value, cls.binding.scope, cls.binding.seq, depth + 1)
        if found is None:
            sequences.append([OPAQUE])
            direct.append(OPAQUE)
            continue
        inherited = mro(found, depth + 1, seen)
        if inherited is None:
            return None
        sequences.append(inherited)
        direct.append(found)
    if any(entry is OPAQUE for entry in direct):
        # an unreadable base's own MRO is unknown: only what precedes it can be told
        merged: list[ClassRef | None] = [cls]
        for sequence in sequences:
            for entry in sequence:
                merged.append(entry)
                if entry is OPAQUE:
                    seen[cls.key] = merged
                    return merged
        return None  # (never: an OPAQUE entry ends the loop)
    result = seen[cls.key] = _c3(cls, [*sequences, list(direct)])
    return result


def _c3(cls: ClassRef, sequences: list[list[ClassRef | None]]) -> list[ClassRef | None] | None:
    result: list[ClassRef | None] = [cls]
    pending = [[entry for entry in sequence] for sequence in sequences if sequence]
    while pending:
        for sequence in pending:
            head = sequence[0]
            key = head.key if head is not None else None
            if not any(key in [entry.key for entry in other[1:] if entry is not None] for other in pending):
                break
        else:
            return None  # Python raises TypeError: no consistent MRO
        result.append(head)
        pending = [[entry for entry in sequence if entry is None or entry.key != key] for sequence in pending]
        pending = [sequence for sequence in pending if sequence]
    return result


def _class_level(cls: ClassRef, attr: str) -> tuple[bool, cst.BaseExpression | None]:
    """Whether the class body binds ``attr`` at all, and the value of its last ``attr = value``
    (None when it binds it otherwise: a ``def``, a nested class, an import...)."""
    names = cls.body.bindings.get(attr)
    if not names:
        return False, None
    last = names[-1]
    return True, class_attribute(cls.node, attr) if last.kind == "assign" else None


def _stores(order: list[ClassRef | None], attr: str) -> list[tuple[ClassRef, int, cst.BaseExpression, Scope]]:
    return [(cls, seq, expr, method) for cls in order if cls is not None for seq, expr, method in cls.body.self_assigns.get(attr, [])]


def _lookup(cls: ClassRef, attr: str) -> tuple[list[tuple[ClassRef, int, cst.BaseExpression, Scope]], tuple[ClassRef, cst.BaseExpression] | None] | None:
    """The stores of ``attr`` in the instance's ``__dict__`` and the class attribute the MRO finds;
    None when Python's answer cannot be told (see the module docstring)."""
    order = mro(cls)
    if order is None:
        return None
    class_value: tuple[ClassRef, cst.BaseExpression] | None = None
    for entry in order:
        if entry is OPAQUE:
            return None  # may define the name, or a descriptor for it
        bound, value = _class_level(entry, attr)
        if bound:
            if value is None:
                return None  # a method, a property, a nested class...
            class_value = (entry, value)
            break
    return _stores(order, attr), class_value


def app_attribute(resolver: Resolver, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> Value | None:
    """``instance.attr`` as an app: when every store of ``attr`` an instance of its first-party class can
    read is a Flask-family app (apps.Resolver._resolve_attribute asks when the base resolves to nothing)."""
    cls = instance_class(resolver, node.value, scope, seq, depth + 1)
    if cls is None:
        return None
    found = _lookup(cls, node.attr.value)
    if found is None:
        return None
    stores, class_value = found
    values: list[Value | None] = [owner.resolver.resolve(expr, method, at, depth + 1) for owner, at, expr, method in stores]
    if class_value is not None:
        owner, expr = class_value
        values.append(owner.resolver.resolve(expr, owner.body, _END, depth + 1))
    if not values or any(value is None or value.kind is not Kind.APP for value in values):
        return None
    families = {value.family for value in values if value is not None}
    first = values[0]
    assert first is not None
    return Value(Kind.APP, family=first.family if len(families) == 1 else None)


def value_bound(resolver: Resolver, node: cst.Attribute, scope: Scope, seq: int, depth: int = 0) -> Bound | None:
    """The expression ``instance.attr`` reads for a value (host, debug), and where to evaluate it."""
    if not isinstance(node.value, cst.Name):
        return None
    cls = instance_class(resolver, node.value, scope, seq, depth + 1)
    return value_of(cls, node.attr.value) if cls is not None else None


def value_of(cls: ClassRef, attr: str) -> Bound | None:
    """What an instance of ``cls`` reads for ``attr`` as a value (:func:`value_bound`)."""
    found = _lookup(cls, attr)
    if found is None:
        return None
    stores, class_value = found
    if stores:
        if len(stores) != 1:
            return None
        owner, at, expr, method = stores[0]
        if not isinstance(method.node, cst.FunctionDef) or method.node.name.value != "__init__":
            return None
        return owner.resolver, expr, method, at
    if class_value is None:
        return None
    owner, expr = class_value
    return owner.resolver, expr, owner.binding.scope, owner.binding.seq


def attribute_elsewhere(resolver: Resolver, node: cst.Attribute, binding: Binding | None, scope: Scope, seq: int, depth: int) -> Bound | None:
    """Resolver.constant of ``Config.HOST`` where ``Config`` is another first-party module's
    (``binding``: ``from config import Config``), or of ``config.Config.HOST`` (``config`` a
    first-party module): ``Config.HOST`` asked of that module."""
    if binding is not None:
        if binding.kind != "from":
            return None
        other = resolver._imported_resolver(binding)
        name = binding.imported
    elif isinstance(node.value, cst.Attribute):
        module = resolver.resolve(node.value.value, scope, seq, depth + 1)
        if module is None or module.kind is not Kind.MODULE or module.path is None:
            return None
        name = node.value.attr.value
        model = load_model(module.path, name)
        other = _resolver_for(model, resolver.settings) if model is not None else None
    else:
        return None
    if other is None:
        return None
    inner = cst.Attribute(value=cst.Name(name), attr=node.attr)
    return other.constant(inner, other.model.index.module_scope, _END, depth + 1)
