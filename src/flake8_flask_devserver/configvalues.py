"""Values that reach a server start through the app's configuration or a first-party settings object.

``app.run(host=app.config["HOST"])`` reads what was written into the config: in this
module (``app.config["HOST"] = ...``, ``update``, ``from_mapping``), or by the objects
a loader hands to ``from_object``/``from_pyfile`` (configflow.py finds those, here or
anywhere in the project: the app is often built by a factory elsewhere). Flask's
``Config`` is a ``dict`` (flask/config.py), so ``.get(key, default)`` gives the default
only when nothing set the key. ``settings.FLASK_DEBUG`` where ``settings = Settings()``
reads what ``__init__`` stores, or the class attribute, as Python's attribute lookup
does (instances.py).

No libcst at import (analysis.py imports it, but the engine's screening imports configflow).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import importsystem
from .configflow import MAX_STEPS, loads

if TYPE_CHECKING:
    import libcst as cst

    from .apps import Resolver, Scope

Bound = tuple["Resolver", "cst.BaseExpression", "Scope", int]


def config_values(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int) -> list[Bound] | None:
    """What ``app.config["KEY"]`` / ``app.config.get("KEY", default)`` may hold, as expressions to evaluate.

    Read from the writes of this module (``app.config["KEY"] = v``, ``update``/``from_mapping``),
    the objects this module loads, and every object the project loads into a config
    (the app is often built by a factory elsewhere). Classes named for development or
    testing are left out: their values are meant for development. None when ``node``
    is not such a read, or nothing sets the key (then ``.get``'s default, if any).
    """
    import libcst as cst

    from .analysis import string_value
    from .apps import Kind

    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        owner, key, default = node.value, string_value(node.slice[0].slice.value), None
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get":
        if not node.args or node.args[0].keyword or node.args[0].star:
            return None
        owner, key = node.func.value, string_value(node.args[0].value)
        default = node.args[1].value if len(node.args) > 1 and not node.args[1].keyword else None
    else:
        return None
    if key is None:
        return None
    value = resolver.resolve(owner, scope, seq)
    if value is None or value.kind is not Kind.CONFIG:
        return None
    # from_object and from_pyfile copy upper-case names only (flask/config.py); a dict write takes any key
    found = _written(resolver, key) + (_loaded(resolver, key) if key.isupper() else [])
    if not found and default is not None:
        return [(resolver, default, scope, seq)]
    return found or None


def _written(resolver: Resolver, key: str) -> list[Bound]:
    """``config["KEY"] = v`` and ``config.update(KEY=v)`` in the module: the last write."""
    import libcst as cst

    from .analysis import _mapping_items, string_value
    from .apps import Kind

    index = resolver.model.index
    writes: list[tuple[int, Bound]] = []
    for site in index.assigns:
        target = site.node
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 and site.value is not None:
            index_node = target.slice[0].slice
            if isinstance(index_node, cst.Index) and string_value(index_node.value) == key:
                owner = resolver.resolve(target.value, site.scope, site.seq)
                if owner is not None and owner.kind is Kind.CONFIG:
                    writes.append((site.seq, (resolver, site.value, site.scope, site.seq)))
    for site in index.calls:
        call = site.node
        func = call.func  # type: ignore[attr-defined]
        if isinstance(func, cst.Attribute) and func.attr.value in ("update", "from_mapping"):
            for name, _, value in _mapping_items(call, func.attr.value):  # type: ignore[arg-type]
                if name == key:
                    owner = resolver.resolve(func.value, site.scope, site.seq)
                    if owner is not None and owner.kind is Kind.CONFIG:
                        writes.append((site.seq, (resolver, value, site.scope, site.seq)))
    return [max(writes, key=lambda item: item[0])[1]] if writes else []


def _loaded(resolver: Resolver, key: str) -> list[Bound]:
    """``KEY`` in the modules and classes loaded into a config here or anywhere in the project."""
    import libcst as cst

    from . import apps
    from .model import is_dev_config_name

    path = resolver.model.path
    if path is None:
        return []
    settings = resolver.settings
    targets: dict[tuple[Path, str | None], None] = {}
    for group in loads(path, settings).values():
        for load in group:
            targets[(load.target, load.attr)] = None
    found: list[Bound] = []
    for target, attr in targets:
        if attr is not None and is_dev_config_name(attr, settings.dev_config_classes):
            continue
        model = apps.load_model(target)
        if model is None:
            continue
        other = apps._resolver_for(model, settings)
        expr: cst.BaseExpression = cst.Name(key) if attr is None else cst.Attribute(cst.Name(attr), cst.Name(key))
        bound = other.constant(expr, model.index.module_scope, apps._END)
        if bound is not None:
            found.append(bound)
    return found


def instance_attribute(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int, steps: int = 0) -> Bound | None:
    """``settings.FLASK_DEBUG`` where ``settings = Settings()`` (here or imported from a first-party module,
    the class too): what ``__init__`` stores in the instance, else the class attribute the instance reads
    (a settings class's default, as an environment lookup's default is; instances.py says when)."""
    import libcst as cst

    from . import apps, instances

    if steps > MAX_STEPS or not isinstance(node, cst.Attribute) or not isinstance(node.value, cst.Name):
        return None
    cls = instances.instance_class(resolver, node.value, scope, seq)
    if cls is not None:  # Python's lookup: the instance's ``__dict__`` (``__init__``'s stores), then the MRO
        return instances.value_of(cls, node.attr.value)
    binding = resolver.lookup(node.value.value, scope, seq)
    if binding is None:
        return None
    if binding.kind == "from":
        here = resolver.model.path
        target = importsystem.locate(binding.qualname, binding.level, here) if here is not None else None
        model = apps.load_model(target, binding.imported) if target is not None else None
        if model is None:
            return None
        other = apps._resolver_for(model, resolver.settings)
        inner = cst.Attribute(cst.Name(binding.imported), node.attr)
        return instance_attribute(other, inner, model.index.module_scope, apps._END, steps + 1)
    call = binding.node
    if binding.kind != "assign" or not isinstance(call, cst.Call) or not isinstance(call.func, cst.Name):
        return None
    cls = resolver.lookup(call.func.value, binding.scope, binding.seq)
    if cls is None or cls.kind != "class":
        return None
    return resolver.constant(cst.Attribute(call.func, node.attr), binding.scope, binding.seq)


def named_mapping_items(
    resolver: Resolver, call: cst.Call, method: str, scope: Scope, seq: int
) -> list[tuple[str, cst.CSTNode, cst.BaseExpression]]:
    """``(key, item, value)`` of ``app.config.update(settings)``/``from_mapping(settings)`` where the
    name is bound in this module to a dict, ``dict(...)``, or a sequence of ``(key, value)`` pairs
    (``dict.update`` takes either, flask/config.py ``from_mapping`` passes the mapping to it)."""
    import libcst as cst

    from .arguments import _double_star_items, string_value

    if method not in ("update", "from_mapping") or len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return []
    name = call.args[0].value
    if not isinstance(name, cst.Name):
        return []
    bound = resolver.constant(name, scope, seq)
    if bound is None or bound[0] is not resolver:
        return []  # bound in another module: its nodes are not this file's
    value = bound[1]
    if isinstance(value, (cst.Tuple, cst.List)):
        found: list[tuple[str, cst.CSTNode, cst.BaseExpression]] = []
        for element in value.elements:
            pair = element.value
            if isinstance(pair, (cst.Tuple, cst.List)) and len(pair.elements) == 2:
                key = string_value(pair.elements[0].value)
                if key is not None:
                    found.append((key, pair, pair.elements[1].value))
        return found
    return list(_double_star_items(value))
