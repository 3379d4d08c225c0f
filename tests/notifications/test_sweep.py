"""Nothing is left behind: a crashed send is finished by the sweep; the hook for auditors."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from memadmin.notifications import delivery, services
from memadmin.notifications.events import Kind
from memadmin.notifications.models import Delivery
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts

pytestmark = pytest.mark.django_db

SWEEP = "memadmin.notifications.tasks.sweep_notifications"


def test_a_send_abandoned_by_a_dead_worker_is_finished_by_the_sweep(mailbox, person, store_id):
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    revision = drafts.create_draft(
        store_id=store_id, definition={"displayName": "Loyalty"}, author=olga
    )
    reviews.submit_for_review(revision=revision, actor=olga)
    row = Delivery.objects.get()
    # A worker claimed it and died before sending: SENDING, with a lease.
    Delivery.objects.filter(pk=row.pk).update(
        status=Delivery.Status.SENDING,
        leased_by="dead-worker",
        lease_until=timezone.now() + delivery.LEASE,
    )

    assert delivery.deliver_due() == 0  # the lease still holds
    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    assert delivery.deliver_due(now=later) == 1

    assert mailbox.recipients == ["rita@example.com"]
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT


def test_the_background_sweep_is_queued_once_however_often_it_is_asked_for(db):
    out = StringIO()
    call_command("send_notifications", "--schedule", stdout=out)
    call_command("send_notifications", "--schedule", stdout=out)

    assert DBTaskResult.objects.filter(task_path=SWEEP).count() == 1
    assert "Queued a background sweep." in out.getvalue()
    assert "Settled 0 message(s)" in out.getvalue()


def test_a_missing_audit_checkpoint_reaches_those_who_read_the_audit_log(mailbox, person):
    person("Auditor", "audrey")
    person("Reviewer", "rita")
    person("Admin", "ada")

    services.notify(Kind.CHECKPOINT_MISSING, checkpoint="2026-12-01 00:00")
    delivery.deliver_due()

    assert mailbox.recipients == ["ada@example.com", "audrey@example.com"]
    assert "/audit/" in mailbox.to("audrey@example.com")[0].get_content()
