"""Which kinds of value a resolution can give, told before it runs (False: resolving cannot help).

Some questions the rules ask care about one kind of answer only, and resolving the rest reads
and parses other modules for nothing (issue 16), as callbounds.py found for calls. Werkzeug's
``examples/upload.py``: ``run_simple("localhost", 5000, application)`` with ``def
application(environ, start_response)``. The served value only names the app in the fix
(suggest.py ``_wsgi_spec`` reads an app, ``Kind.APP``, and nothing else), yet resolving a ``def``
resolves its returns, ``Response(...)`` imported from ``werkzeug.wrappers``: three modules parsed
to learn it is no factory. A function is never an app, whatever it returns. Likewise
``resp = view(req)`` then ``resp(...)``: handoff.py asks whether ``view`` is ``functools.partial``
(a third-party name, ``Kind.QUALNAME``), which a ``def`` never is.

:func:`kinds` is a superset of the kinds ``Resolver.resolve`` (apps.py) can give for an
expression, read from the module's own index the way the resolver computes values:

* a name, by its binding (``_compute_binding``): ``import`` gives a dotted name's value (known,
  configured, a first-party module or another name: computed, no module is read); ``from``, a
  known or configured name, a submodule, another name, or the other module's export (below);
  ``=``, what its value gives; ``a, b = f()``, an app or Socket.IO object; a ``def``, a function,
  what configuration names it, a factory when a ``return`` may give an app, an environment
  getter when every ``return`` may give an environment string; a ``class``, an app or Socket.IO
  class or a configured name; a parameter, an app or Socket.IO object; an unbound name, ``bool``;
* ``base.attr``: ``self.attr`` what the class's ``self.attr = ...`` give; on an app, its config or
  an app; on a holder object, its app; on a dotted name or a module, anything (a known name); on
  a name bound to a call of a first-party class (instances.py: an app every store of the
  attribute holds), an app: bounded already, since a ``class`` may be an app class (its call an
  app) and an import from a first-party module may be anything;
* a call (``_resolve_call``): an app (of an app class, a factory, a family helper, an event loop
  given a factory's coroutine, or a function handing back an argument that may be an app), a
  family object, a Socket.IO object, an environment string; a subscript, an environment
  string; ``await``, an app; anything else, nothing.

An export of another first-party module may be any kind, except in a project without apps.
App-like values (:data:`APP_LIKE`) start only at the known names of :data:`APP_MODULES` (the
family table less Werkzeug, whose known names are a launcher and the debugger) and at configured
names, which the resolver looks up by the dotted names that import statements and module names
build; every other app-like value is made from one (and only app-like values are). So when
neither the linted module (as parsed: an editor's buffer may differ from its file) nor any
module the resolver can read names such a module (:func:`may_hold_apps`), no value is app-like:
:func:`may_give` asks that last, when only app-like kinds are left to decide (werkzeug's
``manage-*.py``: ``app = make_app()`` from a first-party package is not read; a Flask project is
not walked for a ``def``).

Nothing here parses with libcst; the audit mode (``slices.ENABLED = False``) resolves
everything, and the benchmark's audit compares the two.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from pathlib import Path

import libcst as cst

from . import family, importsystem, project, regularfile, slices
from .apps import MAX_DEPTH, Binding, Resolver, Scope
from .model import Settings
from .values import KNOWN, Kind, Value

ANY = frozenset(Kind)
NOTHING: frozenset[Kind] = frozenset()
#: Values that are (or lead to) an app: what a project must import a family module to have.
APP_LIKE = frozenset(
    {Kind.APP, Kind.APP_CLASS, Kind.FACTORY, Kind.FAMILY, Kind.FAMILY_OBJECT, Kind.SOCKETIO, Kind.SOCKETIO_CLASS, Kind.CONFIG}
)
#: Top-level modules whose known names give app-like values (flask, quart, dash, ...; not werkzeug).
APP_MODULES = frozenset(name.split(".")[0] for name, value in KNOWN.items() if value.kind in APP_LIKE)
#: Family modules that give none (their names are masked before project.imports_family reads a text).
_OTHER_FAMILY = tuple(name for name in family.MODULES if name not in APP_MODULES)
#: Modules of APP_MODULES project.imports_family does not look for (none today): looked for as words.
_UNLISTED = tuple(sorted(APP_MODULES - set(family.MODULES)))


def may_give(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int, wanted: frozenset[Kind]) -> bool:
    """Whether ``resolver.resolve(node, scope, seq)`` can give a value of a kind in ``wanted``
    (always, in the audit mode)."""
    if not slices.ENABLED:
        return True
    found = kinds(resolver, node, scope, seq) & wanted
    if not found:
        return False  # told from the module alone
    # App-like kinds are made only from app-like kinds (the resolver's rules above), so a world
    # without apps rules them out wherever they came from (read only when it can decide).
    return not (found <= APP_LIKE and _bound(resolver).without_apps())


def kinds(resolver: Resolver, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> frozenset[Kind]:
    """A superset of the kinds ``resolver.resolve(node, scope, seq)`` can give, from the module alone
    (an export of another first-party module may be any kind)."""
    return _bound(resolver).expression(node, scope, seq, depth)


def _bound(resolver: Resolver) -> _Bound:
    bound: _Bound | None = getattr(resolver, "_kind_bound", None)
    if bound is None:
        bound = resolver._kind_bound = _Bound(resolver)  # type: ignore[attr-defined]
    return bound


class _Bound:
    """The bounds of one resolver's module: each binding and ``self.<name>`` is bounded once (linear work).

    A binding met again while it is being bounded (a cycle), or past the depth limit, may be anything
    (ANY): an answer built on it is still a superset, so it is kept.
    """

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.active: set[int] = set()  # bindings and (class, attribute) pairs being bounded
        self.memo: dict[object, frozenset[Kind]] = {}
        self._without_apps: bool | None = None

    def without_apps(self) -> bool:
        """Whether no value the resolver can give is app-like: neither the module (as parsed: an editor's
        buffer may differ from the file) nor a module it can read names an app-like module (module docstring)."""
        if self._without_apps is None:
            resolver = self.resolver
            path = resolver.model.path
            imported: list[Path] = []
            self._without_apps = (
                path is not None
                and not _names_app_module(resolver, imported)
                # (the modules it imports first: in a project with apps, one of them mostly names one)
                and not any(_text_holds(str(target), _configured_modules(resolver.settings)) for target in imported)
                and not may_hold_apps(path, resolver.settings)
            )
        return self._without_apps

    def expression(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> frozenset[Kind]:
        if depth > MAX_DEPTH:
            return ANY
        if isinstance(node, cst.Name):
            binding = self.resolver.lookup(node.value, scope, seq)
            if binding is None:
                return frozenset({Kind.BOOL}) if node.value == "bool" else NOTHING
            return self.binding(binding, depth + 1)
        if isinstance(node, cst.Attribute):
            return self.attribute(node, scope, seq, depth + 1)
        if isinstance(node, cst.Call):
            return self.call(node, scope, seq, depth + 1)
        if isinstance(node, cst.Subscript):
            return frozenset({Kind.ENV_READ})
        if isinstance(node, cst.Await):
            return frozenset({Kind.APP})
        return NOTHING

    def binding(self, binding: Binding, depth: int) -> frozenset[Kind]:
        key = id(binding)
        found = self.memo.get(key)
        if found is not None:
            return found
        if key in self.active:
            return ANY
        self.active.add(key)
        try:
            found = self.memo[key] = self._binding(binding, depth)
        finally:
            self.active.discard(key)
        return found

    def _binding(self, binding: Binding, depth: int) -> frozenset[Kind]:
        resolver = self.resolver
        kind = binding.kind
        if kind == "import":  # a dotted name's value: known, configured, a module, or another name (no read)
            return _kind_of(resolver._binding_value(binding, "", depth))
        if kind == "from":
            return self._from_import(binding)
        if kind == "assign":
            node = binding.node
            return self.expression(node, binding.scope, binding.seq, depth) if isinstance(node, cst.BaseExpression) else NOTHING
        if kind == "unpack":
            return frozenset({Kind.APP, Kind.SOCKETIO})
        if kind == "function" and isinstance(binding.node, cst.FunctionDef):
            return self._function(binding, binding.node, depth)
        if kind == "class" and isinstance(binding.node, cst.ClassDef):
            return frozenset({Kind.APP_CLASS, Kind.SOCKETIO_CLASS}) | self._configured(binding.node.name.value, binding.scope)
        if kind == "param":
            return frozenset({Kind.APP, Kind.SOCKETIO})
        return NOTHING

    def _configured(self, name: str, scope: Scope) -> frozenset[Kind]:
        qualname = self.resolver._qualname_in_module(name, scope)
        return _kind_of(self.resolver._configured(qualname)) if qualname else NOTHING

    def _from_import(self, binding: Binding) -> frozenset[Kind]:
        """As Resolver._from_import: a known or configured name, else the export, a submodule or another name."""
        resolver = self.resolver
        module = resolver._absolute_module(binding.qualname, binding.level)
        name = binding.imported
        qualname = importsystem.flask_ext(f"{module}.{name}" if module else name)
        known = KNOWN.get(qualname) or resolver._configured(qualname)
        if known is not None:
            return frozenset({known.kind})
        if resolver.model.path is None:
            return frozenset({Kind.QUALNAME})
        if resolver._import_target(binding) is None:
            return frozenset({Kind.MODULE, Kind.QUALNAME})
        return _exported(resolver) | {Kind.MODULE}

    def attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> frozenset[Kind]:
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and scope.self_name == node.value.value:
            owner = scope.parent  # as Resolver._self_attribute
            if owner is None or owner.kind != "class":
                return NOTHING
            key = (id(owner), attr)
            found = self.memo.get(key)
            if found is not None:
                return found
            if key in self.active:
                return ANY  # ``self.dispatch = Middleware(self.dispatch)``
            self.active.add(key)
            try:
                found = NOTHING
                for assigned_seq, expr, method in owner.self_assigns.get(attr, []):
                    found |= self.expression(expr, method, assigned_seq, depth + 1)
                self.memo[key] = found
            finally:
                self.active.discard(key)
            return found
        base = self._cheap_value(node.value, scope, seq, depth)
        if base is not None:
            return self._attribute_of(base, attr, depth)
        bases = self.expression(node.value, scope, seq, depth + 1)
        if bases & {Kind.MODULE, Kind.QUALNAME, Kind.ENVIRON}:
            return ANY  # a dotted name's attribute may be any known name
        found = NOTHING
        if Kind.APP in bases:
            found |= {Kind.CONFIG, Kind.APP}
        if Kind.FAMILY_OBJECT in bases:
            found |= {Kind.APP}
        return found

    def _attribute_of(self, base: Value, attr: str, depth: int) -> frozenset[Kind]:
        """As Resolver._resolve_attribute on a value known already."""
        resolver = self.resolver
        if base.kind in (Kind.QUALNAME, Kind.ENVIRON) and base.qualname:
            return _kind_of(resolver._from_qualname(f"{base.qualname}.{attr}", depth))
        if base.kind is Kind.MODULE and base.path is not None:  # Resolver._module_attribute
            qualname = f"{base.qualname}.{attr}"
            known = KNOWN.get(qualname) or resolver._configured(qualname)
            if known is not None:
                return frozenset({known.kind})
            return _exported(resolver) | {Kind.MODULE, Kind.QUALNAME}
        if base.kind is Kind.APP:
            return frozenset({Kind.CONFIG, Kind.APP})
        if base.kind is Kind.FAMILY_OBJECT:
            return frozenset({Kind.APP})
        return NOTHING

    def _cheap_value(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> Value | None:
        """The value of ``import a`` and ``a.b...`` on it while no module is read (None: not that shape)."""
        if isinstance(node, cst.Name):
            binding = self.resolver.lookup(node.value, scope, seq)
            if binding is not None and binding.kind == "import":
                return self.resolver._binding_value(binding, node.value, depth)
            return None
        if isinstance(node, cst.Attribute):
            base = self._cheap_value(node.value, scope, seq, depth + 1)
            if base is not None and base.kind in (Kind.QUALNAME, Kind.ENVIRON) and base.qualname:
                return self.resolver._from_qualname(f"{base.qualname}.{node.attr.value}", depth)
        return None

    def call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> frozenset[Kind]:
        """As Resolver._resolve_call."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "run_until_complete" and node.args:
            return frozenset({Kind.APP}) if self._coroutine(node.args[0].value, scope, seq, depth) else NOTHING
        callee = self.expression(func, scope, seq, depth + 1)
        found: set[Kind] = set()
        if callee & {Kind.APP_CLASS, Kind.FACTORY}:
            found.add(Kind.APP)
        if Kind.FAMILY in callee:
            found.update((Kind.APP, Kind.FAMILY_OBJECT))
        if Kind.SOCKETIO_CLASS in callee:
            found.add(Kind.SOCKETIO)
        if Kind.ENV_GET in callee:
            found.add(Kind.ENV_READ)
        if Kind.QUALNAME in callee and node.args and not node.args[0].star and node.args[0].keyword is None:
            # asyncio.run(create_app()), trio.run(create_app) (Resolver._event_loop_run): a factory's coroutine
            first = node.args[0].value
            if self._coroutine(first, scope, seq, depth) or Kind.FACTORY in self.expression(first, scope, seq, depth + 1):
                found.add(Kind.APP)
        if Kind.FUNCTION in callee and Kind.APP not in found:
            # a function handing back one of its arguments (Resolver._returned_argument): an app if that is one
            if any(not arg.star and Kind.APP in self.expression(arg.value, scope, seq, depth + 1) for arg in node.args):
                found.add(Kind.APP)
        return frozenset(found)

    def _coroutine(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> bool:
        """Whether Resolver._awaited can make an app of ``node``: a call of what may be a factory."""
        return isinstance(node, cst.Call) and Kind.FACTORY in self.expression(node.func, scope, seq, depth + 1)

    def _function(self, binding: Binding, node: cst.FunctionDef, depth: int) -> frozenset[Kind]:
        """As Resolver._function_value: a factory when a ``return`` may give an app, an environment
        getter when every ``return`` may give an environment string, a function always."""
        found = {Kind.FUNCTION} | self._configured(node.name.value, binding.scope)
        inner = binding.inner
        if inner is not None and inner.returns:
            returned = [self.expression(expr, inner, seq, depth + 1) for seq, expr in inner.returns]
            if any(Kind.APP in kinds for kinds in returned):
                found.add(Kind.FACTORY)
            if all(Kind.ENV_READ in self._env_string(expr, inner, seq, depth) for seq, expr in inner.returns):
                found.add(Kind.ENV_GET)
        return frozenset(found)

    def _env_string(self, expr: cst.BaseExpression, scope: Scope, seq: int, depth: int) -> frozenset[Kind]:
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):  # Resolver._env_string
            expr = expr.left
        return self.expression(expr, scope, seq, depth + 1)


def _kind_of(value: Value | None) -> frozenset[Kind]:
    return frozenset({value.kind}) if value is not None else NOTHING


def _exported(resolver: Resolver) -> frozenset[Kind]:
    """The kinds a first-party module's export can have (told apart by may_give's world check)."""
    return ANY


def _names_app_module(resolver: Resolver, imported: list[Path]) -> bool:
    """Whether the module's own name or a dotted name its imports build (as Resolver._from_import and
    _from_qualname build them) starts with a module of APP_MODULES or a configured one; ``imported``
    gets the first-party modules its module-level ``from`` imports load, :data:`MAX_IMPORTED` at most."""
    tops = APP_MODULES | frozenset(_configured_modules(resolver.settings))
    if (resolver.model.name or "").split(".")[0] in tops:
        return True
    index = resolver.model.index
    stack: list[Scope] = [index.module_scope, *index.class_scopes.values()]
    module_level: list[Binding] = []
    while stack:
        scope = stack.pop()
        for binding in (*scope.stars, *(b for bindings in scope.bindings.values() for b in bindings)):
            if binding.inner is not None:
                stack.append(binding.inner)
            if binding.kind in ("import", "from", "star"):
                module = resolver._absolute_module(binding.qualname, binding.level)
                name = binding.imported if binding.kind == "from" else ""
                qualname = importsystem.flask_ext(f"{module}.{name}" if module and name else module or name)
                if qualname.split(".")[0] in tops:
                    return True
                if binding.kind == "from" and scope is index.module_scope:
                    module_level.append(binding)
    for binding in module_level:  # (located only when no name settled it)
        target = resolver._import_target(binding)
        if target is not None and target not in imported:
            imported.append(target)
            if len(imported) >= MAX_IMPORTED:
                break
    return False


#: Imported modules read before the project's folders (a shortcut to a "maybe"; the walk decides "no").
MAX_IMPORTED = 8


# -- projects without apps ---------------------------------------------------------------------

#: Python files read per question before answering "maybe".
MAX_SCANNED = 5_000

#: (folder, configured modules) -> whether a file it holds, or a folder it can import from, may hold an app.
_FOLDERS: dict[tuple[str, tuple[str, ...]], bool] = {}


#: (module's folder, project root, configured modules) -> may_hold_apps's answer.
_ANSWERS: dict[tuple[str, str, tuple[str, ...]], bool] = {}


def clear_caches() -> None:
    _FOLDERS.clear()
    _ANSWERS.clear()


def may_hold_apps(path: Path, settings: Settings) -> bool:
    """Whether a first-party module the resolver can read from ``path``'s module may hold an app-like value.

    The resolver reads only modules inside ``path``'s project (importsystem.locate, submodule), reached
    by dotted names: from a folder on the search path (the module's own, its import root, the project
    root, its ``src``) or an ancestor of the importer (relative imports), down through folders named by
    identifiers; each module read brings its own such folders, all inside those. A folder that is no
    identifier (``.venv``, ``python3.12``, ``site-packages``) is entered only on the way to ``path``
    itself. So the files read here are those of ``path``'s folder and of every folder above it up to the
    project root, and of their identifier-named subfolders, recursively (symbolic links followed once).

    One of them may hold an app when its text imports a module of :data:`APP_MODULES` (project.py's
    import-statement reading, as the gate's, with Werkzeug's name masked; a text naming none of them
    as a word is not decoded) or names a configured module at all, or when a folder or file is named
    like one of those (a module named ``flask`` builds ``flask.*`` names from its relative imports).
    Read once per folder per process; past :data:`MAX_SCANNED` files the answer is "maybe".
    """
    extra = _configured_modules(settings)
    folder = Path(os.path.abspath(path)).parent
    root = project.project_root(folder)  # (it depends on the working folder when no marker is found)
    key = (str(folder), str(root), extra)
    answer = _ANSWERS.get(key)
    if answer is None:
        answer = _ANSWERS[key] = _chain_holds(folder, root, extra)
    return answer


def _chain_holds(folder: Path, root: Path, extra: tuple[str, ...]) -> bool:
    budget = [MAX_SCANNED]
    current = folder
    while True:
        if _folder_holds(str(current), extra, budget, set()):
            return True
        if current == root or current.parent == current or not project._within(current, root):
            return False
        current = current.parent


def _configured_modules(settings: Settings) -> tuple[str, ...]:
    names = [*settings.app_classes, *settings.app_factories]
    names.extend(launcher.qualname for launcher in settings.server_launchers)
    return tuple(sorted({name.split(".")[0] for name in names}))


def _folder_holds(folder: str, extra: tuple[str, ...], budget: list[int], seen: set[str]) -> bool:
    """Whether ``folder``'s Python files, or those of its identifier-named subfolders, may hold an app.

    A walk with its own stack (no recursion); each folder's answer is kept once known in full. A
    folder reached through a symbolic link is entered once per walk (a link back up would loop).
    """
    key = (folder, extra)
    cached = _FOLDERS.get(key)
    if cached is not None:
        return cached
    names = APP_MODULES | frozenset(extra)
    order: list[str] = []  # folders read, parents before children
    stack = [folder]
    while stack:
        current = stack.pop()
        known = _FOLDERS.get((current, extra))
        if known is not None:
            if known:
                return _hit(order, extra)
            continue
        order.append(current)
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if name in names:
                    return _hit(order, extra)
                if name.isidentifier():
                    if entry.is_symlink():  # followed once per walk (a link to a folder above would loop)
                        real = os.path.realpath(entry.path)
                        if real in seen:
                            continue
                        seen.add(real)
                    stack.append(entry.path)
            elif name.endswith(importsystem._SOURCE):
                if os.path.splitext(name)[0] in names:
                    return _hit(order, extra)
                budget[0] -= 1
                if budget[0] < 0:
                    return True  # too much to read: maybe (not kept)
                if _text_holds(entry.path, extra):
                    return _hit(order, extra)
    for current in order:
        _FOLDERS[(current, extra)] = False
    return False


def _hit(order: list[str], extra: tuple[str, ...]) -> bool:
    """A file may hold an app: so may every folder read on the way to it (all hold it, or a subfolder does)."""
    for current in order:
        _FOLDERS.pop((current, extra), None)
    if order:
        _FOLDERS[(order[0], extra)] = True
    return True


def _text_holds(path: str, extra: tuple[str, ...]) -> bool:
    try:  # regular files under the engine's cap only, as the resolver reads them (project.read_source)
        data = regularfile.read_capped(Path(path), project.MAX_MODULE_BYTES)[0]
    except regularfile.TooLarge:
        return False  # over project.MAX_MODULE_BYTES: never read by the resolver either
    except (OSError, regularfile.NotRegular):
        return True  # unread here: maybe
    if data.isascii() and not _mentions(data, _words(extra)):
        return False  # no such module named as a word at all (most files: a search in C)
    source = project.decode_source(data)
    if source is None:
        return False  # the resolver cannot read it either
    if not source.isascii():  # names as Python reads them (NFKC, PEP 3131), as the engine parses them
        source = unicodedata.normalize("NFKC", source)
    for word in (*extra, *_UNLISTED):
        if _names(source, word):
            return True
    for word in _OTHER_FAMILY:
        if word in source:
            source = source.replace(word, "_" * len(word))  # (same length, still an identifier's characters)
    return project.imports_family(source)


@lru_cache(maxsize=64)
def _words(extra: tuple[str, ...]) -> tuple[frozenset[bytes], tuple[bytes, ...]]:
    """The words looked for, and the fewest literals that find them all (``flask`` finds ``flask_api``)."""
    words = frozenset(word.encode() for word in {*APP_MODULES, *extra})
    literals = tuple(sorted(word for word in words if not any(other != word and other in word for other in words)))
    return words, literals


def _mentions(data: bytes, words: tuple[frozenset[bytes], tuple[bytes, ...]]) -> bool:
    """Whether one of the words is a whole word of the ASCII text ``data`` (a superset of where
    project.imports_family and :func:`_names` find them: their word boundaries are ASCII ones there).
    ``bytes.find`` per literal, then the word around each hit: far cheaper than ``re`` trying an
    alternation at every position."""
    wanted, literals = words
    size = len(data)
    for literal in literals:
        start = data.find(literal)
        while start != -1:
            left, right = start, start + len(literal)
            while left and _word_byte(data[left - 1]):
                left -= 1
            while right < size and _word_byte(data[right]):
                right += 1
            if data[left:right] in wanted:
                return True
            start = data.find(literal, right)
    return False


def _word_byte(byte: int) -> bool:
    return 48 <= byte <= 57 or 65 <= byte <= 90 or 97 <= byte <= 122 or byte == 95


def _names(source: str, word: str) -> bool:
    """Whether ``word`` appears in ``source`` as a whole identifier."""
    start = source.find(word)
    while start != -1:
        end = start + len(word)
        before = source[start - 1] if start else " "
        after = source[end] if end < len(source) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = source.find(word, end)
    return False
