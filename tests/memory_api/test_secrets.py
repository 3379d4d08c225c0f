"""The password and the Authorization header never show up in errors or logs."""

import base64
import logging

import httpx
import pytest

from memadmin.memory_api import MemoryApiError
from tests.fakes import API_PASSWORD, API_USERNAME, SANDBOX, FakeTwilio, twilio_error

TOKEN = base64.b64encode(f"{API_USERNAME}:{API_PASSWORD}".encode()).decode()


def echo_credentials(request: httpx.Request) -> httpx.Response:
    """A hostile or buggy server that echoes what it was sent."""
    said = f"bad auth {request.headers['Authorization']} (password {API_PASSWORD})"
    return twilio_error(401, 20003, said)


@pytest.mark.parametrize(
    "answer",
    [
        echo_credentials,
        lambda request: twilio_error(503, 20503, f"down; you sent {API_PASSWORD}"),
        httpx.ConnectError(f"proxy refused Basic {TOKEN}"),
        httpx.ReadTimeout(f"timed out for {API_PASSWORD}"),
    ],
    ids=["echoed-401", "echoed-503", "connect-error", "read-timeout-on-write"],
)
def test_errors_and_log_lines_never_carry_the_secret(make_client, caplog, answer):
    caplog.set_level(logging.DEBUG)
    client = make_client(FakeTwilio(answer), max_attempts=2)
    with pytest.raises(MemoryApiError) as raised:
        client.create_trait_group(SANDBOX, {"displayName": "Loyalty"})
    error = raised.value
    texts = [str(error), repr(error), error.message, error.user_message, error.more_info or ""]
    texts += [repr(arg) for arg in error.args] + [caplog.text, repr(client)]
    for text in texts:
        assert API_PASSWORD not in text
        assert TOKEN not in text
    assert error.__cause__ is None


def test_the_secret_is_replaced_by_a_marker_so_the_message_still_reads(make_client):
    client = make_client(FakeTwilio(echo_credentials))
    with pytest.raises(MemoryApiError) as raised:
        client.fetch_store(SANDBOX)
    assert raised.value.message == "bad auth Basic [redacted] (password [redacted])"
