"""Fixtures for version history: the instant emulator, groups published through
review, and a way to change a group behind memadmin's back."""

import pytest

from memadmin.operations import polling
from memadmin.reviews import publishing, services
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision


@pytest.fixture(autouse=True)
def on_the_instant_emulator(instant_emulator):
    return instant_emulator


@pytest.fixture
def change_in_twilio(twilio, store_id):
    """Call with a group name and a PATCH body: Twilio changes, memadmin is not told."""

    def change(name: str, body: dict) -> None:
        response = twilio.patch(f"/v1/ControlPlane/Stores/{store_id}/TraitGroups/{name}", json=body)
        assert response.status_code == 202, response.text
        twilio.get(response.json()["statusUrl"])  # the emulator settles it on the next request

    return change


@pytest.fixture
def delete_in_twilio(twilio, store_id):
    def delete(name: str) -> None:
        response = twilio.delete(f"/v1/ControlPlane/Stores/{store_id}/TraitGroups/{name}")
        assert response.status_code == 202, response.text
        twilio.get(response.json()["statusUrl"])

    return delete


@pytest.fixture
def publish(db, store_id, operator, reviewer, second_reviewer):
    """Call with a definition: it goes through draft, review, approval and publishing."""

    def go(definition: dict) -> TraitGroup:
        group = TraitGroup.objects.filter(
            store_id=store_id, name=definition["displayName"], deleted_in_twilio=False
        ).first()
        if group is None:
            revision = traitgroup_services.create_draft(
                store_id=store_id, definition=definition, author=operator
            )
        else:
            group = traitgroup_services.fetch_group(store_id=store_id, name=group.name)
            revision = traitgroup_services.start_edit(trait_group=group, author=operator)
            revision = traitgroup_services.save_draft(
                revision=revision,
                definition=definition,
                lock_version=revision.lock_version,
                actor=operator,
            )
        return through_review(revision, operator=operator, reviewers=(reviewer, second_reviewer))

    return go


@pytest.fixture
def reviewed_and_published(operator, reviewer, second_reviewer):
    """Call with a revision: it is submitted, approved and published."""

    def go(revision) -> TraitGroup:
        return through_review(revision, operator=operator, reviewers=(reviewer, second_reviewer))

    return go


@pytest.fixture
def second_reviewer(make_user):
    return make_user("Reviewer", username="second-reviewer")


def through_review(revision, *, operator, reviewers) -> TraitGroup:
    """Submitted, approved by as many reviewers as its risk tier asks (HIGH: two), published."""
    revision.refresh_from_db()
    if revision.state != TraitGroupRevision.State.IN_REVIEW:
        services.submit_for_review(revision=revision, actor=operator)
    for approver in reviewers:
        services.approve(revision=revision, actor=approver)
        revision.refresh_from_db()
        if revision.state == TraitGroupRevision.State.APPROVED:
            break
    reviewer = reviewers[0]
    operation = publishing.publish(revision=revision, actor=reviewer)
    # The worker's poll, now: the emulator has settled the operation already.
    polling.poll(operation_id=operation.pk, force=True)
    revision.refresh_from_db()
    assert revision.state == TraitGroupRevision.State.PUBLISHED, revision.state
    return TraitGroup.objects.get(pk=revision.trait_group_id)
