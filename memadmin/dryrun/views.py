"""Dry-run pages: ask for one, watch its progress, see its masked examples.

The panel is one template with partials: the review page includes it, htmx polls its
`progress` partial every 1.5 s while the run is queued or running, and a plain reload
of the review page (or of a dry run's own page) shows the same thing.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from memadmin.dryrun import selectors, services
from memadmin.dryrun.policy import dry_run_refusal
from memadmin.traitgroups.models import TraitGroupRevision

VIEW = "traitgroups.view_traitgrouprevision"


@require_POST
@permission_required(VIEW, raise_exception=True)
def start(request: HttpRequest, revision_pk: int) -> HttpResponse:
    """Asks for a dry run of the revision as it is now, then shows its progress."""
    revision = get_object_or_404(
        TraitGroupRevision.objects.select_related("trait_group"), pk=revision_pk
    )
    refused = dry_run_refusal(actor=request.user, revision=revision)
    if refused is not None:
        return _refusal(request, revision, refused.message, refused.status)
    try:
        run = services.start_dry_run(revision=revision, actor=request.user)
    except services.NothingToCheck as exc:
        return _refusal(request, revision, str(exc), 409)
    return _after_action(request, run)


@require_POST
@permission_required(VIEW, raise_exception=True)
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Carries an interrupted dry run on from its cursor."""
    run = _run_or_404(pk)
    refused = dry_run_refusal(actor=request.user, revision=run.revision)
    if refused is not None:
        return _refusal(request, run.revision, refused.message, refused.status)
    try:
        run = services.resume_dry_run(dry_run=run, actor=request.user)
    except services.NotResumable as exc:
        return _refusal(request, run.revision, str(exc), 409)
    return _after_action(request, run)


@require_GET
@permission_required(VIEW, raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A dry run's panel: the whole page, or the `progress` partial that htmx polls."""
    run = _run_or_404(pk)
    panel = selectors.panel_for(run.revision, request.user)
    if panel.run is None or panel.run.pk != run.pk:
        panel = selectors.DryRunPanel(
            revision=run.revision,
            run=run,
            checkable=panel.checkable,
            can_run=panel.can_run,
            results=selectors.results_of(run),
        )
    template = "dryrun/_panel.html#progress" if request.htmx else "dryrun/detail.html"
    return render(request, template, {"dry_run_panel": panel})


@require_POST
@permission_required(VIEW, raise_exception=True)
def examples(request: HttpRequest, pk: int) -> HttpResponse:
    """The masked examples of each trait; seeing them is audited (without the values)."""
    run = _run_or_404(pk)
    refused = dry_run_refusal(actor=request.user, revision=run.revision)
    if refused is not None and refused.status == 403:
        return _refusal(request, run.revision, refused.message, 403)
    services.record_examples_viewed(dry_run=run, actor=request.user)
    panel = selectors.panel_for(run.revision, request.user)
    context = {"dry_run_panel": panel, "run": run, "examples": sorted(run.masked_examples.items())}
    template = "dryrun/_panel.html#examples" if request.htmx else "dryrun/examples.html"
    return render(request, template, context)


def _run_or_404(pk: int):
    run = selectors.dry_run_for(pk)
    if run is None:
        raise Http404("No such dry run.")
    return run


def _after_action(request: HttpRequest, run) -> HttpResponse:
    if request.htmx:
        panel = selectors.panel_for(run.revision, request.user)
        return render(request, "dryrun/_panel.html#progress", {"dry_run_panel": panel})
    return redirect(reverse("reviews:revision", args=[run.revision_id]) + "#dry-run-heading")


def _refusal(request: HttpRequest, revision, message: str, status: int) -> HttpResponse:
    context = {"revision": revision, "message": message}
    template = "dryrun/refused.html#message" if request.htmx else "dryrun/refused.html"
    return render(request, template, context, status=status)
