"""The review journey from the builder's pages: submit, follow the review, delete, publish."""

import pytest
from django.urls import reverse

from memadmin.reviews import publishing, services
from memadmin.reviews.workflow import InvalidReviewInput
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State
SUBMIT = ">Submit for review<"


def broken(revision, operator):
    """The draft saved with a number rule the builder marks as an error (min above max)."""
    rule = {"ruleType": "NUMBER", "min": 5, "max": 1}
    definition = {
        **revision.definition,
        "traits": {"score": {"dataType": "NUMBER", "validationRule": rule}},
    }
    return traitgroup_services.save_draft(
        revision=revision, definition=definition, lock_version=revision.lock_version, actor=operator
    )


def test_a_saved_draft_without_problems_offers_submit_for_review(client, operator, draft):
    client.force_login(operator)
    page = client.get(reverse("traitgroups:revision", args=[draft.pk])).text

    assert SUBMIT in page
    assert f'action="{reverse("reviews:submit", args=[draft.pk])}"' in page


def test_a_draft_with_problems_offers_no_submit_and_the_server_refuses_it_too(
    client, operator, draft
):
    revision = broken(draft, operator)
    client.force_login(operator)

    assert SUBMIT not in client.get(reverse("traitgroups:revision", args=[revision.pk])).text
    response = client.post(reverse("reviews:submit", args=[revision.pk]))

    assert response.status_code == 400
    assert "Fix the 1 problem(s)" in response.text
    revision.refresh_from_db()
    assert revision.state == State.DRAFT


def test_submit_for_review_refuses_validation_errors_as_a_service(operator, draft):
    revision = broken(draft, operator)
    with pytest.raises(InvalidReviewInput, match=r"Must be at least min \(5\)"):
        services.submit_for_review(revision=revision, actor=operator)


def test_a_revision_links_to_the_builder_while_editable_and_to_its_review_once_submitted(
    client, operator, draft
):
    client.force_login(operator)
    group_page = reverse("traitgroups:detail", args=[draft.store_id, draft.trait_group.name])
    export = reverse("traitgroups:export", args=[draft.pk])
    assert draft.get_absolute_url() == reverse("traitgroups:revision", args=[draft.pk])
    listed = client.get(group_page).text
    assert f'href="{draft.get_absolute_url()}">Revision {draft.pk}<' in listed
    assert f'href="{export}" download' in listed

    services.submit_for_review(revision=draft, actor=operator)
    draft.refresh_from_db()
    assert draft.get_absolute_url() == reverse("reviews:revision", args=[draft.pk])
    listed = client.get(group_page).text
    assert f'href="{draft.get_absolute_url()}">Revision {draft.pk}<' in listed
    assert f'href="{export}" download' in listed

    frozen = client.get(reverse("traitgroups:revision", args=[draft.pk])).text
    assert f'href="{reverse("reviews:revision", args=[draft.pk])}"' in frozen
    assert SUBMIT not in frozen


def test_the_detail_page_offers_delete_to_operators_only(client, make_user, contact):
    delete_url = reverse("reviews:request_delete", args=[contact.store_id, contact.name])
    detail_url = reverse("traitgroups:detail", args=[contact.store_id, contact.name])
    client.force_login(make_user("Operator", username="olga"))
    assert delete_url in client.get(detail_url).text
    client.force_login(make_user("Auditor", username="audrey"))
    assert delete_url not in client.get(detail_url).text


def test_after_publishing_the_pages_show_the_operation_and_the_history(
    client, reviewer, approved, store_id
):
    operation = publishing.publish(revision=approved, actor=reviewer)
    client.force_login(reviewer)

    revision_page = client.get(reverse("traitgroups:revision", args=[approved.pk])).text
    assert f'data-operation="{operation.pk}"' in revision_page  # the live badge
    detail = client.get(reverse("traitgroups:detail", args=[store_id, "Customer"])).text
    operations = detail.split('id="operations"')[1].split('id="history"')[0]
    assert f'data-operation="{operation.pk}"' in operations
    history = detail.split('id="history"')[1]
    assert "review.submitted" in history and "traitgroup.draft_saved" in history
    assert "will appear here" not in detail
