"""Every failure is a MemoryApiError whose user_message a person can act on."""

import httpx
import pytest

from memadmin.memory_api import MemoryApiError
from tests.fakes import SANDBOX, FakeTwilio, twilio_error

NAME_RULE = "displayName may contain only letters, digits, '_', '-' and '.'"


def test_a_twilio_error_body_becomes_a_sentence_with_twilios_words_and_code(make_client):
    twilio = FakeTwilio(twilio_error(400, 400, NAME_RULE))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).create_trait_group(SANDBOX, {"displayName": "no spaces"})
    error = raised.value
    assert error.user_message == f"Twilio rejected the request: {NAME_RULE} (code 400)."
    assert str(error) == error.user_message
    assert (error.status, error.code, error.message) == (400, 400, NAME_RULE)
    assert error.more_info == "https://www.twilio.com/docs/api/errors/400"
    assert error.retryable is False


def test_rejected_credentials_say_which_settings_to_fix(make_client):
    twilio = FakeTwilio(twilio_error(401, 20003, "Authenticate"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).fetch_store(SANDBOX)
    assert raised.value.status == 401
    assert raised.value.code == 20003
    assert raised.value.user_message.startswith("Credentials rejected by Twilio (code 20003)")
    assert "TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET" in raised.value.user_message


def test_a_missing_trait_group_is_said_not_to_exist(make_client):
    twilio = FakeTwilio(twilio_error(404, 20404, "Trait group not found."))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).fetch_trait_group(SANDBOX, "Loyalty")
    assert str(raised.value) == (
        f"Trait group 'Loyalty' in store {SANDBOX} does not exist in Twilio: "
        "Trait group not found (code 20404)."
    )


def test_a_stale_etag_says_the_group_changed_since_it_was_loaded(make_client):
    twilio = FakeTwilio(twilio_error(412, 20412, "Precondition failed"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).update_trait_group(SANDBOX, "Loyalty", {}, if_match='"v2"')
    assert "changed in Twilio since you loaded it" in str(raised.value)
    assert raised.value.status == 412


def test_a_busy_twilio_past_every_retry_asks_to_try_again(make_client):
    twilio = FakeTwilio(twilio_error(429, 20429, "Too many requests", **{"Retry-After": "1"}))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio, max_attempts=2).fetch_store(SANDBOX)
    assert str(raised.value) == (
        "Twilio is busy (too many requests) (code 20429): try again in a minute."
    )
    assert raised.value.retryable is True


def test_a_success_that_is_not_json_is_a_clear_error_not_a_traceback(make_client):
    twilio = FakeTwilio(httpx.Response(200, text="<html>gateway</html>"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).fetch_store(SANDBOX)
    assert raised.value.status == 200
    assert str(raised.value).startswith(
        "Twilio sent a response memadmin could not read (the body is not JSON) "
        f"for GET /v1/ControlPlane/Stores/{SANDBOX}."
    )


def test_json_of_the_wrong_shape_names_what_is_missing(make_client):
    twilio = FakeTwilio(httpx.Response(200, json={"displayName": "sandbox"}))
    with pytest.raises(MemoryApiError, match=r"could not read \(id is missing\)"):
        make_client(twilio).fetch_store(SANDBOX)


def test_an_error_without_a_twilio_body_still_reads_well(make_client):
    twilio = FakeTwilio(httpx.Response(502, text="Bad gateway"))
    with pytest.raises(MemoryApiError) as raised:
        make_client(twilio).fetch_store(SANDBOX)
    assert str(raised.value) == (
        "Twilio failed with an internal error (HTTP 502): try again later."
    )
    assert raised.value.code is None


def test_a_redirect_is_not_followed_and_points_at_the_setting(make_client):
    twilio = FakeTwilio(httpx.Response(301, headers={"Location": "https://elsewhere.test/"}))
    with pytest.raises(MemoryApiError, match="MEMORY_API_URL"):
        make_client(twilio).fetch_store(SANDBOX)
    assert len(twilio.requests) == 1


def test_a_write_accepted_without_a_status_url_is_an_unknown_outcome(make_client):
    from memadmin.memory_api import OutcomeUnknown

    twilio = FakeTwilio(httpx.Response(202, text="accepted"))
    with pytest.raises(OutcomeUnknown, match="named no status URL"):
        make_client(twilio).create_trait_group(SANDBOX, {"displayName": "Loyalty"})


@pytest.mark.parametrize("name", [".", ".."])
def test_a_name_that_would_walk_the_url_path_is_refused_before_sending(make_client, name):
    twilio = FakeTwilio(httpx.Response(200, json={}))
    with pytest.raises(MemoryApiError, match="cannot be used as a name"):
        make_client(twilio).delete_trait_group(SANDBOX, name)
    assert twilio.requests == []
