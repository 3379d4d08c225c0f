"""Signed checkpoints: a database rewritten and re-hashed after one no longer verifies."""

import base64
import io
import logging

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from memadmin.audit import chain, checkpoints, selectors, services
from memadmin.audit.models import AuditCheckpoint, AuditEvent
from memadmin.audit.tasks import schedule_checkpoint
from memadmin.audit.triggers import TABLES, suspended_triggers

SEED = bytes(range(1, 33))
SIGNING_KEY = base64.b64encode(SEED).decode()


@pytest.fixture
def signing(settings):
    settings.AUDIT_SIGNING_KEY = SIGNING_KEY
    settings.AUDIT_CHECKPOINT_EVERY_EVENTS = 3
    return Ed25519PrivateKey.from_private_bytes(SEED).public_key()


def _rewrite_and_rehash(event_id: int, detail: str) -> None:
    """A database owner's rewrite: change one event, recompute it and every later hash."""
    with suspended_triggers(connection, TABLES), connection.cursor() as cursor:
        previous = None
        for event in AuditEvent.objects.order_by("id"):
            if event.pk == event_id:
                event.detail = detail
            if previous is not None:
                event.prev_hash = previous
            event.hash = chain.event_hash(event)
            cursor.execute(
                "UPDATE audit_auditevent SET detail = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [event.detail, event.prev_hash, event.hash, event.pk],
            )
            previous = event.hash


def test_every_n_events_the_head_is_signed(append, signing):
    events = [append(f"traitgroup.step{n}") for n in range(7)]
    marks = list(AuditCheckpoint.objects.order_by("id"))
    assert [mark.event_id for mark in marks] == [events[2].pk, events[5].pk]
    assert all(mark.is_signed and mark.key_id == checkpoints.key_id(signing) for mark in marks)
    assert selectors.verify_chain(public_key=signing) == []


def test_a_database_rewritten_and_rehashed_after_a_checkpoint_fails_verification(append, signing):
    events = [append(f"traitgroup.step{n}") for n in range(4)]
    _rewrite_and_rehash(events[1].pk, "nothing to see here")
    problems = selectors.verify_chain(public_key=signing)
    assert [p.event_id for p in problems] == [events[2].pk]
    assert "rewritten after it" in problems[0].reason
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("verify_audit_chain", stdout=io.StringIO(), stderr=io.StringIO())


def test_rewriting_the_checkpoint_too_breaks_its_signature(append, signing):
    events = [append(f"traitgroup.step{n}") for n in range(3)]
    _rewrite_and_rehash(events[0].pk, "rewritten")
    new_head = AuditEvent.objects.get(pk=events[2].pk).hash
    with suspended_triggers(connection, TABLES), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditcheckpoint SET head_hash = %s", [new_head])
    (problem,) = selectors.verify_chain(public_key=signing)
    assert "signature does not match" in problem.reason


def test_a_truncated_tail_is_caught_by_the_checkpoint(append, signing):
    events = [append(f"traitgroup.step{n}") for n in range(3)]
    with suspended_triggers(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    (problem,) = selectors.verify_chain(public_key=signing)
    assert problem.event_id == events[2].pk and "gone" in problem.reason


def test_a_checkpoint_signed_by_another_key_is_refused(append, settings, signing):
    settings.AUDIT_SIGNING_KEY = base64.b64encode(b"\x07" * 32).decode()
    [append(f"traitgroup.step{n}") for n in range(3)]
    (problem,) = selectors.verify_chain(public_key=signing)
    assert "not by the trusted key" in problem.reason


def test_without_a_key_checkpoints_are_unsigned_and_the_page_says_so(append, settings, client_for):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_CHECKPOINT_EVERY_EVENTS = 2
    append()
    append()
    assert not AuditCheckpoint.objects.get().is_signed
    page = client_for("Auditor").get(reverse("audit:checkpoints")).content.decode()
    assert "Checkpoints are unsigned" in page
    assert "Unsigned" in page


def test_the_hourly_checkpoint_signs_a_head_that_moved_and_queues_one_successor(append, signing):
    event = append()
    checkpoint = services.checkpoint_head()
    assert (checkpoint.event_id, checkpoint.is_signed) == (event.pk, True)
    assert services.checkpoint_head() is None  # nothing new since
    assert schedule_checkpoint() is True
    assert schedule_checkpoint() is False


def test_the_signing_key_appears_in_no_page_log_audit_row_or_export(
    append, signing, client_for, caplog
):
    caplog.set_level(logging.DEBUG)
    [append(f"traitgroup.step{n}", detail=f"event {n}") for n in range(4)]
    client = client_for("Admin")
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    call_command("audit_checkpoint", stdout=out)
    bodies = [out.getvalue()]
    for url in (
        reverse("audit:index"),
        reverse("audit:checkpoints"),
        reverse("audit:detail", args=[AuditEvent.objects.latest("id").pk]),
        reverse("audit:export") + "?format=jsonl",
        reverse("audit:export") + "?format=csv",
    ):
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies.append(content.decode())
    rows = list(AuditEvent.objects.values_list()) + list(AuditCheckpoint.objects.values_list())
    bodies.append(repr(rows))
    bodies.append(caplog.text)
    forms = [SIGNING_KEY, SEED.hex(), base64.urlsafe_b64encode(SEED).decode()]
    for body in bodies:
        for secret in forms:
            assert secret not in body
    assert checkpoints.public_key_text(signing) in bodies[2]  # the public half is shown


def test_a_malformed_key_is_reported_without_quoting_it(settings, append):
    settings.AUDIT_SIGNING_KEY = "not-a-key-but-still-secret"
    settings.AUDIT_CHECKPOINT_EVERY_EVENTS = 1
    with pytest.raises(Exception, match="AUDIT_SIGNING_KEY is not") as error:
        append()
    assert "not-a-key-but-still-secret" not in str(error.value)


def test_a_malformed_key_stops_start_up_with_a_clear_check(settings):
    from memadmin.audit.apps import signing_key_check

    settings.AUDIT_SIGNING_KEY = "c2hvcnQ="  # base64, but 5 bytes
    (error,) = signing_key_check(None)
    assert error.id == "audit.E001" and "c2hvcnQ=" not in error.msg
    settings.AUDIT_SIGNING_KEY = SIGNING_KEY
    assert signing_key_check(None) == []
