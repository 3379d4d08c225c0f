"""The review page between an operation's end and its revision's: Twilio has answered, the
revision is not settled yet (settling reads the group back from Twilio first)."""

import pytest
from django.urls import reverse

from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.traitgroups.models import TraitGroupRevision
from tests.fakes import drive

pytestmark = pytest.mark.django_db


def header_of(client, revision) -> str:
    page = client.get(reverse("reviews:revision", args=[revision.pk])).text
    return page.split('id="revision-header"')[1].split(">")[0]


def test_a_header_still_publishing_beside_a_finished_operation_asks_again_until_it_settles(
    api, clock, approved_revision, operator, client_for
):
    revision = approved_revision()
    operation = publishing.publish_revision(revision=revision, actor=operator)
    client = client_for("Reviewer")
    assert "every" not in header_of(client, revision)  # in flight: its badge polls instead

    # Twilio's answer is committed; the revision has not heard of it yet.
    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.COMPLETED)
    assert 'hx-trigger="operation-finished from:body, every 1s"' in header_of(client, revision)

    Operation.objects.filter(pk=operation.pk).update(status=Operation.Status.PENDING)
    drive(operation, clock)  # finished for good, and the revision settled
    revision.refresh_from_db()
    assert revision.state == TraitGroupRevision.State.PUBLISHED
    assert "every" not in header_of(client, revision)
