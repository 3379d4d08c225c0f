"""What every review action does on its way: the policy check, the row lock, a new round,
a comment (its audit event is `traitgroups.services.record_revision_event`). Shared by
`services` and `publishing`."""

from django.core.exceptions import PermissionDenied

from memadmin.refusals import FORBIDDEN
from memadmin.reviews import policy, selectors
from memadmin.reviews.models import ReviewComment, ReviewRound
from memadmin.reviews.workflow import ReviewRefused
from memadmin.traitgroups.models import TraitGroupRevision


def enforce(action: str, *, actor, revision: TraitGroupRevision) -> None:
    """Raises PermissionDenied or ReviewRefused unless `policy` lets `actor` take `action`."""
    review_round = selectors.current_round(revision)
    reviewed = selectors.has_reviewed(actor, revision, review_round)
    submitted = bool(review_round) and review_round.submitted_by_id == actor.pk
    refused = policy.refusal(
        action,
        actor=actor,
        revision=revision,
        reviewed=reviewed,
        submitted=submitted,
        contributed=selectors.has_contributed(actor, revision),
        approvals=selectors.approval_standing(revision, review_round),
    )
    if refused is None:
        return
    if refused.status == FORBIDDEN:
        raise PermissionDenied(refused.message)
    raise ReviewRefused(refused.message)


def locked(revision: TraitGroupRevision) -> TraitGroupRevision:
    """The revision re-read under a row lock, so that checks see what others just did."""
    return TraitGroupRevision.objects.select_for_update().get(pk=revision.pk)


def start_round(revision: TraitGroupRevision, *, actor) -> ReviewRound:
    """A new review round of `revision` as it stands, submitted by `actor`."""
    previous = selectors.current_round(revision)
    return ReviewRound.objects.create(
        revision=revision,
        number=(previous.number + 1) if previous else 1,
        submitted_by=actor,
        definition=revision.definition,
    )


def add_comment(*, revision, actor, body, parent=None, trait_name="") -> ReviewComment:
    """Saves a comment (or a reply, or a note on one trait) on `revision`."""
    return ReviewComment.objects.create(
        revision=revision,
        author=actor,
        body=body.strip(),
        parent=parent,
        trait_name=trait_name.strip()[:128],
    )
