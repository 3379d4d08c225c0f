"""Reads for team review: the inbox, a revision's rounds, decisions, comments and diffs."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT

from memadmin.impact import selectors as impact
from memadmin.memory_api.client import memory_api_client
from memadmin.memory_api.errors import PRECONDITION_FAILED_CODES, MemoryApiError
from memadmin.operations.models import Operation
from memadmin.reviews import policy
from memadmin.reviews.models import Review, ReviewComment, ReviewRound
from memadmin.traitgroups.models import RevisionContribution, TraitGroupRevision

State = TraitGroupRevision.State


@dataclass(frozen=True)
class Inbox:
    """What waits for one person: revisions to review, to publish, and their own to act on."""

    to_review: list[TraitGroupRevision]
    to_publish: list[TraitGroupRevision]
    yours: list[TraitGroupRevision]

    @property
    def is_empty(self) -> bool:
        return not (self.to_review or self.to_publish or self.yours)


@dataclass(frozen=True)
class PublishOutcome:
    """What happened to one revision of a bulk publish: its operation, or why none."""

    revision: TraitGroupRevision
    operation: Operation | None
    error: str = ""


# A round as the review page and the workflow use it: who submitted it (by name) and
# when. Not its definition, which only publishing compares (and reads when it does), nor
# the rest of the submitter's row: a column less to convert is most of what a small read
# costs.
ROUND_FIELDS = ("revision", "number", "submitted_at", "submitted_by", "submitted_by__username")


def current_round(revision: TraitGroupRevision) -> ReviewRound | None:
    """The revision's latest review round, or None if it was never submitted (without
    its definition: see ROUND_FIELDS)."""
    rounds = revision.review_rounds.select_related("submitted_by").only(*ROUND_FIELDS)
    return rounds.order_by("-number").first()


def earlier_round(review_round: ReviewRound | None) -> ReviewRound | None:
    """The round before `review_round` of the same revision: what reviewers saw last time."""
    if review_round is None or review_round.number <= 1:
        return None
    return (
        ReviewRound.objects.filter(
            revision_id=review_round.revision_id, number=review_round.number - 1
        )
        .select_related("submitted_by")
        .only(*ROUND_FIELDS, "definition")
        .first()
    )


def approvals_in(review_round: ReviewRound, decisions: list[Review] | None = None) -> int:
    """How many reviewers approved this round; counted in `decisions` (the revision's, as
    `reviews_for` reads them) when the caller has read them already."""
    if decisions is None:
        return review_round.reviews.filter(decision=Review.Decision.APPROVE).count()
    approve = Review.Decision.APPROVE
    return sum(1 for d in decisions if d.round_id == review_round.pk and d.decision == approve)


def approval_standing(
    revision: TraitGroupRevision,
    review_round: ReviewRound | None,
    assessment: impact.Assessment | None = None,
    decisions: list[Review] | None = None,
) -> policy.Approvals:
    """The round's approvals against what the revision's risk tier requires now."""
    assessment = assessment or impact.assess_revision(revision)
    return policy.Approvals(
        given=approvals_in(review_round, decisions) if review_round else 0,
        required=assessment.required_approvals,
        tier=assessment.tier.label,
    )


def has_reviewed(
    user,
    revision: TraitGroupRevision,
    review_round: ReviewRound | None,
    decisions: list[Review] | None = None,
) -> bool:
    """Whether `user` already decided on `review_round` of `revision`; looked up in
    `decisions` (as `reviews_for` reads them) when the caller has read them already."""
    if not review_round:
        return False
    if decisions is None:
        return review_round.reviews.filter(reviewer=user).exists()
    return any(d.round_id == review_round.pk and d.reviewer_id == user.pk for d in decisions)


def has_contributed(user, revision: TraitGroupRevision) -> bool:
    """Whether `user` put content into `revision` (wrote, saved, imported or rebased it)."""
    return revision.contributions.filter(user=user).exists()


def contributors(revision: TraitGroupRevision) -> list[tuple[str, list[str]]]:
    """Everyone who put content into `revision`, with how, in the order they first did."""
    labels = dict(RevisionContribution.Kind.choices)
    people: dict[str, list[str]] = {}
    rows = revision.contributions.order_by("created_at").values_list("user__username", "kind")
    for username, kind in rows:  # values: a model per row cost more than the whole list
        kinds, label = people.setdefault(username, []), labels.get(kind, kind)
        if label not in kinds:
            kinds.append(label)
    return list(people.items())


def _revisions() -> QuerySet[TraitGroupRevision]:
    # A row shows the name (`listed_name`) and the author: not the definitions it is read
    # from, each up to 95 traits of JSON to decode.
    return (
        TraitGroupRevision.objects.select_related("author")
        .annotate(listed_name=KT("definition__displayName"))
        .defer("definition", "base_definition")
        .order_by("submitted_at", "pk")
    )


def inbox_for(user) -> Inbox:
    """The revisions waiting for `user`, in three lists, each costing one query."""
    to_review: list[TraitGroupRevision] = []
    to_publish: list[TraitGroupRevision] = []
    if user.has_perm("traitgroups.review_revision"):
        latest_round = ReviewRound.objects.filter(revision=OuterRef("pk")).order_by("-number")
        reviewed = Review.objects.filter(
            revision=OuterRef("pk"), reviewer=user, round_id=OuterRef("current_round_id")
        )
        contributed = RevisionContribution.objects.filter(revision=OuterRef("pk"), user=user)
        to_review = list(
            _revisions()
            .filter(state=State.IN_REVIEW)
            .exclude(author=user)
            .exclude(Exists(contributed))
            .annotate(current_round_id=Subquery(latest_round.values("pk")[:1]))
            .exclude(Exists(reviewed))
        )
    if user.has_perm("traitgroups.publish_revision"):
        to_publish = list(_revisions().filter(state=State.APPROVED))
    yours = list(
        _revisions().filter(
            Q(author=user),
            state__in=[State.DRAFT, State.CHANGES_REQUESTED, State.FAILED, State.IN_REVIEW],
        )
    )
    return Inbox(to_review=to_review, to_publish=to_publish, yours=yours)


def publish_outcomes(recorded: list[dict]) -> list[PublishOutcome]:
    """Outcomes of a bulk publish, rebuilt from what the session kept (two queries)."""
    revisions = TraitGroupRevision.objects.in_bulk([item["revision"] for item in recorded])
    operations = Operation.objects.in_bulk(
        [item["operation"] for item in recorded if item["operation"]]
    )
    return [
        PublishOutcome(
            revisions[item["revision"]], operations.get(item["operation"]), item["error"]
        )
        for item in recorded
        if item["revision"] in revisions
    ]


# A decision as the review page shows it and the policy weighs it: by whom, in which
# round (by number, not the round's content), what and when.
DECISION_FIELDS = (
    "revision",
    "decision",
    "comment",
    "created_at",
    "reviewer",
    "reviewer__username",
    "round",
    "round__number",
)


def reviews_for(revision: TraitGroupRevision) -> QuerySet[Review]:
    """Every decision on the revision, oldest first, with reviewer and round."""
    return (
        revision.reviews.select_related("reviewer", "round")
        .only(*DECISION_FIELDS)
        .order_by("created_at", "pk")
    )


@dataclass
class Thread:
    """A top-level comment and every reply under it, in the order they were written."""

    comment: ReviewComment
    replies: list[ReviewComment]


def comments_for(revision: TraitGroupRevision) -> list[Thread]:
    """The revision's comments as threads (one query): replies of replies join their root."""
    comments = list(
        revision.comments.select_related("author")
        .only(
            "revision", "body", "trait_name", "parent", "created_at", "author", "author__username"
        )
        .order_by("created_at", "pk")
    )
    parents = {c.pk: c.parent_id for c in comments}
    threads: dict[int, Thread] = {}
    for comment in comments:
        root = comment.pk
        while parents.get(root):
            root = parents[root]
        if root == comment.pk:
            threads[root] = Thread(comment, [])
        elif root in threads:
            threads[root].replies.append(comment)
    return list(threads.values())


@dataclass(frozen=True)
class PreviousRevision:
    """The revision of the same group made before another, as the review page shows it:
    a link, its author and state, and its definition's digest, which names the diff
    against it; the definition itself (95 traits of JSON) is read only to draw that diff."""

    pk: int
    author: str
    state_label: str
    definition_key: str

    def read_definition(self) -> dict:
        return TraitGroupRevision.objects.values_list("definition", flat=True).get(pk=self.pk)


def previous_revision(revision: TraitGroupRevision) -> PreviousRevision | None:
    """The revision of the same group made just before this one (withdrawn ones skipped)."""
    if revision.trait_group_id:
        same_group = Q(trait_group_id=revision.trait_group_id)
    else:
        same_group = Q(store_id=revision.store_id, definition__displayName=revision.display_name)
    found = (
        TraitGroupRevision.objects.filter(same_group, pk__lt=revision.pk)
        .exclude(state=State.WITHDRAWN)
        .order_by("-pk")
        .values_list("pk", "author__username", "state", "definition_digest")
        .first()
    )
    if found is None:
        return None
    pk, author, state, digest = found
    if not digest:  # a row written without save() (bulk_create) keeps none
        digest = TraitGroupRevision.objects.get(pk=pk).definition_key
    return PreviousRevision(pk, author, State(state).label, digest)


@dataclass(frozen=True)
class LiveDefinition:
    """The group as Twilio holds it (None: not there), or why it could not be read."""

    definition: dict | None
    version: int | None = None
    etag: str = ""
    problem: str = ""


def live_definition_for(revision: TraitGroupRevision) -> LiveDefinition:
    """The live definition, read from Twilio now.

    memadmin's snapshot is deliberately not refreshed here: publishing sends its PATCH
    with the ETag of what was reviewed, and a page view must not quietly move that.
    A group that is new (CREATE) has none; when Twilio cannot be reached, the last
    snapshot stands in and `problem` says so.
    """
    group = revision.trait_group
    if group is None:
        return LiveDefinition(None)
    try:
        fetched = memory_api_client().fetch_trait_group(group.store_id, group.name)
    except MemoryApiError as exc:
        if exc.status == 404:
            return LiveDefinition(None, problem=f"'{group.name}' no longer exists in Twilio.")
        return LiveDefinition(
            group.live_definition,
            group.live_version,
            group.live_etag,
            problem=f"Showing memadmin's last copy: {exc.user_message}",
        )
    body = fetched.to_request_body(copy_traits=False)  # read only; `fetched` is dropped
    return LiveDefinition(body, fetched.version, fetched.etag or "")


def round_operation(
    revision: TraitGroupRevision, review_round: ReviewRound | None
) -> Operation | None:
    """The revision's latest publish attempt, if made in `review_round` (its current one):
    one from an earlier round (e.g. the 412 before a rebase) is not this round's to show.
    Read for a badge and a link: its status and when it was sent."""
    operation = (
        revision.operations.only("revision", "status", "submitted_at").order_by("-pk").first()
    )
    if operation and review_round and operation.submitted_at < review_round.submitted_at:
        return None
    return operation


def publish_conflict(revision: TraitGroupRevision) -> Operation | None:
    """The publish attempt Twilio refused with 412 (the group changed meanwhile), if that is
    the latest thing that happened to the revision."""
    if revision.state not in (State.CHANGES_REQUESTED, State.FAILED, State.APPROVED):
        return None
    latest = revision.operations.order_by("-pk").first()
    refused = latest and latest.status == Operation.Status.FAILED
    if not refused or latest.error_code not in PRECONDITION_FAILED_CODES:
        return None
    rebased = revision.review_rounds.filter(submitted_at__gt=latest.submitted_at).exists()
    return None if rebased else latest


def review_refusal(
    user,
    revision: TraitGroupRevision,
    approvals: policy.Approvals,
    *,
    review_round: ReviewRound | None,
    decisions: list[Review] | None = None,
) -> str:
    """Why a reviewer sees no Approve button on a revision in review ("" if they do, or if
    they are no reviewer at all): a missing button must not be a mystery.
    `review_round` is `current_round(revision)` and `decisions` `reviews_for(revision)`,
    which the page has read already."""
    awaiting = revision.state == State.IN_REVIEW or (
        revision.state == State.APPROVED and not approvals.enough
    )
    if not awaiting or not user.has_perm("traitgroups.review_revision"):
        return ""
    refused = policy.refusal(
        "approve",
        actor=user,
        revision=revision,
        reviewed=has_reviewed(user, revision, review_round, decisions),
        submitted=bool(review_round) and review_round.submitted_by_id == user.pk,
        approvals=approvals,
    )
    return refused.message if refused else ""


def allowed_actions(
    user,
    revision: TraitGroupRevision,
    approvals: policy.Approvals,
    *,
    review_round: ReviewRound | None,
    decisions: list[Review] | None = None,
    contributed_by: list[tuple[str, list[str]]] | None = None,
) -> dict[str, bool]:
    """For each review action, whether `user` may take it now (the page's buttons);
    `review_round` is `current_round(revision)`, and `decisions` and `contributed_by`
    (`reviews_for` and `contributors` of it) are looked in when the page has read them."""
    reviewed = has_reviewed(user, revision, review_round, decisions)
    submitted = bool(review_round) and review_round.submitted_by_id == user.pk
    if contributed_by is None:
        contributed = has_contributed(user, revision)
    else:
        contributed = any(name == user.get_username() for name, _ in contributed_by)
    return {
        action: policy.refusal(
            action,
            actor=user,
            revision=revision,
            reviewed=reviewed,
            submitted=submitted,
            contributed=contributed,
            approvals=approvals,
        )
        is None
        for action in policy.ACTIONS
    }
