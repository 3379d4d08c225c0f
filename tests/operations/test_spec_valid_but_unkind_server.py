"""memadmin against a server that honours Twilio's spec and still does the worst it allows.

Page tokens that never run out, `Retry-After: 0` and `Retry-After: 100000000`, negative
and enormous error codes, dates UTC cannot hold: the spec forbids none of them. Each
sync and each operation must still end within bounds, with a sentence a person can
read, and nothing recorded by halves.
"""

from datetime import timedelta

import httpx
import pytest

from memadmin.audit.models import AuditEvent
from memadmin.memory_api import MemoryApiClient
from memadmin.operations import services as operation_services
from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.stores.models import SyncRun
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from tests.operations.conftest import drive

STORE = "mem_store_00000000000000000000000000"
HOST = "https://memory.twilio.com"
OPERATION_URL = f"{HOST}/v1/ControlPlane/Operations/mem_operation_1"


class UnkindServer:
    """A MockTransport handler: spec-valid answers, chosen to be as unhelpful as allowed."""

    def __init__(self, *, retry_after: str | None = "1", operation: dict | None = None):
        self.retry_after = retry_after
        self.operation = operation or {"status": "RUNNING"}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        headers = {} if self.retry_after is None else {"Retry-After": self.retry_after}
        if request.method == "POST":
            headers |= {"Operation-Id": "mem_operation_1", "Location": OPERATION_URL}
            return httpx.Response(
                202, json={"message": "Accepted", "statusUrl": OPERATION_URL}, headers=headers
            )
        if request.url.path.startswith("/v1/ControlPlane/Operations/"):
            body = {
                "operationId": "mem_operation_1",
                "createdAt": "2026-01-01T00:00:00Z",
                **self.operation,
            }
            running = body["status"] in ("PENDING", "RUNNING")
            return httpx.Response(200, json=body, headers=headers if running else {})
        # Every listing page holds 50 new groups and names a next page that is always new.
        page = int(request.url.params.get("pageToken", "page-0").removeprefix("page-"))
        groups = [
            {"displayName": f"Group{page}x{index}", "version": 1, "traits": {}}
            for index in range(50)
        ]
        meta = {"key": "traitGroups", "pageSize": 50, "nextToken": f"page-{page + 1}"}
        return httpx.Response(200, json={"traitGroups": groups, "meta": meta})


def client_for(server: UnkindServer) -> MemoryApiClient:
    return MemoryApiClient(
        base_url=HOST,
        username="SKunkind",
        password="unkind-secret",
        transport=httpx.MockTransport(server),
        sleep=lambda seconds: None,
    )


@pytest.fixture
def publish(approved_revision, operator, clock, monkeypatch):
    """Call with a server: publishes a new group through it; returns the Operation."""
    monkeypatch.setattr(operation_services, "DEFAULT_POLL_DEADLINE", timedelta(seconds=60))
    monkeypatch.setattr("django.utils.timezone.now", clock.now)

    def run(server: UnkindServer) -> Operation:
        revision = approved_revision("Loyalty")
        return publishing.publish_revision(
            revision=revision, actor=operator, client=client_for(server)
        )

    return run


def test_a_sync_of_a_listing_that_never_ends_stops_at_the_bound_and_records_nothing(db):
    server = UnkindServer()

    report = sync_store(store_id=STORE, client=client_for(server))

    assert not report.ok
    assert f"GET /v1/ControlPlane/Stores/{STORE}/TraitGroups did not end" in report.error
    assert "MEMORY_API_MAX_PAGES" in report.error
    assert len(server.requests) == 21  # 1,000 items at 50 a page, and the one past them
    assert not TraitGroup.objects.exists()
    assert SyncRun.objects.get().state == SyncRun.State.FAILED
    assert AuditEvent.objects.get(action="store.sync_failed").detail == report.error


@pytest.mark.parametrize(("retry_after", "first_wait"), [("0", 1), ("100000000", 300)])
def test_retry_after_is_clamped_on_the_first_poll_and_every_later_one(
    db, publish, clock, retry_after, first_wait
):
    operation = publish(UnkindServer(retry_after=retry_after))

    assert operation.next_poll_at == clock.now() + timedelta(seconds=first_wait)
    assert operation.retry_after == int(retry_after)
    unkind = client_for(UnkindServer(retry_after=retry_after))
    finished = drive(operation, clock, client=unkind, limit=100)

    # Never-finishing work on an unkind server still ends at the deadline, in words.
    assert finished.status == Operation.Status.UNKNOWN
    assert "had not finished this operation" in finished.error_detail
    assert finished.poll_count <= 60 // first_wait + 1


def test_without_retry_after_the_polls_back_off_and_still_end(db, publish, clock):
    operation = publish(UnkindServer(retry_after=None))
    finished = drive(operation, clock, client=client_for(UnkindServer(retry_after=None)))
    assert finished.status == Operation.Status.UNKNOWN
    assert finished.poll_count <= 10


@pytest.mark.parametrize(
    ("code", "stored", "words"),
    [(-1, -1, "(code -1)"), (10**20, None, f"Twilio's error code: {10**20}")],
)
def test_any_integer_error_code_and_any_date_are_recorded_in_full(
    db, publish, clock, code, stored, words
):
    failed = {
        "status": "FAILED",
        "completedAt": "0001-01-01T00:00:00+01:00",  # before what UTC can hold
        "error": {"type": "about:blank", "title": "Odd", "code": code, "detail": "It broke"},
    }
    operation = drive(
        publish(UnkindServer()), clock, client=client_for(UnkindServer(operation=failed))
    )

    assert operation.status == Operation.Status.FAILED
    assert operation.error_code == stored
    assert words in operation.error_in_words and "It broke" in operation.error_in_words
    assert operation.completed_at == clock.now()
    change = AuditEvent.objects.filter(action="operation.status_changed").first()
    assert change.after == {"status": "FAILED"}
    assert str(code) in change.detail
    assert change.twilio_code is None
    revision = TraitGroupRevision.objects.get(pk=operation.revision_id)
    assert revision.state == TraitGroupRevision.State.FAILED


def test_a_refusal_with_a_negative_code_fails_the_submission_cleanly(
    db, approved_revision, operator
):
    def refuse(request: httpx.Request) -> httpx.Response:
        body = {"code": -7, "message": "Odd refusal", "more_info": "", "status": 400}
        return httpx.Response(400, json=body)

    client = MemoryApiClient(
        base_url=HOST,
        username="SKunkind",
        password="unkind-secret",
        transport=httpx.MockTransport(refuse),
        sleep=lambda seconds: None,
    )
    operation = publishing.publish_revision(
        revision=approved_revision("Loyalty"), actor=operator, client=client
    )

    assert (operation.status, operation.error_code) == (Operation.Status.FAILED, -7)
    submitted = AuditEvent.objects.get(action="traitgroup.submitted")
    assert submitted.twilio_code is None and "Twilio error code -7" in submitted.detail
