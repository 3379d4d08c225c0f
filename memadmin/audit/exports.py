"""Audit events as CSV or JSON Lines, read in keyset chunks, so memory stays flat for any size.

The JSON Lines export is meant to be checked without trusting memadmin: a header line,
then every event in chain order (oldest first) carrying every field its hash covers in
canonical form, with the signed checkpoints placed right after the event they cover.
`verify_audit_export.py` (served at /audit/verifier/) recomputes the chain from the file.
"""

import bisect
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


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_DOCUMENTS = ("before", "after")
_SCALARS = tuple(name for name in EVENT_FIELDS if name not in _DOCUMENTS)
# A JSON string escapes every quote, so this can only be the seam between two encoded rows.
_ROW_SEAM = '},{"id":'


def _utc_text(moment) -> str:
    """_utc without the call's branches for SQLite's text, the common case at a million rows."""
    if moment.__class__ is str:
        if len(moment) > 19:
            return f"{moment[:10]}T{moment[11:]}+00:00"
        return f"{moment[:10]}T{moment[11:]}.000000+00:00"
    return _utc(moment)


def _chunks(
    events: QuerySet[AuditEvent],
    names: tuple[str, ...],
    *,
    through_id: int | None,
    oldest_first: bool,
):
    """Rows of `names` (before/after as the database's JSON text) up to `through_id`,
    CHUNK_SIZE at a time by keyset on id; `names` must start with "id". The documents stay
    text: decoding and re-encoding a million of them was most of an export's time, and they
    are valid JSON. On SQLite the time stays its stored text too: parsing it into a datetime
    only to print it again cost a quarter of an export.

    Newest first, each query has one upper bound on id, never `id <= through AND id < last`:
    given two, SQLite seeks to the first and steps back row by row to the second, so every
    chunk walked all the rows of the chunks before it (a million-row CSV took 15 minutes)."""
    as_text = {name: Cast(name, TextField()) for name in _DOCUMENTS}
    if connections[events.db].vendor == "sqlite":
        as_text["time"] = Cast("time", TextField())
    ordered = events.order_by("id" if oldest_first else "-id").annotate(
        **{f"{name}_text": expression for name, expression in as_text.items()}
    )
    selected = tuple(f"{name}_text" if name in as_text else name for name in names)
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
        # The ORM writes the SQL; rows are read raw, skipping its per-value converters.
        query = chunk.values_list(*selected)[:CHUNK_SIZE].query
        sql, params = query.get_compiler(using=events.db).as_sql()
        with connections[events.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
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


_CSV_TIME = COLUMNS.index("time")
# Cells memadmin writes itself (numbers, the ISO time, hex hashes) cannot start a formula;
# every other text cell is checked.
_CSV_WRITTEN_BY_US = {"id", "time", "actor_id", "revision_id", "api_status", "twilio_code"}
_CSV_CHECKED = tuple(
    index
    for index, column in enumerate(COLUMNS)
    if column not in _CSV_WRITTEN_BY_US | {"prev_hash", "hash"}
)


def _csv_text(rows: list[tuple]) -> str:
    """Rows in COLUMNS order as CSV, written in one go; formula-looking cells kept as text."""
    cells = []
    for row in rows:
        row = list(row)
        row[_CSV_TIME] = _utc_text(row[_CSV_TIME])
        for index in _CSV_CHECKED:
            value = row[index]
            if value and value.startswith(FORMULA_STARTS):
                row[index] = "'" + value
        cells.append(row)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(cells)  # None is written as an empty cell
    return buffer.getvalue()


def csv_lines(events: QuerySet[AuditEvent], *, through_id: int | None = None) -> Iterator[str]:
    """A header row, then the events up to `through_id` newest first, formula-looking cells
    kept as text."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    yield buffer.getvalue()
    for rows in _chunks(events, COLUMNS, through_id=through_id, oldest_first=False):
        yield from _pieces(_csv_text(rows))


_WIDTH = len(_SCALARS)


def _event_lines(rows: list[tuple]) -> list[str]:
    """Each row's JSON line, its documents spliced in as stored (see _chunks).

    All of a chunk's fields are encoded in one call and cut at the seams between rows, so
    the per-row Python work is a dict and a join; the bytes are those of encoding each row
    alone: {"type":"event", the hashed fields, id and hash, then before and after}.
    """
    records = []
    for row in rows:
        record = dict(zip(_SCALARS, row, strict=False))  # stops before the documents
        record["time"] = _utc_text(record["time"])
        records.append(record)
    encoded = _COMPACT.encode(records)[len('[{"id":') : -len("}]")].split(_ROW_SEAM)
    return [
        f'{{"type":"event","id":{fields},"before":{row[_WIDTH] or "null"},'
        f'"after":{row[_WIDTH + 1] or "null"}}}\n'
        for fields, row in zip(encoded, rows, strict=True)
    ]


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
    for rows in _chunks(events, (*_SCALARS, *_DOCUMENTS), through_id=through_id, oldest_first=True):
        lines = _event_lines(rows)
        # A checkpoint goes right before the first event newer than the one it covers.
        ids = [row[0] for row in rows]
        placed = []
        while position < len(pending) and pending[position].event_id < ids[-1]:
            mark = pending[position]
            placed.append(
                (bisect.bisect_right(ids, mark.event_id), canonical_line(checkpoint_record(mark)))
            )
            position += 1
        for offset, (at, line) in enumerate(placed):
            lines.insert(at + offset, line)
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
