"""Pages about a store's trait groups: one group, a revision, exports.

A store's group list and the nav's "Trait groups" entry show what the stores app knows
(sync runs, the selected store), so they are its views (memadmin.stores.views).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from memadmin.audit.selectors import list_trait_group_events
from memadmin.fragment_cache import fragment_cache_seconds
from memadmin.memory_api import MemoryApiError
from memadmin.operations.selectors import operations_for_trait_group
from memadmin.traitgroups import services
from memadmin.traitgroups.builder import views as builder_views
from memadmin.traitgroups.builder.state import draft_from_definition
from memadmin.traitgroups.digests import content_digest
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.revision_rows import revision_rows

VIEW_GROUP = "traitgroups.view_traitgroup"
# A group fetched this recently is shown as stored: reloading a page is not a Twilio call.
DETAIL_FRESH_SECONDS = 15
VIEW_REVISION = "traitgroups.view_traitgrouprevision"


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def detail(request: HttpRequest, store_id: str, name: str) -> HttpResponse:
    """One group: its current definition from Twilio, revisions, operations and history."""
    api_error = ""
    try:
        group = services.fetch_group(
            store_id=store_id, name=name, max_age_seconds=DETAIL_FRESH_SECONDS
        )
    except MemoryApiError as exc:
        group = TraitGroup.objects.filter(store_id=store_id, name=name).first()
        if group is None and exc.status == 404:
            raise Http404(exc.user_message) from None
        api_error = exc.user_message
        if group is None:
            return render(
                request,
                "traitgroups/detail_unavailable.html",
                {"store_id": store_id, "name": name, "api_error": api_error},
                status=502,
            )
    traits = (group.live_definition or {}).get("traits") or {}
    context = {
        "store_id": store_id,
        "group": group,
        "traits": traits,
        # The trait table is rendered once per content.
        "traits_key": content_digest(traits),
        "content_cache_seconds": fragment_cache_seconds(),
        "revisions": revision_rows(group) if request.user.has_perm(VIEW_REVISION) else [],
        "api_error": api_error,
        "operations": operations_for_trait_group(store_id, group.name),
        "events": list_trait_group_events(store_id=store_id, trait_group=group.name, limit=50),
    }
    return render(request, "traitgroups/detail.html", context)


@require_POST
@permission_required("traitgroups.edit_draft", raise_exception=True)
def edit(request: HttpRequest, store_id: str, name: str) -> HttpResponse:
    """Starts (or resumes) a draft that updates a group, from its live definition.

    Fetched first, even when synced: the draft's base needs the ETag, which only a fetch
    of the one group carries."""
    try:
        group = services.fetch_group(store_id=store_id, name=name)
    except MemoryApiError as exc:
        messages.error(request, exc.user_message)
        return redirect("traitgroups:list", store_id)
    revision = services.start_edit(trait_group=group, author=request.user)
    messages.success(request, f"Draft opened from live version {group.live_version}.")
    return redirect(revision)


@require_http_methods(["GET", "POST"])
@permission_required(VIEW_REVISION, raise_exception=True)
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    """The builder for an editable draft; a read-only view of a frozen revision."""
    rev = builder_views.get_revision_or_404(pk)
    if rev.is_editable and request.user.has_perm("traitgroups.edit_draft"):
        return builder_views.revision_builder(request, rev)
    if request.method == "POST":
        if not request.user.has_perm("traitgroups.edit_draft"):
            raise PermissionDenied
        return HttpResponse(
            "This revision can no longer be edited.", status=409, content_type="text/plain"
        )
    draft = draft_from_definition(rev.definition)
    return render(
        request,
        "traitgroups/revision.html",
        {
            "revision": rev,
            "draft": draft,
            "body": json.dumps(rev.definition, indent=2),
            "operation": rev.operations.order_by("-pk").first(),
        },
    )


def _json_download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required(VIEW_REVISION, raise_exception=True)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """A revision's request body as a JSON file, ready to import again."""
    rev = get_object_or_404(TraitGroupRevision, pk=pk)
    name = slugify(rev.display_name) or "trait-group"
    return _json_download(rev.definition, f"{name}-revision-{rev.pk}.json")


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def export_live(request: HttpRequest, store_id: str, name: str) -> HttpResponse:
    """The live definition memadmin last fetched, as `{"traitGroup": {...}}` with its version."""
    group = get_object_or_404(TraitGroup, store_id=store_id, name=name)
    if group.live_definition is None:
        raise Http404("memadmin has not fetched this group's definition yet.")
    document = {"traitGroup": {**group.live_definition, "version": group.live_version}}
    return _json_download(document, f"{slugify(name) or 'trait-group'}-v{group.live_version}.json")
