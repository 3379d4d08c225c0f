"""Publishing, unknown outcomes, drift and deletions reach the people the issue names."""

import pytest
from django.utils import timezone

from memadmin.notifications import delivery
from memadmin.notifications.models import Notification
from memadmin.operations import polling
from memadmin.reviews import publishing
from memadmin.reviews import services as reviews
from memadmin.stores import services as stores
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(person):
    """The author, two approvers, a bystanding reviewer and an admin."""
    return {
        "olga": person("Operator", "olga"),
        "rita": person("Reviewer", "rita"),
        "ravi": person("Reviewer", "ravi"),
        "rosa": person("Reviewer", "rosa"),
        "ada": person("Admin", "ada"),
    }


@pytest.fixture
def approved(cast, store_id, settings, mailbox):
    """'Loyalty' by olga, approved by rita and ravi; the mailbox emptied afterwards."""
    settings.REVIEW_APPROVALS_REQUIRED = {"LOW": 2, "MEDIUM": 2, "HIGH": 2}
    definition = {"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}}
    revision = drafts.create_draft(store_id=store_id, definition=definition, author=cast["olga"])
    reviews.submit_for_review(revision=revision, actor=cast["olga"])
    reviews.approve(revision=revision, actor=cast["rita"])
    reviews.approve(revision=revision, actor=cast["ravi"])
    delivery.deliver_due()
    mailbox.messages.clear()
    revision.refresh_from_db()
    return revision


def test_a_published_revision_is_announced_to_its_author_and_approvers(approved, cast, mailbox):
    operation = publishing.publish(revision=approved, actor=cast["ravi"])
    polling.poll(operation_id=operation.pk, force=True)
    approved.refresh_from_db()
    assert approved.state == TraitGroupRevision.State.PUBLISHED

    delivery.deliver_due()

    assert mailbox.recipients == ["olga@example.com", "ravi@example.com", "rita@example.com"]
    assert mailbox.subject("olga@example.com").startswith("[memadmin] 'Loyalty' was published to")
    assert f"/reviews/{approved.pk}/" in mailbox.to("olga@example.com")[0].get_content()


def test_a_failed_publish_links_to_the_operation_for_its_author_and_approvers(
    approved, cast, mailbox, instant_emulator
):
    instant_emulator.faults.fail_next_operation("Disk on fire")
    operation = publishing.publish(revision=approved, actor=cast["ravi"])
    polling.poll(operation_id=operation.pk, force=True)

    delivery.deliver_due()

    assert mailbox.recipients == ["olga@example.com", "ravi@example.com", "rita@example.com"]
    body = mailbox.to("rita@example.com")[0].get_content()
    assert "Publishing 'Loyalty' to" in body
    assert f"https://memadmin.example.com/operations/{operation.pk}/" in body
    assert "Disk on fire" not in body  # Twilio's words stay on the operation's page


def test_an_operation_still_running_at_its_deadline_is_reported_as_unknown(approved, cast, mailbox):
    operation = publishing.publish(revision=approved, actor=cast["ravi"])
    operation.refresh_from_db()

    polling.give_up(operation=operation, now=timezone.now())
    delivery.deliver_due()

    assert mailbox.recipients == [
        "ada@example.com",
        "olga@example.com",
        "ravi@example.com",
        "rita@example.com",
    ]
    subject = mailbox.subject("ada@example.com")
    assert "by its deadline: the outcome is unknown" in subject


def test_drift_reaches_admins_and_the_groups_last_authors_once_per_version(cast, mailbox, store_id):
    group = TraitGroup.objects.create(
        store_id=store_id,
        name="Contact",
        live_definition={"displayName": "Contact", "traits": {"email": {"dataType": "STRING"}}},
        live_version=7,
        published_definition={"displayName": "Contact", "traits": {}},
    )
    TraitGroupRevision.objects.create(
        trait_group=group,
        store_id=store_id,
        author=cast["olga"],
        state=TraitGroupRevision.State.PUBLISHED,
        published_at=timezone.now(),
    )

    assert stores.detect_drift(trait_group=group)
    assert stores.detect_drift(trait_group=group)  # the same version again: no new message
    delivery.deliver_due()

    assert mailbox.recipients == ["ada@example.com", "olga@example.com"]
    body = mailbox.to("olga@example.com")[0].get_content()
    assert "'Contact' in" in body
    assert "was changed outside memadmin" in body
    assert f"/stores/{store_id}/groups/Contact/drift/" in body


def test_a_group_deleted_in_twilio_is_reported_by_the_next_sync(cast, mailbox, store_id):
    TraitGroup.objects.create(store_id=store_id, name="Gone_Group", live_version=1)

    report = stores.sync_store(store_id=store_id)
    delivery.deliver_due()

    assert report.deleted == ["Gone_Group"]
    assert mailbox.recipients == ["ada@example.com"]
    assert "'Gone_Group' was deleted from" in mailbox.subject("ada@example.com")
    assert Notification.objects.filter(kind="deleted_in_twilio").count() == 1
