"""Restoring recorded versions as reviewed changes: one group, or a batch from a store's
past. A restore is a draft like any other; nothing reaches Twilio without review."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied

from memadmin.history.selectors import find_open_restore, get_store_as_of
from memadmin.memory_api import MemoryApiError
from memadmin.refusals import FORBIDDEN
from memadmin.reviews import policy
from memadmin.reviews import services as review_services
from memadmin.reviews.workflow import ReviewRefused
from memadmin.traitgroups import services as traitgroup_services
from memadmin.traitgroups import versions
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion

NOT_FOUND = 404


class RestoreRefused(ReviewRefused):
    """The version cannot be restored now; the message says why."""


class AlreadyRestoring(RestoreRefused):
    """An open revision already restores that version: the person is sent to it instead."""

    def __init__(self, revision: TraitGroupRevision, version: TraitGroupVersion):
        self.revision = revision
        super().__init__(
            f"Revision {revision.pk} already restores version {version.version or '?'} of "
            f"'{version.trait_group.name}' ({revision.get_state_display().lower()}); "
            "no second draft was made."
        )


def restore_version(*, version: TraitGroupVersion, actor) -> TraitGroupRevision:
    """A draft revision holding `version`, based on the group as Twilio holds it today."""
    refused = policy.restore_refusal(actor=actor, trait_group=version.trait_group, version=version)
    if refused is not None and refused.status == FORBIDDEN:
        raise PermissionDenied(refused.message)  # before asking Twilio anything
    existing = find_open_restore(version)
    if existing is not None:
        raise AlreadyRestoring(existing, version)
    group = _today(version.trait_group)
    version.trait_group = group
    _enforce(actor=actor, trait_group=group, version=version)
    return traitgroup_services.restore_draft(version=version, author=actor)


@dataclass(frozen=True)
class RestoreOutcome:
    """What became of one group of a batch restore."""

    name: str
    revision: TraitGroupRevision | None
    error: str = ""


def restore_many(*, store_id: str, at: datetime, names: list[str], actor) -> list[RestoreOutcome]:
    """For each named group, restores its version live at `at` and submits it for review.

    One group refused (nothing to restore, a problem the builder marks) does not hold
    back the others; its draft, if one was made, stays with the person to fix.
    """
    if not actor.has_perm("traitgroups.submit_for_review"):
        raise PermissionDenied("Only operators can propose restoring groups.")
    moments = {then.group.name: then for then in get_store_as_of(store_id, at)}
    outcomes = []
    for name in dict.fromkeys(names):
        then = moments.get(name)
        if then is None or not then.existed_then:
            outcomes.append(
                RestoreOutcome(name, None, f"memadmin knows no version of '{name}' then.")
            )
            continue
        try:
            revision = restore_version(version=then.then, actor=actor)
        except AlreadyRestoring as exc:
            outcomes.append(RestoreOutcome(name, exc.revision, str(exc)))
            continue
        except ReviewRefused as exc:
            outcomes.append(RestoreOutcome(name, None, str(exc)))
            continue
        try:
            review_services.submit_for_review(revision=revision, actor=actor)
        except ReviewRefused as exc:
            outcomes.append(RestoreOutcome(name, revision, f"Left as a draft: {exc}"))
            continue
        outcomes.append(RestoreOutcome(name, revision))
    return outcomes


def _enforce(*, actor, trait_group: TraitGroup, version: TraitGroupVersion) -> None:
    refused = policy.restore_refusal(actor=actor, trait_group=trait_group, version=version)
    if refused is None:
        return
    if refused.status == FORBIDDEN:
        raise PermissionDenied(refused.message)
    raise RestoreRefused(refused.message)


def _today(group: TraitGroup) -> TraitGroup:
    """The group as Twilio holds it now (with its ETag); a 404 is recorded as a deletion."""
    try:
        return traitgroup_services.fetch_group(store_id=group.store_id, name=group.name)
    except MemoryApiError as exc:
        if exc.status != NOT_FOUND:
            raise RestoreRefused(
                f"Could not read '{group.name}' from Twilio to restore onto: {exc.user_message}"
            ) from None
    return versions.record_one(
        store_id=group.store_id,
        state=versions.LiveState.deleted(group.name),
        source=TraitGroupVersion.Source.SYNC,
    )
