"""Promoting groups from sandbox to production makes drafts in production, for review."""

import pytest
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.stores.promotion import PromotionError, promote
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from tests.fakes import PRODUCTION, SANDBOX, create_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(api):
    """Sandbox has Orders and a changed Contact; production has only the seeded Contact."""
    create_groups(api, SANDBOX, ["Orders"])
    api.update_trait_group(SANDBOX, "Contact", {"traits": {"tier": {"dataType": "STRING"}}})
    api.fetch_trait_group(SANDBOX, "Contact")
    sync_store(store_id=SANDBOX, client=api)
    sync_store(store_id=PRODUCTION, client=api)


def test_promotion_creates_new_groups_and_updates_existing_ones_as_drafts(synced, operator):
    revisions = promote(
        source_store_id=SANDBOX,
        target_store_id=PRODUCTION,
        names=["Orders", "Contact"],
        actor=operator,
    )

    by_name = {revision.display_name: revision for revision in revisions}
    orders, contact = by_name["Orders"], by_name["Contact"]
    assert orders.store_id == contact.store_id == PRODUCTION
    assert orders.kind == TraitGroupRevision.Kind.CREATE
    assert orders.trait_group is None
    assert orders.definition["traits"] == {"score": {"dataType": "NUMBER"}}
    production_contact = TraitGroup.objects.get(store_id=PRODUCTION, name="Contact")
    assert contact.kind == TraitGroupRevision.Kind.UPDATE
    assert contact.trait_group == production_contact
    assert contact.base_definition == production_contact.live_definition
    assert "tier" in contact.definition["traits"]
    assert all(r.state == TraitGroupRevision.State.DRAFT for r in revisions)
    assert AuditEvent.objects.filter(action="store.promoted", store_id=PRODUCTION).exists()


def test_groups_the_target_already_holds_exactly_are_skipped(api, operator):
    sync_store(store_id=SANDBOX, client=api)
    sync_store(store_id=PRODUCTION, client=api)

    assert (
        promote(
            source_store_id=SANDBOX, target_store_id=PRODUCTION, names=["Contact"], actor=operator
        )
        == []
    )


def test_promotion_refuses_unknown_groups_and_the_same_store(synced, operator):
    with pytest.raises(PromotionError, match="Nowhere"):
        promote(
            source_store_id=SANDBOX, target_store_id=PRODUCTION, names=["Nowhere"], actor=operator
        )
    with pytest.raises(PromotionError, match="two different stores"):
        promote(source_store_id=SANDBOX, target_store_id=SANDBOX, names=["Orders"], actor=operator)
    assert not TraitGroupRevision.objects.exists()


def test_the_promote_page_shows_the_diff_against_the_target_then_creates_drafts(synced, client_for):
    client = client_for("Operator")
    url = reverse("stores:promote")

    preview = client.get(url, {"source": SANDBOX, "target": PRODUCTION})

    assert preview.status_code == 200
    assert "New: will be created" in preview.text  # Orders
    assert "Differs: will be updated" in preview.text  # Contact
    assert "traits.tier.dataType" in preview.text

    done = client.post(
        url, {"source": SANDBOX, "target": PRODUCTION, "names": ["Orders", "Contact"]}, follow=True
    )

    assert "2 draft(s) created in the target store" in done.text
    assert TraitGroupRevision.objects.filter(store_id=PRODUCTION).count() == 2


def test_promoting_with_nothing_ticked_says_so(synced, client_for):
    response = client_for("Operator").post(
        reverse("stores:promote"), {"source": SANDBOX, "target": PRODUCTION}, follow=True
    )
    assert "Pick at least one trait group" in response.text
    assert not TraitGroupRevision.objects.exists()


def test_the_promote_page_warns_when_the_target_was_never_synced(api, client_for):
    sync_store(store_id=SANDBOX, client=api)

    preview = client_for("Operator").get(
        reverse("stores:promote"), {"source": SANDBOX, "target": PRODUCTION}
    )

    assert "memadmin has never synced" in preview.text
    assert PRODUCTION in preview.text
