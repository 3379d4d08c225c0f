"""The revision state machine: which moves are legal, and making one.

This table is the whole life of a revision, and `transition()` the only code that changes
a revision's state: it checks the table under a row lock and records the audit event
(`revision.state_changed`, the state before and after). Who makes each move:

- `services`: submit (DRAFT, CHANGES_REQUESTED or FAILED → IN_REVIEW), approve, request
  changes, withdraw, and a delete request (a new revision straight into review);
- `publishing`: publish (APPROVED → PUBLISHING), rebase (→ IN_REVIEW), and, once Twilio
  has finished, `settle_revision` (PUBLISHING → PUBLISHED, FAILED, or CHANGES_REQUESTED
  after a 412) and `resume_publishing` (FAILED → PUBLISHING when a refused submission is
  retried). docs/architecture.md draws the same table with each move's service.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.services import record_revision_event

State = TraitGroupRevision.State

TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.IN_REVIEW, State.WITHDRAWN}),
    State.IN_REVIEW: frozenset({State.APPROVED, State.CHANGES_REQUESTED, State.WITHDRAWN}),
    State.CHANGES_REQUESTED: frozenset({State.IN_REVIEW, State.WITHDRAWN}),
    # Back to review when a rebase changed what was approved.
    State.APPROVED: frozenset({State.PUBLISHING, State.IN_REVIEW, State.WITHDRAWN}),
    # A 412 (the group changed in Twilio meanwhile) sends the revision back for rework.
    State.PUBLISHING: frozenset({State.PUBLISHED, State.FAILED, State.CHANGES_REQUESTED}),
    # Publishing again is the Retry of the same submission, exactly as approved.
    State.FAILED: frozenset({State.IN_REVIEW, State.WITHDRAWN, State.PUBLISHING}),
    State.PUBLISHED: frozenset(),
    State.WITHDRAWN: frozenset(),
}

# Why a move is refused, in words, by the state it would start from.
_DEAD_ENDS = {
    State.PUBLISHED: "it has been published; start a new edit of the trait group instead",
    State.WITHDRAWN: "it was withdrawn; start a new edit of the trait group instead",
    State.PUBLISHING: "it is being published; wait until Twilio has finished",
}


class ReviewRefused(Exception):
    """A review action that cannot happen as asked; the message says why, for a person."""


class InvalidReviewInput(ReviewRefused):
    """What the person typed cannot be used (an empty comment, a mistyped name): a 400."""


class IllegalTransition(ReviewRefused):
    """A move the state machine does not allow; the message says why in one sentence."""


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def explain_refusal(revision: TraitGroupRevision, to_state: str) -> str:
    current = State(revision.state).label.lower()
    target = State(to_state).label.lower()
    reason = _DEAD_ENDS.get(revision.state, "that is not a step a revision can take from there")
    return f"Revision {revision.pk} is {current} and cannot become {target}: {reason}."


def transition(
    revision: TraitGroupRevision, to_state: str, *, actor, at: datetime | None = None
) -> TraitGroupRevision:
    """Moves `revision` to `to_state` if the table allows it from its current (locked) state,
    and audits the move; `at` is when it happened if not now (Twilio's completion time).

    The row is re-read under a lock, so two reviewers pressing buttons at once cannot both
    move it; the in-memory `revision` is updated to match. Permission checks happen in the
    services.
    """
    now = timezone.now()
    at = at or now
    with transaction.atomic():
        current = TraitGroupRevision.objects.select_for_update().get(pk=revision.pk)
        if not can_transition(current.state, to_state):
            raise IllegalTransition(explain_refusal(current, to_state))
        changes = {"state": to_state, "lock_version": F("lock_version") + 1, "updated_at": now}
        if to_state == State.IN_REVIEW:
            changes["submitted_at"] = at
        if to_state == State.PUBLISHED:
            changes["published_at"] = at
        TraitGroupRevision.objects.filter(pk=current.pk).update(**changes)
        record_revision_event(
            "revision.state_changed",
            actor=actor,
            revision=current,
            before={"state": current.state},
            after={"state": to_state},
        )
    revision.refresh_from_db()
    return revision
