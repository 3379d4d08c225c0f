"""Typed data mappings, parsed from the Memory API's DataMapping JSON at the edge.

Apart from `types.py` because mappings are their own resource; the parsing rules are the
same: check only what memadmin relies on, raise `UnexpectedShape` for anything else.
The few readers below are this module's own, so that it leans on nothing in `types.py`
but `UnexpectedShape`.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from memadmin.memory_api.types import UnexpectedShape


@dataclass(frozen=True)
class MappingTarget:
    """One trait a mapping writes (a MappingTraitItem), and the source field it reads."""

    trait_group: str
    trait_name: str
    expression: str

    def to_json(self) -> dict[str, str]:
        """The MappingTraitItem's keys, as memadmin stores a mapping's targets."""
        return {
            "traitGroup": self.trait_group,
            "traitName": self.trait_name,
            "expression": self.expression,
        }


@dataclass(frozen=True)
class DataMapping:
    """A data mapping: which ingestion source (`INGRESS`, `DATASET_…`) writes which traits."""

    id: str
    display_name: str
    source: str
    targets: list[MappingTarget] = field(default_factory=list)
    description: str = ""
    is_enabled: bool = True
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    etag: str | None = None

    @classmethod
    def from_json(cls, payload: Any, *, etag: str | None = None) -> "DataMapping":
        mapping = _object(payload, "the data mapping")
        mapping_from = _object(mapping.get("mappingFrom"), "mappingFrom")
        mapping_to = _object(mapping.get("mappingTo"), "mappingTo")
        return cls(
            id=_field(mapping, "id", str),
            display_name=_field(mapping, "displayName", str),
            source=_field(mapping_from, "type", str),
            targets=[_target(item) for item in _field(mapping_to, "mappings", list, default=[])],
            description=_field(mapping, "description", str, default=""),
            is_enabled=_field(mapping, "isEnabled", bool, default=True),
            version=_field(mapping, "version", int),
            created_at=_timestamp(mapping, "createdAt"),
            updated_at=_timestamp(mapping, "updatedAt"),
            etag=etag,
        )


def _target(payload: Any) -> MappingTarget:
    item = _object(payload, "a mapping item")
    return MappingTarget(
        trait_group=_field(item, "traitGroup", str),
        trait_name=_field(item, "traitName", str),
        expression=_field(item, "expression", str),
    )


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnexpectedShape(f"{what} is not a JSON object")
    return value


def _field(payload: dict[str, Any], key: str, kind: type, *, default: Any = ...) -> Any:
    """`payload[key]` checked against `kind`; absent or null gives `default` (or fails)."""
    value = payload.get(key)
    if value is None:
        if default is ...:
            raise UnexpectedShape(f"{key} is missing")
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UnexpectedShape(f"{key} has the wrong type")
    return value


def _timestamp(payload: dict[str, Any], key: str) -> datetime | None:
    """A date-time in UTC; None when absent or unreadable (a date is never worth failing on)."""
    raw = payload.get(key)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
