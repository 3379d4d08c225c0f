"""A trait group definition: what counts as the same one, and the PATCH between two.

A definition is a TraitGroupRequest body (NOTES.md: `displayName`, `description`,
`traits`). One side often came from a form and the other from Twilio: an absent
description and an empty one mean the same thing, as do a missing `traits` and an empty
map, and null-valued keys carry nothing. Diffs, drift, promotion and reconcile all
compare through `normalise_definition`, so they agree on what changed. Pure: no Django.

PATCH semantics (NOTES.md): body `{description?, traits?}`; a trait whose `dataType` is
`""` is removed; any other trait is added or replaced whole.
"""

import copy
from typing import Any

REMOVE_TRAIT_MARKER = ""  # NOTES.md: `dataType: ""` in a PATCH removes the trait.


def traits_of(definition: dict | None) -> dict[str, dict]:
    return dict((definition or {}).get("traits") or {})


def description_of(definition: dict | None) -> str:
    """An absent description and an empty one are the same thing to Twilio."""
    return (definition or {}).get("description") or ""


def normalise_definition(definition: dict | None) -> dict[str, Any] | None:
    """The parts of a definition that Twilio keeps, in one canonical shape."""
    if definition is None:
        return None
    return {
        "displayName": definition.get("displayName", ""),
        "description": description_of(definition),
        "traits": {name: normalise_trait(trait) for name, trait in traits_of(definition).items()},
    }


def normalise_trait(value: Any) -> Any:
    """A trait without its null-valued keys, at any depth."""
    if isinstance(value, dict):
        return {key: normalise_trait(item) for key, item in value.items() if item is not None}
    return value


def is_same_definition(first: dict | None, second: dict | None) -> bool:
    """Whether two definitions say the same thing once normalised (None: no group)."""
    return normalise_definition(first) == normalise_definition(second)


def make_request_body(*, display_name: str, definition: dict | None) -> dict:
    """The TraitGroupRequest that sets `definition` (a live one, a recorded version) under
    `display_name`: its own copy of the traits, and no empty description, as the builder
    sends it."""
    description = description_of(definition)
    return {
        "displayName": display_name,
        **({"description": description} if description else {}),
        "traits": copy.deepcopy(traits_of(definition)),
    }


def minimal_patch(live: dict, target: dict) -> dict:
    """The smallest PATCH body that turns `live` into `target`: changed and added traits in
    full, `{"dataType": ""}` for removed ones, the description only when it differs."""
    patch: dict[str, Any] = {}
    if description_of(live) != description_of(target):
        patch["description"] = description_of(target)
    live_traits, target_traits = traits_of(live), traits_of(target)
    traits: dict[str, dict] = {}
    for name in ordered_names(live_traits, target_traits):
        if name not in target_traits:
            traits[name] = {"dataType": REMOVE_TRAIT_MARKER}
        elif normalise_trait(live_traits.get(name)) != normalise_trait(target_traits[name]):
            traits[name] = copy.deepcopy(target_traits[name])
    if traits:
        patch["traits"] = traits
    return patch


def apply_patch(live: dict, patch: dict) -> dict:
    """What Twilio holds after applying `patch` to `live` (a copy; `live` is not touched)."""
    result = copy.deepcopy(live)
    if "description" in patch:
        result["description"] = patch["description"]
    traits = traits_of(result)
    for name, definition in (patch.get("traits") or {}).items():
        if definition.get("dataType") == REMOVE_TRAIT_MARKER:
            traits.pop(name, None)
        else:
            traits[name] = copy.deepcopy(definition)
    result["traits"] = traits
    return result


def ordered_names(first: dict, second: dict) -> list[str]:
    """Keys of `first` in their order, then those only in `second`."""
    return [*first, *(key for key in second if key not in first)]
