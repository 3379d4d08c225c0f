"""Who may run a revision's data dry run and see its masked examples.

The dry-run panel draws its buttons with it and the dry-run views ask again. It sits in the
dry run's own app, below reviews, because reviews' risk tiers read the dry run's results.
"""

from memadmin.refusals import CONFLICT, FORBIDDEN, Refusal
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State


def dry_run_refusal(*, actor, revision: TraitGroupRevision) -> Refusal | None:
    """None if `actor` may run a revision's data dry run and see its masked examples.

    The dry-run panel draws its buttons with it; the dry-run views ask again.
    """
    if revision.author_id != actor.pk and not actor.has_perm("traitgroups.review_revision"):
        return Refusal(
            FORBIDDEN, "Only the revision's author and reviewers can run a data dry run."
        )
    if revision.state in (State.PUBLISHED, State.WITHDRAWN):
        return Refusal(
            CONFLICT,
            f"Revision {revision.pk} is {revision.get_state_display().lower()}: there is "
            "nothing left to dry-run.",
        )
    return None
