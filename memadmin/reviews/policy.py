"""Who may do what to a revision, and why not: one set of rules for buttons and services.

The revision page asks `refusal()` to decide which buttons to show; the services ask it
again before acting, so a hidden button and a refused POST can never disagree.
How many approvals a revision needs depends on its risk tier (`memadmin.impact`); the
caller counts them into an `Approvals` and the rules here decide with it.
"""

from dataclasses import dataclass

from memadmin.memory_api.definitions import is_same_definition
from memadmin.refusals import CONFLICT, FORBIDDEN, Refusal
from memadmin.reviews import workflow
from memadmin.traitgroups.models import TraitGroupRevision

State = TraitGroupRevision.State

ACTIONS = ("submit", "withdraw", "approve", "request_changes", "comment", "publish", "rebase")


@dataclass(frozen=True)
class Approvals:
    """How the current round's approvals stand against what its risk tier requires."""

    given: int
    required: int
    tier: str

    @property
    def enough(self) -> bool:
        return self.given >= self.required


def refusal(
    action: str,
    *,
    actor,
    revision: TraitGroupRevision,
    reviewed: bool,
    submitted: bool = False,
    contributed: bool = False,
    approvals: Approvals | None = None,
) -> Refusal | None:
    """None if `actor` may take `action` on `revision` now, else why not.

    `reviewed` says whether `actor` already decided on the revision's current round;
    `submitted` whether they submitted that round (e.g. by rebasing, which changes content);
    `contributed` whether they ever put content into it (wrote, saved, imported, rebased);
    `approvals` how the round's approvals stand against its risk tier (None: not counted,
    which refuses publishing rather than guessing).
    """
    if action == "approve" and contributed and revision.author_id != actor.pk:
        refused = _decide(actor, revision, reviewed, approvals)
        return refused or Refusal(
            FORBIDDEN,
            "You contributed to this revision's content (you saved, imported or rebased "
            "it): four eyes — someone who did not must approve it.",
        )
    if action in ("approve", "request_changes") and submitted and not reviewed:
        refused = _decide(actor, revision, reviewed, approvals, action=action)
        return refused or Refusal(
            FORBIDDEN,
            "You submitted this round (a rebase changes content): four eyes — "
            "someone else must review it.",
        )
    if action in ("approve", "request_changes"):
        return _decide(actor, revision, reviewed, approvals, action=action)
    if action == "publish":
        return _publish(actor, revision, approvals)
    check = _CHECKS[action]
    return check(actor, revision, reviewed)


def _submit(actor, revision, reviewed):
    if not actor.has_perm("traitgroups.submit_for_review"):
        return Refusal(FORBIDDEN, "Only operators can submit revisions for review.")
    # APPROVED → IN_REVIEW is legal, but only through a rebase, never a plain resubmit.
    if revision.state not in (State.DRAFT, State.CHANGES_REQUESTED, State.FAILED):
        return Refusal(CONFLICT, workflow.explain_refusal(revision, State.IN_REVIEW))
    return None


def _withdraw(actor, revision, reviewed):
    if revision.author_id != actor.pk and not actor.is_superuser:
        return Refusal(FORBIDDEN, "Only the author of a revision can withdraw it.")
    return _state(revision, State.WITHDRAWN)


def _decide(actor, revision, reviewed, approvals=None, *, action="approve"):
    if not actor.has_perm("traitgroups.review_revision"):
        return Refusal(FORBIDDEN, "Only reviewers can approve or request changes.")
    if revision.author_id == actor.pk:
        return Refusal(
            FORBIDDEN, "You wrote this revision: four eyes — someone else must review it."
        )
    # Approved with fewer approvals than its tier now needs (a dry run raised the risk
    # after the approval): another reviewer may still add theirs.
    short = (
        action == "approve"
        and revision.state == State.APPROVED
        and approvals is not None
        and not approvals.enough
    )
    if revision.state != State.IN_REVIEW and not short:
        return Refusal(
            CONFLICT,
            f"Revision {revision.pk} is {revision.get_state_display().lower()}, not in review.",
        )
    if reviewed:
        return Refusal(CONFLICT, "You have already reviewed this round of the revision.")
    return None


def _comment(actor, revision, reviewed):
    # Authors and reviewers discuss a revision; auditors read the thread but stay out of it.
    if not (
        actor.has_perm("traitgroups.edit_draft") or actor.has_perm("traitgroups.review_revision")
    ):
        return Refusal(FORBIDDEN, "Only operators and reviewers can comment on revisions.")
    return None


def _publish(actor, revision, approvals):
    if not actor.has_perm("traitgroups.publish_revision"):
        return Refusal(FORBIDDEN, "Only reviewers can publish revisions.")
    if revision.state != State.APPROVED:
        message = (
            f"Only an approved revision can be published; revision {revision.pk} is "
            f"{revision.get_state_display().lower()}."
        )
        if revision.state == State.IN_REVIEW and approvals is not None:
            message += (
                f" It has {approvals.given} of the {approvals.required} approvals its "
                f"{approvals.tier} risk needs, each from a different reviewer."
            )
        return Refusal(CONFLICT, message)
    if approvals is None:
        return Refusal(CONFLICT, "memadmin could not count this revision's approvals.")
    if not approvals.enough:  # the risk rose after approval (a dry run found violations)
        return Refusal(
            CONFLICT,
            f"This revision is {approvals.tier} risk: publishing it needs {approvals.required} "
            f"approvals, each from a different reviewer, and it has {approvals.given}.",
        )
    return None


def _rebase(actor, revision, reviewed):
    if not (
        actor.has_perm("traitgroups.edit_draft") or actor.has_perm("traitgroups.publish_revision")
    ):
        return Refusal(FORBIDDEN, "Only operators and reviewers can rebase a revision.")
    if revision.kind == TraitGroupRevision.Kind.CREATE:
        return Refusal(CONFLICT, "A new trait group has no live definition to rebase on.")
    rebasable = (State.IN_REVIEW, State.APPROVED, State.CHANGES_REQUESTED, State.FAILED)
    if revision.state not in rebasable:
        return Refusal(
            CONFLICT,
            f"Revision {revision.pk} is {revision.get_state_display().lower()}; "
            "only a submitted, unpublished revision can be rebased.",
        )
    return None


def _state(revision, to_state):
    if workflow.can_transition(revision.state, to_state):
        return None
    return Refusal(CONFLICT, workflow.explain_refusal(revision, to_state))


_CHECKS = {
    "submit": _submit,
    "withdraw": _withdraw,
    "comment": _comment,
    "rebase": _rebase,
}


def restore_refusal(*, actor, trait_group, version) -> Refusal | None:
    """None if `actor` may propose restoring `version` of `trait_group` now, else why not.

    The history page draws its Restore buttons with it; the restore services ask again.
    """
    if not actor.has_perm("traitgroups.edit_draft"):
        return Refusal(FORBIDDEN, "Only operators can restore a version of a trait group.")
    if version.trait_group_id != trait_group.pk:
        return Refusal(CONFLICT, "That version belongs to another trait group.")
    if version.is_deletion:
        return Refusal(CONFLICT, "This entry records a deletion; restore a version from before it.")
    if not trait_group.deleted_in_twilio and is_same_definition(
        version.definition, trait_group.live_definition
    ):
        return Refusal(CONFLICT, f"Version {version.version} is what Twilio holds now.")
    return None


def discard_refusal(*, actor, revision: TraitGroupRevision) -> Refusal | None:
    """None if `actor` may discard `revision`, a draft never submitted, else why not.

    Its author may; so may an Admin (who manages people), to clear a leaver's drafts.
    """
    if not actor.has_perm("traitgroups.edit_draft"):
        return Refusal(FORBIDDEN, "Only operators can discard drafts.")
    if revision.author_id != actor.pk and not actor.has_perm("accounts.manage_roles"):
        return Refusal(FORBIDDEN, "Only the author of a draft, or an admin, can discard it.")
    if revision.state != State.DRAFT:
        return Refusal(
            CONFLICT,
            f"Revision {revision.pk} is {revision.get_state_display().lower()}, not a draft: "
            "withdraw it from its review page instead.",
        )
    return None
