"""Fixtures for team review (on the instant emulator): a live group, revisions in each state."""

import copy

import pytest

from memadmin.emulator.seed import CONTACT_TRAITS
from memadmin.memory_api.client import memory_api_client
from memadmin.reviews import services
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision


@pytest.fixture(autouse=True)
def on_the_instant_emulator(instant_emulator):
    return instant_emulator


# The group the reviews tests edit: Contact's traits, but not Contact, whose built-in
# traits Twilio protects from removal (and memadmin's builder locks).
CUSTOMER = "Customer"


@pytest.fixture
def customer_in_twilio(twilio, store_id):
    """Creates `Customer` in Twilio, a copy of the out-of-the-box Contact group."""
    body = {
        "displayName": CUSTOMER,
        "description": "Contact details, as a group of our own",
        "traits": copy.deepcopy(CONTACT_TRAITS),
    }
    response = twilio.post(f"/v1/ControlPlane/Stores/{store_id}/TraitGroups", json=body)
    assert response.status_code == 202, response.text
    twilio.get(response.json()["statusUrl"])  # the emulator settles it on the next request


@pytest.fixture
def change_contact_in_twilio(twilio, store_id, customer_in_twilio):
    """Call with traits: Customer is patched in Twilio directly, behind memadmin's back."""

    def change(traits: dict) -> None:
        response = twilio.patch(
            f"/v1/ControlPlane/Stores/{store_id}/TraitGroups/{CUSTOMER}", json={"traits": traits}
        )
        assert response.status_code == 202, response.text
        twilio.get(response.json()["statusUrl"])  # the emulator settles it on the next request

    return change


@pytest.fixture
def contact(db, store_id, customer_in_twilio):
    """The store's Customer group (Contact's traits), as memadmin last synced it."""
    fetched = memory_api_client().fetch_trait_group(store_id, CUSTOMER)
    return traitgroup_services.record_fetched_group(store_id=store_id, group=fetched)


def edited(definition: dict) -> dict:
    """Customer with one trait removed, one narrowed (pattern added), one added."""
    definition = copy.deepcopy(definition)
    traits = definition["traits"]
    del traits["street"]
    traits["postalCode"] = {
        **traits["postalCode"],
        "validationRule": {"ruleType": "STRING", "pattern": "^[0-9A-Z -]+$", "maxLength": 12},
    }
    traits["nickname"] = {"dataType": "STRING", "description": "What they like to be called"}
    return definition


@pytest.fixture
def draft(contact, operator):
    revision = traitgroup_services.start_edit(trait_group=contact, author=operator)
    return traitgroup_services.save_draft(
        revision=revision,
        definition=edited(revision.definition),
        lock_version=revision.lock_version,
        actor=operator,
    )


@pytest.fixture
def in_review(draft, operator):
    return services.submit_for_review(revision=draft, actor=operator)


@pytest.fixture
def approved(in_review, reviewer, make_user):
    """`in_review`, approved by as many reviewers as its risk tier requires (HIGH: two, as
    it tightens `postalCode` and no dry run has sampled the data)."""
    services.approve(revision=in_review, actor=reviewer)
    in_review.refresh_from_db()
    if in_review.state == TraitGroupRevision.State.IN_REVIEW:
        services.approve(revision=in_review, actor=make_user("Reviewer", username="second"))
        in_review.refresh_from_db()
    return in_review


@pytest.fixture
def approve_new(db, store_id, make_user):
    """Call with a name: an approved revision that creates that group with one trait."""
    author = make_user("Operator", username="new-groups-author")
    approver = make_user("Reviewer", username="new-groups-approver")

    def approve(name: str) -> TraitGroupRevision:
        definition = {"displayName": name, "traits": {"tier": {"dataType": "STRING"}}}
        revision = traitgroup_services.create_draft(
            store_id=store_id, definition=definition, author=author
        )
        services.submit_for_review(revision=revision, actor=author)
        services.approve(revision=revision, actor=approver)
        revision.refresh_from_db()
        return revision

    return approve
