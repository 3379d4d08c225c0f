"""Which traits of a revision a dry run checks, and what to call each tightened rule.

Pure functions over definitions (NOTES.md shapes). Only a trait that exists live and
whose data type or validation rule the revision changes can newly reject a value that
profiles hold today: added traits hold nothing yet, removed ones are the impact panel's.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CheckedTrait:
    """A trait whose current values are checked against its proposed `definition`."""

    name: str
    definition: dict[str, Any]
    # How a sentence names the change: "the new pattern", "the new data type NUMBER".
    rule_label: str


def traits_to_check(live: dict | None, proposed: dict | None) -> list[CheckedTrait]:
    """Traits of `proposed` that `live` holds with another data type or rule, by name."""
    return list(_checked_traits(live, proposed))


def any_trait_to_check(live: dict | None, proposed: dict | None) -> bool:
    """Whether `traits_to_check` finds any: it stops at the first (every review page asks)."""
    return next(_checked_traits(live, proposed), None) is not None


def _checked_traits(live: dict | None, proposed: dict | None) -> Iterator[CheckedTrait]:
    live_traits = (live or {}).get("traits") or {}
    for name, new in sorted(((proposed or {}).get("traits") or {}).items()):
        old = live_traits.get(name)
        if not isinstance(old, dict) or not isinstance(new, dict):
            continue
        label = _rule_label(old, new)
        if label is not None:
            yield CheckedTrait(name=name, definition=new, rule_label=label)


def _rule_label(old: dict, new: dict) -> str | None:
    if old.get("dataType") != new.get("dataType"):
        return f"the new data type {new.get('dataType')}"
    old_rule, new_rule = old.get("validationRule") or {}, new.get("validationRule") or {}
    if old_rule == new_rule:
        return None
    changed = [key for key in new_rule if key != "ruleType" and new_rule[key] != old_rule.get(key)]
    if not changed:
        return "the new rule"
    parts = ["pattern" if key == "pattern" else f"{key} {new_rule[key]}" for key in changed]
    return "the new " + " and ".join(parts)
