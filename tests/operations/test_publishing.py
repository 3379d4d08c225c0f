"""Publishing revisions through the outbox: create, minimal PATCH, delete, faults, reconcile."""

from datetime import timedelta

import httpx
import pytest

from memadmin.audit.models import AuditEvent
from memadmin.memory_api import client as client_module
from memadmin.operations import reconcile
from memadmin.operations import services as operation_services
from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.reviews.workflow import IllegalTransition
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from tests.operations.conftest import definition, drive, live_group

pytestmark = pytest.mark.django_db
State = TraitGroupRevision.State


def published_group(api, clock, approved_revision, operator, store_id, name="Loyalty"):
    operation = publishing.publish_revision(revision=approved_revision(name), actor=operator)
    drive(operation, clock)
    return live_group(store_id, name)


def test_publishing_a_create_stores_the_live_snapshot_and_publishes_the_revision(
    api, clock, approved_revision, operator, store_id
):
    revision = approved_revision()
    operation = publishing.publish_revision(revision=revision, actor=operator)
    revision.refresh_from_db()
    assert revision.state == State.PUBLISHING
    assert operation.method == "POST"
    assert operation.request_body == definition()

    drive(operation, clock)

    revision.refresh_from_db()
    group = live_group(store_id, "Loyalty")
    assert revision.state == State.PUBLISHED
    assert revision.published_at is not None
    assert revision.trait_group == group
    assert group.live_version == 1
    assert group.live_etag
    assert group.live_definition["traits"] == definition()["traits"]
    assert group.published_definition == definition()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "traitgroup.submitted" in actions
    assert actions.count("operation.status_changed") >= 2  # PENDING, (RUNNING,) COMPLETED
    assert "traitgroup.published" in actions


def test_only_approved_revisions_are_published(api, approved_revision, operator):
    revision = approved_revision(state=State.IN_REVIEW)

    with pytest.raises(IllegalTransition, match="in review and cannot become publishing"):
        publishing.publish_revision(revision=revision, actor=operator)
    assert not Operation.objects.exists()


def based_on(group: TraitGroup, *, etag: str | None = None) -> dict:
    """The base fields of a revision started from the group as memadmin knows it now."""
    return {
        "base_definition": group.live_definition,
        "base_version": group.live_version,
        "base_etag": group.live_etag if etag is None else etag,
    }


def test_an_update_sends_the_minimal_patch_with_the_reviewed_etag(
    api, clock, approved_revision, operator, store_id
):
    group = published_group(api, clock, approved_revision, operator, store_id)
    target = definition()
    target["traits"] = {"tier": {"dataType": "STRING", "description": "Gold or silver"}}
    revision = approved_revision(kind="update", group=group, body=target, **based_on(group))

    operation = publishing.publish_revision(revision=revision, actor=operator)

    assert operation.method == "PATCH"
    assert operation.if_match == revision.base_etag == group.live_etag
    assert operation.request_body == {
        "traits": {
            "tier": {"dataType": "STRING", "description": "Gold or silver"},
            "points": {"dataType": ""},
        }
    }
    drive(operation, clock)
    group.refresh_from_db()
    assert group.live_version == 2
    assert set(group.live_definition["traits"]) == {"tier"}


def test_a_412_sends_the_revision_back_as_changed_in_twilio_since(
    api, clock, approved_revision, operator, store_id
):
    group = published_group(api, clock, approved_revision, operator, store_id)
    target = definition(tier={"dataType": "BOOLEAN"})
    revision = approved_revision(
        kind="update", group=group, body=target, **based_on(group, etag='"v0-stale"')
    )

    operation = publishing.publish_revision(revision=revision, actor=operator)

    revision.refresh_from_db()
    assert operation.status == "FAILED"
    assert "changed in Twilio since" in operation.error_in_words
    assert revision.state == State.CHANGES_REQUESTED


def test_a_completed_delete_marks_the_group_deleted(
    api, clock, approved_revision, operator, store_id
):
    group = published_group(api, clock, approved_revision, operator, store_id)
    revision = approved_revision(kind="delete", group=group, body={}, **based_on(group))

    operation = publishing.publish_revision(revision=revision, actor=operator)
    assert operation.method == "DELETE" and operation.if_match == group.live_etag
    drive(operation, clock)

    group.refresh_from_db()
    assert group.deleted_in_twilio
    assert group.live_definition is None


def test_an_update_or_delete_without_a_reviewed_etag_is_refused(
    api, clock, approved_revision, operator, store_id
):
    group = published_group(api, clock, approved_revision, operator, store_id)
    for kind in ("update", "delete"):
        revision = approved_revision(
            kind=kind, group=group, body=definition(tier={"dataType": "BOOLEAN"}), base_etag=""
        )
        with pytest.raises(publishing.ReviewRefused, match="no ETag"):
            publishing.publish_revision(revision=revision, actor=operator)
    assert not Operation.objects.exclude(kind=Operation.Kind.CREATE).exists()


def test_a_failed_operation_fails_the_revision_with_twilios_words(
    api, emulator, clock, approved_revision, operator
):
    emulator.faults.fail_next_operation(detail="Store quota exhausted.")
    revision = approved_revision()

    operation = drive(publishing.publish_revision(revision=revision, actor=operator), clock)

    revision.refresh_from_db()
    assert revision.state == State.FAILED
    assert "Store quota exhausted." in operation.error_in_words


def test_503_past_the_retry_bound_leaves_a_retryable_submission(
    api, emulator, clock, approved_revision, operator, store_id
):
    emulator.faults.fail_next(10, status=503)
    revision = approved_revision()

    operation = publishing.publish_revision(revision=revision, actor=operator)

    revision.refresh_from_db()
    assert operation.status == "FAILED"
    assert operation.can_retry
    assert "unavailable" in operation.error_in_words
    assert operation.request_body == definition()  # the stored submission, ready to resend
    assert revision.state == State.FAILED

    emulator.faults.clear()
    operation = operation_services.retry_submission(operation=operation, actor=operator)

    revision.refresh_from_db()
    assert operation.status == "PENDING"
    assert operation.submission_attempts == 2
    assert revision.state == State.PUBLISHING
    drive(operation, clock)
    revision.refresh_from_db()
    assert revision.state == State.PUBLISHED


def lossy_transport(emulator, *, deliver: bool):
    """A transport that times out reading the answer to the first POST (after or before
    the emulator applied it)."""
    inner = httpx.WSGITransport(app=emulator)
    lost = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and not lost:
            lost.append(request)
            if deliver:
                inner.handle_request(request)
            raise httpx.ReadTimeout("timed out", request=request)
        return inner.handle_request(request)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("delivered", [True, False])
def test_a_read_timeout_on_a_create_is_reconciled_without_a_duplicate(
    make_api, monkeypatch, emulator, clock, approved_revision, operator, store_id, delivered
):
    api = make_api(transport=lossy_transport(emulator, deliver=delivered))
    monkeypatch.setattr(client_module, "_client", api)
    revision = approved_revision()

    operation = publishing.publish_revision(revision=revision, actor=operator)
    assert operation.status == "UNKNOWN"
    assert "may or may not" in operation.error_detail

    clock.advance(5)
    report = reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))
    assert (report.adopted if delivered else report.resent) == [operation.pk]
    drive(operation, clock)
    reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))  # idempotent

    operation.refresh_from_db()
    revision.refresh_from_db()
    assert operation.status == "COMPLETED"
    assert operation.submission_attempts == (1 if delivered else 2)
    assert revision.state == State.PUBLISHED
    names = [g.display_name for g in api.iter_trait_groups(store_id)]
    assert names.count("Loyalty") == 1
    assert TraitGroup.objects.filter(name="Loyalty").count() == 1


def test_a_row_saved_but_never_sent_is_sent_once_by_reconcile(
    api, clock, approved_revision, operator
):
    from memadmin.operations import services

    operation = services.start_operation(
        kind="create",
        store_id=approved_revision().store_id,
        trait_group_name="Loyalty",
        body=definition(),
    )
    clock.advance(300)
    reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))
    reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))

    operation.refresh_from_db()
    assert operation.submission_attempts == 1
    assert operation.status == "PENDING"


def test_the_reconcile_command_finishes_a_row_left_submitting(api, approved_revision, operator):
    from io import StringIO

    from django.core.management import call_command

    from memadmin.operations import services

    operation = services.start_operation(
        kind="create",
        store_id=approved_revision().store_id,
        trait_group_name="Loyalty",
        body=definition(),
    )
    out = StringIO()
    call_command("reconcile_operations", "--older-than", "0", stdout=out)

    operation.refresh_from_db()
    assert f"resent: {operation.pk}" in out.getvalue()
    assert operation.status == "PENDING"


def test_a_crash_while_recording_the_answer_leaves_no_half_record_and_reconcile_adopts_it(
    api, clock, approved_revision, operator, store_id, monkeypatch
):
    """The 202 arrived, but the process died writing it down: the row is still SUBMITTING
    with no poll queued and no audit of an answer, and the sweep adopts what Twilio holds."""
    from django_tasks_db.models import DBTaskResult

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed while auditing")

    revision = approved_revision()
    with monkeypatch.context() as patch, pytest.raises(RuntimeError, match="worker killed"):
        patch.setattr(operation_services, "_audit_submission", crash)
        publishing.publish_revision(revision=revision, actor=operator)

    operation = Operation.objects.get()
    assert operation.status == "SUBMITTING" and operation.submission_attempts == 1
    assert operation.status_url == ""
    assert not DBTaskResult.objects.filter(task_path__endswith="poll_operation").exists()
    assert not AuditEvent.objects.filter(action="traitgroup.submitted").exists()

    clock.advance(5)
    report = reconcile.reconcile_operations(now=clock.now(), older_than=timedelta(0))
    assert report.adopted == [operation.pk]
    assert drive(operation, clock).status == "COMPLETED"
    assert [g.display_name for g in api.iter_trait_groups(store_id)].count("Loyalty") == 1
