#!/usr/bin/env python3
"""Run the flake8-flask-devserver benchmark (the code is the ``fdsbench`` package beside this file).

    python benchmarks/bench.py --help
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fdsbench.cli import main  # noqa: E402 - after the path it is found on

if __name__ == "__main__":
    sys.exit(main())
