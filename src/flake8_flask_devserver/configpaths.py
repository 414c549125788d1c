"""The file ``app.config.from_pyfile(...)`` executes, from the path expression written (split from configflow.py).

Flask's ``Config.from_pyfile`` joins ``self.root_path`` and the filename
(``os.path.join(self.root_path, filename)``, src/flask/config.py), so a relative name is
read from the app's folder (or its instance folder with ``instance_relative_config``) and
an absolute one, built from ``__file__``, is taken as it is. The path may be written with
``os.path`` (``join``, ``dirname``, ``abspath``, ``realpath``, ``normpath``), with pathlib
(``Path(__file__).parent / "conf" / "x.cfg"``, ``.joinpath``, ``.resolve()``, ``str()``,
Lib/pathlib.py), through ``app.root_path``, or a module constant bound to one of those.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import project

if TYPE_CHECKING:
    import libcst as cst

    from .apps import Resolver, Scope

#: Steps through names and calls of one path expression.
MAX_STEPS = 8


def pyfile(
    node: cst.BaseExpression, resolver: Resolver, scope: Scope, seq: int, instance_relative: bool
) -> list[tuple[Path, str | None]]:
    """The file ``from_pyfile(node)`` executes: relative to the app's root path (or its instance folder).

    ``os.path.join(self.root_path, filename)`` in Flask: an absolute ``filename`` (such as
    ``os.path.join(basedir, "app.cfg")`` with ``basedir = os.path.dirname(__file__)``) is taken as is.
    """
    loader = resolver.model.path
    if loader is None:
        return []
    name = path_text(node, resolver, scope, seq, loader, 0)
    if not name:
        return []
    folder = loader.parent
    if instance_relative:
        folder = project.package_root(folder) / "instance"
    target = Path(os.path.normpath(os.path.join(folder, name)))
    root = project.project_root(loader.parent)
    from .configflow import _inside

    return [(target, None)] if _inside(target, root) and os.path.isfile(target) else []


def path_text(node: cst.BaseExpression, resolver: Resolver, scope: Scope, seq: int, loader: Path, steps: int) -> str | None:
    """A path expression's value: a literal, ``os.path.join`` of such parts, ``os.path.dirname(__file__)``
    (also under ``abspath``/``realpath``), pathlib's ``Path(__file__).parent / "x.cfg"`` (``joinpath``,
    ``resolve()``, ``str()``), ``app.root_path``, or a module constant bound to one of those."""
    import libcst as cst

    from .analysis import string_value
    from .configloads import _app_config
    from .moduleindex import _dotted

    if steps > MAX_STEPS:
        return None
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, cst.Name):
        if node.value == "__file__":
            return str(loader)
        bound = resolver.constant(node, scope, seq)
        if bound is None or bound[0] is not resolver:
            return None
        return path_text(bound[1], resolver, bound[2], bound[3], loader, steps + 1)
    # pathlib (Lib/pathlib.py): ``Path(__file__).parent / "app.cfg"``, ``.joinpath(...)``,
    # ``.resolve()``/``.absolute()`` (the same place, for this question), ``str(p)``/``os.fspath(p)``
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        left = path_text(node.left, resolver, scope, seq, loader, steps + 1)
        right = path_text(node.right, resolver, scope, seq, loader, steps + 1)
        return os.path.join(left, right) if left is not None and right is not None else None
    if isinstance(node, cst.Attribute):
        if node.attr.value == "parent":
            inner = path_text(node.value, resolver, scope, seq, loader, steps + 1)
            return os.path.dirname(inner) if inner is not None else None
        if node.attr.value == "root_path" and _app_config(
            cst.Attribute(value=node.value, attr=cst.Name("config")), resolver, scope, seq, False
        ):
            return str(loader.parent)  # ``os.path.join(app.root_path, "app.cfg")``: the app's own folder
        return None
    if not isinstance(node, cst.Call) or any(arg.keyword or arg.star for arg in node.args):
        return None
    if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("resolve", "absolute", "joinpath"):
        base = path_text(node.func.value, resolver, scope, seq, loader, steps + 1)
        extra = [path_text(arg.value, resolver, scope, seq, loader, steps + 1) for arg in node.args]
        if base is None or any(part is None for part in extra):
            return None
        if node.func.attr.value == "joinpath":
            return os.path.join(base, *extra)  # type: ignore[arg-type]
        return base if not extra else None
    func = _dotted(node.func)
    parts = [path_text(arg.value, resolver, scope, seq, loader, steps + 1) for arg in node.args]
    if any(part is None for part in parts) or not parts:
        return None
    if func in ("os.path.join", "path.join", "join"):
        return os.path.join(*parts)  # type: ignore[arg-type]
    if func in ("os.path.dirname", "path.dirname", "dirname") and len(parts) == 1:
        return os.path.dirname(parts[0])  # type: ignore[arg-type]
    if func in ("os.path.abspath", "os.path.realpath", "os.path.normpath", "abspath", "realpath") and len(parts) == 1:
        return parts[0]
    if func in ("Path", "pathlib.Path", "PurePath", "pathlib.PurePath", "str", "os.fspath", "fspath"):
        return os.path.join(*parts) if func.endswith("Path") or len(parts) == 1 else None  # type: ignore[arg-type]
    return None
