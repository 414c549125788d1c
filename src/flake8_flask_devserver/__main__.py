"""``python -m flake8_flask_devserver``: the command line."""

import sys

from .cli import main

sys.exit(main())
