"""When the client tries again, how long it waits, and when it gives up or must not retry."""

import httpx
import pytest

from memadmin.memory_api import MemoryApiError, OutcomeUnknown
from memadmin.memory_api.retry import parse_retry_after
from tests.fakes import SANDBOX, FakeTwilio, accepted, store_json, twilio_error

BUSY = twilio_error(429, 20429, "Too many requests", **{"Retry-After": "7"})
UNAVAILABLE = twilio_error(503, 20503, "Service unavailable")


def test_a_429_is_retried_after_the_retry_after_it_names(make_client, clock):
    twilio = FakeTwilio(BUSY, httpx.Response(200, json=store_json()))
    store = make_client(twilio).fetch_store(SANDBOX)
    assert store.id == SANDBOX
    assert clock.sleeps == [7]
    assert len(twilio.requests) == 2


def test_a_429_on_a_create_is_retried_because_twilio_did_not_take_it(make_client, clock):
    twilio = FakeTwilio(BUSY, accepted("op_9"))
    result = make_client(twilio).create_trait_group(SANDBOX, {"displayName": "Loyalty"})
    assert result.operation_id == "op_9"
    assert twilio.methods == ["POST", "POST"]


def test_503_past_the_attempt_bound_ends_in_a_retryable_error_saying_twilio_is_unavailable(
    make_client, clock
):
    twilio = FakeTwilio(UNAVAILABLE)
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio, max_attempts=3).fetch_store(SANDBOX)
    assert len(twilio.requests) == 3
    assert raised.value.status == 503
    assert raised.value.retryable is True
    assert "unavailable" in raised.value.user_message
    assert "try again" in raised.value.user_message
    # Exponential backoff with jitter: the second wait is drawn from a larger step.
    first, second = clock.sleeps
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0


def test_retries_stop_before_the_total_time_bound_would_be_passed(make_client, clock):
    twilio = FakeTwilio(twilio_error(503, 20503, "Service unavailable", **{"Retry-After": "4"}))
    client = make_client(twilio, max_attempts=10, max_retry_seconds=10)
    with pytest.raises(MemoryApiError) as raised:
        client.fetch_store(SANDBOX)
    assert clock.sleeps == [4, 4]
    assert len(twilio.requests) == 3
    assert raised.value.retryable is True


def test_a_retry_after_beyond_the_time_bound_is_not_waited_for(make_client, clock):
    twilio = FakeTwilio(twilio_error(429, 20429, "Too many requests", **{"Retry-After": "120"}))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio, max_retry_seconds=30).fetch_store(SANDBOX)
    assert clock.sleeps == []
    assert len(twilio.requests) == 1
    assert "Twilio is busy" in str(raised.value)


def test_a_read_timeout_on_a_create_raises_outcome_unknown_and_the_post_went_out_once(
    make_client, clock
):
    twilio = FakeTwilio(httpx.ReadTimeout("timed out"), accepted())
    with pytest.raises(OutcomeUnknown) as raised:
        make_client(twilio).create_trait_group(SANDBOX, {"displayName": "Loyalty"})
    assert twilio.methods == ["POST"]
    assert isinstance(raised.value, MemoryApiError)
    assert raised.value.retryable is False
    assert "Loyalty" in raised.value.user_message
    assert "may or may not have taken effect" in raised.value.user_message
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "lost",
    [httpx.RemoteProtocolError("peer closed"), httpx.ReadError("reset"), httpx.WriteTimeout("")],
    ids=["remote-protocol-error", "read-error", "write-timeout"],
)
@pytest.mark.parametrize("method", ["update", "delete"])
def test_a_lost_answer_to_a_patch_or_delete_is_never_sent_again(make_client, lost, method):
    twilio = FakeTwilio(lost, accepted())
    client = make_client(twilio)
    with pytest.raises(OutcomeUnknown):
        if method == "update":
            client.update_trait_group(SANDBOX, "Loyalty", {"description": "x"})
        else:
            client.delete_trait_group(SANDBOX, "Loyalty")
    assert len(twilio.requests) == 1


def test_a_read_timeout_on_a_get_is_retried(make_client):
    twilio = FakeTwilio(httpx.ReadTimeout("timed out"), httpx.Response(200, json=store_json()))
    assert make_client(twilio).fetch_store(SANDBOX).display_name == "sandbox"
    assert twilio.methods == ["GET", "GET"]


def test_a_get_that_never_gets_an_answer_ends_in_a_clear_retryable_error(make_client):
    twilio = FakeTwilio(httpx.ReadTimeout("timed out"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio, max_attempts=2, read_timeout=15).fetch_store(SANDBOX)
    assert len(twilio.requests) == 2
    assert raised.value.retryable is True
    assert str(raised.value) == (
        "Twilio at https://memory.example.test did not answer (no answer within 15s): "
        "try again in a moment."
    )


@pytest.mark.parametrize(
    "not_sent",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout(""), httpx.PoolTimeout("")],
    ids=["connect-error", "connect-timeout", "pool-timeout"],
)
def test_a_write_that_never_left_is_retried(make_client, not_sent):
    twilio = FakeTwilio(not_sent, accepted())
    make_client(twilio).create_trait_group(SANDBOX, {"displayName": "Loyalty"})
    assert twilio.methods == ["POST", "POST"]


def test_an_unreachable_api_says_so_and_names_the_setting_to_check(make_client):
    twilio = FakeTwilio(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio, max_attempts=2).fetch_store(SANDBOX)
    assert not isinstance(raised.value, OutcomeUnknown)
    assert raised.value.retryable is True
    assert "Could not reach Twilio at https://memory.example.test" in str(raised.value)
    assert "Connection refused" in str(raised.value)
    assert "MEMORY_API_URL" in str(raised.value)


def test_a_500_is_not_retried(make_client):
    twilio = FakeTwilio(twilio_error(500, 20500, "Internal error"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).create_trait_group(SANDBOX, {"displayName": "Loyalty"})
    assert len(twilio.requests) == 1
    assert raised.value.retryable is False


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert parse_retry_after("12") == 12
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("\u00b2") is None  # "²": a digit to str.isdigit(), not to int()
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: go now
