"""Retry re-sends what was approved, or nothing at all (issue 15, item 3)."""

import pytest
from django.urls import reverse

from memadmin.operations import services as operation_services
from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from tests.operations.conftest import definition

pytestmark = pytest.mark.django_db
State = TraitGroupRevision.State


def failed_publish(emulator, approved_revision, operator):
    emulator.faults.fail_next(10, status=503)
    revision = approved_revision()
    operation = publishing.publish_revision(revision=revision, actor=operator)
    emulator.faults.clear()
    revision.refresh_from_db()
    assert operation.can_retry and revision.state == State.FAILED
    return revision, operation


def rework(revision):
    """Back to review, changes requested, a trait added: the revision has moved on."""
    TraitGroupRevision.objects.filter(pk=revision.pk).update(state=State.CHANGES_REQUESTED)
    body = definition()
    body["traits"]["added_later"] = {"dataType": "BOOLEAN"}
    TraitGroupRevision.objects.filter(pk=revision.pk).update(definition=body)


def test_retry_is_refused_once_the_revision_was_reworked(
    api, emulator, approved_revision, operator
):
    revision, operation = failed_publish(emulator, approved_revision, operator)
    rework(revision)
    operation.refresh_from_db()
    assert not operation.can_retry
    with pytest.raises(operation_services.RetrySuperseded):
        operation_services.retry_submission(operation=operation, actor=operator)
    operation.refresh_from_db()
    revision.refresh_from_db()
    assert operation.status == Operation.Status.FAILED and operation.submission_attempts == 1
    assert revision.state == State.CHANGES_REQUESTED
    assert not TraitGroup.objects.filter(published_definition__isnull=False).exists()


def test_the_retry_button_explains_why_it_is_refused(
    client, api, emulator, approved_revision, operator, make_user
):
    revision, operation = failed_publish(emulator, approved_revision, operator)
    rework(revision)
    client.force_login(make_user("Reviewer", username="rita"))
    page = client.get(reverse("operations:detail", args=[operation.pk])).content.decode()
    assert ">Retry<" not in page
    response = client.post(reverse("operations:retry", args=[operation.pk]), follow=True)
    assert "can no longer be retried" in response.content.decode()


def test_a_retry_of_an_unchanged_failed_revision_sends_the_recorded_body(
    api, emulator, approved_revision, operator
):
    _revision, operation = failed_publish(emulator, approved_revision, operator)
    retried = operation_services.retry_submission(operation=operation, actor=operator)
    assert retried.status == Operation.Status.PENDING
    assert retried.request_body == definition()
