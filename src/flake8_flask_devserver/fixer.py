"""Apply the rules' fixes to source text: pure functions, no files, no flake8.

Each rule module's ``fix(analysis, report)`` names one edit on the analysed tree
(see ``rules/_fix.py``). Here the edits of a file are applied in one libcst pass
(libcst prints every untouched node back byte for byte), then the file is
analysed again and the next round of fixes applied, until nothing is left to fix
(a few rounds at most: a fixed raw string can reveal a debugger switch, two
fixes on one call take turns). A round whose result would not parse is thrown
away, and a ``# noqa`` line is never touched.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Collection, Iterable, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from . import nesting, rules
from ._cst import GatedAnalysis, locate, parse
from .addimport import add_import
from .analysis import Analysis, ServerStart
from .engine import (
    TOO_DEEP,
    SourceError,
    check_source,
    collector_paused,
    normalize_identifiers,
    planned,
    worth_parsing,
)
from .gate import ANYTHING, Facts
from .model import DEFAULT_SETTINGS, Diagnostic, Finding, Settings
from .noqa import Suppressions
from .rules import Report
from .rules._fix import Edit, Safety
from .slices import Plan
from .wrap import MAX_LINE, line_limit, wrap_long_lines

#: Rounds of fixing before giving up on reaching a fixed point.
MAX_PASSES = 4


@dataclass(frozen=True)
class FixResult:
    """The fixed source, what was fixed (positions as found) and what remains (positions in ``source``)."""

    source: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each, for the user

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


#: ``lint_source``'s ``plan`` when the caller has none: the engine's plan is computed there.
UNPLANNED: object = object()


def lint_source(
    source: str,
    path: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    select: Iterable[str] | None = None,
    *,
    plan: Plan | None | object = UNPLANNED,
    tiers: Collection[str] = ("safe", "unsafe"),
) -> list[Diagnostic]:
    """Findings flake8 would show for ``source`` (``# noqa`` honoured), each with its fix tier.

    A fix depends on the whole module (``os = None`` far from the start rules one
    out), so the tiers come from analysing all of it. When the engine's slices keep a
    small part of a long module, that part is analysed first, as the flake8 plugin
    does: no finding there, or none a rule can fix, and the whole module is never
    parsed (its findings are those of the slices, exactly as the plugin sees them). When
    the whole-module analysis fails (a statement nested too deep for it, unrelated to
    any finding), the findings are those of the slices, with no fix offered.
    ``plan``: ``engine.planned(source, path, settings)``, when the caller has it already.
    ``tiers``: the fix tiers the caller shows; a finding whose rule's fix is of another
    tier may come without its tier (the whole module is not analysed for it).
    Raises :class:`SourceError` when even that cannot be analysed.
    """
    where = _where(path)
    normal = normalize_identifiers(source)  # names as Python reads them (PEP 3131); columns kept
    with collector_paused():  # (a module's tree and its analysis are many thousands of objects)
        if normal != source:  # found on the names Python reads; no fix offered (fix_source refuses)
            return [Diagnostic(found.finding) for found in _lint(normal, where, settings, select, plan, frozenset())]
        return _lint(source, where, settings, select, plan, frozenset(tiers))


def _lint(
    source: str,
    where: Path | None,
    settings: Settings,
    select: Iterable[str] | None,
    plan: object,
    tiers: frozenset[str],
) -> list[Diagnostic]:
    """:func:`lint_source` on names as Python reads them; ``tiers``: the fix tiers wanted."""
    suppress = Suppressions(source)
    if suppress.skip_file:
        return []
    if plan is UNPLANNED:
        plan = planned(source, where, settings)
    if plan is None:
        return []
    assert isinstance(plan, Plan)
    chosen = _chosen(select)
    sliced: _Round | None = None
    if _small_part(plan, source):  # the engine's own look first: what flake8 reports
        sliced = _sliced(source, where, settings, chosen, suppress, plan)
        if not any(rule.FIX_SAFETY in tiers for rule, _, _ in sliced.reports):
            return sliced.found()  # no finding, or no fix of a tier wanted for any of them
    try:
        return _Round(source, where, settings, chosen, suppress, plan.facts).diagnostics()
    except SourceError:
        if nesting.too_deep(source) or plan.lines is None:
            raise  # the plugin refuses it too, or its slice is the whole file
    if sliced is None:
        sliced = _Round(plan.text, where, settings, chosen, suppress, plan.facts, plan.lines)
    return sliced.found()


def _small_part(plan: Plan, source: str) -> bool:
    """Whether libcst would see less than half of the lines of ``source`` (the rest left out by the slices)."""
    return plan.lines is not None and 2 * len(plan.lines) < source.count("\n") + 1


def _sliced(
    source: str,
    where: Path | None,
    settings: Settings,
    chosen: Sequence[ModuleType],
    suppress: Suppressions,
    plan: Plan,
) -> _Round:
    """The slices' analysis, as :func:`engine.check_source` makes it (same refusals), filtered by ``# noqa``."""
    if nesting.too_deep(source):  # libcst would crash the process or take minutes
        raise SourceError(TOO_DEEP)
    nesting.vouch(plan.text)  # whole statements of a source that passed too_deep
    assert plan.lines is not None
    return _Round(plan.text, where, settings, chosen, suppress, plan.facts, plan.lines)


def fix_source(
    source: str,
    path: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    unsafe: bool = False,
    select: Iterable[str] | None = None,
    *,
    max_passes: int = MAX_PASSES,
    plan: Plan | None | object = UNPLANNED,
) -> FixResult:
    """Apply the safe fixes (and the unsafe ones with ``unsafe``) to ``source``.

    ``plan``: ``engine.planned(source, path, settings)``, when the caller has it already.
    Raises :class:`SourceError` when libcst cannot parse the source; the source is
    then not fixed at all.
    """
    where = _where(path)
    suppress = Suppressions(source)
    if plan is UNPLANNED:
        plan = planned(source, where, settings)
    if suppress.skip_file or not _has_findings(source, where, settings, select, plan):
        return FixResult(source)
    if normalize_identifiers(source) != source:
        # Fixes are edits of the analysed text; here that would also rewrite the names
        # Python normalises (PEP 3131). Report, fix nothing: the user's bytes stay theirs.
        found = lint_source(source, path, settings, select, plan=plan)
        return FixResult(source, [], found, ["not fixed: it spells names that Python normalises (NFKC)"] if found else [])
    if _old_mac(source):  # libcst drops a final lone CR: fix with LF, give CRs back
        result = fix_source(source.replace("\r", "\n"), path, settings, unsafe, select, max_passes=max_passes)
        return replace(result, source=result.source.replace("\n", "\r"))
    chosen = _chosen(select)
    limit = line_limit(source)  # no fixed line longer than 88, or than the file's longest
    tiers: tuple[Safety, ...] = ("safe", "unsafe") if unsafe else ("safe",)
    fixed: list[Finding] = []
    problems: list[str] = []
    current = _Round(source, where, settings, chosen, suppress, plan.facts if isinstance(plan, Plan) else ANYTHING)
    if current.module.code != source:
        raise SourceError("libcst cannot print it back byte for byte")
    for _ in range(max_passes):
        todo = [(finding, edit) for finding, edit, tier in current.fixes() if tier in tiers]
        if not todo:
            break
        new_source, applied, _ = _apply(current, todo, limit)
        if new_source == current.source or not applied:
            break
        try:
            following = _Round(new_source, where, settings, chosen, Suppressions(new_source))
            _must_compile(new_source, current.source)
        except (SourceError, SyntaxError, ValueError):
            codes = ", ".join(sorted({finding.code for finding in applied}))
            problems.append(f"fixes for {codes} skipped: the result would not parse (please report this)")
            break
        fixed.extend(applied)
        current = following
    return FixResult(current.source, sorted(fixed), current.diagnostics(), problems)


def fix_once(
    source: str,
    path: str | os.PathLike[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    unsafe: bool = False,
    select: Iterable[str] | None = None,
) -> tuple[str, list[tuple[int, int]]]:
    """One round of fixes, unchecked: the new source and the (first, last) lines of the code each edit replaced.

    For tests and tools that want to see where the fixes went; :func:`fix_source` is the real thing.
    """
    where = _where(path)
    suppress = Suppressions(source)
    if suppress.skip_file or not worth_parsing(source, where, settings):
        return source, []
    if _old_mac(source):
        new, spans = fix_once(source.replace("\r", "\n"), path, settings, unsafe, select)
        return new.replace("\n", "\r"), spans
    current = _Round(source, where, settings, _chosen(select), suppress)
    if current.module.code != source:
        raise SourceError("libcst cannot print it back byte for byte")
    tiers = ("safe", "unsafe") if unsafe else ("safe",)
    todo = [(finding, edit) for finding, edit, tier in current.fixes() if tier in tiers]
    if not todo:
        return source, []
    new_source, _, spans = _apply(current, todo, line_limit(source))
    return new_source, spans


def _has_findings(
    source: str, where: Path | None, settings: Settings, select: Iterable[str] | None, plan: object
) -> bool:
    """Whether the whole module is worth analysing here (for the fixes): False only when nothing is found.

    The engine's gate and ast step first; then, when libcst would see only a small
    part of the file, the engine's quick look at that part (a long module that merely
    mentions ``.run(`` stops here). Otherwise the analysis below may as well go ahead.
    ``plan``: ``engine.planned(source, where, settings)``.
    """
    if not isinstance(plan, Plan):
        return False
    if plan.lines is None or 2 * len(plan.lines) >= source.count("\n") + 1:
        return True
    return bool(check_source(source, where, settings, select=None if select is None else list(select)))


def _old_mac(source: str) -> bool:
    """Lines ended by a lone CR only (classic Mac OS), which libcst does not round-trip."""
    return "\r" in source and "\n" not in source


def _where(path: str | os.PathLike[str] | None) -> Path | None:
    return Path(os.path.abspath(path)) if path is not None else None


def _chosen(select: Iterable[str] | None) -> tuple[ModuleType, ...]:
    if select is None:
        return rules.ALL
    codes = set(select)
    return tuple(rule for rule in rules.ALL if rule.CODE in codes)


def _must_compile(new: str, old: str) -> None:
    """Raise SyntaxError when the fixed text does not compile but the original did."""
    try:
        ast.parse(new)
    except SyntaxError:
        try:
            ast.parse(old)
        except SyntaxError:
            return  # CPython rejects the original too (a newer grammar): libcst's parse must do
        raise


class _Round:
    """One analysis of one version of the source: its reports, placed and filtered by ``# noqa``."""

    def __init__(
        self,
        source: str,
        where: Path | None,
        settings: Settings,
        chosen: Sequence[ModuleType],
        suppress: Suppressions,
        facts: Facts = ANYTHING,
        lines: Sequence[int] | None = None,
    ) -> None:
        """``lines``: the file's line number of each line of ``source`` when it is a slice of the file."""
        self.source = source
        self.module = parse(source)
        try:
            self.analysis: Analysis = GatedAnalysis(self.module, where, settings, facts)
            reports = [(rule, report) for rule in chosen for report in rule.check(self.analysis)]
            # The reports' starts only (the engine's own pass, as PositionProvider places them);
            # full ranges are computed when fixes are applied.
            starts = locate(self.module, [report.node for _, report in reports]) if reports else {}
        except RecursionError:
            raise SourceError("it nests too deeply to analyse") from None
        self.reports: list[tuple[ModuleType, Report, Finding]] = []
        for rule, report in reports:
            line, col = starts[id(report.node)]
            finding = Finding(lines[line - 1] if lines is not None else line, col, rule.CODE, report.message)
            if not suppress(finding.line, finding.code):
                self.reports.append((rule, report, finding))
        self._fixes: list[tuple[Finding, Edit, Safety]] | None = None
        self._start_owners: dict[int, list[ServerStart]] | None = None

    @cached_property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        """Every node's range (for the lines each applied edit replaced)."""
        return MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)

    def fixes(self) -> list[tuple[Finding, Edit, Safety]]:
        """The edit each fixable report offers, with its tier."""
        if self._fixes is None:
            self._fixes = []
            for rule, report, finding in self.reports:
                safety: Safety | None = rule.FIX_SAFETY
                if safety is None:
                    continue
                try:
                    edit = rule.fix(self._for_report(report), report)
                except RecursionError:
                    raise SourceError("it nests too deeply to analyse") from None
                if edit is not None:
                    self._fixes.append((finding, edit, safety))
        return self._fixes

    def _for_report(self, report: Report) -> Analysis:
        """The analysis as one report's fix sees it: only the starts whose call holds the reported node.

        A rule's fix looks for its report among ``analysis.starts``; over every start for
        every report, that is quadratic in the starts of a module (H7). The starts a
        reported node belongs to are the only ones that can match it.
        """
        owners = self._owners()
        starts = owners.get(id(report.node))
        if starts is None:  # not part of a start call (a config switch, an environment variable)
            return self.analysis
        return _StartsOf(self.analysis, starts)  # type: ignore[return-value]

    def _owners(self) -> dict[int, list[ServerStart]]:
        """``id(node) -> starts`` for every node inside a start call (iterative: no depth limit)."""
        if self._start_owners is None:
            self._start_owners = {}
            for start in self.analysis.starts:
                stack: list[cst.CSTNode] = [start.call]
                while stack:
                    node = stack.pop()
                    self._start_owners.setdefault(id(node), []).append(start)
                    stack.extend(node.children)
        return self._start_owners

    def diagnostics(self) -> list[Diagnostic]:
        """One per distinct finding (as the engine reports them), sorted by position."""
        tiers = {finding: safety for finding, _, safety in self.fixes()}
        found = {finding: Diagnostic(finding, tiers.get(finding)) for _, _, finding in self.reports}
        return [found[finding] for finding in sorted(found)]

    def found(self) -> list[Diagnostic]:
        """One per distinct finding, sorted by position, with no fix tier (none computed)."""
        return [Diagnostic(finding) for finding in sorted({finding for _, _, finding in self.reports})]


class _StartsOf:
    """An analysis whose ``starts`` are a few of the module's; everything else is the analysis's own."""

    def __init__(self, analysis: Analysis, starts: list[ServerStart]) -> None:
        self._analysis = analysis
        self.starts = starts

    def __getattr__(self, name: str) -> object:
        return getattr(self._analysis, name)


def _apply(
    current: _Round, todo: list[tuple[Finding, Edit]], limit: int = MAX_LINE
) -> tuple[str, list[Finding], list[tuple[int, int]]]:
    """Apply what can be applied together in one pass; the rest waits for the next round.

    Lines the edits make longer than ``limit`` are wrapped as black would (see :mod:`.wrap`).

    Returns the new source, the findings fixed, and the (first, last) lines of each edited node.
    """
    chosen: dict[int, tuple[Finding, Edit]] = {}
    for finding, edit in todo:
        chosen.setdefault(id(edit.target), (finding, edit))  # one edit per node: the others retry next round
    transformer = _Transformer(chosen, current.analysis.preferred_quote)
    try:
        module = current.module.visit(transformer)
        assert isinstance(module, cst.Module)
        imports = {name for finding, edit in transformer.applied for name in edit.imports}
        for name in sorted(imports):
            module = add_import(module, name)
        module = wrap_long_lines(module, limit)
        spans = [
            (current.positions[edit.target].start.line, current.positions[edit.target].end.line)
            for _, edit in transformer.applied
        ]
        return module.code, sorted({finding for finding, _ in transformer.applied}), spans
    except RecursionError:
        return current.source, [], []


class _Transformer(cst.CSTTransformer):
    """Applies edits keyed by the id of their target node (nodes of the tree being visited)."""

    def __init__(self, edits: dict[int, tuple[Finding, Edit]], quote: str) -> None:
        super().__init__()
        self.edits = edits
        self.quote = quote
        self.applied: list[tuple[Finding, Edit]] = []
        # Updated nodes to remove or guard, by id; the list keeps them alive so ids stay unique.
        self._marks: dict[int, str] = {}
        self._alive: list[cst.CSTNode] = []

    def _mark(self, node: cst.CSTNode, action: str) -> None:
        if self._marks.get(id(node)) != "remove":  # a deleted line is not guarded
            self._marks[id(node)] = action
            self._alive.append(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        updated = super().on_leave(original_node, updated_node)
        assert isinstance(updated, cst.CSTNode)
        if isinstance(updated, cst.SimpleStatementLine):
            updated = self._line(updated)
        elif isinstance(updated, cst.IndentedBlock):
            body, footer = self._body(updated.body, updated.footer, block=True)
            updated = updated.with_changes(body=body, footer=footer)
        elif isinstance(updated, cst.Module):
            body, footer = self._body(updated.body, updated.footer, block=False)
            updated = updated.with_changes(body=body, footer=footer)
        chosen = self.edits.get(id(original_node))
        if chosen is None:
            return updated
        finding, edit = chosen
        self.applied.append(chosen)
        if edit.action == "replace":
            assert edit.build is not None
            return edit.build(updated)
        self._mark(updated, edit.action)
        return updated

    def _line(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        """Drop removed small statements; a line left empty is marked for its block to drop."""
        body = list(line.body)
        kept = [small for small in body if self._marks.get(id(small)) != "remove"]
        if len(kept) == len(body):
            return line
        if not kept:
            self._mark(line, "remove")
            return line
        if body[-1] is not kept[-1]:  # the last one went: its (absent) semicolon ends the line
            kept[-1] = kept[-1].with_changes(semicolon=body[-1].semicolon)
        return line.with_changes(body=kept)

    def _body(
        self, body: Sequence[cst.BaseStatement], footer: Sequence[cst.EmptyLine], block: bool
    ) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
        """Drop removed lines (their comment lines stay) and wrap guarded ones in ``__main__`` guards."""
        if not any(id(statement) in self._marks for statement in body):
            return list(body), list(footer)
        out: list[cst.BaseStatement] = []
        carry: list[cst.EmptyLine] = []  # comment and blank lines of removed statements
        open_guard = False  # whether out[-1] is a guard made here that the next line may join
        for statement in body:
            action = self._marks.get(id(statement))
            if action == "remove":
                carry.extend(_leading_lines(statement))
                continue
            if carry:
                statement = statement.with_changes(leading_lines=_joined(carry, _leading_lines(statement)))
                carry = []
            if action == "guard" and isinstance(statement, cst.SimpleStatementLine):
                last = out[-1] if out else None
                if open_guard and not statement.leading_lines and isinstance(last, cst.If):
                    inner = last.body
                    assert isinstance(inner, cst.IndentedBlock)
                    out[-1] = last.with_changes(body=inner.with_changes(body=[*inner.body, statement]))
                else:
                    out.append(_guard(statement, self.quote))
                open_guard = True
                continue
            out.append(statement)
            open_guard = False
        if block and not out:  # an empty block needs a statement: pass, under the kept comments
            out.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carry))
            carry = []
        return out, _joined(carry, footer, end=True)


def _leading_lines(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    return statement.leading_lines


def _joined(carry: list[cst.EmptyLine], lines: Sequence[cst.EmptyLine], end: bool = False) -> list[cst.EmptyLine]:
    """The lines above removed statements, then ``lines``: comments always stay; blank
    lines only when nothing else separates what was before from what comes next."""
    if all(line.comment is None for line in carry) and (end or (lines and lines[0].comment is None)):
        return list(lines)
    return [*carry, *lines]


def _guard(statement: cst.SimpleStatementLine, quote: str) -> cst.If:
    """``if __name__ == "__main__":`` around one line; its comment lines stay above the guard."""
    test = cst.parse_expression(f"__name__ == {quote}__main__{quote}")
    body = cst.IndentedBlock(body=[statement.with_changes(leading_lines=[])])
    return cst.If(test=test, body=body, leading_lines=statement.leading_lines)
