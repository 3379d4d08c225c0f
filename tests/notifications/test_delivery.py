"""The right people hear of each event once, by a real SMTP server and a real webhook."""

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from memadmin.notifications import delivery, services
from memadmin.notifications.models import Delivery, DeliveryAttempt, Destination, Notification
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroupRevision

pytestmark = pytest.mark.django_db

SIGNATURE = "X-Memadmin-Signature"


def group(name: str) -> dict:
    return {"displayName": name, "traits": {"tier": {"dataType": "STRING"}}}


def submitted(store_id, author, name="Loyalty_Tier") -> TraitGroupRevision:
    revision = drafts.create_draft(store_id=store_id, definition=group(name), author=author)
    return reviews.submit_for_review(revision=revision, actor=author)


def webhook(receiver, name: str, secret: str = "s3cret-signing-key") -> Destination:
    return Destination.objects.create(
        name=name,
        channel=Destination.Channel.WEBHOOK,
        url=f"{receiver.url}/hooks/{name}",
        signing_secret=secret,
        masked_url="masked",
    )


def test_a_submission_emails_every_reviewer_once_with_a_link_to_the_review(
    mailbox, person, store_id
):
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    person("Reviewer", "ravi")
    person("Auditor", "audrey")
    revision = submitted(store_id, olga)

    delivery.deliver_due()
    delivery.deliver_due()  # nothing is sent twice

    assert mailbox.recipients == ["ravi@example.com", "rita@example.com"]
    message = mailbox.to("rita@example.com")[0]
    assert mailbox.subject("rita@example.com") == (
        f"[memadmin] 'olga' asked for a review of 'Loyalty_Tier' in '{store_id}'"
    )
    assert f"https://memadmin.example.com/reviews/{revision.pk}/" in message.get_content()
    assert message["From"] == "memadmin <memadmin@example.com>"


def test_a_failing_destination_is_retried_then_failed_without_holding_back_the_others(
    mailbox, person, store_id, make_receiver, settings
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    broken, working = make_receiver(status=500), make_receiver()
    webhook(broken, "broken")
    webhook(working, "working")
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    revision = submitted(store_id, olga)

    now = timezone.now()
    for _ in range(4):
        delivery.deliver_due(now=now)
        now += timedelta(hours=1)

    failed = Delivery.objects.get(destination__name="broken")
    assert failed.status == Delivery.Status.FAILED
    outcomes = list(failed.attempt_log.values_list("outcome", "reason"))
    assert outcomes == [
        ("retrying", "Webhook answered HTTP 500"),
        ("retrying", "Webhook answered HTTP 500"),
        ("failed", "Webhook answered HTTP 500"),
    ]
    assert len(broken.requests) == 3
    assert len(working.requests) == 1
    assert len(mailbox.to("rita@example.com")) == 1
    assert Delivery.objects.exclude(destination__name="broken").filter(status="sent").count() == 2
    revision.refresh_from_db()
    assert revision.state == TraitGroupRevision.State.IN_REVIEW  # the workflow went on


def test_a_retry_waits_longer_after_each_failure(mailbox, person, store_id, make_receiver):
    webhook(make_receiver(status=503), "flaky")
    submitted(store_id, person("Operator", "olga"))
    row = Delivery.objects.get(destination__name="flaky")

    now = timezone.now()
    waits = []
    for _ in range(3):
        delivery.deliver(delivery_id=row.pk, now=now)
        row.refresh_from_db()
        waits.append(row.next_attempt_at - now)
        assert delivery.deliver(delivery_id=row.pk, now=now) == []  # not due yet
        now = row.next_attempt_at
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]


def test_a_webhook_carries_a_signature_the_receiver_can_verify(person, store_id, make_receiver):
    receiver = make_receiver()
    webhook(receiver, "ci", secret="whsec-test-7f3a")
    revision = submitted(store_id, person("Operator", "olga"))

    delivery.deliver_due()

    [(path, headers, body)] = receiver.requests
    assert path == "/hooks/ci"
    expected = hmac.new(b"whsec-test-7f3a", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE] == f"sha256={expected}"
    forged = hmac.new(b"another-key", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE] != f"sha256={forged}"
    [payload] = receiver.json()
    assert payload["event"] == "review_requested"
    assert payload["url"] == f"https://memadmin.example.com/reviews/{revision.pk}/"
    assert payload["text"].startswith("'olga' asked for a review of 'Loyalty_Tier'")


def test_people_who_turned_an_event_off_get_no_email_for_it(mailbox, person, store_id):
    rita = person("Reviewer", "rita")
    person("Reviewer", "ravi")
    services.save_preferences(user=rita, muted=["review_requested"], digest=False)
    submitted(store_id, person("Operator", "olga"))

    delivery.deliver_due()

    assert mailbox.recipients == ["ravi@example.com"]


def test_a_digest_sends_an_hours_events_as_one_email_at_the_full_hour(mailbox, person, store_id):
    rita = person("Reviewer", "rita")
    services.save_preferences(user=rita, muted=[], digest=True)
    olga = person("Operator", "olga")
    submitted(store_id, olga, "Loyalty")
    submitted(store_id, olga, "Billing")

    delivery.deliver_due()
    assert mailbox.messages == []

    delivery.deliver_due(now=delivery.next_digest_hour(timezone.now()))
    [message] = mailbox.to("rita@example.com")
    assert message["Subject"] == "[memadmin] 2 things happened in the last hour"
    body = message.get_content()
    assert "'Loyalty'" in body
    assert "'Billing'" in body
    assert Delivery.objects.filter(recipient=rita, status="sent").count() == 2


def test_changes_requested_reaches_the_author_and_other_participants_but_not_the_reviewer(
    mailbox, person, store_id
):
    olga = person("Operator", "olga")
    rita = person("Reviewer", "rita")
    ravi = person("Reviewer", "ravi")
    person("Reviewer", "rosa")  # a reviewer who took no part
    revision = submitted(store_id, olga)
    reviews.comment(revision=revision, actor=ravi, body="Is tier a number?")
    delivery.deliver_due()
    mailbox.messages.clear()

    reviews.request_changes(revision=revision, actor=rita, comment="Make tier a NUMBER.")
    delivery.deliver_due()

    assert mailbox.recipients == ["olga@example.com", "ravi@example.com"]
    subject = mailbox.subject("olga@example.com")
    assert subject.startswith("[memadmin] 'rita' requested changes to 'Loyalty_Tier'")
    assert "Make tier" not in mailbox.to("olga@example.com")[0].get_content()


def test_a_notification_rolls_back_with_the_action_that_caused_it(person, store_id):
    olga = person("Operator", "olga")
    person("Reviewer", "rita")
    revision = drafts.create_draft(store_id=store_id, definition={"displayName": ""}, author=olga)

    with pytest.raises(reviews.ReviewRefused):
        reviews.submit_for_review(revision=revision, actor=olga)  # no name: refused

    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_each_attempt_is_recorded_with_its_outcome(mailbox, person, store_id):
    submitted(store_id, person("Operator", "olga"))
    person("Reviewer", "rita")  # made after the submission: hears nothing of it
    delivery.deliver_due()
    assert not DeliveryAttempt.objects.exists()

    submitted(store_id, person("Operator", "omar"), "Second")
    delivery.deliver_due()
    [attempt] = DeliveryAttempt.objects.all()
    assert (attempt.number, attempt.outcome, attempt.reason) == (1, "sent", "")
