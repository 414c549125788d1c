"""What one loader module loads into a Flask app's config: its ``from_object``/``from_pyfile`` calls, resolved.

The libcst half of configflow.py (which finds the loaders of a project and answers the
engine; Flask's and Werkzeug's behaviour read for both is cited there): a loader is parsed
through ``apps.load_model`` (the engine's one guarded libcst parse) and each call's
argument is followed through names, parameter defaults, mappings, environment defaults and
import strings, :data:`MAX_STEPS` steps at most. No libcst at import: configflow.py is
imported before libcst is paid for, and imports this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import configpaths, importsystem, project
from .model import Settings

if TYPE_CHECKING:
    import libcst as cst

    from .apps import ModuleModel, Resolver, Scope

#: Steps through names, parameters and mappings to a loaded object.
MAX_STEPS = 8

METHODS = ("from_object", "from_pyfile")


@dataclass(frozen=True)
class Load:
    """One ``app.config.from_object(...)``/``from_pyfile(...)`` call and what it loads."""

    loader: Path
    site: int  # which call of the loader's model (``index.calls``, in order): its line is found when asked
    method: str
    target: Path  # the module (or file) loaded, or holding the object loaded
    attr: str | None  # the class or object in ``target``; None: the module itself

    @property
    def line(self) -> int:
        """The call's line in the loader: only a message needs it, and finding it costs a
        code-generation pass over the loader, so it is not paid while the index is built."""
        return site_line(self.loader, self.site)

    def describe(self, root: Path) -> str:
        try:
            where = self.loader.relative_to(root).as_posix()
        except ValueError:
            where = self.loader.name
        return f"{where} line {self.line}, {self.method}"


def loads_in(loader: Path, settings: Settings) -> list[Load]:
    """The loads ``loader`` makes: its ``from_object``/``from_pyfile`` calls on a Flask-family app's config."""
    from . import apps

    model = apps.load_model(loader)
    if model is None:
        return []
    resolver = apps.Resolver(model, settings)
    source = project.read_source(loader) or ""
    family = project.imports_family(source)
    found: list[Load] = []
    for number, site in enumerate(model.index.calls):
        call = site.node
        func = call.func  # type: ignore[attr-defined]
        if not (_attribute(func) and func.attr.value in METHODS and call.args):  # type: ignore[attr-defined]
            continue
        if not _app_config(func.value, resolver, site.scope, site.seq, family):
            continue
        method = func.attr.value
        argument = call.args[0].value  # type: ignore[attr-defined]
        if method == "from_object":
            targets = _objects(argument, resolver, site.scope, site.seq, 0)
        else:
            targets = configpaths.pyfile(argument, resolver, site.scope, site.seq, "instance_relative_config" in source)
        found.extend(Load(loader, number, method, target, attr) for target, attr in targets)
    return found


def site_line(loader: Path, number: int) -> int:
    """The line of call number ``number`` of the loader's model (as :func:`_loads_in` numbered them)."""
    from . import apps

    model = apps.load_model(loader)
    if model is None or number >= len(model.index.calls):
        return 0  # (the file changed since the index was built)
    return _line(model, model.index.calls[number].node)


def _attribute(node: object) -> bool:
    import libcst as cst

    return isinstance(node, cst.Attribute)


def _app_config(receiver: cst.BaseExpression, resolver: Resolver, scope: Scope, seq: int, family: bool) -> bool:
    """Whether ``receiver`` is a Flask-family app's config (or ``<name>.config`` in a module importing one)."""
    import libcst as cst

    from .apps import Kind

    value = resolver.resolve(receiver, scope, seq)
    if value is not None:
        return value.kind is Kind.CONFIG
    # ``def configure(app): app.config.from_object(...)`` in Flask code: the parameter is the app.
    return family and isinstance(receiver, cst.Attribute) and receiver.attr.value == "config"


def _line(model: ModuleModel, node: cst.CSTNode) -> int:
    """The line of ``node`` in its file. The model holds only some of the file's statements
    (firstparty.module), so the line within the model is moved by where its statement starts."""
    from . import firstparty
    from ._cst import locate

    body = list(model.module.body)
    try:
        positions = locate(model.module, [node, *body])
    except RecursionError:
        return 0
    line = positions.get(id(node), (0, 0))[0]
    if model.path is None or not line:
        return line
    holder = None
    for statement in body:  # the last top-level statement starting at or before the node
        start = positions.get(id(statement), (0, 0))[0]
        if start and start <= line:
            holder = (statement, start)
    if holder is None:
        return line
    first = firstparty.first_line(model.path, holder[0])
    return line if first is None else first + line - holder[1]


def _objects(node: cst.BaseExpression, resolver: Resolver, scope: Scope, seq: int, steps: int) -> list[tuple[Path, str | None]]:
    """The modules and objects ``from_object(node)`` may load, as (file, name or None for the module)."""
    import libcst as cst

    from .analysis import string_value
    from .apps import Kind

    here = resolver.model.path
    if steps > MAX_STEPS or here is None:
        return []
    if isinstance(node, cst.Name) and node.value == "__name__":
        return [(here, None)]
    text = string_value(node)
    if text is not None:
        return _import_string(text, here, resolver.model.name)
    if isinstance(node, (cst.Subscript, cst.Call)):
        value = resolver.resolve(node, scope, seq)
        if value is not None and value.kind is Kind.ENV_READ:
            # os.environ.get("CONFIG", "config.ProductionConfig"): what loads when the variable is unset
            default = node.args[1].value if isinstance(node, cst.Call) and len(node.args) > 1 else None
            return _objects(default, resolver, scope, seq, steps + 1) if default is not None else []
        mapping = node.value if isinstance(node, cst.Subscript) else _get_receiver(node)
        return _mapping_values(mapping, resolver, scope, seq, steps + 1) if mapping is not None else []
    if isinstance(node, cst.Attribute):
        value = resolver.resolve(node, scope, seq)
        if value is not None and value.kind is Kind.MODULE and value.path is not None:
            return [(value.path, None)]
        base = resolver.resolve(node.value, scope, seq)
        if base is not None and base.kind is Kind.MODULE and base.path is not None:
            return [(base.path, node.attr.value)]
        return []
    if not isinstance(node, cst.Name):
        return []
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None:
        return []
    if binding.kind == "class":
        return [(here, node.value)] if binding.scope.kind == "module" else []
    if binding.kind in ("import", "from"):
        value = resolver.resolve(node, scope, seq)
        if value is not None and value.kind is Kind.MODULE and value.path is not None:
            return [(value.path, None)]
        if binding.kind == "from":
            target = importsystem.locate(binding.qualname, binding.level, here)
            return [(target, binding.imported)] if target is not None else []
        return []
    if binding.kind == "assign" and isinstance(binding.node, cst.BaseExpression):
        return _objects(binding.node, resolver, binding.scope, binding.seq, steps + 1)
    if binding.kind == "param" and isinstance(binding.node, cst.Param) and binding.node.default is not None:
        # def create_app(config_class=Config): the default is what loads when no one passes one
        parent = binding.scope.parent or binding.scope
        return _objects(binding.node.default, resolver, parent, binding.seq, steps + 1)
    return []


def _get_receiver(call: cst.Call) -> cst.BaseExpression | None:
    """``mapping`` of ``mapping.get(key)``."""
    import libcst as cst

    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "get":
        return func.value
    return None


def _mapping_values(
    node: cst.BaseExpression, resolver: Resolver, scope: Scope, seq: int, steps: int
) -> list[tuple[Path, str | None]]:
    """The objects of ``{"production": ProductionConfig, ...}`` bound to ``node`` (here or in another module)."""
    import libcst as cst

    from .apps import _END

    if steps > MAX_STEPS or not isinstance(node, cst.Name):
        return []
    binding = resolver.lookup(node.value, scope, seq)
    if binding is None:
        return []
    if binding.kind == "from":
        from . import apps

        here = resolver.model.path
        target = importsystem.locate(binding.qualname, binding.level, here) if here is not None else None
        model = apps.load_model(target) if target is not None else None
        if model is None:
            return []
        other = apps.Resolver(model, resolver.settings)
        return _mapping_values(cst.Name(binding.imported), other, model.index.module_scope, _END, steps + 1)
    if binding.kind != "assign" or not isinstance(binding.node, cst.Dict):
        return []
    found: list[tuple[Path, str | None]] = []
    for element in binding.node.elements:
        if isinstance(element, cst.DictElement):
            found.extend(_objects(element.value, resolver, binding.scope, binding.seq, steps + 1))
    return found


def _import_string(text: str, importer: Path, own_name: str | None) -> list[tuple[Path, str | None]]:
    """What Werkzeug's ``import_string`` finds for ``text``, among the project's modules."""
    dotted = text.strip().replace(":", ".")
    if not dotted or not all(part.isidentifier() for part in dotted.split(".")):
        return []
    if dotted == own_name:
        return [(importer, None)]
    module = importsystem.locate(dotted, 0, importer)
    if module is not None:
        return [(module, None)]
    if "." not in dotted:
        return []
    head, attr = dotted.rsplit(".", 1)
    module = importer if head == own_name else importsystem.locate(head, 0, importer)
    return [(module, attr)] if module is not None else []
