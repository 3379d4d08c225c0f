"""Whether a live definition still matches what memadmin published, and how it differs.

Both sides are TraitGroupRequest-shaped bodies, but one came from a form and one from
Twilio: an absent description and an empty one mean the same thing, as do a missing
`traits` and an empty map, and null-valued keys carry nothing. They are normalised
before comparing so only real changes count as drift.
"""

from typing import Any

from memadmin.audit.diff import Change, changes


def normalised(definition: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parts of a definition that Twilio keeps, in one canonical shape."""
    if definition is None:
        return None
    traits = definition.get("traits") or {}
    return {
        "displayName": definition.get("displayName", ""),
        "description": definition.get("description") or "",
        "traits": {name: _without_nulls(trait) for name, trait in traits.items()},
    }


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


def is_drifted(*, live: dict | None, published: dict | None) -> bool:
    """True when memadmin published this group and Twilio now holds something else."""
    if live is None or published is None:
        return False
    return normalised(live) != normalised(published)


def definition_changes(before: dict | None, after: dict | None) -> list[Change]:
    """Each trait or field added, removed or changed from `before` to `after`."""
    return changes(normalised(before), normalised(after))
