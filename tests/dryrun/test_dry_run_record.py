"""The DryRun record that risk tiers read: latest run, staleness, rejected traits."""

import pytest

from memadmin.dryrun.models import DryRun
from memadmin.dryrun.selectors import find_latest_dry_run
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.selectors import content_digest

pytestmark = pytest.mark.django_db
STORE = "mem_store_00000000000000000000000000"
LOYALTY = {
    "displayName": "Loyalty",
    "traits": {"tier": {"dataType": "STRING"}, "points": {"dataType": "NUMBER"}},
}


@pytest.fixture
def revision(operator):
    group = TraitGroup.objects.create(
        store_id=STORE, name="Loyalty", live_definition=LOYALTY, live_version=3
    )
    proposed = {**LOYALTY, "traits": {**LOYALTY["traits"], "tier": {"dataType": "NUMBER"}}}
    return drafts.create_draft(
        store_id=STORE, definition=proposed, author=operator, trait_group=group
    )


def run_of(revision, **fields) -> DryRun:
    return DryRun.objects.create(
        revision=revision,
        store_id=STORE,
        live_version=revision.trait_group.live_version,
        definition_digest=content_digest(revision.definition),
        sample_size=1000,
        **fields,
    )


def test_a_revision_without_dry_runs_has_no_latest(revision):
    assert find_latest_dry_run(revision) is None


def test_the_latest_dry_run_is_the_newest(revision):
    run_of(revision)
    newest = run_of(revision)
    assert find_latest_dry_run(revision) == newest


def test_a_fresh_dry_run_is_not_stale(revision):
    assert not run_of(revision).is_stale


def test_a_dry_run_goes_stale_when_the_revision_changes(revision):
    run_of(revision)
    revision.definition = {**revision.definition, "description": "changed"}
    revision.save()
    assert find_latest_dry_run(revision).is_stale


def test_a_dry_run_goes_stale_when_the_live_group_moves_on(revision):
    run = run_of(revision)
    TraitGroup.objects.filter(pk=revision.trait_group_id).update(live_version=4)
    assert not find_latest_dry_run(revision).is_stale  # judged against the revision in hand
    read_now = TraitGroupRevision.objects.select_related("trait_group").get(pk=revision.pk)
    assert find_latest_dry_run(read_now).is_stale
    assert run.live_version == 3


def test_rejected_traits_names_only_traits_with_rejections(revision):
    run = run_of(
        revision,
        violations={
            "tier": {"rejected": 37, "sampled": 1000, "reason": "not a number"},
            "points": {"rejected": 0, "sampled": 1000, "reason": ""},
        },
    )
    assert run.rejected_traits == ["tier"]
