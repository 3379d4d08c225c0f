"""The hash chain: each event's SHA-256 covers a canonical JSON of its fields and its predecessor.

Canonical means sorted keys, no whitespace, UTF-8 and times in UTC with microseconds, so
the same row hashes the same on SQLite and PostgreSQL, and after any number of reads.
"""

import hashlib
import json
from datetime import UTC

# Every stored field except the id (assigned by the database after hashing) and the hash.
HASHED_FIELDS = (
    "time",
    "actor_id",
    "actor_username",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "store_id",
    "trait_group",
    "revision_id",
    "before",
    "after",
    "diff_summary",
    "outcome",
    "api_status",
    "twilio_code",
    "detail",
    "request_id",
    "ip_address",
    "user_agent",
    "prev_hash",
)


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def event_hash(event) -> str:
    """The SHA-256 an event should carry, given its fields and its prev_hash."""
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["time"] = event.time.astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(canonical_json(payload)).hexdigest()
