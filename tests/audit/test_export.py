"""Exports stream exactly the filtered events, as CSV or JSON Lines, and are audited themselves."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from memadmin.audit import exports, selectors
from memadmin.audit import verify_audit_export as verifier
from memadmin.audit.models import AuditCheckpoint, AuditEvent


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def mixed_events(append, operator):
    events = []
    for n in range(12):
        events.append(
            append(
                "traitgroup.submitted" if n % 3 else "traitgroup.publish_failed",
                actor=operator,
                store_id="MS1" if n % 2 else "MS2",
                trait_group="Loyalty",
                outcome="success" if n % 3 else "failure",
                before={"n": n - 1},
                after={"n": n, "note": "=SUM(A1:A9)" if n == 4 else 'ok, "quoted"\nnewline'},
                detail=f"event {n}",
            )
        )
    return events


def _export(client, export_format: str, **filters) -> tuple[StreamingHttpResponse, str]:
    response = client.get(reverse("audit:export"), {"format": export_format, **filters})
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content).decode()


def _expected(**filters) -> list[dict]:
    exported = AuditEvent.objects.filter(action="audit.exported").first()
    events = selectors.filter_events(**filters).filter(id__lt=exported.pk)
    return [exports.as_record(event) for event in events]


def _events_of(body: str) -> list[dict]:
    return [row for row in map(json.loads, body.splitlines()) if row["type"] == "event"]


def test_jsonl_export_equals_the_filtered_set_oldest_first(auditor_client, mixed_events):
    response, body = _export(auditor_client, "jsonl", store_id="MS1", outcome="success")
    assert response["Content-Type"].startswith("application/jsonl")
    assert "attachment;" in response["Content-Disposition"]
    header = json.loads(body.splitlines()[0])
    assert (header["type"], header["complete"]) == ("header", False)
    assert header["filters"] == {"store_id": "MS1", "outcome": "success"}
    rows = _events_of(body)
    expected = [
        {"type": "event", **{f: record[f] for f in exports.EVENT_FIELDS}}
        for record in reversed(_expected(store_id="MS1", outcome="success"))
    ]
    assert rows == json.loads(json.dumps(expected))
    assert {row["id"] for row in rows} == {
        event.pk for event in mixed_events if event.store_id == "MS1" and event.outcome == "success"
    }


def test_csv_export_equals_the_filtered_set(auditor_client, mixed_events):
    response, body = _export(auditor_client, "csv", action="traitgroup.*", store_id="MS2")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = _expected(action="traitgroup.*", store_id="MS2")
    assert [int(row["id"]) for row in rows] == [record["id"] for record in expected]
    for row, record in zip(rows, expected, strict=True):
        assert row["action"] == record["action"]
        assert row["time"] == record["time"]
        assert row["hash"] == record["hash"]
        assert json.loads(row["after"].removeprefix("'")) == record["after"]
        assert row["outcome"] == record["outcome"]


def test_csv_cells_that_look_like_formulas_stay_text(auditor_client, mixed_events):
    _, body = _export(auditor_client, "csv", search="event 4")
    (row,) = csv.DictReader(io.StringIO(body))
    assert json.loads(row["after"])["note"] == "=SUM(A1:A9)"  # inside JSON: harmless
    _, body = _export(auditor_client, "csv", search="=SUM")
    assert list(csv.DictReader(io.StringIO(body))) == []


def test_the_export_is_audited_with_its_filter(auditor_client, auditor, mixed_events):
    _export(auditor_client, "csv", store_id="MS1", since="2020-01-01")
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor == auditor
    assert exported.after == {
        "format": "csv",
        "filters": {"store_id": "MS1", "since": "2020-01-01"},
        "through_id": mixed_events[-1].pk,
    }


@pytest.mark.parametrize("export_format", ["jsonl", "csv"])
def test_events_arriving_during_an_export_are_not_part_of_it(
    auditor_client, append, mixed_events, monkeypatch, export_format
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)  # the bound must hold across chunks
    query = {"format": export_format, "action": "traitgroup.*"}
    response = auditor_client.get(reverse("audit:export"), query)
    append("traitgroup.created")  # lands before the stream is read
    body = b"".join(response.streaming_content).decode()
    if export_format == "jsonl":
        ids = [row["id"] for row in _events_of(body)]
    else:
        ids = sorted(int(row["id"]) for row in csv.DictReader(io.StringIO(body)))
    assert ids == [event.pk for event in mixed_events]


def test_an_unknown_format_is_a_bad_request(auditor_client, db):
    response = auditor_client.get(reverse("audit:export"), {"format": "xlsx"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_auditors_may_export_but_operators_may_not(client_for, db):
    assert client_for("Operator").get(reverse("audit:export")).status_code == 403


def test_the_export_reads_events_in_chunks(mixed_events, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        lines = "".join(exports.lines(selectors.filter_events(action="traitgroup.*"), "jsonl"))
    assert len(lines.splitlines()) == len(mixed_events)


AWKWARD_TEXTS = (
    "plain",
    "a, b, c",
    'she said "no"',
    "two\nlines",
    "windows\r\nline",
    "=1+2",
    "-3",
    "+4",
    "@cmd",
    "\tindented",
    "ünïcødé ✓",
    '},{"id":1,"x":"',  # the seam between two encoded rows, inside a value
    "",
    "back\\slash",
)
AWKWARD_DOCUMENTS = (None, {"n": 1}, {"deep": {"s": 'a,"b"\n=c'}}, [1, "two"], -1, {})


@pytest.fixture
def awkward_events(append, operator, settings, monkeypatch):
    """A few hundred events with every kind of awkward value, read in many small chunks."""
    settings.AUDIT_CHECKPOINT_EVERY_EVENTS = 25
    monkeypatch.setattr(exports, "CHUNK_SIZE", 37)
    monkeypatch.setattr(exports, "WRITE_SIZE", 1000)
    return [
        append(
            "traitgroup.submitted" if n % 4 else "traitgroup.publish_failed",
            actor=operator if n % 5 else None,
            store_id="MS1",
            trait_group=AWKWARD_TEXTS[n % len(AWKWARD_TEXTS)],
            target_label=AWKWARD_TEXTS[(n + 3) % len(AWKWARD_TEXTS)],
            detail=AWKWARD_TEXTS[(n + 7) % len(AWKWARD_TEXTS)],
            before=AWKWARD_DOCUMENTS[n % len(AWKWARD_DOCUMENTS)],
            after=AWKWARD_DOCUMENTS[(n + 1) % len(AWKWARD_DOCUMENTS)],
            outcome="success" if n % 4 else "failure",
            api_status=None if n % 4 else 400,
            twilio_code=None if n % 4 else 20001,
        )
        for n in range(300)
    ]


def _csv_cell(event: AuditEvent, column: str) -> str:
    """What a CSV cell must say, worked out from the stored event, not from the exporter."""
    value = exports.as_record(event)[column]
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(exports.FORMULA_STARTS) else value
    return str(value)


def test_csv_export_matches_every_event_cell_for_cell(auditor_client, awkward_events):
    _, body = _export(auditor_client, "csv", store_id="MS1")
    header, *rows = csv.reader(io.StringIO(body))
    assert header == list(exports.COLUMNS)
    newest_first = list(reversed(AuditEvent.objects.filter(store_id="MS1").order_by("id")))
    assert [int(row[0]) for row in rows] == [event.pk for event in newest_first]
    for row, event in zip(rows, newest_first, strict=True):
        for column, cell in zip(exports.COLUMNS, row, strict=True):
            if column in ("before", "after"):
                document = getattr(event, column)
                assert (json.loads(cell.removeprefix("'")) if cell else None) == document
                assert cell.startswith("'") == str(document).startswith("-")
            else:
                assert cell == _csv_cell(event, column), (event.pk, column)


def test_jsonl_export_matches_every_event_and_verifies(auditor_client, awkward_events):
    _, body = _export(auditor_client, "jsonl")
    lines = body.splitlines(keepends=True)
    records = [json.loads(line) for line in lines]
    exported = AuditEvent.objects.get(action="audit.exported")
    oldest_first = list(AuditEvent.objects.filter(id__lt=exported.pk).order_by("id"))
    events = [record for record in records if record["type"] == "event"]
    expected = [
        {"type": "event", **{f: exports.as_record(e)[f] for f in exports.EVENT_FIELDS}}
        for e in oldest_first
    ]
    assert events == json.loads(json.dumps(expected))
    marks = [(n, r) for n, r in enumerate(records) if r["type"] == "checkpoint"]
    assert len(marks) == AuditCheckpoint.objects.filter(event_id__lt=exported.pk).count() > 10
    for position, mark in marks:  # each right after the event it covers
        covered = next(r for r in reversed(records[:position]) if r["type"] == "event")
        assert (covered["id"], covered["hash"]) == (mark["event_id"], mark["head_hash"])
    problems, counts = verifier.verify(lines)
    assert problems == []
    assert counts["events"] == len(oldest_first)
