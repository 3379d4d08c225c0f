"""Fault injection through the Python API and the `/_emulator/` control endpoints."""

import time

import httpx
import pytest

from memadmin.emulator import Emulator
from memadmin.emulator.faults import (
    DEFAULT_OPERATION_FAILURE,
    DEFAULT_RETRY_AFTER,
    FaultInjector,
)
from tests.contract.memory_api import assert_matches_contract
from tests.fakes import FakeClock, completed


@pytest.mark.parametrize(
    ("status", "code", "retry_after", "expected_retry_after"),
    [
        (429, 20429, DEFAULT_RETRY_AFTER, "1"),
        (429, 20429, 7, "7"),
        (429, 20429, 0, "0"),
        (429, 20429, None, None),
        (500, 20500, DEFAULT_RETRY_AFTER, None),
        (503, 20503, 2, "2"),
        (409, 20409, DEFAULT_RETRY_AFTER, None),
        (412, 20412, DEFAULT_RETRY_AFTER, None),
    ],
)
def test_the_next_n_requests_fail_with_the_injected_status(
    api: httpx.Client,
    clocked_emulator: Emulator,
    status: int,
    code: int,
    retry_after: int | None,
    expected_retry_after: str | None,
):
    clocked_emulator.faults.fail_next(2, status=status, retry_after=retry_after)
    for _ in range(2):
        response = api.get("/v1/ControlPlane/Stores")
        assert response.status_code == status
        assert_matches_contract(response.json(), "TwilioError")
        assert response.json()["code"] == code
        assert response.headers.get("Retry-After") == expected_retry_after
    assert api.get("/v1/ControlPlane/Stores").status_code == 200


def test_fail_next_defaults_to_503(api: httpx.Client, clocked_emulator: Emulator):
    clocked_emulator.faults.fail_next(1)
    assert api.get("/v1/ControlPlane/Stores").status_code == 503


def test_only_statuses_the_api_documents_can_be_injected():
    with pytest.raises(ValueError, match="status"):
        FaultInjector().fail_next(1, status=418)


def test_an_injected_failure_does_not_touch_the_state(
    api: httpx.Client, clocked_emulator: Emulator, groups_url: str
):
    clocked_emulator.faults.fail_next(1, status=500)
    assert api.post(groups_url, json={"displayName": "Lost"}).status_code == 500
    assert clocked_emulator.faults.pending()["failNext"] == []


def test_slow_requests_wait_then_answer_normally(api: httpx.Client, clocked_emulator: Emulator):
    clocked_emulator.faults.slow_next(1, 0.05)
    started = time.perf_counter()
    assert api.get("/v1/ControlPlane/Stores").status_code == 200
    assert time.perf_counter() - started >= 0.05
    # Used up by that one request: the next is answered without waiting.
    assert clocked_emulator.faults.pending()["slowNext"] == []


def test_the_next_operation_fails_with_the_given_detail(
    api: httpx.Client, clocked_emulator: Emulator, clock: FakeClock, groups_url: str
):
    clocked_emulator.faults.fail_next_operation("Disk on fire")
    operation = completed(api, clock, api.post(groups_url, json={"displayName": "Doomed"}))
    assert_matches_contract(operation, "OperationStatus")
    assert operation["status"] == "FAILED"
    assert operation["error"]["detail"] == "Disk on fire"
    assert operation["error"]["code"] == 20500
    assert api.get(f"{groups_url}/Doomed").status_code == 404
    again = completed(api, clock, api.post(groups_url, json={"displayName": "Doomed"}))
    assert again["status"] == "COMPLETED"


def test_a_refused_request_does_not_consume_the_operation_failure(
    api: httpx.Client, clocked_emulator: Emulator, clock: FakeClock, groups_url: str
):
    completed(api, clock, api.post(groups_url, json={"displayName": "Extra"}))
    clocked_emulator.faults.fail_next_operation()
    assert api.post(groups_url, json={"displayName": "bad name"}).status_code == 400
    operation = completed(api, clock, api.delete(f"{groups_url}/Extra"))
    assert operation["status"] == "FAILED"
    assert operation["error"]["detail"] == DEFAULT_OPERATION_FAILURE
    assert api.get(f"{groups_url}/Extra").status_code == 200


def test_clear_forgets_every_pending_fault(api: httpx.Client, clocked_emulator: Emulator):
    clocked_emulator.faults.fail_next(3)
    clocked_emulator.faults.slow_next(3, 5)
    clocked_emulator.faults.fail_next_operation()
    clocked_emulator.faults.retry_after_next(2, 0)
    clocked_emulator.faults.set_endless_paging(True)
    clocked_emulator.faults.clear()
    assert clocked_emulator.faults.pending() == {
        "failNext": [],
        "slowNext": [],
        "failNextOperation": [],
        "retryAfterNext": [],
        "endlessPaging": False,
    }
    assert api.get("/v1/ControlPlane/Stores").status_code == 200


def test_faults_are_set_over_http_and_spare_the_control_endpoints(
    api: httpx.Client, clocked_emulator: Emulator
):
    response = api.post(
        "/_emulator/faults",
        json={
            "failNext": {"count": 2, "status": 429, "retryAfter": 3},
            "slowNext": {"count": 1, "seconds": 0.01},
            "failNextOperation": {"detail": "nope"},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "failNext": [{"status": 429, "retryAfter": 3}] * 2,
        "slowNext": [0.01],
        "failNextOperation": ["nope"],
        "retryAfterNext": [],
        "endlessPaging": False,
    }
    assert api.get("/_emulator/faults").status_code == 200  # not consumed by control calls
    limited = api.get("/v1/ControlPlane/Stores")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert api.delete("/_emulator/faults").json()["failNext"] == []
    assert api.get("/v1/ControlPlane/Stores").status_code == 200


@pytest.mark.parametrize(
    "body", [{"failNext": {"status": 429}}, {"failNext": {"count": 1, "status": 418}}, [1]]
)
def test_a_bad_fault_specification_is_a_400(api: httpx.Client, body):
    assert api.post("/_emulator/faults", json=body).status_code == 400


def test_reset_over_http_restores_the_seed(
    api: httpx.Client, clock: FakeClock, groups_url: str, clocked_emulator: Emulator
):
    completed(api, clock, api.post(groups_url, json={"displayName": "Extra"}))
    clocked_emulator.faults.fail_next(5)
    assert api.post("/_emulator/reset").status_code == 200
    assert api.get(f"{groups_url}/Extra").status_code == 404


def test_reset_restores_the_seed_and_clears_faults(
    api: httpx.Client, clock: FakeClock, groups_url: str, clocked_emulator: Emulator
):
    completed(api, clock, api.post(groups_url, json={"displayName": "Extra"}))
    clocked_emulator.faults.fail_next(1)
    clocked_emulator.reset()
    groups = api.get(groups_url).json()["traitGroups"]
    assert [g["displayName"] for g in groups] == ["Contact"]


def test_faults_are_read_from_the_environment():
    injector = FaultInjector()
    injector.configure_from_environment(
        {
            "EMULATOR_FAIL_NEXT": "3:429:2",
            "EMULATOR_SLOW_NEXT": "1:0.25",
            "EMULATOR_FAIL_NEXT_OPERATION": "1",
        }
    )
    assert injector.pending() == {
        "failNext": [{"status": 429, "retryAfter": 2}] * 3,
        "slowNext": [0.25],
        "failNextOperation": [DEFAULT_OPERATION_FAILURE],
        "retryAfterNext": [],
        "endlessPaging": False,
    }
    plain = FaultInjector()
    plain.configure_from_environment({"EMULATOR_FAIL_NEXT": "1"})
    assert plain.pending()["failNext"] == [{"status": 503, "retryAfter": None}]
