"""The review page shows what a person needs to decide: what changed since their round,
why a button is missing, what a published revision changed, and no Publish that must fail."""

import copy

import pytest
from django.urls import reverse

from memadmin.operations import polling
from memadmin.reviews import publishing, services
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State


def page_of(client, revision) -> str:
    response = client.get(reverse("reviews:revision", args=[revision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, heading: str) -> str:
    """The HTML of the card whose h2 is `heading`."""
    start = page.index(heading)
    return page[start : page.index("</section>", start)]


def test_round_2_shows_the_changes_since_round_1(client, operator, reviewer, in_review):
    services.request_changes(revision=in_review, actor=reviewer, comment="Keep street.")
    in_review.refresh_from_db()
    definition = copy.deepcopy(in_review.definition)
    definition["traits"]["street"] = {"dataType": "STRING"}
    traitgroup_services.save_draft(
        revision=in_review,
        definition=definition,
        lock_version=in_review.lock_version,
        actor=operator,
    )
    services.submit_for_review(revision=in_review, actor=operator)

    client.force_login(reviewer)
    page = page_of(client, in_review)
    since = section(page, "Changes since round 1")
    assert 'data-trait="street"' in since and "added" in since
    assert 'data-trait="nickname"' not in since  # unchanged since round 1
    assert "This is the first revision" not in page


def test_a_comment_on_a_trait_sits_beside_that_traits_diff_row(client, operator, in_review):
    services.comment(
        revision=in_review, actor=operator, body="Billing asked for this.", trait_name="nickname"
    )
    client.force_login(operator)
    live = section(page_of(client, in_review), "Against the live definition")
    row = live[live.index('data-trait="nickname"') :]
    row = row[: row.index("</tr>")]
    assert "Billing asked for this." in row


def test_a_reviewer_who_rebased_is_told_why_they_cannot_approve_and_sees_no_old_failure(
    client, reviewer, approved, change_contact_in_twilio
):
    change_contact_in_twilio({"loyaltyTier": {"dataType": "STRING"}})
    with pytest.raises(publishing.PublishConflict):
        publishing.publish(revision=approved, actor=reviewer)
    client.force_login(reviewer)
    assert "Whoever rebases submits the new round" in page_of(client, approved)

    publishing.rebase_revision(revision=approved, actor=reviewer)
    page = page_of(client, approved)
    assert ">Approve<" not in page
    assert 'data-testid="review-refusal"' in page and "someone else must review it" in page
    assert "status-FAILED" not in page  # the 412 belonged to the round before the rebase


def test_a_published_revision_shows_what_it_changed_not_a_diff_against_todays_live(
    client, reviewer, approved, change_contact_in_twilio
):
    operation = publishing.publish(revision=approved, actor=reviewer)
    polling.poll(operation_id=operation.pk, force=True)
    approved.refresh_from_db()
    assert approved.state == State.PUBLISHED
    change_contact_in_twilio({"loyaltyTier": {"dataType": "STRING"}})  # later, elsewhere

    client.force_login(reviewer)
    changed = section(page_of(client, approved), "What publishing changed")
    assert 'data-trait="street"' in changed and "diff-removed" in changed
    assert 'data-trait="nickname"' in changed
    assert "loyaltyTier" not in changed  # not part of this revision


def test_a_revision_known_to_be_stale_offers_rebase_not_publish(
    client, reviewer, approved, change_contact_in_twilio
):
    change_contact_in_twilio({"loyaltyTier": {"dataType": "STRING"}})
    client.force_login(reviewer)
    page = page_of(client, approved)
    assert "Twilio now holds version" in page
    assert ">Publish<" not in page
    assert ">Rebase on live<" in page


def test_changes_requested_gives_the_author_an_edit_link_back_to_the_builder(
    client, operator, reviewer, in_review
):
    services.request_changes(revision=in_review, actor=reviewer, comment="Keep street.")
    client.force_login(operator)
    builder = reverse("traitgroups:revision", args=[in_review.pk])
    assert f'href="{builder}">Edit</a>' in page_of(client, in_review)
    assert client.get(builder).status_code == 200


def test_editing_a_group_with_a_revision_in_review_warns_of_the_coming_rebase(
    client, make_user, contact, in_review
):
    colleague = make_user("Operator", username="otto")
    draft = traitgroup_services.start_edit(trait_group=contact, author=colleague)
    client.force_login(colleague)
    page = client.get(reverse("traitgroups:revision", args=[draft.pk])).content.decode()
    assert 'data-testid="submitted-beside"' in page
    assert f"revision {in_review.pk}</a> by operator (in review)" in page
