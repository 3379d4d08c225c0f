"""Submitting, four eyes, the approvals setting, comments, withdrawing, deleting — over HTTP."""

import pytest
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.reviews import selectors, services
from memadmin.reviews.models import Review, ReviewComment
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State


def post(client, name, revision, **data):
    return client.post(reverse(f"reviews:{name}", args=[revision.pk]), data)


def actions(revision):
    return list(
        AuditEvent.objects.filter(revision_id=revision.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_author_submits_their_draft_and_it_is_frozen_for_review(client, operator, draft):
    client.force_login(operator)
    response = post(client, "submit", draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.IN_REVIEW
    assert selectors.current_round(draft).definition == draft.definition
    assert "review.submitted" in actions(draft)


def test_reviewers_approve_and_with_the_approvals_its_risk_requires_it_is_approved(
    client, reviewer, make_user, in_review
):
    # `in_review` tightens postalCode with no dry run yet: HIGH risk, two approvals.
    client.force_login(reviewer)
    response = post(client, "approve", in_review, body="Looks right")
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    client.force_login(make_user("Reviewer", username="second-reviewer"))
    assert post(client, "approve", in_review).status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == State.APPROVED
    assert {r.decision for r in Review.objects.all()} == {Review.Decision.APPROVE}
    assert "review.approved" in actions(in_review)


def test_four_eyes_the_author_cannot_approve_their_own_revision(client, make_user, contact):
    from memadmin.traitgroups.services import start_edit

    admin = make_user("Admin", username="ada")
    revision = start_edit(trait_group=contact, author=admin)
    services.submit_for_review(revision=revision, actor=admin)
    client.force_login(admin)
    response = post(client, "approve", revision)
    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == State.IN_REVIEW
    assert not Review.objects.exists()


def test_the_approve_button_is_not_shown_to_the_author(client, operator, in_review):
    client.force_login(operator)
    page = client.get(reverse("reviews:revision", args=[in_review.pk])).content.decode()
    assert ">Approve<" not in page and ">Withdraw<" in page


def test_an_operator_cannot_approve_or_publish(client, make_user, in_review, approved):
    client.force_login(make_user("Operator", username="otto"))
    assert post(client, "approve", in_review).status_code == 403
    assert post(client, "publish", approved).status_code == 403


def test_required_approvals_come_from_the_setting(settings, make_user, in_review):
    settings.REVIEW_APPROVALS_REQUIRED = {"LOW": 2, "MEDIUM": 2, "HIGH": 2}
    first, second = make_user("Reviewer", username="rita"), make_user("Reviewer", username="rob")
    services.approve(revision=in_review, actor=first)
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    with pytest.raises(services.ReviewRefused, match="already reviewed"):
        services.approve(revision=in_review, actor=first)
    services.approve(revision=in_review, actor=second)
    in_review.refresh_from_db()
    assert in_review.state == State.APPROVED


def test_requesting_changes_needs_a_comment_and_keeps_what_was_typed(client, reviewer, in_review):
    client.force_login(reviewer)
    response = post(client, "request_changes", in_review, body="   ")
    assert response.status_code == 400
    assert "the comment is empty" in response.content.decode()
    response = post(client, "request_changes", in_review, body="Keep street: billing uses it")
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == State.CHANGES_REQUESTED
    assert ReviewComment.objects.get().body == "Keep street: billing uses it"
    assert "review.changes_requested" in actions(in_review)


def test_resubmitting_starts_a_new_round_and_old_approvals_do_not_count(
    settings, make_user, operator, in_review
):
    settings.REVIEW_APPROVALS_REQUIRED = {"LOW": 2, "MEDIUM": 2, "HIGH": 2}
    rita, rob = make_user("Reviewer", username="rita"), make_user("Reviewer", username="rob")
    services.approve(revision=in_review, actor=rita)
    services.request_changes(revision=in_review, actor=rob, comment="Not yet")
    services.submit_for_review(revision=in_review, actor=operator)
    services.approve(revision=in_review, actor=rob)
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    assert selectors.current_round(in_review).number == 2


def test_comments_thread_per_revision(client, make_user, reviewer, operator, in_review):
    client.force_login(reviewer)
    assert (
        post(client, "comment", in_review, body="Why drop street?", trait_name="street").status_code
        == 302
    )
    root = ReviewComment.objects.get()
    client.force_login(operator)
    assert (
        post(client, "comment", in_review, body="Moved to Address", parent=root.pk).status_code
        == 302
    )
    (thread,) = selectors.comments_for(in_review)
    assert thread.comment == root and [r.body for r in thread.replies] == ["Moved to Address"]
    page = client.get(reverse("reviews:revision", args=[in_review.pk])).content.decode()
    assert "Why drop street?" in page and "Moved to Address" in page
    assert actions(in_review).count("review.commented") == 2


def test_an_empty_comment_is_a_400_not_a_500(client, reviewer, in_review):
    client.force_login(reviewer)
    assert post(client, "comment", in_review, body="").status_code == 400


def test_actions_are_post_only(client, reviewer, in_review):
    client.force_login(reviewer)
    for name in [
        "submit",
        "withdraw",
        "approve",
        "request_changes",
        "comment",
        "publish",
        "rebase",
    ]:
        assert client.get(reverse(f"reviews:{name}", args=[in_review.pk])).status_code == 405


def test_illegal_moves_over_http_are_a_409_with_a_message(client, operator, approved):
    client.force_login(operator)
    response = post(client, "submit", approved)
    assert response.status_code == 409
    assert "cannot become in review" in response.content.decode()


def test_the_author_withdraws_a_draft_and_others_cannot(client, make_user, operator, draft):
    client.force_login(make_user("Operator", username="otto"))
    assert post(client, "withdraw", draft).status_code == 403
    client.force_login(operator)
    assert post(client, "withdraw", draft).status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.WITHDRAWN
    assert "review.withdrawn" in actions(draft)


def test_the_review_page_lists_breaking_changes_at_the_top(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(reverse("reviews:revision", args=[in_review.pk])).content.decode()
    breaking = page.index("Breaking changes")
    assert breaking < page.index("Against the live definition")
    assert "Trait &#x27;street&#x27; is removed" in page
    assert "pattern added" in page and "maxLength added" in page
    assert 'class="breaking"' in page


def test_the_inbox_lists_what_waits_for_me(client, make_user, reviewer, operator, in_review):
    client.force_login(reviewer)
    page = client.get(reverse("reviews:inbox")).content.decode()
    assert "Waiting for your review" in page and "Customer" in page
    services.approve(revision=in_review, actor=reviewer)
    assert in_review not in selectors.inbox_for(reviewer).to_review
    second = make_user("Reviewer", username="second-reviewer")
    assert in_review in selectors.inbox_for(second).to_review  # HIGH risk: two approvals
    services.approve(revision=in_review, actor=second)
    assert in_review in selectors.inbox_for(reviewer).to_publish
    assert in_review not in selectors.inbox_for(operator).to_review


def test_the_inbox_costs_the_same_queries_for_many_revisions(
    client, reviewer, make_user, contact, django_assert_max_num_queries
):
    from memadmin.traitgroups.services import create_draft

    for index in range(12):
        author = make_user("Operator", username=f"op{index}")
        revision = create_draft(
            store_id=contact.store_id, definition={"displayName": f"G{index}"}, author=author
        )
        services.submit_for_review(revision=revision, actor=author)
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reviews:inbox"))
    assert response.content.decode().count("<tr>") >= 13


def test_deleting_a_group_is_confirmed_by_typing_its_name_and_goes_to_review(
    client, operator, contact
):
    client.force_login(operator)
    url = reverse("reviews:request_delete", args=[contact.store_id, contact.name])
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirm_name": "customer"})
    assert response.status_code == 400
    assert "type the group&#x27;s name exactly" in response.content.decode()
    assert 'value="customer"' in response.content.decode()
    response = client.post(url, {"confirm_name": "Customer"})
    assert response.status_code == 302
    revision = TraitGroupRevision.objects.get(kind=TraitGroupRevision.Kind.DELETE)
    assert revision.state == State.IN_REVIEW
    assert "traitgroup.delete_requested" in actions(revision)
    assert client.post(url, {"confirm_name": "Customer"}).status_code == 409
    page = client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()
    assert "is deleted in Twilio" in page


def test_a_reviewer_cannot_ask_for_a_deletion(client, reviewer, contact):
    client.force_login(reviewer)
    url = reverse("reviews:request_delete", args=[contact.store_id, contact.name])
    assert client.post(url, {"confirm_name": "Customer"}).status_code == 403


@pytest.mark.parametrize("comments", [1, 20])
def test_a_review_page_costs_the_same_queries_for_any_number_of_comments_and_decisions(
    client, operator, reviewer, make_user, in_review, comments, django_assert_max_num_queries
):
    for index in range(comments):
        services.comment(revision=in_review, actor=reviewer, body=f"Note {index}")
    for index in range(comments // 10):  # decisions too: someone asked for changes
        decider = make_user("Reviewer", username=f"rev{index}")
        services.request_changes(revision=in_review, actor=decider, comment="not yet")
        in_review.refresh_from_db()
        services.submit_for_review(revision=in_review, actor=operator)
    client.force_login(reviewer)
    # 14 for a first round; a later one also reads the round before it, to diff against.
    with django_assert_max_num_queries(15):
        page = client.get(reverse("reviews:revision", args=[in_review.pk])).text
    assert page.count("Note ") >= comments and ">Approve</button>" in page
