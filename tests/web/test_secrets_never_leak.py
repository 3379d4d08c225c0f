"""The Memory API secret never appears in a page, a log line, an audit record or an error."""

import pytest

from memadmin.audit.models import AuditEvent
from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator
from memadmin.memory_api import reset_memory_api_client
from memadmin.traitgroups import services as drafts
from tests.sample_objects import CONTACT, make_sample_world
from tests.url_inventory import PUBLIC_URL_NAMES, all_urls
from tests.web.test_settings import run_manage

SECRET = "shh-this-is-the-api-key-secret-4711"
KEY_SID = "SKabcdef0123456789abcdef0123456789"


@pytest.fixture
def configured_credentials(settings):
    """memadmin configured with real-looking credentials, which the emulator accepts."""
    settings.MEMORY_API_USERNAME = KEY_SID
    settings.MEMORY_API_PASSWORD = SECRET
    settings.MEMORY_API_CREDENTIALS_CONFIGURED = True
    reset_embedded_emulator()
    reset_memory_api_client()
    yield
    reset_embedded_emulator()
    reset_memory_api_client()


def test_no_page_shows_the_secret_or_the_whole_key(client, make_user, configured_credentials):
    world = make_sample_world(make_user("Operator", username="author"))
    client.force_login(make_user("Admin", username="boss"))
    client.post("/stores/connection/")  # runs a real connection check
    for name, path in all_urls():
        if name in PUBLIC_URL_NAMES or name == "logout":
            continue
        response = client.get(world.path_for(name, path))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = body.decode(errors="replace")
        assert SECRET not in page, name
        assert KEY_SID not in page, name


def test_a_rejected_credential_is_explained_without_echoing_it(
    client, make_user, configured_credentials, settings, caplog
):
    get_embedded_emulator()  # Twilio (the emulator) knows SECRET...
    wrong = "a-mistyped-secret-value-0815"
    settings.MEMORY_API_PASSWORD = wrong  # ...memadmin sends another one
    client.force_login(make_user("Admin", username="boss"))
    page = client.post("/stores/connection/").content.decode()
    assert "Credentials rejected by Twilio" in page
    for secret in (wrong, SECRET):
        assert secret not in page
        assert secret not in caplog.text


def test_audit_records_and_logs_carry_no_secret(operator, configured_credentials, caplog):
    revision = drafts.create_draft(
        store_id=get_embedded_emulator().store_ids[0],
        definition={**CONTACT, "displayName": "Secrets", "description": f"token={SECRET}"},
        author=operator,
    )
    assert revision.pk
    for event in AuditEvent.objects.all():
        assert SECRET not in f"{event.before} {event.after} {event.detail} {event.diff_summary}"
    assert SECRET not in caplog.text


@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_django_log_line_carrying_the_secret_is_printed_redacted(debug):
    """Django logs tracebacks of failed requests; in DEBUG it has a console handler of its
    own, which would print them before the redacting root handler saw them."""
    logged = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "import logging; from django.conf import settings; "
        "logging.getLogger('django.request').error('boom: %s', settings.MEMORY_API_PASSWORD)",
        DEBUG=debug,
        SECRET_KEY="k" * 50,
        TWILIO_API_KEY_SID=KEY_SID,
        TWILIO_API_KEY_SECRET=SECRET,
        MEMORY_API_URL="https://memory.example.test",
        LOG_LEVEL="INFO",
    )
    assert logged.returncode == 0, logged.stderr
    output = logged.stdout + logged.stderr
    assert "boom: [redacted]" in output
    assert SECRET not in output
