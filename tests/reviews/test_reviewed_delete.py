"""A reviewed delete deletes what the reviewers saw, or nothing.

Twilio's DELETE takes no `If-Match` (the spec and the official library agree), so
memadmin fetches the group right before deleting it and compares ETags itself.
"""

from django.urls import reverse

from memadmin.operations.models import Operation
from memadmin.reviews import publishing, services
from memadmin.traitgroups.models import TraitGroupRevision

GROUPS = "/v1/ControlPlane/Stores/{store_id}/TraitGroups"


def approved_delete(contact, operator, reviewer, make_user) -> TraitGroupRevision:
    """A delete approved by two reviewers: deleting a group is HIGH risk."""
    revision = services.request_delete(trait_group=contact, actor=operator, confirm_name="Customer")
    services.approve(revision=revision, actor=reviewer)
    services.approve(revision=revision, actor=make_user("Reviewer", username="second-reviewer"))
    revision.refresh_from_db()
    return revision


def test_a_group_changed_after_its_delete_was_reviewed_is_not_deleted_and_offers_a_rebase(
    client, operator, reviewer, contact, make_user, change_contact_in_twilio, twilio, store_id
):
    revision = approved_delete(contact, operator, reviewer, make_user)
    change_contact_in_twilio({"loyaltyTier": {"dataType": "STRING"}})

    try:
        publishing.publish(revision=revision, actor=reviewer)
    except publishing.PublishConflict as conflict:
        operation = conflict.operation
    else:
        raise AssertionError("the delete of a changed group was sent")

    assert (operation.status, operation.error_code) == (Operation.Status.FAILED, 20412)
    assert "did not delete it" in operation.error_detail
    assert twilio.get(f"{GROUPS.format(store_id=store_id)}/Customer").status_code == 200
    client.force_login(operator)
    page = client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()
    assert "Changed in Twilio meanwhile" in page and "Rebase on live" in page


def test_an_unchanged_group_is_deleted_without_if_match_on_the_wire(
    operator, reviewer, contact, twilio, store_id, make_user
):
    revision = approved_delete(contact, operator, reviewer, make_user)

    operation = publishing.publish(revision=revision, actor=reviewer)

    assert operation.status == Operation.Status.PENDING
    twilio.get(operation.status_url)  # the emulator settles it on the next request
    assert twilio.get(f"{GROUPS.format(store_id=store_id)}/Customer").status_code == 404


def test_the_delete_page_says_a_change_in_the_last_instant_cannot_be_excluded(
    client, operator, contact
):
    client.force_login(operator)
    url = reverse("reviews:request_delete", args=[contact.store_id, contact.name])
    page = client.get(url).content.decode()
    assert "no conditional delete" in page
    assert "cannot be excluded" in page
