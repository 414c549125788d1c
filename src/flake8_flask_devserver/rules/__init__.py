"""The rules: one module each, with its code, message, suggestion and docs.

This package imports libcst (through the analysis); import it only after the
gate has decided a file is worth parsing. ``cli.CODES`` lists the codes
without importing libcst.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    allow_unsafe_werkzeug,
    debug_flag_from_string,
    debug_in_app_config,
    debug_in_config_class,
    debug_on_when_unset,
    debugged_application_evalex,
    debugger_at_server_start,
    dev_server_at_import,
    dev_server_in_function,
    dev_server_in_main_guard,
    dev_server_on_all_interfaces,
)
from ._base import Report, Rule

ALL: tuple[ModuleType, ...] = (
    dev_server_at_import,
    dev_server_in_main_guard,
    dev_server_in_function,
    allow_unsafe_werkzeug,
    debugger_at_server_start,
    debug_in_app_config,
    debugged_application_evalex,
    debug_flag_from_string,
    debug_in_config_class,
    debug_on_when_unset,
    dev_server_on_all_interfaces,
)

BY_CODE: dict[str, ModuleType] = {rule.CODE: rule for rule in ALL}

__all__ = ["ALL", "BY_CODE", "Report", "Rule"]
