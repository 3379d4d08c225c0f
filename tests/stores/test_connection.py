"""Credentials come from the environment, are shown masked, and can be tested."""

import socket

import pytest
from django.urls import reverse

from memadmin.emulator.embedded import LOCAL_PASSWORD, LOCAL_USERNAME
from memadmin.stores.connection import masked

pytestmark = pytest.mark.django_db


def test_the_settings_page_masks_the_sid_and_never_shows_the_secret(instant_emulator, client_for):
    page = client_for("Auditor").get(reverse("stores:settings"))

    assert page.status_code == 200
    assert "SK…0000" in page.text
    assert LOCAL_USERNAME not in page.text
    assert LOCAL_PASSWORD not in page.text
    assert "Set (hidden)" in page.text


def test_masking_keeps_the_kind_and_the_last_four_characters():
    assert masked("SK0123456789abcdef0123456789abcdef") == "SK…cdef"
    assert masked("AC12") == "…12"
    assert masked("") == ""


def test_testing_the_connection_reports_latency_and_accepted_credentials(
    instant_emulator, client_for
):
    page = client_for("Auditor").post(reverse("stores:connection"))

    assert page.status_code == 200
    assert "Connected: Twilio accepted the credentials and lists 2 store(s)." in page.text
    assert " ms<" in page.text


def test_a_wrong_credential_gives_a_clear_message_and_no_traceback(
    instant_emulator, client_for, settings
):
    settings.MEMORY_API_PASSWORD = "not-the-secret"  # the emulator keeps the right one

    page = client_for("Auditor").post(reverse("stores:connection"))

    assert page.status_code == 200
    assert "Credentials rejected by Twilio (code 20003)" in page.text
    assert "TWILIO_API_KEY_SID" in page.text
    assert "not-the-secret" not in page.text
    assert "Traceback" not in page.text


def test_an_unreachable_api_says_so(client_for, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MEMORY_API_URL = f"http://127.0.0.1:{port}"
    settings.MEMORY_API_CREDENTIALS_CONFIGURED = True

    page = client_for("Auditor").post(reverse("stores:connection"), headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert "Could not reach Twilio" in page.text
    assert "Reachable</dt><dd>No" in page.text
