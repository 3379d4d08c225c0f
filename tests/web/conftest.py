"""Fixtures for the site-wide browser sweeps (accessibility, phone width)."""

import pytest
from django.urls import reverse

from memadmin.audit.models import AuditEvent
from memadmin.emulator.embedded import get_embedded_emulator, reset_embedded_emulator
from memadmin.memory_api import reset_memory_api_client
from memadmin.operations import polling
from memadmin.reviews import publishing
from memadmin.reviews import services as reviews
from memadmin.stores.services import sync_store
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup


@pytest.fixture
def main_pages(transactional_db, settings, make_user):
    """A synced store, a draft, a revision in review, a published one and its operation."""
    settings.EMULATOR_STEP_SECONDS = 0.0
    reset_embedded_emulator()
    reset_memory_api_client()
    store_id = get_embedded_emulator().store_ids[0]
    sync_store(store_id=store_id)
    author = make_user("Operator", username="olga")
    approver = make_user("Reviewer", username="rob")
    contact = TraitGroup.objects.get(store_id=store_id, name="Contact")
    draft = drafts.start_edit(trait_group=contact, author=author)
    in_review = drafts.create_draft(
        store_id=store_id,
        definition={"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}},
        author=author,
    )
    reviews.submit_for_review(revision=in_review, actor=author)
    reviews.comment(revision=in_review, actor=approver, body="Why tier?", trait_name="tier")
    published = drafts.create_draft(
        store_id=store_id,
        definition={"displayName": "Billing", "traits": {"plan": {"dataType": "STRING"}}},
        author=author,
    )
    reviews.submit_for_review(revision=published, actor=author)
    reviews.approve(revision=published, actor=approver)
    operation = publishing.publish(revision=published, actor=approver)
    polling.poll(operation_id=operation.pk, force=True)
    pages = {
        "home": reverse("home"),
        "stores": reverse("stores:index"),
        "connection": reverse("stores:connection"),
        "group list": reverse("traitgroups:list", args=[store_id]),
        "group": reverse("traitgroups:detail", args=[store_id, "Contact"]),
        "reviews": reverse("reviews:inbox"),
        "review in progress": reverse("reviews:revision", args=[in_review.pk]),
        "published revision": reverse("reviews:revision", args=[published.pk]),
        "operations": reverse("operations:index"),
        "operation": reverse("operations:detail", args=[operation.pk]),
        "builder": reverse("traitgroups:new", args=[store_id]),
        "draft": reverse("traitgroups:revision", args=[draft.pk]),
        "audit log": reverse("audit:index"),
        "audit event": reverse("audit:detail", args=[AuditEvent.objects.first().pk]),
        "people": reverse("people"),
        "person": reverse("person", args=[author.pk]),
        "trait catalog": reverse("catalog:store", args=[store_id]),
        "trait": reverse("catalog:trait", args=[store_id, "Contact", "email"]),
    }
    return pages
