"""Live validation knows Twilio's limits page, so no refusal from Twilio comes as a surprise."""

import pytest
from django.urls import reverse

from memadmin.reviews import services as review_services
from memadmin.reviews.workflow import ReviewRefused
from memadmin.traitgroups.builder import state as builder_state
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.validation import ValidationContext, validate

CONTACT_TYPES = {"email": "STRING", "phone": "STRING", "street": "STRING"}


def draft(display_name="Loyalty", rows=()):
    traits = []
    for key, row in enumerate(rows):
        full = builder_state.blank_row(key)
        full.update(row)
        traits.append(full)
    return {"displayName": display_name, "description": "", "traits": traits}


def messages(d, context=None, *, errors_only=False):
    return [i.message for i in validate(d, context) if i.is_error or not errors_only]


@pytest.mark.parametrize(("length", "ok"), [(64, True), (65, False)])
def test_trait_names_longer_than_64_characters_are_errors(length, ok):
    found = messages(draft(rows=[{"name": "t" * length, "dataType": "STRING"}]), errors_only=True)
    assert (found == []) is ok
    if not ok:
        assert found == ["Use at most 64 characters, Twilio's limit for trait names (this has 65)."]


def test_near_the_group_limit_the_builder_counts_and_at_it_refuses():
    assert "48 of 50 groups in this store: Twilio allows 50." in messages(
        draft(), ValidationContext(group_count=48)
    )
    full = messages(draft(), ValidationContext(group_count=50), errors_only=True)
    assert full == [
        "50 of 50 groups in this store: Twilio allows no more. "
        "Delete a group before creating another."
    ]
    assert messages(draft(), ValidationContext(group_count=10)) == []


def test_an_unknown_identifier_type_is_an_error_listing_the_store_types():
    row = {"name": "card", "dataType": "STRING", "idTypePromotion": "card"}
    found = messages(
        draft(rows=[row]), ValidationContext(id_types=("email", "phone")), errors_only=True
    )
    assert found == [
        "'card' is not an identifier type of this store's Identity Resolution Settings "
        "(configured: email, phone), and Twilio refuses it."
    ]


def test_built_in_traits_of_contact_cannot_be_removed_or_retyped_but_traits_can_be_added():
    context = ValidationContext(fixed_display_name="Contact", protected_traits=CONTACT_TYPES)
    rows = [
        {"name": "email", "dataType": "STRING"},
        {"name": "phone", "dataType": "NUMBER"},
        {"name": "nickname", "dataType": "STRING"},
    ]
    found = messages(draft("Contact", rows), context, errors_only=True)
    assert found == [
        "'phone' is a built-in trait of Contact: its data type stays STRING.",
        "'street' is a built-in trait of Contact, an out-of-the-box group that Twilio "
        "protects: it cannot be removed. Add it back.",
    ]


@pytest.fixture
def synced_contact(db, store_id):
    from memadmin.stores.services import sync_store

    sync_store(store_id=store_id)
    return TraitGroup.objects.get(store_id=store_id, name="Contact")


def test_contact_is_not_offered_for_deletion_and_its_deletion_is_refused(
    operator_client, operator, synced_contact
):
    page = operator_client.get(synced_contact.get_absolute_url()).content.decode()
    assert "Out-of-the-box: cannot be deleted" in page
    assert reverse("reviews:request_delete", args=[synced_contact.store_id, "Contact"]) not in page
    with pytest.raises(ReviewRefused, match="out-of-the-box group"):
        review_services.request_delete(
            trait_group=synced_contact, actor=operator, confirm_name="Contact"
        )
    assert not TraitGroupRevision.objects.exists()


def test_editing_contact_shows_its_built_in_traits_locked_and_refuses_removing_one(
    operator_client, store_id, synced_contact
):
    response = operator_client.post(reverse("traitgroups:edit", args=[store_id, "Contact"]))
    page = operator_client.get(response.url).content.decode()
    assert page.count("Built-in: locked") == 9
    assert 'aria-label="Remove trait' not in page
    revision = TraitGroupRevision.objects.get()
    definition = {**revision.definition, "traits": dict(revision.definition["traits"])}
    del definition["traits"]["street"]
    from memadmin.traitgroups import selectors

    revision.definition = definition
    assert [issue.code for issue in selectors.definition_errors(revision)] == [
        "protected_trait_removed"
    ]


def test_a_copy_of_contacts_traits_drawn_first_does_not_unlock_contacts_rows(
    operator_client, operator, store_id, synced_contact
):
    """Rendered rows are cached by what they show; whether a row is locked is part of that."""
    from memadmin.traitgroups import services as drafts

    copy = {**synced_contact.live_definition, "displayName": "ContactCopy"}
    draft = drafts.create_draft(store_id=store_id, definition=copy, author=operator)
    copy_page = operator_client.get(reverse("traitgroups:revision", args=[draft.pk]))
    assert "Built-in: locked" not in copy_page.content.decode()

    response = operator_client.post(reverse("traitgroups:edit", args=[store_id, "Contact"]))
    page = operator_client.get(response.url).content.decode()
    assert page.count("Built-in: locked") == 9
