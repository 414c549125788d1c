"""Benchmark flake8-flask-devserver: what the plugin costs on top of flake8, and the command against bandit/ruff.

Run it with the Python of the environment the plugin is installed in (flake8, bandit
and ruff are found next to that interpreter or on PATH)::

    python benchmarks/bench.py                       # generated Flask corpus + the stdlib
    python benchmarks/bench.py --corpus ~/src/flaskbb --corpus ~/src/CTFd
    python benchmarks/bench.py --quick               # small corpora, one round (smoke test)

It measures, and prints medians and ratios for:

* P1 ``flake8 --select=E,W,F`` with the plugin / without it, on Flask code (the generated
  corpus and every ``--corpus``), at ``-j1`` and ``-j2``.
* P2 the same on the running interpreter's standard library (not Flask).
* P3 the companion command (``flake8-flask-devserver``) over a Flask tree against
  ``bandit -t B201,B104 -r`` and ``ruff check --select S201,S104``; also the engine run
  over the same tree from ``python -c`` (so the number exists before the command does).
* P4 peak memory of flake8 with and without the plugin, and engine time per line on
  generated 1k-, 10k- and 50k-line Flask modules.
* Per-stage costs of the engine per corpus: read, gate, parse, index, rules, positions.
* H ``flake8 --select=E`` with the plugin / without it over a hostile corpus: issue 12's
  inputs that flake8 itself gets through (comment banners after the gate's trigger words,
  comments between a finding's parts, full-width names, 10,000 ``and`` terms, 600
  ``lambda:`` levels, CR-only line endings, a NUL byte, a view
  importing one name from a 1.9 MB data module, a 330-module import chain); goal <= 1.10.

How "without the plugin" is made: flake8 7 runs every installed plugin whatever
``--select`` says (codes are filtered afterwards; only ``off_by_default`` plugins are
skipped), so ``--select`` cannot switch the plugin off. Both sides therefore run the same
small driver, ``python -c DRIVER on|off <flake8 args>``; with ``off`` it drops
flake8-flask-devserver from flake8's plugin discovery before flake8 starts, so the plugin
is never imported. Everything else (interpreter, flake8, pycodestyle, pyflakes, driver) is
identical. The two sides run alternately (A B A B ...) after one warm-up run each.
Ratios are of medians; CPU time (user+sys of the process tree, from wait4) is the primary
figure because it is robust against other load on the machine; wall time is shown too.
(Note that ``--select=E,W,F`` also selects ``FDS``: selection is by prefix.)

Standard library only; Linux or macOS (uses os.wait4).
"""
