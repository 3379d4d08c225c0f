"""Audit events as CSV or JSON Lines, read in keyset chunks, so memory stays flat for any size.

The JSON Lines export is meant to be checked without trusting memadmin: a header line,
then every event in chain order (oldest first) carrying every field its hash covers in
canonical form, with the signed checkpoints placed right after the event they cover.
`verify_audit_export.py` (served at /audit/verifier/) recomputes the chain from the file.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC

from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from memadmin.audit.chain import HASHED_FIELDS
from memadmin.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent

CHUNK_SIZE = 2000
LINES_PER_WRITE = 200
EXPORT_FORMAT = "memadmin-audit-export"
EXPORT_VERSION = 2
EVENT_FIELDS = ("id", *HASHED_FIELDS, "hash")
COLUMNS = (
    "id",
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
    "outcome",
    "api_status",
    "twilio_code",
    "diff_summary",
    "detail",
    "request_id",
    "ip_address",
    "user_agent",
    "before",
    "after",
    "prev_hash",
    "hash",
)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/jsonl; charset=utf-8", "jsonl"),
}
# A spreadsheet runs a cell that starts like a formula; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_READ_FIELDS = tuple(dict.fromkeys((*EVENT_FIELDS, *COLUMNS)))


def canonical_line(document: dict) -> str:
    """One JSON line as the hash chain writes JSON: sorted keys, no spaces, UTF-8."""
    return (
        json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )


def _utc(moment) -> str:
    """An instant as the hash chain writes it; SQLite hands back its stored UTC text."""
    if isinstance(moment, str):  # "YYYY-MM-DD HH:MM:SS[.ffffff]", as Django stores it
        day, clock = moment.split(" ")
        return f"{day}T{clock if '.' in clock else clock + '.000000'}+00:00"
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def as_record(event: AuditEvent) -> dict:
    """One event as an export row: every hashed field, its id and its hash."""
    record = {column: getattr(event, column) for column in _READ_FIELDS}
    record["time"] = _utc(event.time)
    return record


def checkpoint_record(checkpoint: AuditCheckpoint) -> dict:
    return {
        "type": "checkpoint",
        "id": checkpoint.pk,
        "time": _utc(checkpoint.time),
        "event_id": checkpoint.event_id,
        "head_hash": checkpoint.head_hash,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


def header_record(
    *, filters: dict, through_id: int | None, exported_at, signing: dict | None
) -> dict:
    """The first line: what the file holds and how to recompute its hashes."""
    return {
        "type": "header",
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "hash": "sha256 of the canonical JSON (sorted keys, no spaces, UTF-8) of hashed_fields",
        "hashed_fields": list(HASHED_FIELDS),
        "genesis_hash": GENESIS_HASH,
        # Only an unfiltered export holds the whole chain, so only it can be linked end to end.
        "complete": not filters,
        "filters": {name: str(value) for name, value in filters.items()},
        "through_id": through_id,
        "exported_at": _utc(exported_at),
        "signing_key": signing,
    }


def _spreadsheet_safe(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DOCUMENTS = ("before", "after")
_SCALARS = tuple(name for name in _READ_FIELDS if name not in _DOCUMENTS)


def _rows(events: QuerySet[AuditEvent], *, oldest_first: bool) -> Iterator[tuple[dict, dict]]:
    """Each event as (scalar fields, before/after as the database's JSON text), CHUNK_SIZE at
    a time by keyset on id. The documents stay text: decoding and re-encoding a million of
    them was most of an export's time, and they are valid JSON as stored."""
    ordered = events.order_by("id" if oldest_first else "-id").annotate(
        **{f"{name}_json": Cast(name, TextField()) for name in _DOCUMENTS}
    )
    names = (*_SCALARS, *(f"{name}_json" for name in _DOCUMENTS))
    last = None
    while True:
        chunk = ordered
        if last is not None:
            chunk = chunk.filter(id__gt=last) if oldest_first else chunk.filter(id__lt=last)
        # The ORM writes the SQL; rows are read raw, skipping its per-value converters.
        query = chunk.values_list(*names)[:CHUNK_SIZE].query
        sql, params = query.get_compiler(using=events.db).as_sql()
        with connections[events.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        width = len(_SCALARS)
        for row in rows:
            scalars = dict(zip(_SCALARS, row[:width], strict=True))
            scalars["time"] = _utc(scalars["time"])
            yield scalars, dict(zip(_DOCUMENTS, row[width:], strict=True))
        if len(rows) < CHUNK_SIZE:
            return
        last = rows[-1][0]


def _batched(lines: Iterable[str]) -> Iterator[str]:
    """Joins lines into larger writes: fewer, bigger chunks stream faster."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= LINES_PER_WRITE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _event_line(scalars: dict, documents: dict) -> str:
    """One event's JSON line, its documents spliced in as stored (see _rows)."""
    head = _COMPACT.encode(
        {"type": "event", **{name: scalars[name] for name in EVENT_FIELDS if name in scalars}}
    )
    tail = "".join(f',"{name}":{documents[name] or "null"}' for name in _DOCUMENTS)
    return f"{head[:-1]}{tail}}}\n"


def csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """A header row, then the events newest first, formula-looking cells kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for scalars, documents in _rows(events, oldest_first=False):
        buffer.seek(0)
        buffer.truncate()
        record = scalars | {name: documents[name] or None for name in _DOCUMENTS}
        writer.writerow([_spreadsheet_safe(record[column]) for column in COLUMNS])
        yield buffer.getvalue()


def jsonl_lines(
    events: QuerySet[AuditEvent],
    *,
    header: dict | None = None,
    checkpoints: Iterable[AuditCheckpoint] = (),
) -> Iterator[str]:
    """The header, then the events oldest first, each checkpoint after the event it covers."""
    if header is not None:
        yield canonical_line(header)
    pending = list(checkpoints)
    position = 0
    for scalars, documents in _rows(events, oldest_first=True):
        while position < len(pending) and pending[position].event_id < scalars["id"]:
            yield canonical_line(checkpoint_record(pending[position]))
            position += 1
        yield _event_line(scalars, documents)
    for checkpoint in pending[position:]:
        yield canonical_line(checkpoint_record(checkpoint))


def lines(
    events: QuerySet[AuditEvent],
    export_format: str,
    *,
    header: dict | None = None,
    checkpoints: Iterable[AuditCheckpoint] = (),
) -> Iterator[str]:
    if export_format == "csv":
        return _batched(csv_lines(events))
    return _batched(jsonl_lines(events, header=header, checkpoints=checkpoints))
