"""Whether a trait value fits its definition: one pure function under emulator and memadmin.

Both sides need it: the emulator refuses profile writes that the store's definitions
reject, and the data dry run counts live values that a proposed definition would
reject. Contract *constants* are copied on purpose (each side reads NOTES.md its own
way), but two copies of this logic would drift into disagreeing about the same value,
so it lives once here, with no Django and no import from either side.

A reason never quotes the value (trait values are customer data).
"""

import math
import re
from collections.abc import Callable
from typing import Any

# Twilio's limits page: "trait string value: 1024 characters", "trait integer value:
# -2147483648 to 2147483647", "trait array value: 100 items".
MAX_STRING_VALUE_LENGTH = 1024
MIN_INTEGER_VALUE, MAX_INTEGER_VALUE = -(2**31), 2**31 - 1
MAX_ARRAY_ITEMS = 100

PatternSearch = Callable[[str, str], bool | None]


def python_pattern_search(pattern: str, value: str) -> bool | None:
    """JSON-Schema reading of `pattern`: it matches anywhere unless anchored; None if it
    does not compile. Callers that run people's patterns pass a budgeted search instead."""
    compiled = _compiled(pattern)
    return None if compiled is None else compiled.search(value) is not None


_COMPILED: dict[str, re.Pattern[str] | None] = {}


def _compiled(pattern: str) -> re.Pattern[str] | None:
    if pattern not in _COMPILED:
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        try:
            _COMPILED[pattern] = re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            _COMPILED[pattern] = None
    return _COMPILED[pattern]


def value_violation(
    value: Any,
    definition: dict[str, Any],
    *,
    pattern_search: PatternSearch = python_pattern_search,
) -> str | None:
    """Why `definition` (a TraitDefinition) rejects `value`, or None when it accepts it."""
    data_type = definition.get("dataType")
    rule = definition.get("validationRule") or {}
    if data_type == "STRING":
        return _string_violation(value, rule, pattern_search)
    if data_type == "NUMBER":
        return _number_violation(value, rule)
    if data_type == "BOOLEAN":
        return None if isinstance(value, bool) else "is not a boolean"
    if data_type == "ARRAY":
        return _array_violation(value, rule)
    return "has no data type to hold it"


def _string_violation(value: Any, rule: dict, pattern_search: PatternSearch) -> str | None:
    if not isinstance(value, str):
        return "is not a string"
    if len(value) > MAX_STRING_VALUE_LENGTH:
        return f"is longer than Twilio's {MAX_STRING_VALUE_LENGTH} characters"
    bounds = _bounds_violation(
        len(value), rule, "minLength", "maxLength", "is shorter than", "is longer than"
    )
    if bounds:
        return bounds
    pattern = rule.get("pattern")
    if pattern:
        matched = pattern_search(pattern, value)
        if matched is None:
            return "cannot be checked: the pattern is unusable"
        if not matched:
            return "does not match the pattern"
    return None


def _number_violation(value: Any, rule: dict) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return "is not a finite number"
    if isinstance(value, int) and not MIN_INTEGER_VALUE <= value <= MAX_INTEGER_VALUE:
        return "is outside Twilio's integer range"
    return _bounds_violation(value, rule, "min", "max", "is below", "is above")


def _array_violation(value: Any, rule: dict) -> str | None:
    if not isinstance(value, list):
        return "is not an array"
    if any(isinstance(item, list | dict) for item in value):
        return "holds a nested array or object"
    if len(value) > MAX_ARRAY_ITEMS:
        return f"holds more than Twilio's {MAX_ARRAY_ITEMS} items"
    return _bounds_violation(
        len(value), rule, "minItems", "maxItems", "holds fewer than", "holds more than"
    )


def _bounds_violation(
    size: float, rule: dict, low: str, high: str, below: str, above: str
) -> str | None:
    """A validationRule's own lower and upper bound (`minLength`/`maxLength`, `min`/`max`,
    `minItems`/`maxItems`), each applied only when the rule sets it."""
    if low in rule and size < rule[low]:
        return f"{below} {low} {rule[low]}"
    if high in rule and size > rule[high]:
        return f"{above} {high} {rule[high]}"
    return None
