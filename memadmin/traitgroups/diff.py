"""Trait-by-trait differences between two trait group definitions, and rebasing one on another.

Pure functions over the JSON shapes of NOTES.md, so reviews, history, schema files and
drift share one idea of what changed and what breaks. Both sides are compared as
`memory_api.definitions` normalises them (as reconcile and promotion compare them), and
fields are listed path by path by `audit.diff.changes`, as an audit event's are.
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from memadmin.audit.diff import Change, changes
from memadmin.memory_api.definitions import (
    description_of,
    normalise_definition,
    ordered_names,
    traits_of,
)

# Validation-rule fields where a new value narrows what is accepted, and in which direction:
# "lower" means a lower bound that breaks when raised (or added), "upper" the reverse.
_BOUNDS = {
    "minLength": "lower",
    "maxLength": "upper",
    "min": "lower",
    "max": "upper",
    "minItems": "lower",
    "maxItems": "upper",
}


@dataclass(frozen=True)
class TraitChange:
    """What happened to one trait: `kind` is "added", "removed" or "changed"."""

    name: str
    kind: str
    old: dict | None
    new: dict | None
    fields: tuple[Change, ...] = ()
    breaking: tuple[str, ...] = ()

    @property
    def is_breaking(self) -> bool:
        return bool(self.breaking)


@dataclass(frozen=True)
class DefinitionDiff:
    """The differences between two definitions, trait by trait, with breaking reasons named."""

    traits: tuple[TraitChange, ...] = ()
    description: tuple[str, str] | None = None
    breaking: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.traits and self.description is None

    def of_kind(self, kind: str) -> list[TraitChange]:
        return [change for change in self.traits if change.kind == kind]

    @property
    def added(self) -> list[TraitChange]:
        return self.of_kind("added")

    @property
    def removed(self) -> list[TraitChange]:
        return self.of_kind("removed")

    @property
    def changed(self) -> list[TraitChange]:
        return self.of_kind("changed")


def diff_definitions(old: dict | None, new: dict) -> DefinitionDiff:
    """`new` compared with `old` (None: the group does not exist yet, so nothing breaks)."""
    old_traits, new_traits = (
        traits_of(normalise_definition(old)),
        traits_of(normalise_definition(new)),
    )
    found: list[TraitChange] = []
    for name in ordered_names(old_traits, new_traits):
        before, after = old_traits.get(name), new_traits.get(name)
        if before == after:
            continue
        fields = tuple(changes(before, after))
        if before is None:
            found.append(TraitChange(name, "added", None, after, fields))
        elif after is None:
            reason = (
                f"Trait '{name}' is removed: profiles lose its values and anything "
                "reading it stops getting them."
            )
            found.append(TraitChange(name, "removed", before, None, (), (reason,)))
        else:
            reasons = tuple(breaking_reasons(name, before, after))
            found.append(TraitChange(name, "changed", before, after, fields, reasons))
    description = None
    if old is not None and description_of(old) != description_of(new):
        description = (description_of(old), description_of(new))
    elif old is None and description_of(new):
        description = ("", description_of(new))
    breaking = tuple(reason for change in found for reason in change.breaking)
    return DefinitionDiff(traits=tuple(found), description=description, breaking=breaking)


def definition_changes(before: dict | None, after: dict | None) -> list[Change]:
    """Each trait or field added, removed or changed from `before` to `after`, path by path
    (the drift and promotion pages' table)."""
    return changes(normalise_definition(before), normalise_definition(after))


def breaking_reasons(name: str, old: dict, new: dict) -> list[str]:
    """Why changing trait `name` from `old` to `new` can break existing data or profiles."""
    reasons = []
    if old.get("dataType") != new.get("dataType"):
        reasons.append(
            f"Trait '{name}' changes dataType from {old.get('dataType')} to "
            f"{new.get('dataType')}: stored values may no longer fit."
        )
    reasons += _narrowed_rule(name, old.get("validationRule"), new.get("validationRule"))
    before, after = old.get("idTypePromotion"), new.get("idTypePromotion")
    if before != after:
        if not before:
            what = f"now promotes its value to identifier type '{after}'"
        elif not after:
            what = f"no longer promotes its value to identifier type '{before}'"
        else:
            what = f"promotes to identifier type '{after}' instead of '{before}'"
        reasons.append(f"Trait '{name}' {what}: this changes how profiles are resolved and merged.")
    return reasons


def _narrowed_rule(name: str, old: dict | None, new: dict | None) -> list[str]:
    old, new = old or {}, new or {}
    if old.get("ruleType") and new.get("ruleType") and old["ruleType"] != new["ruleType"]:
        return [
            f"Trait '{name}' changes its validation rule type from {old['ruleType']} to "
            f"{new['ruleType']}."
        ]
    reasons = []
    for key, direction in _BOUNDS.items():
        before, after = old.get(key), new.get(key)
        if after is None or before == after:
            continue
        narrower = before is None or not _comparable(before, after)
        narrower = narrower or (direction == "lower" and after > before)
        narrower = narrower or (direction == "upper" and after < before)
        if narrower:
            was = "unset" if before is None else before
            verb = "raised" if direction == "lower" else "lowered"
            verb = "added" if before is None else verb
            reasons.append(
                f"Trait '{name}': {key} {verb} ({was} → {after}); existing values may "
                "now be rejected."
            )
    if new.get("pattern") and old.get("pattern") != new.get("pattern"):
        verb = "changed" if old.get("pattern") else "added"
        reasons.append(
            f"Trait '{name}': pattern {verb} ({new['pattern']}); existing values may no "
            "longer match."
        )
    return reasons


def _comparable(*values) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


@dataclass(frozen=True)
class Conflict:
    """Both sides changed the same thing differently since the base; `name` is a trait name,
    or "description"."""

    name: str
    base: Any
    ours: Any
    theirs: Any


def rebase(base: dict | None, ours: dict, theirs: dict) -> tuple[dict, list[Conflict]]:
    """Our changes relative to `base`, replayed on top of `theirs` (a three-way merge).

    Where only one side changed a trait, that side wins; where both changed it to different
    things, ours is kept and the trait is listed as a conflict for reviewers to judge.
    """
    base_traits, our_traits, their_traits = traits_of(base), traits_of(ours), traits_of(theirs)
    conflicts: list[Conflict] = []
    merged: dict[str, dict] = {}
    names = ordered_names(ordered_names(their_traits, our_traits), base_traits)
    for name in names:
        value = _merge_one(
            name, base_traits.get(name), our_traits.get(name), their_traits.get(name), conflicts
        )
        if value is not None:
            merged[name] = copy.deepcopy(value)
    description = _merge_one(
        "description",
        description_of(base),
        description_of(ours),
        description_of(theirs),
        conflicts,
    )
    result = {key: copy.deepcopy(value) for key, value in ours.items() if key != "traits"}
    if description or "description" in ours or "description" in theirs:
        result["description"] = description or ""
    result["traits"] = merged
    return result, conflicts


def _merge_one(name: str, base, ours, theirs, conflicts: list[Conflict]):
    if ours == base:
        return theirs
    if theirs in (base, ours):
        return ours
    conflicts.append(Conflict(name, base, ours, theirs))
    return ours
