"""Audit events as CSV or JSON Lines, one row at a time, so memory stays flat for any size."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC

from django.db.models import QuerySet

from memadmin.audit.models import AuditEvent

CHUNK_SIZE = 1000
COLUMNS = (
    "id",
    "time",
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


def as_record(event: AuditEvent) -> dict:
    record = {column: getattr(event, column) for column in COLUMNS}
    record["time"] = event.time.astimezone(UTC).isoformat(timespec="microseconds")
    return record


def _spreadsheet_safe(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """csv.writer wants a file; this one hands back what it is given."""

    def write(self, text: str) -> str:
        return text


def csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for event in _each(events):
        record = as_record(event)
        yield writer.writerow([_spreadsheet_safe(record[column]) for column in COLUMNS])


def jsonl_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    for event in _each(events):
        yield json.dumps(as_record(event), ensure_ascii=False) + "\n"


def lines(events: QuerySet[AuditEvent], export_format: str) -> Iterator[str]:
    return csv_lines(events) if export_format == "csv" else jsonl_lines(events)


def _each(events: QuerySet[AuditEvent]) -> Iterable[AuditEvent]:
    return events.iterator(chunk_size=CHUNK_SIZE)
