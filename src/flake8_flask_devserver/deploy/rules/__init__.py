"""The deployment-file rules, FDS400-FDS403: one module each, with its code, name, summary and docs.

Separate from :mod:`flake8_flask_devserver.rules` (the Python rules flake8 runs):
these run on Dockerfiles, Procfiles, Compose and env files, over
:class:`~flake8_flask_devserver.deploy.facts.Facts`, and import no libcst.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    debug_env_in_deployment,
    dev_server_script_in_deployment,
    flask_run_all_interfaces,
    flask_run_in_deployment,
)

ALL: tuple[ModuleType, ...] = (
    flask_run_in_deployment,
    dev_server_script_in_deployment,
    debug_env_in_deployment,
    flask_run_all_interfaces,
)

BY_CODE: dict[str, ModuleType] = {rule.CODE: rule for rule in ALL}

__all__ = ["ALL", "BY_CODE"]
