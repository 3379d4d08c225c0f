"""Publishing only what was approved; a 412 from Twilio, the conflict, and the rebase."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from memadmin.memory_api.client import memory_api_client
from memadmin.operations.models import Operation
from memadmin.reviews import publishing, selectors, services
from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.services import fetch_group

State = TraitGroupRevision.State


def live_traits(store_id, name="Customer"):
    return memory_api_client().fetch_trait_group(store_id, name).traits


def test_publishing_an_approved_revision_sends_the_minimal_patch_with_if_match(
    client, reviewer, approved, store_id
):
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish", args=[approved.pk]))
    assert response.status_code == 302
    operation = Operation.objects.get()
    assert operation.method == "PATCH"
    assert operation.if_match == approved.base_etag
    assert operation.request_body["traits"]["street"] == {"dataType": ""}
    assert "email" not in operation.request_body["traits"]
    assert set(live_traits(store_id)) == set(approved.definition["traits"])


def test_a_change_in_twilio_after_review_gets_a_412_even_when_memadmin_saw_it(
    reviewer, approved, change_contact_in_twilio, store_id
):
    console = {"dataType": "STRING", "description": "Changed in the console"}
    change_contact_in_twilio({"street": console})
    # memadmin's live snapshot catches up (a sync, someone opening the group page)...
    group = fetch_group(store_id=store_id, name="Customer")
    assert group.live_etag != approved.base_etag

    # ...but what was reviewed is the base: Twilio refuses, nothing is overwritten.
    with pytest.raises(publishing.PublishConflict, match="412"):
        publishing.publish(revision=approved, actor=reviewer)

    operation = Operation.objects.get()
    assert operation.if_match == approved.base_etag
    assert operation.error_code in (412, 20412)
    assert live_traits(store_id)["street"]["description"] == "Changed in the console"
    approved.refresh_from_db()
    assert approved.state == State.CHANGES_REQUESTED


def test_a_delete_carries_the_reviewed_etag_as_if_match(
    operator, reviewer, contact, store_id, monkeypatch, make_user
):
    # The contract documents If-Match for PATCH only; memadmin sends it on DELETE as well,
    # so that a Twilio that honours it refuses to delete a group changed since review.
    revision = services.request_delete(trait_group=contact, actor=operator, confirm_name="Customer")
    services.approve(revision=revision, actor=reviewer)
    # Deleting a group is HIGH risk: a second reviewer approves too.
    services.approve(revision=revision, actor=make_user("Reviewer", username="second-reviewer"))
    revision.refresh_from_db()
    sent = []
    client = memory_api_client()
    original = client.delete_trait_group
    monkeypatch.setattr(
        client,
        "delete_trait_group",
        lambda *args, **kwargs: sent.append(kwargs) or original(*args, **kwargs),
    )

    publishing.publish(revision=revision, actor=reviewer)

    assert revision.base_etag and sent == [{"if_match": revision.base_etag}]


def test_only_approved_revisions_are_published(client, reviewer, in_review):
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish", args=[in_review.pk]))
    assert response.status_code == 409
    assert "Only an approved revision can be published" in response.content.decode()
    assert not Operation.objects.exists()


def test_a_revision_edited_after_approval_is_not_published(reviewer, approved):
    TraitGroupRevision.objects.filter(pk=approved.pk).update(
        definition={**approved.definition, "description": "sneaked in"}
    )
    approved.refresh_from_db()
    with pytest.raises(services.ReviewRefused, match="changed after it was approved"):
        publishing.publish(revision=approved, actor=reviewer)


def test_a_412_shows_the_conflict_and_a_rebase_sends_the_merged_revision_back_to_review(
    client, make_user, reviewer, approved, change_contact_in_twilio, store_id
):
    # Someone edits Customer in Twilio directly: a new trait, and postalCode (which we edit too).
    change_contact_in_twilio(
        {
            "loyaltyTier": {"dataType": "STRING"},
            "postalCode": {"dataType": "STRING", "description": "Changed in the console"},
        },
    )
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish", args=[approved.pk]))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Changed in Twilio meanwhile" in page and "412" in page
    assert ">Rebase on live<" in page
    approved.refresh_from_db()
    assert approved.state == State.CHANGES_REQUESTED
    assert "loyaltyTier" in live_traits(store_id) and "street" in live_traits(store_id)
    # The conflict stays on the page after a reload.
    page = client.get(reverse("reviews:revision", args=[approved.pk])).content.decode()
    assert "Changed in Twilio meanwhile" in page

    response = client.post(reverse("reviews:rebase", args=[approved.pk]), follow=True)
    assert response.status_code == 200
    assert "Conflict on postalCode" in response.content.decode()
    approved.refresh_from_db()
    assert approved.state == State.IN_REVIEW
    traits = approved.definition["traits"]
    assert "loyaltyTier" in traits  # theirs kept
    assert "nickname" in traits and "street" not in traits  # ours replayed
    assert traits["postalCode"]["validationRule"]["pattern"]  # both changed: ours kept
    assert approved.base_definition["traits"]["loyaltyTier"] == {"dataType": "STRING"}
    assert selectors.current_round(approved).number == 2
    assert selectors.publish_conflict(approved) is None

    # Back through review (four eyes again; HIGH risk, so two), then the publish goes through.
    for name in ("rob", "ruth"):
        services.approve(revision=approved, actor=make_user("Reviewer", username=name))
    approved.refresh_from_db()
    assert approved.state == State.APPROVED
    assert client.post(reverse("reviews:publish", args=[approved.pk])).status_code == 302
    assert set(live_traits(store_id)) == set(traits)


def test_a_rebase_is_refused_for_a_new_group(client, operator, contact):
    from memadmin.traitgroups.services import create_draft

    revision = create_draft(
        store_id=contact.store_id, definition={"displayName": "Loyalty"}, author=operator
    )
    client.force_login(operator)
    response = client.post(reverse("reviews:rebase", args=[revision.pk]))
    assert response.status_code == 409
    assert "no live definition" in response.content.decode()


def test_whoever_rebased_cannot_approve_the_rebased_round(
    reviewer, approved, change_contact_in_twilio
):
    change_contact_in_twilio({"loyaltyTier": {"dataType": "STRING"}})
    with pytest.raises(publishing.PublishConflict):
        publishing.publish(revision=approved, actor=reviewer)
    publishing.rebase_revision(revision=approved, actor=reviewer)
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.approve(revision=approved, actor=reviewer)
