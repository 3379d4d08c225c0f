"""Validate Memory API response bodies against `memory_api.schema.json` beside this file.

The schema is a copy kept in the repository, so contract tests need nothing outside
it. jsonschema checks `date-time` and `uri` only with optional packages installed;
the two formats are checked here instead, the way the official library reads them.
"""

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

SCHEMA_PATH = Path(__file__).with_name("memory_api.schema.json")
# The official library parses exactly this shape (twilio.base.deserialize).
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

format_checker = FormatChecker()


@format_checker.checks("date-time")
def is_date_time(value: object) -> bool:
    """RFC 3339 date-time."""
    if not isinstance(value, str) or not DATE_TIME.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@format_checker.checks("uri")
def is_absolute_uri(value: object) -> bool:
    """An absolute URI with a scheme and a host."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@cache
def schema() -> dict[str, Any]:
    """The contract document."""
    return json.loads(SCHEMA_PATH.read_text())


@cache
def _validator(definition: str) -> Draft202012Validator:
    document = schema()
    if definition not in document["$defs"]:
        raise KeyError(f"{definition} is not defined in {SCHEMA_PATH.name}")
    registry = Registry().with_resource(document["$id"], Resource.from_contents(document))
    return Draft202012Validator(
        {"$ref": f"{document['$id']}#/$defs/{definition}"},
        registry=registry,
        format_checker=format_checker,
    )


def contract_errors(body: Any, definition: str) -> list[str]:
    """Every way `body` breaks the named definition, as readable lines (empty: it fits)."""
    errors = sorted(_validator(definition).iter_errors(body), key=lambda error: error.path)
    return [f"{'/'.join(map(str, error.path)) or '<body>'}: {error.message}" for error in errors]


def assert_matches_contract(body: Any, definition: str) -> None:
    """Fail the test, listing the problems, unless `body` fits the named definition."""
    problems = contract_errors(body, definition)
    assert not problems, f"{definition} body breaks the contract:\n" + "\n".join(problems)
