"""Publishing many groups at once: bounded, ordered, backing off together, never doubled."""

import threading
import time
from collections import Counter

import httpx
import pytest

from memadmin.memory_api import (
    BulkItem,
    BulkOutcome,
    MemoryApiError,
    OutcomeUnknown,
    submit_bulk,
)
from tests.fakes import SANDBOX, accepted, body_of, twilio_error


def creates(*names: str) -> list[BulkItem]:
    return [
        BulkItem(key=name, method="create", store_id=SANDBOX, body={"displayName": name})
        for name in names
    ]


class InFlight:
    """A handler that answers 202 after a pause and counts how many requests overlap."""

    def __init__(self, pause: float = 0.02):
        self.pause = pause
        self.current = self.peak = 0
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        name = body_of(request)["displayName"]
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)
            self.sent[name] += 1
        time.sleep(self.pause)
        with self._lock:
            self.current -= 1
        return accepted(f"op_{name}")


def test_outcomes_come_back_in_input_order_whatever_order_twilio_answers_in(make_client):
    def slower_for_earlier(request):
        index = int(body_of(request)["displayName"][1:])
        time.sleep(0.005 * (10 - index))
        return accepted(f"op_{index}")

    items = creates(*(f"g{i}" for i in range(10)))
    outcomes = submit_bulk(items, client=make_client(slower_for_earlier), concurrency=5)
    assert [outcome.key for outcome in outcomes] == [item.key for item in items]
    assert [outcome.accepted.operation_id for outcome in outcomes] == [f"op_{i}" for i in range(10)]
    assert all(outcome.ok for outcome in outcomes)


def test_no_more_requests_are_in_flight_than_the_concurrency_allows(make_client):
    twilio = InFlight()
    outcomes = submit_bulk(
        creates(*(f"g{i}" for i in range(12))), client=make_client(twilio), concurrency=3
    )
    assert twilio.peak <= 3
    assert all(outcome.ok for outcome in outcomes)
    assert set(twilio.sent.values()) == {1} and len(twilio.sent) == 12


def test_the_default_concurrency_comes_from_settings(make_client, settings):
    settings.MEMORY_API_BULK_CONCURRENCY = 2
    twilio = InFlight()
    outcomes = submit_bulk(creates(*(f"g{i}" for i in range(6))), client=make_client(twilio))
    assert twilio.peak <= 2
    assert all(outcome.ok for outcome in outcomes)


def test_a_429_pauses_the_whole_batch_until_retry_after(make_client):
    """Real time, one second: "a" hears 429 while "b" and "c" are in flight; the workers
    that then pick up "d", "e" and "f" wait at the shared gate though they never saw it.

    "b" and "c" are answered only once "a"'s worker has closed the gate and begun its wait,
    so however the threads are scheduled, "d", "e" and "f" are asked for after the 429."""
    arrivals: dict[str, list[float]] = {}
    lock = threading.Lock()
    gate_closed = threading.Event()

    def sleep(seconds: float) -> None:
        gate_closed.set()  # the only sleep here is the wait the 429 asked for
        time.sleep(seconds)

    def handler(request):
        name = body_of(request)["displayName"]
        with lock:
            arrivals.setdefault(name, []).append(time.monotonic())
            first_try_of_a = name == "a" and len(arrivals["a"]) == 1
        if first_try_of_a:
            return twilio_error(429, 20429, "Too many requests", **{"Retry-After": "1"})
        if name in ("b", "c"):
            gate_closed.wait(timeout=30)
        return accepted(f"op_{name}")

    client = make_client(handler, sleep=sleep, clock=time.monotonic)
    outcomes = submit_bulk(creates("a", "b", "c", "d", "e", "f"), client=client, concurrency=3)

    assert all(outcome.ok for outcome in outcomes)
    paused_at = arrivals["a"][0]
    assert arrivals["a"][1] - paused_at >= 0.95
    for later in ("d", "e", "f"):
        assert arrivals[later][0] - paused_at >= 0.95, later
    assert {name: len(times) for name, times in arrivals.items()} == {
        "a": 2,
        "b": 1,
        "c": 1,
        "d": 1,
        "e": 1,
        "f": 1,
    }


def test_each_item_reports_its_own_success_or_failure_and_nothing_is_sent_twice(make_client):
    sent: Counter[str] = Counter()
    lock = threading.Lock()

    def handler(request):
        name = body_of(request).get("displayName") or request.url.path.rsplit("/", 1)[-1]
        with lock:
            sent[(request.method, name)] += 1
        if name == "bad":
            return twilio_error(400, 400, "displayName is invalid")
        if name == "lost":
            raise httpx.ReadTimeout("timed out")
        if name == "stale":
            return twilio_error(412, 20412, "Precondition failed")
        return accepted(f"op_{name}")

    items = [
        *creates("ok1", "bad", "lost"),
        BulkItem(
            key="stale", method="update", store_id=SANDBOX, name="stale", body={}, if_match='"v1"'
        ),
        BulkItem(key="gone", method="delete", store_id=SANDBOX, name="gone"),
    ]
    outcomes = submit_bulk(items, client=make_client(handler), concurrency=4)

    by_key = {outcome.key: outcome for outcome in outcomes}
    assert by_key["ok1"].accepted.operation_id == "op_ok1"
    assert by_key["gone"].accepted.operation_id == "op_gone"
    assert by_key["bad"].error.code == 400 and by_key["bad"].accepted is None
    assert isinstance(by_key["lost"].error, OutcomeUnknown)
    assert "changed in Twilio since you loaded it" in str(by_key["stale"].error)
    assert set(sent.values()) == {1}
    assert set(sent) == {
        ("POST", "ok1"),
        ("POST", "bad"),
        ("POST", "lost"),
        ("PATCH", "stale"),
        ("DELETE", "gone"),
    }


def test_an_unexpected_failure_in_one_item_is_reported_as_an_unknown_outcome(make_client):
    def handler(request):
        if body_of(request)["displayName"] == "boom":
            raise RuntimeError("bug in a transport")
        return accepted()

    outcomes = submit_bulk(creates("fine", "boom"), client=make_client(handler))
    assert outcomes[0].ok
    assert isinstance(outcomes[1].error, OutcomeUnknown)
    assert isinstance(outcomes[1].error, MemoryApiError)


def test_an_empty_batch_sends_nothing():
    assert submit_bulk([], client=None) == []


def test_items_are_checked_before_anything_is_sent(make_client):
    with pytest.raises(ValueError, match="update needs name"):
        BulkItem(key="x", method="update", store_id=SANDBOX, body={})
    with pytest.raises(ValueError, match="method must be"):
        BulkItem(key="x", method="publish", store_id=SANDBOX)
    twilio = InFlight()
    with pytest.raises(ValueError, match="distinct key"):
        submit_bulk(creates("a", "a"), client=make_client(twilio))
    assert twilio.sent == Counter()


def test_an_outcome_is_ok_only_without_an_error():
    error = MemoryApiError(message="no")
    assert BulkOutcome(key="a", accepted=None, error=error).ok is False
