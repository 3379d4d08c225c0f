"""Writes for dry runs: ask for one, resume one, record that masked examples were seen."""

from django.conf import settings
from django.db import transaction

from memadmin.dryrun import tasks
from memadmin.dryrun.checks import any_trait_to_check
from memadmin.dryrun.models import DryRun
from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.services import record_revision_event


class NothingToCheck(Exception):
    """The revision changes no live trait's type or rule: no current value can break."""


class NotResumable(Exception):
    """Only an interrupted dry run resumes; others are done, failed or still running."""


def start_dry_run(*, revision: TraitGroupRevision, actor) -> DryRun:
    """A queued dry run of the revision as it is now; an unfinished identical one is reused."""
    group = revision.trait_group
    live = group.live_definition if group is not None else None
    if group is None or not any_trait_to_check(live, revision.definition):
        raise NothingToCheck(
            "This revision changes no data type or rule of a live trait: no value that "
            "profiles hold today could be rejected, so there is nothing to dry-run."
        )
    digest = revision.definition_key
    with transaction.atomic():
        # Two quick clicks must not start two runs. Locking the runs found locks nothing
        # when there are none yet, so the revision's row is the lock both requests wait on
        # (SQLite's IMMEDIATE transactions already take turns).
        TraitGroupRevision.objects.select_for_update().filter(pk=revision.pk).exists()
        running = DryRun.objects.filter(
            revision=revision,
            definition_digest=digest,
            live_version=group.live_version,
            state__in=DryRun.ACTIVE_STATES,
        ).first()
        if running is not None:
            return running
        run = DryRun.objects.create(
            revision=revision,
            store_id=revision.store_id,
            live_version=group.live_version,
            definition_digest=digest,
            sample_size=settings.DRY_RUN_SAMPLE_SIZE,
            requested_by=actor,
        )
        _record(run, actor=actor, action="dryrun.started")
        transaction.on_commit(lambda: tasks.run_dry_run_task.enqueue(run.pk))
    return run


def resume_dry_run(*, dry_run: DryRun, actor) -> DryRun:
    """Puts an interrupted dry run back in the queue; it carries on from its cursor."""
    with transaction.atomic():
        resumed = DryRun.objects.filter(pk=dry_run.pk, state=DryRun.State.INTERRUPTED).update(
            state=DryRun.State.QUEUED
        )
        if not resumed:
            raise NotResumable(
                f"Dry run {dry_run.pk} is {dry_run.get_state_display().lower()}: only an "
                "interrupted dry run can be resumed."
            )
        _record(dry_run, actor=actor, action="dryrun.resumed")
        transaction.on_commit(lambda: tasks.run_dry_run_task.enqueue(dry_run.pk))
    dry_run.refresh_from_db()
    return dry_run


def record_examples_viewed(*, dry_run: DryRun, actor) -> None:
    """Audits that `actor` saw the masked examples: which run and traits, never a value."""
    _record(
        dry_run,
        actor=actor,
        action="dryrun.examples_viewed",
        after={"traits": sorted(dry_run.masked_examples)},
    )


def _record(run: DryRun, *, actor, action: str, after=None) -> None:
    record_revision_event(action, actor=actor, revision=run.revision, target=run, after=after)
