"""instances.py: attributes of instances of first-party classes, read as Python's attribute lookup
reads them (the instance's stores, then the C3 MRO), checked against CPython itself where it can run."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from flake8_flask_devserver import apps, instances, slices
from flake8_flask_devserver.apps import ModuleModel, Resolver
from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.model import DEFAULT_SETTINGS

from .conftest import FIXTURES


#: Each test starts and ends with empty caches and slices on (conftest.fresh_caches).
pytestmark = pytest.mark.usefixtures("fresh_caches")


def _resolver(tmp_path: Path, source: str) -> Resolver:
    (tmp_path / "pyproject.toml").write_text("")
    path = tmp_path / "hier.py"
    path.write_text(source)
    return Resolver(ModuleModel(cst.parse_module(source), path), DEFAULT_SETTINGS)


def _mro_names(resolver: Resolver, name: str) -> list[str] | None:
    cls = instances.class_named(resolver, cst.Name(name), resolver.model.index.module_scope, apps._END)
    assert cls is not None
    order = instances.mro(cls)
    return None if order is None else [entry.node.name.value if entry is not None else "?" for entry in order]


HIERARCHY = """
class O:
    pass

class A(O):
    HOST = "a"

class B(O):
    HOST = "b"

class C(A, B):
    pass

class D(B, A):
    pass

class E(C, B):
    pass

class F(A, object):
    pass
"""


@pytest.mark.parametrize("name", ["C", "D", "E", "F"])
def test_the_mro_is_python_s(tmp_path: Path, name: str) -> None:
    namespace: dict[str, object] = {}
    exec(HIERARCHY, namespace)  # the classes as CPython linearises them
    expected = [cls.__name__ for cls in namespace[name].__mro__ if cls is not object]  # type: ignore[attr-defined]
    assert _mro_names(_resolver(tmp_path, HIERARCHY), name) == expected


def test_an_inconsistent_order_has_no_mro(tmp_path: Path) -> None:
    source = "class X:\n    pass\n\nclass Y(X):\n    pass\n\nclass Z(X, Y):\n    pass\n"
    with pytest.raises(TypeError):
        exec(source, {})  # CPython: cannot create a consistent method resolution order
    assert _mro_names(_resolver(tmp_path, source), "Z") is None


def test_an_unreadable_base_ends_what_can_be_told(tmp_path: Path) -> None:
    source = "from somewhere import Base\n\nclass A:\n    pass\n\nclass B(A, Base):\n    pass\n"
    assert _mro_names(_resolver(tmp_path, source), "B") == ["B", "A", "?"]


def _value(tmp_path: Path, source: str, expr: str) -> str | None:
    resolver = _resolver(tmp_path, source)
    node = cst.parse_expression(expr)
    assert isinstance(node, cst.Attribute)
    bound = instances.value_bound(resolver, node, resolver.model.index.module_scope, apps._END)
    if bound is None:
        return None
    value = bound[1]
    return value.evaluated_value if isinstance(value, cst.SimpleString) else "?"  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # __init__'s store shadows the class attribute (the instance's __dict__ comes first)
        ("class S:\n    HOST = 'a'\n    def __init__(self):\n        self.HOST = 'b'\n\ns = S()\n", "b"),
        # the class attribute, found along the MRO: the subclass's override wins
        ("class P:\n    HOST = 'a'\n\nclass S(P):\n    HOST = 'b'\n\ns = S()\n", "b"),
        ("class P:\n    HOST = 'a'\n\nclass S(P):\n    pass\n\ns = S()\n", "a"),
        # a store the parent's __init__ makes
        ("class P:\n    def __init__(self):\n        self.HOST = 'a'\n\nclass S(P):\n    HOST = 'b'\n\ns = S()\n", "a"),
        # another method stores it too: which ran last is not told
        ("class S:\n    def __init__(self):\n        self.HOST = 'a'\n    def swap(self):\n        self.HOST = 'b'\n\ns = S()\n", None),
        # a property of that name
        ("class S:\n    @property\n    def HOST(self):\n        return 'a'\n\ns = S()\n", None),
        # an unreadable base before the name
        ("from lib import Base\n\nclass S(Base):\n    pass\n\ns = S()\n", None),
    ],
)
def test_an_instance_reads_what_python_reads(tmp_path: Path, source: str, expected: str | None) -> None:
    if expected is not None:
        namespace: dict[str, object] = {}
        exec(source, namespace)
        assert namespace["s"].HOST == expected  # type: ignore[attr-defined]
    assert _value(tmp_path, source, "s.HOST") == expected


HELD = [FIXTURES / "projects" / "held_apps" / name for name in ("serve.py", "quiet.py")] + [FIXTURES / "starts" / "held_by_object.py"]


@pytest.mark.parametrize("path", HELD, ids=lambda path: path.name)
def test_findings_are_the_audit_s(path: Path) -> None:
    apps.clear_caches()
    fast = sorted(str(finding) for finding in check_source(path.read_text(), path))
    apps.clear_caches()
    slices.ENABLED = False
    try:
        full = sorted(str(finding) for finding in check_source(path.read_text(), path))
    finally:
        slices.ENABLED = True
    assert fast == full
