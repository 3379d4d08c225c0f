"""Review pages: the inbox, one revision's review page, and its POST-only actions.

Every action calls one service. A refusal is shown on the revision page itself, with the
person's input kept: 403 when they may not act, 400 for unusable input, 409 when the
revision's state does not allow it (a 412 from Twilio also lands here, with a rebase offer).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from memadmin.dryrun import selectors as dry_run_selectors
from memadmin.fragment_cache import fragment_cache_seconds
from memadmin.ids import as_row_id
from memadmin.impact import selectors as impact
from memadmin.reviews import policy, publishing, selectors, services
from memadmin.reviews.forms import PublishManyForm
from memadmin.reviews.workflow import InvalidReviewInput, ReviewRefused
from memadmin.traitgroups.digests import content_digest
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.selectors import definition_diff, lazy_definition_diff

VIEW = "traitgroups.view_traitgrouprevision"
# The session key of the last bulk publish's outcomes, shown by `published`.
PUBLISHED_KEY = "reviews.published"


@require_GET
@permission_required(VIEW, raise_exception=True)
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for me: revisions to review, to publish, and my own."""
    return _inbox_page(request)


def _inbox_page(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    context = {
        "inbox": selectors.inbox_for(request.user),
        "error": error,
        "picked": request.POST.getlist("revision"),  # kept ticked after a refusal
    }
    return render(request, "reviews/inbox.html", context, status=status)


@require_POST
@permission_required("traitgroups.publish_revision", raise_exception=True)
def publish_many(request: HttpRequest) -> HttpResponse:
    """Publishes the approved revisions picked in the inbox as one bulk submission."""
    form = PublishManyForm(request.POST)
    if not form.is_valid():
        return _inbox_page(request, status=400, error=form.first_error())
    try:
        revisions = list(form.cleaned_data["revision"])
        outcomes = publishing.publish_many(revisions=revisions, actor=request.user)
    except InvalidReviewInput as exc:
        return _inbox_page(request, status=400, error=str(exc))
    # POST/redirect/GET: reloading the result page shows it again instead of re-sending.
    request.session[PUBLISHED_KEY] = [
        {
            "revision": outcome.revision.pk,
            "operation": outcome.operation.pk if outcome.operation else None,
            "error": outcome.error,
        }
        for outcome in outcomes
    ]
    return redirect("reviews:published", permanent=False)


@require_GET
@permission_required("traitgroups.publish_revision", raise_exception=True)
def published(request: HttpRequest) -> HttpResponse:
    """What the last "Publish selected" did, revision by revision, each status live."""
    outcomes = selectors.publish_outcomes(request.session.get(PUBLISHED_KEY) or [])
    if not outcomes:
        return redirect("reviews:inbox")
    sent = [outcome for outcome in outcomes if outcome.operation is not None]
    return render(request, "reviews/published.html", {"outcomes": outcomes, "sent": sent})


@require_GET
@permission_required(VIEW, raise_exception=True)
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _get(pk))


def _get(pk: int) -> TraitGroupRevision:
    # The group's last published definition is only written here (when publishing), never
    # shown: 95 traits of JSON not to decode on every view.
    revisions = TraitGroupRevision.objects.select_related("author", "trait_group")
    return get_object_or_404(revisions.defer("trait_group__published_definition"), pk=pk)


def _page(
    request: HttpRequest, revision: TraitGroupRevision, *, status: int = 200, **extra
) -> HttpResponse:
    live = selectors.live_definition_for(revision)
    target, target_digest = revision.definition, revision.definition_key
    if revision.kind == TraitGroupRevision.Kind.DELETE:
        target = {"displayName": revision.display_name, "traits": {}}
        target_digest = content_digest(target)
    # A published revision is shown against what it replaced, not against today's live group
    # (which may have moved on since, and would show an old change reversed).
    published = revision.state == TraitGroupRevision.State.PUBLISHED
    against, against_digest = (
        (revision.base_definition, revision.base_key) if published else (live.definition, "")
    )
    live_diff, live_diff_key = definition_diff(
        against, target, old_digest=against_digest, new_digest=target_digest
    )
    previous = selectors.previous_revision(revision)
    review_round = selectors.current_round(revision)
    earlier_round = selectors.earlier_round(review_round)
    threads = selectors.comments_for(revision)
    # Its table is cached under the two digests: the previous definition (not read with
    # the row) is read and diffed only when the table has to be drawn.
    previous_diff, previous_diff_key = (
        lazy_definition_diff(
            previous.read_definition,
            target,
            old_digest=previous.definition_key,
            new_digest=target_digest,
        )
        if previous
        else (None, "")
    )
    earlier_round_diff, earlier_round_diff_key = (
        definition_diff(earlier_round.definition, target, new_digest=target_digest)
        if earlier_round
        else (None, "")
    )
    live_moved = bool(
        live.version and revision.base_version and live.version != revision.base_version
    )
    dry_run_panel = dry_run_selectors.panel_for(revision, request.user)
    assessment = impact.assess_revision(revision, dry_run=dry_run_panel.run)
    # Read once: the buttons, the refusal and the approval count all look in them.
    decisions = list(selectors.reviews_for(revision))
    contributors = selectors.contributors(revision)
    standing = selectors.approval_standing(revision, review_round, assessment, decisions)
    can = selectors.allowed_actions(
        request.user,
        revision,
        standing,
        review_round=review_round,
        decisions=decisions,
        contributed_by=contributors,
    )
    if live_moved:
        # Twilio would refuse it with 412: the Rebase offer on the page takes its place.
        can = {**can, "publish": False}
    context = {
        "revision": revision,
        "live": live,
        "published": published,
        "live_diff": live_diff,
        "live_diff_key": live_diff_key,
        "previous": previous,
        "previous_diff": previous_diff,
        "previous_diff_key": previous_diff_key,
        "earlier_round": earlier_round,
        "earlier_round_diff": earlier_round_diff,
        "earlier_round_diff_key": earlier_round_diff_key,
        "content_cache_seconds": fragment_cache_seconds(),
        # Trait comments sit in the cached diff rows: a new comment or reply is a new entry.
        "comments_key": ",".join(f"{t.comment.pk}:{len(t.replies)}" for t in threads),
        "live_moved": live_moved and not published,
        "round": review_round,
        "contributors": contributors,
        "approvals": standing.given,
        "required_approvals": standing.required,
        "assessment": assessment,
        "reviews": decisions,
        "threads": threads,
        "can": can,
        "review_refusal": selectors.review_refusal(
            request.user, revision, standing, review_round=review_round, decisions=decisions
        ),
        "conflict": selectors.publish_conflict(revision),
        "operation": selectors.round_operation(revision, review_round),
        "dry_run_panel": dry_run_panel,
        "form": request.POST if request.method == "POST" else {},
        **extra,
    }
    return render(request, "reviews/revision.html", context, status=status)


def _refused(request: HttpRequest, revision: TraitGroupRevision, status: int, error: str):
    """The page again, saying why; read afresh, as the refused service may have left the
    object half-changed (the page's plain GET reads it once, in `_get`)."""
    revision.refresh_from_db()
    return _page(request, revision, status=status, error=error)


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    """Runs one service on the revision; success redirects, a refusal re-renders with why."""
    revision = _get(pk)
    try:
        action(revision)
    except PermissionDenied as exc:
        return _refused(request, revision, 403, str(exc) or "You may not do that.")
    except publishing.PublishConflict as exc:
        return _refused(request, revision, 409, str(exc))
    except InvalidReviewInput as exc:
        return _refused(request, revision, 400, str(exc))
    except ReviewRefused as exc:
        return _refused(request, revision, 409, str(exc))
    messages.success(request, success)
    return redirect("reviews:revision", pk=pk)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        services.submit_for_review(revision=revision, actor=request.user)

    return _act(request, pk, act, "Submitted for review.")


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        services.withdraw(revision=revision, actor=request.user)

    return _act(request, pk, act, "Revision withdrawn.")


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        services.approve(
            revision=revision, actor=request.user, comment=request.POST.get("body", "")
        )

    return _act(request, pk, act, "Approved.")


@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        services.request_changes(
            revision=revision, actor=request.user, comment=request.POST.get("body", "")
        )

    return _act(request, pk, act, "Changes requested; the author has been sent it back.")


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        parent = None
        parent_id = as_row_id(request.POST.get("parent", ""))
        if parent_id is not None:
            parent = revision.comments.filter(pk=parent_id).first()
            if parent is None:
                raise InvalidReviewInput("The comment you replied to is not on this revision.")
        services.comment(
            revision=revision,
            actor=request.user,
            body=request.POST.get("body", ""),
            parent=parent,
            trait_name=request.POST.get("trait_name", ""),
        )

    return _act(request, pk, act, "Comment added.")


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    def act(revision):
        publishing.publish(revision=revision, actor=request.user)

    return _act(request, pk, act, "Sent to Twilio; the status below follows the operation.")


@require_POST
def rebase(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = {}

    def act(revision):
        outcome["conflicts"] = publishing.rebase_revision(revision=revision, actor=request.user)[1]

    response = _act(request, pk, act, "Rebased on the live definition and sent back to review.")
    for conflict in outcome.get("conflicts", []):
        messages.warning(
            request, f"Conflict on {conflict.name}: both this revision and Twilio changed it."
        )
    return response


@require_http_methods(["GET", "POST"])
@permission_required("traitgroups.edit_draft", raise_exception=True)
def request_delete(request: HttpRequest, store_id: str, name: str) -> HttpResponse:
    """Asks for a trait group's deletion, confirmed by typing its name; it goes to review."""
    group = get_object_or_404(TraitGroup, store_id=store_id, name=name, deleted_in_twilio=False)
    context = {"group": group, "typed": ""}
    if request.method == "POST":
        typed = request.POST.get("confirm_name", "")
        try:
            revision = services.request_delete(
                trait_group=group, actor=request.user, confirm_name=typed
            )
        except InvalidReviewInput as exc:
            context.update(error=str(exc), typed=typed)
            return render(request, "reviews/confirm_delete.html", context, status=400)
        except ReviewRefused as exc:
            context.update(error=str(exc), typed=typed)
            return render(request, "reviews/confirm_delete.html", context, status=409)
        messages.success(request, f"Deleting '{group.name}' is now waiting for review.")
        return redirect("reviews:revision", pk=revision.pk)
    return render(request, "reviews/confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("traitgroups.edit_draft", raise_exception=True)
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks "discard this draft?" (a page, so it works without JavaScript); POST discards it."""
    revision = _get(pk)
    refused = policy.discard_refusal(actor=request.user, revision=revision)
    context = {"revision": revision, "error": refused.message if refused else ""}
    if refused is not None:
        return render(request, "reviews/confirm_discard.html", context, status=refused.status)
    if request.method == "GET":
        return render(request, "reviews/confirm_discard.html", context)
    try:
        services.discard_draft(revision=revision, actor=request.user)
    except PermissionDenied as exc:
        context["error"] = str(exc)
        return render(request, "reviews/confirm_discard.html", context, status=403)
    except ReviewRefused as exc:  # discarded or submitted meanwhile, in another tab
        context["error"] = str(exc)
        return render(request, "reviews/confirm_discard.html", context, status=409)
    messages.success(request, f"Draft {revision.pk} was discarded.")
    if revision.trait_group_id:
        return redirect(revision.trait_group)
    return redirect("traitgroups:list", store_id=revision.store_id)
