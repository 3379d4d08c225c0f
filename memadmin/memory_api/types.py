"""Typed results of the Memory API, parsed from its JSON at the edge.

Each `from_json` checks only what memadmin relies on and raises `UnexpectedShape` for
anything else; the client turns that into a `MemoryApiError` naming the request, so a
changed or broken API surfaces as one readable sentence instead of a KeyError deep inside
a view.
"""

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from memadmin.memory_api.contract import OPERATION_STATUSES, TERMINAL_OPERATION_STATUSES


class UnexpectedShape(ValueError):
    """JSON that parsed but does not have the shape the contract promises."""


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnexpectedShape(f"{what} is not a JSON object")
    return value


def read_field(payload: dict[str, Any], key: str, kind: type | tuple[type, ...], *, default=...):
    """`payload[key]` checked against `kind`; absent or null gives `default` (or fails)."""
    value = payload.get(key)
    if value is None:
        if default is ...:
            raise UnexpectedShape(f"{key} is missing")
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UnexpectedShape(f"{key} has the wrong type")
    return value


def read_timestamp(payload: dict[str, Any], key: str) -> datetime | None:
    """A date-time in UTC; None when absent or not one memadmin can read or store.

    A date the server got wrong (unparseable, or outside what UTC can hold, such as
    year 1 at +01:00) must not stop memadmin from following the operation it dates.
    """
    raw = payload.get(key)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def next_page_token(payload: dict[str, Any]) -> str | None:
    """`meta.nextToken`, the token to pass back as `pageToken`; None on the last page."""
    meta = _object(payload.get("meta", {}), "meta")
    token = read_field(meta, "nextToken", str, default=None)
    return token or None


def list_items(payload: Any, key: str) -> list[Any]:
    """The list a page holds under `key` (e.g. "traitGroups")."""
    items = read_field(_object(payload, "the page"), key, list, default=[])
    return items


@dataclass(frozen=True)
class TraitGroup:
    """A trait group as Twilio holds it; `traits` keeps the raw JSON definitions."""

    display_name: str
    description: str = ""
    traits: dict[str, dict] = field(default_factory=dict)
    version: int = 1
    etag: str | None = None

    @classmethod
    def from_json(cls, payload: Any, *, etag: str | None = None) -> "TraitGroup":
        group = _object(payload, "traitGroup")
        traits = dict(read_field(group, "traits", dict, default={}))
        for name, definition in traits.items():
            _object(definition, f"trait {name}")
        return cls(
            display_name=read_field(group, "displayName", str),
            description=read_field(group, "description", str, default=""),
            traits=traits,
            version=read_field(group, "version", int),
            etag=etag,
        )

    def to_request_body(self, *, copy_traits: bool = True) -> dict[str, Any]:
        """What a POST would send to recreate this group (a TraitGroupRequest).

        `copy_traits=False` shares the traits with this object, for a caller that only
        reads the body and drops this object (a 95-trait deep copy is a page's millisecond).
        """
        return {
            "displayName": self.display_name,
            "description": self.description,
            "traits": copy.deepcopy(self.traits) if copy_traits else self.traits,
        }


@dataclass(frozen=True)
class Accepted:
    """Twilio's 202: the change is queued; `status_url` tells how it went."""

    message: str
    status_url: str
    operation_id: str
    retry_after: int | None = None
    location: str | None = None


@dataclass(frozen=True)
class OperationError:
    type: str
    title: str
    code: int | None
    detail: str

    @classmethod
    def from_json(cls, payload: Any) -> "OperationError":
        error = _object(payload, "error")
        # Read leniently: a failed operation must be recorded as failed, whatever its
        # error looks like (the spec's `code` is any integer; a negative one is fine).
        code = error.get("code")
        return cls(
            type=_text(error.get("type")),
            title=_text(error.get("title")),
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            detail=_text(error.get("detail")),
        )


@dataclass(frozen=True)
class OperationStatus:
    operation_id: str
    status: str
    created_at: datetime | None
    completed_at: datetime | None = None
    result_id: str | None = None
    result_url: str | None = None
    error: OperationError | None = None
    retry_after: int | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_OPERATION_STATUSES

    @classmethod
    def from_json(cls, payload: Any, *, retry_after: int | None = None) -> "OperationStatus":
        operation = _object(payload, "the operation status")
        status = read_field(operation, "status", str)
        if status not in OPERATION_STATUSES:
            raise UnexpectedShape(f"status {status!r} is not one the contract names")
        result = read_field(operation, "result", dict, default={})
        error = read_field(operation, "error", dict, default=None)
        return cls(
            operation_id=read_field(operation, "operationId", str),
            status=status,
            created_at=read_timestamp(operation, "createdAt"),
            completed_at=read_timestamp(operation, "completedAt"),
            result_id=read_field(result, "id", str, default=None),
            result_url=read_field(operation, "resultUrl", str, default=None),
            error=OperationError.from_json(error) if error is not None else None,
            retry_after=retry_after,
        )


@dataclass(frozen=True)
class Store:
    id: str
    display_name: str
    description: str
    status: str
    intelligence_service_id: str | None
    version: int | None
    etag: str | None = None

    @classmethod
    def from_json(cls, payload: Any, *, etag: str | None = None) -> "Store":
        store = _object(payload, "the store")
        return cls(
            id=read_field(store, "id", str),
            display_name=read_field(store, "displayName", str, default=""),
            description=read_field(store, "description", str, default=""),
            status=read_field(store, "status", str, default=""),
            intelligence_service_id=read_field(store, "intelligenceServiceId", str, default=None),
            version=read_field(store, "version", int, default=None),
            etag=etag,
        )


@dataclass(frozen=True)
class IdentityResolutionSettings:
    """The identifier types a trait's `idTypePromotion` may name in this store."""

    id_types: list[str]
    matching_rules: list[str] = field(default_factory=list)
    version: int | None = None
    etag: str | None = None

    @classmethod
    def from_json(cls, payload: Any, *, etag: str | None = None) -> "IdentityResolutionSettings":
        settings = _object(payload, "the identity resolution settings")
        configs = read_field(settings, "identifierConfigs", list, default=[])
        id_types = [read_field(_object(c, "identifierConfig"), "idType", str) for c in configs]
        rules = read_field(settings, "matchingRules", list, default=[])
        return cls(
            id_types=id_types,
            matching_rules=[rule for rule in rules if isinstance(rule, str)],
            version=read_field(settings, "version", int, default=None),
            etag=etag,
        )
