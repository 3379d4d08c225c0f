"""The revision state machine: which moves are legal, and making one.

DRAFT → IN_REVIEW → APPROVED or CHANGES_REQUESTED → PUBLISHING → PUBLISHED or FAILED.
Publishing itself (APPROVED → PUBLISHING, and how it settles) belongs to
`memadmin.traitgroups.publishing` and its receivers; the table lists those moves too, so
that it is the one place to read the whole life of a revision.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State

TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.IN_REVIEW, State.WITHDRAWN}),
    # Rebasing an in-review revision starts a new round but keeps it in review.
    State.IN_REVIEW: frozenset(
        {State.APPROVED, State.CHANGES_REQUESTED, State.WITHDRAWN, State.IN_REVIEW}
    ),
    State.CHANGES_REQUESTED: frozenset({State.IN_REVIEW, State.WITHDRAWN}),
    # Back to review when a rebase changed what was approved.
    State.APPROVED: frozenset({State.PUBLISHING, State.IN_REVIEW, State.WITHDRAWN}),
    # A 412 sends the revision to CHANGES_REQUESTED (see traitgroups.receivers).
    State.PUBLISHING: frozenset({State.PUBLISHED, State.FAILED, State.CHANGES_REQUESTED}),
    State.FAILED: frozenset({State.IN_REVIEW, State.WITHDRAWN}),
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


def transition(revision: TraitGroupRevision, to_state: str, *, actor) -> TraitGroupRevision:
    """Moves `revision` to `to_state` if the table allows it from its current (locked) state.

    The row is re-read under a lock, so two reviewers pressing buttons at once cannot both
    move it; the in-memory `revision` is updated to match. `actor` is for the caller's
    audit event; permission checks happen in the services.
    """
    with transaction.atomic():
        current = TraitGroupRevision.objects.select_for_update().get(pk=revision.pk)
        if not can_transition(current.state, to_state):
            raise IllegalTransition(explain_refusal(current, to_state))
        changes = {
            "state": to_state,
            "lock_version": F("lock_version") + 1,
            "updated_at": timezone.now(),
        }
        if to_state == State.IN_REVIEW:
            changes["submitted_at"] = timezone.now()
        if to_state == State.PUBLISHED:
            changes["published_at"] = timezone.now()
        TraitGroupRevision.objects.filter(pk=current.pk).update(**changes)
    revision.refresh_from_db()
    return revision
