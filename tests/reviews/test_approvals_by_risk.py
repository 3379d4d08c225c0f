"""Approvals by risk tier: the page says how many a revision needs and why, the server
refuses to publish with fewer, and each approval must come from a different reviewer."""

import copy

import pytest
from django.urls import reverse

from memadmin.dryrun.models import DryRun
from memadmin.reviews import services
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.selectors import content_digest

State = TraitGroupRevision.State


def revise(contact, operator, change) -> TraitGroupRevision:
    """A revision of Customer changed by `change(traits)`, submitted for review."""
    revision = traitgroup_services.start_edit(trait_group=contact, author=operator)
    definition = copy.deepcopy(revision.definition)
    change(definition["traits"])
    revision = traitgroup_services.save_draft(
        revision=revision, definition=definition, lock_version=revision.lock_version, actor=operator
    )
    return services.submit_for_review(revision=revision, actor=operator)


def drop_email_promotion(traits):
    del traits["email"]["idTypePromotion"]


def add_nickname(traits):
    traits["nickname"] = {"dataType": "STRING"}


def tighten_postal_code(traits):
    traits["postalCode"]["validationRule"] = {"ruleType": "STRING", "maxLength": 5}


def page_of(client, revision) -> str:
    return client.get(reverse("reviews:revision", args=[revision.pk])).content.decode()


@pytest.fixture
def high(contact, operator):
    return revise(contact, operator, drop_email_promotion)


def test_a_high_risk_revision_stays_in_review_after_one_approval(client, high, reviewer):
    services.approve(revision=high, actor=reviewer)
    high.refresh_from_db()
    assert high.state == State.IN_REVIEW
    client.force_login(reviewer)
    page = page_of(client, high)
    assert "HIGH risk" in page
    assert "1 of 2 approvals" in page
    assert "changes the identifier promotion of <code>email</code>" in page
    assert ">Publish<" not in page


def test_publishing_with_too_few_approvals_is_refused_with_the_reason(client, high, reviewer):
    services.approve(revision=high, actor=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("reviews:publish", args=[high.pk]))
    assert response.status_code == 409
    assert "It has 1 of the 2 approvals its HIGH risk needs" in response.content.decode()
    high.refresh_from_db()
    assert high.state == State.IN_REVIEW and not high.operations.exists()


def test_the_same_reviewer_cannot_give_the_second_approval(client, high, reviewer):
    services.approve(revision=high, actor=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("reviews:approve", args=[high.pk]))
    assert response.status_code == 409
    assert "already reviewed" in response.content.decode()
    assert high.reviews.count() == 1


def test_the_author_cannot_give_the_second_approval(client, high, reviewer, operator):
    services.approve(revision=high, actor=reviewer)
    client.force_login(operator)
    assert client.post(reverse("reviews:approve", args=[high.pk])).status_code == 403


def test_a_second_reviewer_approves_and_the_high_revision_can_be_published(
    client, high, reviewer, make_user
):
    services.approve(revision=high, actor=reviewer)
    second = make_user("Reviewer", username="second-reviewer")
    services.approve(revision=high, actor=second)
    high.refresh_from_db()
    assert high.state == State.APPROVED
    client.force_login(second)
    assert ">Publish<" in page_of(client, high)
    response = client.post(reverse("reviews:publish", args=[high.pk]))
    assert response.status_code == 302
    high.refresh_from_db()
    assert high.operations.exists()


def test_a_low_risk_revision_needs_one_approval(contact, operator, reviewer, client):
    revision = revise(contact, operator, add_nickname)
    services.approve(revision=revision, actor=reviewer)
    revision.refresh_from_db()
    assert revision.state == State.APPROVED
    client.force_login(reviewer)
    page = page_of(client, revision)
    assert "LOW risk" in page and "1 of 1 approval" in page and ">Publish<" in page


def test_approvals_per_tier_come_from_the_setting(settings, contact, operator, reviewer):
    settings.REVIEW_APPROVALS_REQUIRED = {"LOW": 2, "MEDIUM": 2, "HIGH": 3}
    revision = revise(contact, operator, add_nickname)
    services.approve(revision=revision, actor=reviewer)
    revision.refresh_from_db()
    assert revision.state == State.IN_REVIEW


def finish_dry_run(revision, *, rejected: dict[str, int], sampled=1000) -> DryRun:
    """A finished dry run of `revision` as it stands (the dry-run job's result, stored)."""
    return DryRun.objects.create(
        revision=revision,
        store_id=revision.store_id,
        live_version=revision.trait_group.live_version,
        definition_digest=content_digest(revision.definition),
        state=DryRun.State.DONE,
        sample_size=sampled,
        sampled=sampled,
        violations={
            name: {"rejected": count, "sampled": sampled, "reason": "maxLength"}
            for name, count in rejected.items()
        },
    )


def test_a_clean_dry_run_lowers_a_tightening_to_medium(contact, operator, reviewer):
    revision = revise(contact, operator, tighten_postal_code)
    finish_dry_run(revision, rejected={"postalCode": 0})
    services.approve(revision=revision, actor=reviewer)
    revision.refresh_from_db()
    assert revision.state == State.APPROVED


def test_a_dry_run_finding_violations_after_approval_blocks_publishing_until_a_second_approval(
    client, contact, operator, reviewer, make_user
):
    revision = revise(contact, operator, tighten_postal_code)
    finish_dry_run(revision, rejected={"postalCode": 0})
    services.approve(revision=revision, actor=reviewer)
    revision.refresh_from_db()
    assert revision.state == State.APPROVED
    finish_dry_run(revision, rejected={"postalCode": 37})  # a later run finds violations

    client.force_login(reviewer)
    page = page_of(client, revision)
    assert "HIGH risk" in page and "37 of 1,000 sampled profiles" in page
    assert ">Publish<" not in page
    response = client.post(reverse("reviews:publish", args=[revision.pk]))
    assert response.status_code == 409

    second = make_user("Reviewer", username="second-reviewer")
    client.force_login(second)
    assert ">Approve<" in page_of(client, revision)
    assert client.post(reverse("reviews:approve", args=[revision.pk])).status_code == 302
    assert ">Publish<" in page_of(client, revision)
