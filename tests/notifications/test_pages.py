"""The preferences page, and the Admin's destinations and deliveries pages."""

import pytest
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.notifications import delivery, services
from memadmin.notifications.events import CHOOSABLE
from memadmin.notifications.models import Delivery, Destination, Preference
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts

pytestmark = pytest.mark.django_db

SLACK = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#schema-reviews"
TOKENS = ("T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ")


@pytest.fixture
def admin_client(client, person):
    client.force_login(person("Admin", "ada"))
    return client


def test_a_person_turns_off_one_event_and_asks_for_a_digest(client, person):
    rita = person("Reviewer", "rita")
    client.force_login(rita)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "rita@example.com" in page
    assert page.count(" checked") == len(CHOOSABLE)  # every event by e-mail until changed

    kept = ["approved", "commented", "published", "publish_failed"]
    response = client.post(
        reverse("notifications:preferences"), {"emailed": kept, "digest": "on"}, follow=True
    )

    assert "Your notification preferences are saved." in response.content.decode()
    preference = Preference.objects.get(user=rita)
    assert preference.digest is True
    assert "review_requested" in preference.muted
    assert not set(kept) & set(preference.muted)


def test_an_unknown_event_in_the_preferences_form_is_refused_with_400(client, person):
    client.force_login(person("Reviewer", "rita"))
    response = client.post(reverse("notifications:preferences"), {"emailed": ["nonsense"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_saved_slack_url_is_shown_masked_and_never_again_in_full(admin_client, caplog):
    response = admin_client.post(
        reverse("notifications:destinations"),
        {"name": "Schema reviews", "channel": "apprise", "url": SLACK},
        follow=True,
    )
    assert "Destination “Schema reviews” added." in response.content.decode()

    for name in ("notifications:destinations", "notifications:deliveries"):
        page = admin_client.get(reverse(name)).content.decode()
        for token in TOKENS:
            assert token not in page
    assert (
        "slack://T...2/" in admin_client.get(reverse("notifications:destinations")).content.decode()
    )
    audit = " ".join(str(event.detail) for event in AuditEvent.objects.all())
    for token in TOKENS:
        assert token not in audit
        assert token not in caplog.text


def test_a_new_webhook_shows_its_signing_secret_once(admin_client):
    response = admin_client.post(
        reverse("notifications:destinations"),
        {"name": "CI", "channel": "webhook", "url": "https://ci.example.com/hooks/memadmin"},
    )
    secret = Destination.objects.get(name="CI").signing_secret
    assert len(secret) >= 40
    assert secret in response.content.decode()
    assert secret not in admin_client.get(reverse("notifications:destinations")).content.decode()


def test_a_url_apprise_does_not_know_is_refused_without_echoing_it(admin_client):
    response = admin_client.post(
        reverse("notifications:destinations"),
        {"name": "Typo", "channel": "apprise", "url": "slak://secret-token-123456"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Apprise does not recognise this URL" in page
    assert "secret-token-123456" not in page
    assert not Destination.objects.exists()


def test_send_test_says_whether_the_destination_answered(admin_client, make_receiver):
    good, bad = make_receiver(), make_receiver(status=404)
    for name, receiver in (("good", good), ("bad", bad)):
        Destination.objects.create(
            name=name, channel="webhook", url=receiver.url, signing_secret="k", masked_url="m"
        )

    sent = admin_client.post(
        reverse("notifications:test_destination", args=[Destination.objects.get(name="good").pk]),
        follow=True,
    )
    failed = admin_client.post(
        reverse("notifications:test_destination", args=[Destination.objects.get(name="bad").pk]),
        follow=True,
    )

    assert "Test message sent to good." in sent.content.decode()
    assert "Test message to bad failed: Webhook answered HTTP 404" in failed.content.decode()
    assert good.json()[0]["event"] == "test"
    tried = Delivery.objects.get(destination__name="bad")
    assert (tried.status, tried.attempts) == ("failed", 1)  # a test is not retried


def test_send_test_reaches_a_destination_from_the_environment(
    admin_client, make_receiver, settings
):
    receiver = make_receiver()
    settings.NOTIFY_APPRISE_URLS = [f"json://127.0.0.1:{receiver.url.rsplit(':', 1)[1]}/x"]
    page = admin_client.get(reverse("notifications:destinations")).content.decode()
    assert "NOTIFY_APPRISE_URLS" in page
    key = services.destinations.configured_destinations()[0].key

    response = admin_client.post(reverse("notifications:test_configured", args=[key]), follow=True)

    assert "Test message sent" in response.content.decode()
    assert len(receiver.requests) == 1


def test_the_deliveries_page_costs_the_same_for_few_and_many(
    admin_client, person, store_id, make_receiver, django_assert_max_num_queries
):
    receiver = make_receiver(status=500)
    Destination.objects.create(
        name="down", channel="webhook", url=receiver.url, signing_secret="k", masked_url="m"
    )
    olga = person("Operator", "olga")
    person("Reviewer", "rita")

    def submit(count: int) -> None:
        for n in range(count):
            revision = drafts.create_draft(
                store_id=store_id, definition={"displayName": f"G{n}"}, author=olga
            )
            reviews.submit_for_review(revision=revision, actor=olga)
        delivery.deliver_due()

    submit(2)
    with django_assert_max_num_queries(8) as few:
        admin_client.get(reverse("notifications:deliveries"))
    submit(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get(reverse("notifications:deliveries")).content.decode()
    assert "Webhook answered HTTP 500" in page
    failed_only = admin_client.get(reverse("notifications:deliveries"), {"status": "sent"})
    assert "Webhook answered HTTP 500" not in failed_only.content.decode()
