"""A statusUrl comes from the network: credentials only ever go to the configured API."""

import base64
import contextlib

import httpx
import pytest

from memadmin.memory_api import OperationStatus, UnsafeStatusUrl
from tests.fakes import API_PASSWORD, API_USERNAME, OPERATIONS, FakeTwilio

OPERATION = {
    "operationId": "op_1",
    "status": "FAILED",
    "createdAt": "2026-01-02T03:04:05Z",
    "completedAt": "2026-01-02T03:04:09Z",
    "statusUrl": f"{OPERATIONS}/op_1",
    "error": {
        "type": "https://www.twilio.com/docs/api/errors/520047",
        "title": "Trait group not found",
        "code": 520047,
        "detail": "No trait group Loyalty",
    },
}


@pytest.mark.parametrize(
    "status_url",
    [
        "https://attacker.example/v1/ControlPlane/Operations/op_1",
        "https://memory.example.test.attacker.example/v1/ControlPlane/Operations/op_1",
        "https://memory.example.test/v1/ControlPlane/Stores/mem_store_x/TraitGroups",
        "http://memory.example.test/v1/ControlPlane/Operations/op_1",
        "https://memory.example.test:8443/v1/ControlPlane/Operations/op_1",
        "https://memory.example.test/v1/ControlPlane/Operations/%2e%2e/Stores",
        "https://memory.example.test/v1/ControlPlane/Operations/../Stores/x",
        "https://memory.example.test/v1/ControlPlane/Operations/",
        "https://user:pw@memory.example.test/v1/ControlPlane/Operations/op_1",
        "//attacker.example/v1/ControlPlane/Operations/op_1",
        "ftp://memory.example.test/v1/ControlPlane/Operations/op_1",
    ],
    ids=[
        "foreign-host",
        "look-alike-host",
        "outside-operations",
        "scheme-downgrade",
        "other-port",
        "encoded-dot-dot",
        "dot-dot",
        "no-operation-id",
        "own-userinfo",
        "scheme-relative-foreign-host",
        "other-scheme",
    ],
)
def test_an_unsafe_status_url_is_refused_and_nothing_is_sent(make_client, status_url):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION))
    with pytest.raises(UnsafeStatusUrl) as raised:
        make_client(twilio).fetch_operation(status_url)
    assert twilio.requests == []
    assert "credentials are only ever sent to the configured Memory API" in str(raised.value)
    assert "pw@" not in str(raised.value)


def test_the_authorization_header_goes_only_to_the_configured_host(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION))
    client = make_client(twilio)
    for url in ("https://attacker.example/v1/ControlPlane/Operations/op_1", f"{OPERATIONS}/op_1"):
        with contextlib.suppress(UnsafeStatusUrl):
            client.fetch_operation(url)
    token = base64.b64encode(f"{API_USERNAME}:{API_PASSWORD}".encode()).decode()
    assert [(r.url.host, r.headers["Authorization"]) for r in twilio.requests] == [
        ("memory.example.test", f"Basic {token}")
    ]


def test_a_safe_status_url_is_polled_and_read_into_an_operation_status(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION, headers={"Retry-After": "2"}))
    status = make_client(twilio).fetch_operation(f"{OPERATIONS}/op_1")
    assert isinstance(status, OperationStatus)
    assert (status.operation_id, status.status, status.is_terminal) == ("op_1", "FAILED", True)
    assert status.created_at.isoformat() == "2026-01-02T03:04:05+00:00"
    assert status.error.code == 520047
    assert status.error.title == "Trait group not found"
    assert status.retry_after == 2


def test_a_completed_operation_names_its_result(make_client):
    done = OPERATION | {
        "status": "COMPLETED",
        "error": None,
        "result": {"type": "RESOURCE_ID", "id": "Loyalty"},
        "resultUrl": "https://memory.example.test/v1/ControlPlane/Stores/s/TraitGroups/Loyalty",
    }
    status = make_client(FakeTwilio(httpx.Response(200, json=done))).fetch_operation(
        f"{OPERATIONS}/op_1"
    )
    assert (status.result_id, status.error, status.is_terminal) == ("Loyalty", None, True)
    assert status.result_url.endswith("/TraitGroups/Loyalty")


def test_a_pending_operation_is_not_terminal(make_client):
    pending = {"operationId": "op_1", "status": "PENDING", "createdAt": "2026-01-02T03:04:05Z"}
    status = make_client(FakeTwilio(httpx.Response(200, json=pending))).fetch_operation(
        f"{OPERATIONS}/op_1"
    )
    assert status.is_terminal is False
    assert status.completed_at is None


def test_operation_url_builds_a_url_that_fetch_operation_accepts(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION))
    client = make_client(twilio)
    url = client.operation_url("op 1/2")
    assert url == "https://memory.example.test/v1/ControlPlane/Operations/op%201%2F2"
    client.fetch_operation(client.operation_url("op_1"))
    assert str(twilio.requests[0].url) == f"{OPERATIONS}/op_1"


def test_a_relative_status_url_is_resolved_on_the_configured_host(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION))
    make_client(twilio).fetch_operation("/v1/ControlPlane/Operations/op_1")
    assert str(twilio.requests[0].url) == f"{OPERATIONS}/op_1"


def test_an_api_under_a_path_prefix_keeps_its_operations_under_it(make_client):
    twilio = FakeTwilio(httpx.Response(200, json=OPERATION))
    client = make_client(twilio, base_url="https://proxy.example.test/memory")
    with pytest.raises(UnsafeStatusUrl):
        client.fetch_operation("https://proxy.example.test/v1/ControlPlane/Operations/op_1")
    client.fetch_operation(client.operation_url("op_1"))
    assert twilio.requests[0].url.path == "/memory/v1/ControlPlane/Operations/op_1"
