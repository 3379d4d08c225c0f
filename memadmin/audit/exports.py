"""Audit events as CSV or JSON Lines, read in keyset chunks, so memory stays flat for any size.

The JSON Lines export is meant to be checked without trusting memadmin: a header line,
then every event in chain order (oldest first) carrying every field its hash covers in
the form the hash covers (UTC times with microseconds, documents as JSON), with the signed
checkpoints placed right after the event they cover. `verify_audit_export.py` (served at
/audit/verifier/) recomputes the chain from the file. The database writes each event's
line itself (export_sql); Python only joins them.
"""

import bisect
import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC

from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL

from memadmin.audit import export_sql
from memadmin.audit.chain import HASHED_FIELDS
from memadmin.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent

CHUNK_SIZE = 2000  # rows per query
WRITE_SIZE = 128 * 1024  # characters per write
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
FORMULA_STARTS = export_sql.FORMULA_STARTS
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


def _chunks(
    events: QuerySet[AuditEvent],
    line: tuple[str, list[str]],
    *,
    through_id: int | None,
    oldest_first: bool,
) -> Iterator[list[tuple[int, str]]]:
    """(id, line) of the events up to `through_id`, CHUNK_SIZE at a time by keyset on id,
    each line written by the database from `line`'s SQL (see export_sql).

    Newest first, each query has one upper bound on id, never `id <= through AND id < last`:
    given two, SQLite seeks to the first and steps back row by row to the second, so every
    chunk walked all the rows of the chunks before it (a million-row CSV took 15 minutes)."""
    sql, params = line
    # Only constants from export_sql go into the SQL; its strings travel as parameters.
    written = RawSQL(sql, params, output_field=TextField())  # noqa: S611
    ordered = events.order_by("id" if oldest_first else "-id").annotate(export_line=written)
    # The keyset's boundary, exclusive: a lower bound oldest first, the only upper bound
    # newest first.
    boundary = None
    if oldest_first and through_id is not None:
        ordered = ordered.filter(id__lte=through_id)
    elif through_id is not None:
        boundary = through_id + 1
    while True:
        chunk = ordered
        if boundary is not None:
            chunk = chunk.filter(id__gt=boundary) if oldest_first else chunk.filter(id__lt=boundary)
        rows = list(chunk.values_list("id", "export_line")[:CHUNK_SIZE])
        if rows:
            yield rows
        if len(rows) < CHUNK_SIZE:
            return
        boundary = rows[-1][0]


def _pieces(text: str) -> Iterator[str]:
    """A chunk's text in writes of about WRITE_SIZE characters: big enough to be cheap,
    small enough that the first bytes leave at once and memory stays flat."""
    for start in range(0, len(text), WRITE_SIZE):
        yield text[start : start + WRITE_SIZE]


def _vendor(events: QuerySet[AuditEvent]) -> str:
    return connections[events.db].vendor


def csv_lines(events: QuerySet[AuditEvent], *, through_id: int | None = None) -> Iterator[str]:
    """A header row, then the events up to `through_id` newest first, formula-looking cells
    kept as text."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    yield buffer.getvalue()
    line = export_sql.csv_line(COLUMNS, _vendor(events))
    for rows in _chunks(events, line, through_id=through_id, oldest_first=False):
        yield from _pieces("".join([text for _, text in rows]))


def jsonl_lines(
    events: QuerySet[AuditEvent],
    *,
    through_id: int | None = None,
    header: dict | None = None,
    checkpoints: Iterable[AuditCheckpoint] = (),
) -> Iterator[str]:
    """The header, then the events up to `through_id` oldest first, each checkpoint after the
    event it covers."""
    if header is not None:
        yield canonical_line(header)
    pending = list(checkpoints)
    position = 0
    line = export_sql.jsonl_line(_vendor(events))
    for rows in _chunks(events, line, through_id=through_id, oldest_first=True):
        ids = [event_id for event_id, _ in rows]
        lines = [text for _, text in rows]
        # A checkpoint goes right before the first event newer than the one it covers.
        placed = []
        while position < len(pending) and pending[position].event_id < ids[-1]:
            mark = pending[position]
            placed.append(
                (bisect.bisect_right(ids, mark.event_id), canonical_line(checkpoint_record(mark)))
            )
            position += 1
        for offset, (at, checkpoint_line) in enumerate(placed):
            lines.insert(at + offset, checkpoint_line)
        yield from _pieces("".join(lines))
    for checkpoint in pending[position:]:
        yield canonical_line(checkpoint_record(checkpoint))


def lines(
    events: QuerySet[AuditEvent],
    export_format: str,
    *,
    through_id: int | None = None,
    header: dict | None = None,
    checkpoints: Iterable[AuditCheckpoint] = (),
) -> Iterator[str]:
    if export_format == "csv":
        return csv_lines(events, through_id=through_id)
    return jsonl_lines(events, through_id=through_id, header=header, checkpoints=checkpoints)
