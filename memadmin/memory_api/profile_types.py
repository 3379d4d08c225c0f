"""Typed answers of the profile endpoints: pages of profile ids, one profile's values.

Trait values are customer data: `ProfileTraits` never prints them (its repr names the
profile and how many values it holds), so a log line or a traceback cannot leak them.
"""

from dataclasses import dataclass, field
from typing import Any

from memadmin.memory_api.types import UnexpectedShape, list_items, next_page_token


@dataclass(frozen=True)
class ProfileIdPage:
    """One page of `GET /v1/Stores/{storeId}/Profiles`: ids and the next page's token."""

    profile_ids: tuple[str, ...]
    next_token: str | None

    @classmethod
    def from_json(cls, payload: Any) -> "ProfileIdPage":
        ids = list_items(payload, "profiles")
        if not all(isinstance(profile_id, str) for profile_id in ids):
            raise UnexpectedShape("profiles holds something other than profile ids")
        return cls(profile_ids=tuple(ids), next_token=next_page_token(payload))


@dataclass(frozen=True)
class ProfileTraits:
    """The values one profile holds: `values[group][trait]`."""

    profile_id: str
    values: dict[str, dict[str, Any]] = field(repr=False)

    def __repr__(self) -> str:
        count = sum(len(traits) for traits in self.values.values())
        return f"ProfileTraits({self.profile_id!r}, {count} values)"

    @staticmethod
    def values_on(payload: Any) -> list[tuple[str, str, Any]]:
        """(group, trait, value) of each FullTrait on one page."""
        found = []
        for item in list_items(payload, "traits"):
            if not isinstance(item, dict):
                raise UnexpectedShape("traits holds something other than trait objects")
            group, name = item.get("traitGroup"), item.get("name")
            if not isinstance(group, str) or not isinstance(name, str):
                raise UnexpectedShape("a trait lacks its name or traitGroup")
            found.append((group, name, item.get("value")))
        return found
