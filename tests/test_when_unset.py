"""FDS205's values with the environment empty, checked against CPython evaluating the same expressions."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from flake8_flask_devserver.analysis import Analysis
from flake8_flask_devserver.when_unset import RAISES, UNKNOWN, Gate
from flake8_flask_devserver.model import DEFAULT_SETTINGS

HEADER = "import os\nfrom distutils.util import strtobool\nfrom os import environ, getenv\n"

_ATOMS = (
    'os.getenv("V")',
    'os.getenv("V", "1")',
    'os.getenv("V", "0")',
    'getenv("V", "yes")',
    'os.environ.get("V", "True")',
    'environ.get("V", "false")',
    'os.environ.get("V", default="on")',
    'os.environ["V"]',
    '"1"',
    "True",
    "None",
)
_TESTS = ('== "1"', '!= "0"', '== "true"', 'in ("1", "true", "yes")', 'not in ("0", "false", "no")', "is None", "is not None")


def _expressions(count: int, seed: int = 205) -> list[str]:
    rng = random.Random(seed)

    def build(depth: int) -> str:
        shape = rng.randrange(9 if depth < 3 else 3)
        atom = rng.choice(_ATOMS)
        if shape == 0:
            return atom
        if shape == 1:
            return f"{atom}.{rng.choice(('lower', 'strip', 'upper'))}()"
        if shape == 2:
            return f"{atom} {rng.choice(_TESTS)}"
        if shape == 3:
            return f"not ({build(depth + 1)})"
        if shape == 4:
            return f"{rng.choice(('bool', 'strtobool', 'int'))}({build(depth + 1)})"
        if shape == 5:
            return f"({build(depth + 1)}) {rng.choice(('and', 'or'))} ({build(depth + 1)})"
        if shape == 6:
            return f"({build(depth + 1)}) if ({build(depth + 1)}) else ({build(depth + 1)})"
        if shape == 7:
            return f'{rng.choice(("", "not "))}"V" {rng.choice(("in", "not in"))} os.environ'
        return f"({build(depth + 1)}) == ({build(depth + 1)})"

    return [build(0) for _ in range(count)]


_PROBE = """
import json, sys, warnings
warnings.simplefilter("ignore")
import os
from distutils.util import strtobool
from os import environ, getenv
out = []
for text in json.load(sys.stdin):
    try:
        value = eval(text)
        out.append(["value", value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)])
    except Exception as error:
        out.append(["raises", type(error).__name__])
print(json.dumps(out))
"""


def _cpython(expressions: list[str]) -> list[list[object]]:
    """Each expression evaluated by CPython in a process whose environment is empty."""
    done = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE], input=json.dumps(expressions), env={}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _ours(expressions: list[str]) -> list[object]:
    source = HEADER + "".join(f"x{i} = {text}\n" for i, text in enumerate(expressions))
    analysis = Analysis(cst.parse_module(source), None, DEFAULT_SETTINGS)
    scope = analysis.model.index.module_scope
    found = []
    for i in range(len(expressions)):
        binding = scope.bindings[f"x{i}"][-1]
        assert isinstance(binding.node, cst.BaseExpression)
        found.append(analysis.environment.value(binding.node, scope, binding.seq).value)
    return found


def test_values_with_the_environment_empty_match_cpython() -> None:
    pytest.importorskip("distutils.util")
    expressions = _expressions(600)
    real = _cpython(expressions)
    ours = _ours(expressions)
    known = 0
    for text, (outcome, value), mine in zip(expressions, real, ours):
        if mine is UNKNOWN:
            continue  # allowed: the linter then stays silent
        known += 1
        if outcome == "raises":
            assert mine is RAISES, (text, value, mine)
        else:
            assert mine is not RAISES and mine == value and type(mine) is type(value), (text, value, mine)
    assert known >= 0.9 * len(expressions), known  # nearly every shape is one the evaluator knows


def _gates(source: str) -> dict[int, Gate]:
    """The gate of each debug switch, in source order."""
    analysis = Analysis(cst.parse_module(source), Path("app.py"), DEFAULT_SETTINGS)
    return {n: analysis.switch_gate(switch)[0] for n, switch in enumerate(analysis.debug_switches)}


@pytest.mark.parametrize(
    ("condition", "gate"),
    [
        ('if not os.environ.get("PRODUCTION"):', Gate.UNSET),
        ('if os.environ.get("LOCAL"):', Gate.NEVER),
        ('if os.environ["ENV"] == "dev":', Gate.NEVER),
        ('if os.getenv("ENV", "dev") == "dev":', Gate.UNSET),
        ("if sys.argv[1:] == ['--debug']:", Gate.UNKNOWN),
        ("if settings.DEBUG:", Gate.UNKNOWN),
        ("if True:", Gate.ALWAYS),
        ("if False:", Gate.NEVER),
        ('if __name__ == "__main__":', Gate.ALWAYS),
        ('if sys.argv and not os.getenv("PROD"):', Gate.UNKNOWN),
        ('if os.getenv("PROD") and sys.argv:', Gate.NEVER),
    ],
)
def test_switch_gates(condition: str, gate: Gate) -> None:
    source = f"import os, sys\nfrom flask import Flask\nfrom settings import settings\napp = Flask(__name__)\n{condition}\n    app.debug = True\n"
    assert _gates(source) == {0: gate}


def test_else_and_elif_branches() -> None:
    source = (
        "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
        'if os.getenv("PROD"):\n    pass\nelif os.getenv("STAGING"):\n    app.debug = True\nelse:\n    app.debug = True\n'
    )
    assert _gates(source) == {0: Gate.NEVER, 1: Gate.UNSET}
