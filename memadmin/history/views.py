"""History pages: a group's versions with a diff between any two, restoring one, and a
store as it was at any moment, with restoring several groups from it as one batch."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from memadmin.history import selectors, services
from memadmin.history.forms import CompareForm, MomentForm, RestoreManyForm
from memadmin.reviews import policy
from memadmin.reviews.workflow import ReviewRefused
from memadmin.traitgroups.diff import diff_definitions
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion

VIEW_GROUP = "traitgroups.view_traitgroup"
# The session key of the last batch restore's outcomes, shown by `restored`.
RESTORED_KEY = "history.restored"


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def group_history(request: HttpRequest, store_id: str, name: str) -> HttpResponse:
    """Every version of a group memadmin has seen, and the diff between two of them."""
    group = get_object_or_404(TraitGroup, store_id=store_id, name=name)
    return _history_page(request, group)


def _history_page(
    request: HttpRequest, group: TraitGroup, *, status: int = 200, error: str = ""
) -> HttpResponse:
    entries = selectors.list_versions(group)
    by_pk = {entry.version.pk: entry.version for entry in entries}
    compare = CompareForm(request.GET or None, versions=[e.version for e in entries])
    older = newer = None
    if compare.is_bound and compare.is_valid():
        older, newer = by_pk[compare.cleaned_data["a"]], by_pk[compare.cleaned_data["b"]]
    elif compare.is_bound:
        status, error = 400, error or "Pick two versions of this group to compare."
    elif len(entries) > 1:
        older, newer = entries[1].version, entries[0].version
    restorable = {
        entry.version.pk
        for entry in entries
        if policy.restore_refusal(actor=request.user, trait_group=group, version=entry.version)
        is None
    }
    context = {
        "store_id": group.store_id,
        "group": group,
        "entries": entries,
        "compare": compare,
        "older": older,
        "newer": newer,
        "diff": _diff(older, newer) if older and newer else None,
        "restorable": restorable,
        "error": error,
    }
    return render(request, "history/group_history.html", context, status=status)


def _diff(older: TraitGroupVersion, newer: TraitGroupVersion):
    return diff_definitions(older.definition, newer.definition or {"traits": {}})


@require_POST
def restore(request: HttpRequest, store_id: str, name: str, pk: int) -> HttpResponse:
    """Makes a draft revision of the group holding that version; review takes it from there."""
    version = get_object_or_404(
        TraitGroupVersion.objects.select_related("trait_group"),
        pk=pk,
        trait_group__store_id=store_id,
        trait_group__name=name,
    )
    try:
        revision = services.restore_version(version=version, actor=request.user)
    except services.AlreadyRestoring as exc:
        messages.info(request, f"{exc} Here it is.")
        return redirect(exc.revision)
    except PermissionDenied as exc:
        return _history_page(request, version.trait_group, status=403, error=str(exc))
    except ReviewRefused as exc:
        return _history_page(request, version.trait_group, status=409, error=str(exc))
    what = "re-creates" if revision.kind == revision.Kind.CREATE else "restores"
    messages.success(
        request,
        f"Draft {revision.pk} {what} version {version.version or '?'} of '{name}'. "
        "Check it and submit it for review.",
    )
    return redirect(revision)


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def store_as_of(request: HttpRequest, store_id: str) -> HttpResponse:
    """Every group of the store as memadmin recorded it at a moment, beside today."""
    form = MomentForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _as_of_page(request, store_id, form, status=400, error=form.first_error())
    return _as_of_page(request, store_id, form)


def _as_of_page(
    request: HttpRequest, store_id: str, form, *, status: int = 200, error: str = "", **extra
) -> HttpResponse:
    moment = form.moment() if form.is_bound and form.is_valid() else None
    groups = selectors.get_store_as_of(store_id, moment) if moment else []
    if moment or not form.is_bound:
        # A time input shows seconds at most; the hidden fields below keep the exact moment.
        shown = timezone.localtime(moment) if moment else timezone.localtime()
        form = MomentForm(
            initial={"date": shown.date(), "time": shown.time().replace(microsecond=0)}
        )
    context = {
        "store_id": store_id,
        "form": form,
        "moment": moment,
        "groups": groups,
        "changed": [g for g in groups if g.restorable],
        "known_from": selectors.find_knowledge_start(store_id),
        "picked": request.POST.getlist("group"),
        "error": error,
        **extra,
    }
    return render(request, "history/store_as_of.html", context, status=status)


@require_POST
@permission_required("traitgroups.view_traitgroup", raise_exception=True)
def restore_many(request: HttpRequest, store_id: str) -> HttpResponse:
    """Proposes restoring the picked groups as they were then: one revision each, in review."""
    if not request.user.has_perm("traitgroups.submit_for_review"):
        raise PermissionDenied("Only operators can propose restoring groups.")
    names = TraitGroup.objects.filter(store_id=store_id).values_list("name", flat=True)
    form = RestoreManyForm(request.POST, names=list(names))
    if not form.is_valid():
        moment_form = MomentForm(request.POST)
        return _as_of_page(request, store_id, moment_form, status=400, error=form.first_error())
    outcomes = services.restore_many(
        store_id=store_id,
        at=form.moment(),
        names=form.cleaned_data["group"],
        actor=request.user,
    )
    # POST/redirect/GET: reloading the result page shows it again instead of restoring again.
    request.session[RESTORED_KEY] = {
        "store_id": store_id,
        "moment": form.moment().isoformat(),
        "outcomes": [
            {
                "name": outcome.name,
                "revision": outcome.revision.pk if outcome.revision else None,
                "error": outcome.error,
            }
            for outcome in outcomes
        ],
    }
    return redirect("history:restored", store_id=store_id)


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def restored(request: HttpRequest, store_id: str) -> HttpResponse:
    """What the last "Propose restoring selected" did, group by group."""
    recorded = request.session.get(RESTORED_KEY) or {}
    if recorded.get("store_id") != store_id:
        return redirect("history:store", store_id=store_id)
    outcomes = selectors.list_restore_outcomes(recorded["outcomes"])
    proposed = [outcome for outcome in outcomes if outcome.revision and not outcome.error]
    context = {
        "store_id": store_id,
        "moment": datetime.fromisoformat(recorded["moment"]),
        "outcomes": outcomes,
        "proposed": proposed,
    }
    return render(request, "history/restored.html", context)
