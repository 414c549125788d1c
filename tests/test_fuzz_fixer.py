"""Property-based fuzzing of the fixer on the Flask-flavoured modules of ``test_fuzz``.

For every generated module, with the unsafe fixes too: the result compiles, fixing
it again changes nothing, nothing fixable is left, and round by round only the
lines of the fixed code change (plus a ``__main__`` guard line and ``import os``).

    FDS_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz_fixer.py
"""

from __future__ import annotations

import warnings

from hypothesis import given
from hypothesis import strategies as st

from flake8_flask_devserver.engine import check_source
from flake8_flask_devserver.fixer import MAX_PASSES, fix_once, fix_source

from .test_fixes import _assert_only_spans_changed
from .test_fuzz import Generated, flask_modules, fuzz


def _compile(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. SyntaxWarning for an odd literal: not ours to judge
        compile(source, "<generated>", "exec", dont_inherit=True)


@fuzz(100)
@given(module=flask_modules(), crlf=st.booleans())
def test_fixes_of_flask_modules_are_sound(module: Generated, crlf: bool) -> None:
    source = module.source.replace("\n", "\r\n") if crlf else module.source
    _compile(source)
    result = fix_source(source, None, unsafe=True)
    assert result.problems == [], source
    _compile(result.source)
    # A fixed point: fixing again changes nothing.
    again = fix_source(result.source, None, unsafe=True)
    assert (again.source, again.fixed) == (result.source, []), result.source
    # What was fixed was found; nothing fixable is left; what is left is what the engine finds.
    first_round = fix_source(source, None, unsafe=True, max_passes=1)
    assert {(finding.line, finding.code) for finding in first_round.fixed} <= module.expected, source
    assert all(item.fix is None for item in result.remaining), (result.source, result.remaining)
    assert [item.finding for item in result.remaining] == check_source(result.source)
    # Round by round, only the fixed code changed; each fixed finding lies in an edited span.
    current = source
    for _ in range(MAX_PASSES):
        new, spans = fix_once(current, None, unsafe=True)
        if not spans:
            break
        fixed = fix_source(current, None, unsafe=True, max_passes=1).fixed
        for finding in fixed:
            assert any(first <= finding.line <= last for first, last in spans), (current, finding, spans)
        _assert_only_spans_changed(current, new, spans)
        current = new
    assert current == result.source
    if crlf:  # the line endings are kept: no bare \n comes in with a guard or an import
        assert "\n" not in result.source.replace("\r\n", ""), result.source
