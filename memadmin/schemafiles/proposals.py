"""Proposing files for review, and reading how those reviews stand.

A proposal is what a person makes in the builder, made for them: a draft revision per
changed group (`traitgroups.services.create_draft`), submitted for review
(`reviews.services.submit_for_review`, which checks `reviews.policy`). Nothing here
publishes: approving and publishing stay in the review pages, behind four eyes.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from memadmin.memory_api import MemoryApiError
from memadmin.memory_api.definitions import traits_of
from memadmin.reviews import selectors as review_selectors
from memadmin.reviews import services as reviews
from memadmin.reviews.workflow import ReviewRefused
from memadmin.schemafiles.fileformat import canonical_body
from memadmin.schemafiles.planning import CREATE, GroupPlan, Plan
from memadmin.traitgroups.models import TraitGroupRevision
from memadmin.traitgroups.services import create_draft, fetch_group, record_revision_event

State = TraitGroupRevision.State
OPEN_STATES = (State.IN_REVIEW, State.APPROVED, State.PUBLISHING)
MAX_MESSAGE_LENGTH = reviews.MAX_COMMENT_LENGTH


class FilesInvalid(Exception):
    """The files do not pass the plan; nothing was proposed."""

    def __init__(self, plan: Plan):
        super().__init__(f"{len(plan.problems)} problem(s) in the files; nothing was proposed.")
        self.plan = plan


@dataclass(frozen=True)
class Proposal:
    """One changed group: the revision now in review, or why it could not be proposed."""

    name: str
    file: str
    revision: TraitGroupRevision | None
    already_open: bool = False
    error: str = ""

    @property
    def review_path(self) -> str:
        return reverse("reviews:revision", args=[self.revision.pk]) if self.revision else ""

    def as_json(self, base_url: str = "") -> dict:
        return {
            "name": self.name,
            "file": self.file,
            "review": self.revision.pk if self.revision else None,
            "reviewUrl": base_url + self.review_path if self.revision else None,
            "state": self.revision.state if self.revision else None,
            "alreadyOpen": self.already_open,
            "error": self.error or None,
        }


def may_propose(actor) -> bool:
    """Proposing writes drafts and submits them: an operator's two permissions."""
    return actor.has_perm("traitgroups.edit_draft") and actor.has_perm(
        "traitgroups.submit_for_review"
    )


def propose(*, plan: Plan, actor, via: str, message: str = "") -> list[Proposal]:
    """One revision in review per changed group of a valid `plan`, made as `actor`.

    `via` names the door the proposal came through ("the command line", an API token by
    its label and prefix); the audit event of each proposal says it. A group whose exact
    definition already waits in review is not proposed twice (a pipeline re-runs).
    """
    if not may_propose(actor):
        raise PermissionDenied("Only operators can propose trait group changes for review.")
    if not plan.ok:
        raise FilesInvalid(plan)
    message = (message or "").strip()[:MAX_MESSAGE_LENGTH]
    return [
        _propose_group(plan, group, actor=actor, via=via, message=message) for group in plan.changes
    ]


def _propose_group(plan: Plan, group: GroupPlan, *, actor, via: str, message: str) -> Proposal:
    store_id = plan.store.id
    record, definition = None, group.body
    try:
        if group.action != CREATE:
            record = fetch_group(store_id=store_id, name=group.name)  # the ETag to publish with
            definition = _keep_unchanged_traits(record.live_definition, group.body)
    except MemoryApiError as exc:
        return Proposal(group.name, group.file, None, error=exc.user_message)
    waiting = _open_revision(store_id, group.name, definition)
    if waiting is not None:
        return Proposal(group.name, group.file, waiting, already_open=True)
    try:
        with transaction.atomic():  # a refused submission leaves no stray draft behind
            revision = create_draft(
                store_id=store_id, definition=definition, author=actor, trait_group=record
            )
            reviews.submit_for_review(revision=revision, actor=actor)
            if message:
                reviews.comment(revision=revision, actor=actor, body=message)
            record_revision_event(
                "schemafiles.proposed",
                actor=actor,
                revision=revision,
                after=definition,
                detail=f"Proposed from {group.file} via {via}."
                + (f" {message}" if message else ""),
            )
    except (ReviewRefused, PermissionDenied) as exc:
        return Proposal(group.name, group.file, None, error=str(exc))
    return Proposal(group.name, group.file, revision)


def _keep_unchanged_traits(live: dict | None, body: dict) -> dict:
    """`body`, but with each trait the file leaves as it is live kept exactly as Twilio has
    it, so that the revision's PATCH touches only what the file changed."""
    live_traits = traits_of(live)
    canonical_live = canonical_body(live)["traits"]
    traits = {
        name: live_traits[name] if canonical_live.get(name) == trait else trait
        for name, trait in body["traits"].items()
    }
    return {**body, "traits": traits}


def _open_revision(store_id: str, name: str, definition: dict) -> TraitGroupRevision | None:
    """A revision of the group with this very definition that is still on its way."""
    candidates = TraitGroupRevision.objects.filter(
        store_id=store_id, state__in=OPEN_STATES, definition__displayName=name
    ).order_by("-pk")
    target = canonical_body(definition)
    return next((r for r in candidates if canonical_body(r.definition) == target), None)


# Reading how proposals stand, for a pipeline that waits.

WAITING, PUBLISHED, STOPPED = "waiting", "published", "stopped"
_PHASES = {
    State.IN_REVIEW: WAITING,
    State.APPROVED: WAITING,
    State.PUBLISHING: WAITING,
    State.PUBLISHED: PUBLISHED,
}


@dataclass(frozen=True)
class ReviewState:
    """Where one proposal stands: `phase` is waiting, published or stopped (needs a person)."""

    revision: TraitGroupRevision
    approvals: int
    required: int
    operation_status: str

    @property
    def phase(self) -> str:
        return _PHASES.get(self.revision.state, STOPPED)

    def as_json(self, base_url: str = "") -> dict:
        revision = self.revision
        return {
            "review": revision.pk,
            "name": revision.display_name,
            "store": revision.store_id,
            "state": revision.state,
            "stateLabel": revision.get_state_display(),
            "phase": self.phase,
            "approvals": self.approvals,
            "requiredApprovals": self.required,
            "operationStatus": self.operation_status or None,
            "reviewUrl": base_url + reverse("reviews:revision", args=[revision.pk]),
        }


def review_state(revision: TraitGroupRevision) -> ReviewState:
    """How one revision's review stands now."""
    review_round = review_selectors.current_round(revision)
    operation = revision.operations.order_by("-pk").first()
    standing = review_selectors.approval_standing(revision, review_round)
    return ReviewState(
        revision=revision,
        approvals=standing.given,
        required=standing.required,
        operation_status=operation.status if operation else "",
    )
