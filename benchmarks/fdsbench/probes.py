"""Small programs the benchmark runs with ``python -c`` in a fresh interpreter.

Each one is text, not a function, so that it measures a process exactly as a user starts it.
"""

from __future__ import annotations

PLUGIN = "flake8-flask-devserver"

#: Runs flake8 with (``on``) or without (``off``) the plugin; nothing else differs. ``stub`` loads
#: the plugin but its run() does nothing; ``stub-libcst`` also imports libcst and the engine's
#: libcst half once, as the first file that needs them would: the floor any such run pays.
DRIVER = """
import os, sys
mode = sys.argv.pop(1)
account = os.environ.get("FDS_BENCH_ACCOUNT")
if mode == "on" and account:  # one extra run: CPU spent inside the plugin's run(), per process
    import time
    from flake8_flask_devserver import flake8_plugin
    run = flake8_plugin.FlaskDevServerChecker.run
    spent = [0.0]
    def timed(self):
        start = time.process_time()
        try:
            yield from run(self)
        finally:
            spent[0] += time.process_time() - start
            with open(os.path.join(account, str(os.getpid())), "w") as out:
                out.write(repr(spent[0]))
    flake8_plugin.FlaskDevServerChecker.run = timed
if mode in ("stub", "stub-libcst"):  # the floor: the plugin loaded, its run() doing no work
    from flake8_flask_devserver import flake8_plugin
    imported = []
    def stub(self):
        if mode == "stub-libcst" and not imported:  # as the first file that needs libcst would
            from flake8_flask_devserver.engine import libcst_side
            libcst_side()
            imported.append(True)
        return iter(())
    flake8_plugin.FlaskDevServerChecker.run = stub
if mode == "off":
    import flake8.plugins.finder as finder
    _find = finder._find_importlib_plugins
    finder._find_importlib_plugins = lambda: (p for p in _find() if p.package != "flake8-flask-devserver")
from flake8.main.cli import main
sys.argv[0] = "flake8"
raise SystemExit(main())
"""

#: The engine over a tree in one process: what the companion command does, minus its CLI.
ENGINE_TREE = """
import os, sys
from pathlib import Path
from flake8_flask_devserver import project
from flake8_flask_devserver.engine import SourceError, check_source
found = 0
for top in sys.argv[1:]:
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules", "venv"))
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(folder, name)
                source = project.read_source(path)
                if source is None:
                    continue
                try:
                    found += len(check_source(source, path))
                except SourceError:
                    pass
print(found)
"""

#: Per-stage timing of the engine over a corpus, in a fresh interpreter (prints JSON): totals, counts,
#: and the most expensive files with their own stage costs (libcst's import is charged apart).
STAGES = """
import ast, json, os, sys, time
from pathlib import Path
t = time.process_time  # CPU of this process: holds up when other work shares the machine
STAGE_NAMES = ("read", "gate", "ast", "parse", "index", "rules", "positions")
totals = dict(read=0.0, gate=0.0, ast=0.0, libcst_import=0.0, parse=0.0, index=0.0, rules=0.0, positions=0.0)
counts = dict(files=0, lines=0, installed=0, passed=0, analysed=0, parsed_lines=0, findings=0, unparsable=0)
t0 = t()
from flake8_flask_devserver import engine, project, slices
from flake8_flask_devserver.environments import inside_environment
from flake8_flask_devserver.model import DEFAULT_SETTINGS
totals["import"] = t() - t0
paths = [Path(p) for p in json.loads(sys.stdin.read())]
top = int(sys.argv[1]) if len(sys.argv) > 1 else 10
per_file = []
_cst = None
for path in paths:
    cost = dict.fromkeys(STAGE_NAMES, 0.0)
    t0 = t()
    if inside_environment(os.path.dirname(os.path.abspath(path))):  # as the plugin's run()
        counts["installed"] += 1
        continue
    source = project.read_source(path)
    t1 = t()
    cost["read"] = t1 - t0
    if source is None:
        continue
    counts["files"] += 1
    lines = source.count("\\n")
    counts["lines"] += lines
    per_file.append((path, lines, cost))
    where = engine.location(path)
    # flake8 hands the plugin its ast tree: parsing it is flake8's cost, not the engine's
    tree = slices.parse(source)
    t1 = t()
    facts = engine.screen(source, where, DEFAULT_SETTINGS, tree)
    t2 = t()
    cost["gate"] = t2 - t1
    if facts is None:
        continue
    counts["passed"] += 1
    t2 = t()
    plan = slices.plan(source, facts, DEFAULT_SETTINGS, tree if isinstance(tree, ast.Module) else None)
    t3 = t()
    cost["ast"] = t3 - t2
    if plan is None:
        continue
    counts["analysed"] += 1
    if _cst is None:
        t8 = t()
        with engine.collector_paused():  # as in engine.check_source
            from flake8_flask_devserver import _cst
        totals["libcst_import"] = t() - t8
        t3 += totals["libcst_import"]
    with engine.collector_paused():  # as in _cst.analyse
        try:
            module = _cst.parse(plan.text)
        except engine.SourceError:
            counts["unparsable"] += 1
            continue
        t4 = t()
        analysis = _cst.index(module, where, DEFAULT_SETTINGS, plan.facts)
        t5 = t()
        reports = _cst.run_rules(analysis, None)
        t6 = t()
        findings = _cst.place(module, reports, plan.text)
        t7 = t()
    counts["parsed_lines"] += plan.text.count("\\n")
    cost.update(parse=t4 - t3, index=t5 - t4, rules=t6 - t5, positions=t7 - t6)
    counts["findings"] += len(findings)
for _, _, cost in per_file:
    for name in STAGE_NAMES:
        totals[name] += cost[name]
per_file.sort(key=lambda item: -sum(item[2].values()))
worst = [dict(path=str(p), lines=n, total=sum(c.values()), **c) for p, n, c in per_file[:top]]
print(json.dumps(dict(totals=totals, counts=counts, worst=worst)))
"""


#: Findings with every shortcut (gate, facts, slices) against none, over a corpus (prints JSON).
#: A file the whole-module analysis refuses (SourceError: too deep, libcst cannot parse it) while
#: the shortcuts find nothing to look at is counted apart: there is nothing to compare.
AUDIT = """
import json, sys
from pathlib import Path
from flake8_flask_devserver import _cst, apps, engine, gate, project, slices
from flake8_flask_devserver.model import DEFAULT_SETTINGS
paths = [Path(p) for p in json.loads(sys.stdin.read())]
def run(shortcuts):
    apps.clear_caches()
    slices.ENABLED = shortcuts
    found = {}
    for path in paths:
        source = project.read_source(path)
        where = engine.location(path)
        if source is None or engine.out_of_scope(where):
            continue
        try:
            if shortcuts:
                findings = engine.check_source(source, path)
            else:
                findings = _cst.analyse(source, where, DEFAULT_SETTINGS, None)
        except engine.SourceError as error:
            findings = ["refused: " + str(error)]
        found[str(path)] = sorted(str(f) for f in findings)
    return found
fast, full = run(True), run(False)
refused = sorted(p for p in full if full[p][:1] and full[p][0].startswith("refused") and not fast.get(p))
differ = sorted(p for p in full if fast.get(p) != full[p] and p not in refused)
findings = sum(len(v) for p, v in full.items() if p not in refused)
print(json.dumps(dict(files=len(full), findings=findings, differ=differ[:20], count=len(differ), refused=refused)))
"""

#: Engine time per line on one big module, in a fresh interpreter (prints JSON).
PER_LINE = """
import json, sys, time
from pathlib import Path
from flake8_flask_devserver import engine
from flake8_flask_devserver.engine import check_source
import flake8_flask_devserver._cst  # import cost is measured elsewhere
path = Path(sys.argv[1])
source = path.read_text()
best = None
for _ in range(int(sys.argv[2])):
    from flake8_flask_devserver import apps, project
    apps.clear_caches(); project.clear_caches()
    from flake8_flask_devserver import nesting
    nesting._vouched[:] = [None, None]  # no shortcut from the previous repeat of the same text
    start = time.perf_counter()
    findings = check_source(source, path)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(json.dumps(dict(seconds=best, lines=source.count("\\n"), findings=len(findings))))
"""
