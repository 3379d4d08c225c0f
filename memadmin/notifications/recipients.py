"""Who hears of each kind of event: one table, read top to bottom.

This app sits beside `audit` at the bottom of the layers (operations, trait groups,
reviews and stores all call it), so it imports none of them: it reaches their rows
through the objects it is handed and their relation names (`revision.reviews`, …).
"""

from django.contrib.auth import get_user_model

from memadmin.notifications.events import Kind

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
REVIEW = "traitgroups.review_revision"
ADMIN = "notifications.manage_notifications"
AUDIT = "audit.view_auditevent"
# Drift and deletions reach the people who last shaped the group.
LAST_AUTHORS = 3


def recipients_for(kind: str, *, actor=None, revision=None, operation=None, trait_group=None):
    """The active users who should hear of this event; the person who acted is left out."""
    if kind == Kind.REVIEW_REQUESTED:
        ids = _with_perm(REVIEW) - {revision.author_id}
    elif kind in (Kind.CHANGES_REQUESTED, Kind.APPROVED, Kind.COMMENTED):
        ids = _participants(revision)
    elif kind in (Kind.PUBLISHED, Kind.PUBLISH_FAILED):
        # The outcome arrives later than the click: the publisher hears of it too.
        ids = _author_and_approvers(revision)
        actor = None
    elif kind == Kind.OPERATION_UNKNOWN:
        ids = _with_perm(ADMIN) | {operation.actor_id}
        if operation.revision_id:
            ids |= _author_and_approvers(operation.revision)
        actor = None
    elif kind in (Kind.DRIFT_DETECTED, Kind.DELETED_IN_TWILIO):
        ids = _with_perm(ADMIN) | _last_authors(trait_group)
    elif kind == Kind.CHECKPOINT_MISSING:
        ids = _with_perm(AUDIT)
    else:
        ids = set()
    ids.discard(None)
    if actor is not None:
        ids.discard(actor.pk)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def _with_perm(permission: str) -> set[int]:
    users = get_user_model().objects.with_perm(permission, backend=MODEL_BACKEND)
    return set(users.values_list("pk", flat=True))


def _participants(revision) -> set[int]:
    """The author, everyone who reviewed or commented, and whoever submitted a round."""
    return (
        {revision.author_id}
        | set(revision.reviews.values_list("reviewer_id", flat=True))
        | set(revision.comments.values_list("author_id", flat=True))
        | set(revision.review_rounds.values_list("submitted_by_id", flat=True))
    )


def _author_and_approvers(revision) -> set[int]:
    approvers = revision.reviews.filter(decision="approve").values_list("reviewer_id", flat=True)
    return {revision.author_id} | set(approvers)


def _last_authors(trait_group) -> set[int]:
    if trait_group is None or trait_group.pk is None:
        return set()
    published = trait_group.revisions.filter(state="published").order_by("-published_at", "-pk")
    return set(published.values_list("author_id", flat=True)[:LAST_AUTHORS])
