"""Typed data mappings, parsed from the Memory API's DataMapping JSON at the edge.

Apart from `types.py` because mappings are their own resource; the parsing rules are the
same: check only what memadmin relies on, raise `UnexpectedShape` for anything else.
The few readers below are this module's own, so that it leans on nothing in `types.py`
but `UnexpectedShape`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from memadmin.memory_api.types import UnexpectedShape, read_field, read_timestamp


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
            id=read_field(mapping, "id", str),
            display_name=read_field(mapping, "displayName", str),
            source=read_field(mapping_from, "type", str),
            targets=[
                _target(item) for item in read_field(mapping_to, "mappings", list, default=[])
            ],
            description=read_field(mapping, "description", str, default=""),
            is_enabled=read_field(mapping, "isEnabled", bool, default=True),
            version=read_field(mapping, "version", int),
            created_at=read_timestamp(mapping, "createdAt"),
            updated_at=read_timestamp(mapping, "updatedAt"),
            etag=etag,
        )


def _target(payload: Any) -> MappingTarget:
    item = _object(payload, "a mapping item")
    return MappingTarget(
        trait_group=read_field(item, "traitGroup", str),
        trait_name=read_field(item, "traitName", str),
        expression=read_field(item, "expression", str),
    )


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnexpectedShape(f"{what} is not a JSON object")
    return value
