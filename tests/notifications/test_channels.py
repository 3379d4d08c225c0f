"""Chat channels through Apprise: names stay literal in every markup, URLs stay secret."""

import apprise
import pytest
from django.utils import timezone

from memadmin.notifications import channels, delivery, messages
from memadmin.notifications.messages import Markup
from memadmin.notifications.models import Delivery, Destination, Notification
from memadmin.reviews import services as reviews
from memadmin.traitgroups import services as drafts

pytestmark = pytest.mark.django_db

SLACK = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#schema-reviews"
TOKENS = ("T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ")


def notification(group: str) -> Notification:
    return Notification(
        kind="approved",
        names={"actor": "rita_r", "group": group, "store": "sandbox"},
        link="/reviews/7/",
        created_at=timezone.now(),
    )


def test_names_never_turn_into_markup_in_any_channel():
    tricky = notification("a_b*<b>&`x")
    assert messages.render_line(tricky, Markup.TEXT) == (
        "'rita_r' approved 'a_b*<b>&`x' in 'sandbox'"
    )
    assert messages.render_line(tricky, Markup.MARKDOWN) == (
        "`rita_r` approved `a_b*<b>&'x` in `sandbox`"
    )
    assert messages.render_line(tricky, Markup.HTML) == (
        "<code>rita_r</code> approved <code>a_b*&lt;b&gt;&amp;`x</code> in <code>sandbox</code>"
    )


@pytest.mark.parametrize(
    ("url", "markup"),
    [
        (SLACK, Markup.MARKDOWN),
        ("discord://1234567890/abcdefghijklmnop", Markup.MARKDOWN),
        ("json://127.0.0.1:9/hook", Markup.TEXT),
    ],
    ids=["slack", "discord", "json"],
)
def test_each_service_gets_the_markup_it_renders(url, markup):
    assert channels.markup_for(apprise.Apprise.instantiate(url)) == markup


def test_a_masked_url_tells_destinations_apart_without_their_tokens():
    masked = channels.mask_url(SLACK)
    assert masked.startswith("slack://")
    for token in TOKENS:
        assert token not in masked
    assert channels.mask_url("https://hooks.example.com/in/abc123secret") == (
        "https://hooks.example.com/••••"
    )


def test_an_apprise_destination_gets_the_line_and_the_link(
    person, store_id, make_receiver, settings
):
    receiver = make_receiver()
    settings.NOTIFY_APPRISE_URLS = [f"json://127.0.0.1:{receiver.url.rsplit(':', 1)[1]}/chat"]
    olga = person("Operator", "olga")
    definition = {"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}}
    revision = drafts.create_draft(store_id=store_id, definition=definition, author=olga)
    reviews.submit_for_review(revision=revision, actor=olga)

    delivery.deliver_due()

    [payload] = receiver.json()
    assert payload["message"] == (
        f"'olga' asked for a review of 'Loyalty' in '{store_id}'\n"
        f"https://memadmin.example.com/reviews/{revision.pk}/"
    )
    assert Delivery.objects.get(configured_key__gt="").status == Delivery.Status.SENT


def test_a_failure_is_explained_without_the_destinations_url(
    person, store_id, make_receiver, caplog
):
    receiver = make_receiver(status=500)
    port = receiver.url.rsplit(":", 1)[1]
    Destination.objects.create(
        name="chat",
        channel=Destination.Channel.APPRISE,
        url=f"json://hookuser:hookPassword42@127.0.0.1:{port}/TOKENsecret123456",
        masked_url="json://127.0.0.1/••••",
    )
    olga = person("Operator", "olga")
    revision = drafts.create_draft(
        store_id=store_id, definition={"displayName": "Loyalty"}, author=olga
    )
    reviews.submit_for_review(revision=revision, actor=olga)

    delivery.deliver_due()

    row = Delivery.objects.get(destination__name="chat")
    assert row.status == Delivery.Status.RETRYING
    assert row.last_error.startswith("Apprise:")
    for secret in ("TOKENsecret123456", "hookPassword42"):
        assert secret not in row.last_error
        assert secret not in caplog.text


def test_a_destination_dropped_from_the_environment_fails_with_a_reason(
    person, store_id, make_receiver, settings
):
    settings.NOTIFY_APPRISE_URLS = ["json://127.0.0.1:9/gone"]
    olga = person("Operator", "olga")
    revision = drafts.create_draft(
        store_id=store_id, definition={"displayName": "Loyalty"}, author=olga
    )
    reviews.submit_for_review(revision=revision, actor=olga)
    settings.NOTIFY_APPRISE_URLS = []

    delivery.deliver_due()

    row = Delivery.objects.get()
    assert row.last_error == "This destination is no longer in NOTIFY_APPRISE_URLS."


def test_a_digest_of_two_changes_to_one_group_says_which_revision_each_is():
    first, second = notification("Preferences"), notification("Preferences")
    first.revision_id, second.revision_id = 7, 9

    body = messages.email_body([first, second])

    assert "'rita_r' approved 'Preferences' in 'sandbox' (revision 7)" in body
    assert "'rita_r' approved 'Preferences' in 'sandbox' (revision 9)" in body
