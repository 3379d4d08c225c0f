"""Publishing several approved revisions at once from the inbox, each exactly as approved."""

import re
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from memadmin.memory_api.client import memory_api_client
from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State


def live_names(store_id) -> Counter:
    return Counter(group.display_name for group in memory_api_client().iter_trait_groups(store_id))


def publish_picked(client, *revisions, **extra):
    """Posts the inbox's pick and follows the redirect to the result page."""
    return client.post(
        reverse("reviews:publish_many"),
        {"revision": [str(revision.pk) for revision in revisions], **extra},
        follow=True,
    )


def test_the_inbox_offers_every_approved_revision_for_publishing_together(
    client, reviewer, approve_new
):
    first, second = approve_new("Loyalty"), approve_new("Billing")
    client.force_login(reviewer)
    page = client.get(reverse("reviews:inbox")).content.decode()
    assert f'action="{reverse("reviews:publish_many")}"' in page
    for revision in (first, second):
        assert f'name="revision" value="{revision.pk}"' in page
    assert "Publish selected" in page


def test_the_picked_revisions_go_out_in_one_batch_and_land_in_twilio_once_each(
    client, reviewer, approve_new, store_id
):
    picked = [approve_new(f"Batch{i}") for i in range(5)]
    left = approve_new("NotPicked")
    client.force_login(reviewer)

    response = publish_picked(client, *picked)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sent 5 of 5 to Twilio" in page
    assert page.count('class="pill status-') >= 5  # one live badge per operation
    assert Operation.objects.filter(revision__in=picked, method="POST").count() == 5
    names = live_names(store_id)
    assert all(names[f"Batch{i}"] == 1 for i in range(5))
    assert "NotPicked" not in names
    left.refresh_from_db()
    assert left.state == State.APPROVED


def test_a_refused_revision_is_named_and_the_rest_still_go_out(
    client, reviewer, approve_new, in_review, store_id
):
    ready = approve_new("Loyalty")
    client.force_login(reviewer)

    response = publish_picked(client, in_review, ready)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sent 1 of 2 to Twilio" in page
    assert "Only an approved revision can be published" in page
    assert live_names(store_id)["Loyalty"] == 1
    assert not Operation.objects.filter(revision=in_review).exists()


def test_a_412_in_the_batch_says_rebase_and_sends_that_revision_back(
    client, reviewer, approved, approve_new, change_contact_in_twilio, store_id
):
    change_contact_in_twilio({"street": {"dataType": "STRING"}})
    other = approve_new("Loyalty")
    client.force_login(reviewer)

    response = publish_picked(client, approved, other)

    page = response.content.decode()
    assert response.status_code == 200
    assert "412" in page and "Rebase" in page
    approved.refresh_from_db()
    assert approved.state == State.CHANGES_REQUESTED
    assert live_names(store_id)["Loyalty"] == 1


def test_publishing_the_same_pick_twice_sends_nothing_more(client, reviewer, approve_new, store_id):
    picked = [approve_new("Once"), approve_new("Twice")]
    client.force_login(reviewer)
    assert publish_picked(client, *picked).status_code == 200

    again = publish_picked(client, *picked)  # the same form posted a second time

    assert again.status_code == 200
    assert "Nothing was sent" in again.content.decode()
    assert Operation.objects.count() == 2
    assert live_names(store_id)["Once"] == 1


def test_nothing_picked_is_a_clear_400_on_the_inbox(client, reviewer, approve_new):
    approve_new("Loyalty")
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish_many"), {})
    assert response.status_code == 400
    assert "Pick at least one approved revision to publish." in response.content.decode()
    assert not Operation.objects.exists()


@pytest.mark.parametrize("value", ["abc", "999999", "9" * 40])
def test_a_tampered_pick_is_a_400_and_sends_nothing(client, reviewer, approve_new, value):
    ready = approve_new("Loyalty")
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish_many"), {"revision": [str(ready.pk), value]})
    assert response.status_code == 400
    assert value in response.content.decode()
    # What the person had ticked stays ticked.
    assert re.search(f'id="publish-{ready.pk}"[^>]* checked>', response.content.decode())
    assert not Operation.objects.exists()


def test_more_than_a_batch_holds_is_refused_before_anything_is_sent(
    reviewer, approve_new, monkeypatch
):
    monkeypatch.setattr(publishing, "MAX_PUBLISHED_AT_ONCE", 2)
    picked = [approve_new(name) for name in ("One", "Two", "Three")]
    with pytest.raises(publishing.InvalidReviewInput, match="at most 2 revisions at once; 3"):
        publishing.publish_many(revisions=picked, actor=reviewer)
    assert not Operation.objects.exists()


def test_a_revision_picked_twice_is_sent_once_and_reported_once(reviewer, approve_new, store_id):
    ready = approve_new("Loyalty")
    outcomes = publishing.publish_many(revisions=[ready, ready], actor=reviewer)
    assert [(outcome.revision.pk, outcome.error) for outcome in outcomes] == [(ready.pk, "")]
    assert live_names(store_id)["Loyalty"] == 1


def test_operators_may_not_publish_many_either(client, operator, approve_new):
    ready = approve_new("Loyalty")
    client.force_login(operator)
    assert publish_picked(client, ready).status_code == 403
    ready.refresh_from_db()
    assert ready.state == State.APPROVED


def test_the_service_refuses_the_whole_batch_to_someone_who_may_not_publish(operator, approve_new):
    ready = approve_new("Loyalty")
    with pytest.raises(PermissionDenied, match="Only reviewers can publish"):
        publishing.publish_many(revisions=[ready], actor=operator)
    assert not Operation.objects.exists()


def test_reloading_the_result_page_shows_it_again_and_sends_nothing(
    client, reviewer, approve_new, store_id
):
    picked = [approve_new("Once"), approve_new("Twice")]
    client.force_login(reviewer)
    response = client.post(
        reverse("reviews:publish_many"), {"revision": [str(r.pk) for r in picked]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:published")

    reloaded = client.get(response["Location"])  # what the browser's reload asks for

    page = reloaded.content.decode()
    assert reloaded.status_code == 200
    assert "Sent 2 of 2 to Twilio" in page and "Nothing was sent" not in page
    assert Operation.objects.count() == 2
    assert live_names(store_id)["Once"] == 1
