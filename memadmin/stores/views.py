"""Pages for stores: pick one, sync it, spot drift, promote, check the link.

A store's group list is `traitgroups:list`; these pages link there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from memadmin.fragment_cache import fragment_cache_seconds
from memadmin.memory_api import MemoryApiError
from memadmin.stores import connection as connection_checks
from memadmin.stores import selectors, services
from memadmin.stores.forms import PromotionForm
from memadmin.stores.group_rows import add_row_details, rows_key
from memadmin.stores.promotion import PromotionError
from memadmin.stores.promotion import promote as promote_groups
from memadmin.traitgroups import selectors as traitgroup_selectors
from memadmin.traitgroups.models import TraitGroup

READ = "traitgroups.view_traitgroup"


def _stores_or_error() -> tuple[list, str]:
    """The account's stores, or an empty list and the sentence saying why."""
    try:
        return selectors.stores(), ""
    except MemoryApiError as exc:
        return [], exc.user_message


@require_GET
@permission_required(READ, raise_exception=True)
def index(request):
    stores, error = _stores_or_error()
    counts = selectors.local_counts()
    rows = [{"store": store, "local": counts.get(store.id, {})} for store in stores]
    return render(request, "stores/index.html", {"rows": rows, "error": error})


@require_POST
@permission_required(READ, raise_exception=True)
def select(request):
    stores, error = _stores_or_error()
    store = next((s for s in stores if s.id == request.POST.get("store_id")), None)
    if store is None:
        messages.error(request, error or "That store is not one Twilio lists for this account.")
        return redirect("stores:index")
    services.select_store(session=request.session, store=store)
    messages.success(request, f"Working in store {store.display_name}.")
    return redirect("traitgroups:list", store_id=store.id)


@require_POST
@permission_required("traitgroups.sync_store", raise_exception=True)
def sync(request, store_id):
    if request.POST.get("first_visit"):  # the group list's own request: once per store
        run = services.ensure_synced_once(store_id=store_id, actor=request.user)
    else:
        run = services.start_sync(store_id=store_id, actor=request.user)
    if request.htmx:
        return _sync_status(request, store_id, run)
    messages.info(request, "Sync started: the groups update as Twilio's pages arrive.")
    return redirect("traitgroups:list", store_id=store_id)


@require_GET
@permission_required(READ, raise_exception=True)
def sync_status(request, store_id):
    return _sync_status(request, store_id, selectors.latest_sync(store_id))


def _sync_status(request, store_id, run):
    context = {
        "store_id": store_id,
        "run": run,
        "last_success": selectors.last_successful_sync(store_id),
    }
    response = render(request, "stores/_sync_status.html", context)
    if request.GET.get("polling") and run is not None and not run.is_active:
        response["HX-Trigger"] = "stores-synced"  # the group table reloads itself
    return response


@require_GET
@permission_required(READ, raise_exception=True)
def drift(request, store_id, name):
    group = get_object_or_404(TraitGroup, store_id=store_id, name=name)
    return render(
        request, "stores/drift.html", {"drift": selectors.drift_of(group), "store_id": store_id}
    )


@require_http_methods(["GET", "POST"])
@permission_required("traitgroups.edit_draft", raise_exception=True)
def promote(request):
    stores, error = _stores_or_error()
    if error:
        return render(request, "stores/promote.html", {"error": error, "form": None})
    data = request.POST if request.method == "POST" else request.GET
    form = PromotionForm(data or None, stores=stores)
    if data and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        if request.method == "POST":
            try:
                revisions = promote_groups(
                    source_store_id=source,
                    target_store_id=target,
                    names=request.POST.getlist("names"),
                    actor=request.user,
                )
            except PromotionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _promoted_message(revisions))
                return redirect("traitgroups:list", store_id=target)
        rows = selectors.promotion_rows(
            source_store_id=source,
            target_store_id=target,
            search=form.cleaned_data["q"],
            page=request.GET.get("page", 1),
        )
        query = f"source={source}&target={target}&q={form.cleaned_data['q']}"
        return render(
            request,
            "stores/promote.html",
            {
                "form": form,
                "rows": rows,
                "source": source,
                "target": target,
                "query": query,
                "unsynced": [
                    store_id
                    for store_id in (source, target)
                    if selectors.last_successful_sync(store_id) is None
                ],
            },
        )
    return render(request, "stores/promote.html", {"form": form})


def _promoted_message(revisions) -> str:
    if not revisions:
        return "Nothing to promote: the target already holds these groups exactly."
    names = ", ".join(revision.display_name for revision in revisions)
    return (
        f"{len(revisions)} draft(s) created in the target store: {names}. Submit them for review."
    )


@require_http_methods(["GET", "POST"])
@permission_required(READ, raise_exception=True)
def connection(request):
    report = connection_checks.check_connection() if request.method == "POST" else None
    context = {"report": report, "summary": connection_checks.credential_summary()}
    template = "stores/connection.html#report" if request.htmx else "stores/connection.html"
    return render(request, template, context)


@require_GET
@permission_required(READ, raise_exception=True)
def connection_settings(request):
    return render(
        request,
        "stores/settings.html",
        {
            "summary": connection_checks.credential_summary(),
            "schedule": selectors.sync_schedule(),
            "connection_url": reverse("stores:connection"),
        },
    )


@require_GET
@permission_required(READ, raise_exception=True)
def trait_groups(request: HttpRequest) -> HttpResponse:
    """The selected (or the only) store's trait groups; the stores page to pick one."""
    selected = request.session.get(services.SESSION_KEY)
    if selected:
        return redirect("traitgroups:list", selected["id"])
    try:
        stores = selectors.stores()
    except MemoryApiError:
        stores = []  # the stores page says why
    if len(stores) == 1:
        return redirect("traitgroups:list", stores[0].id)
    return redirect("stores:index")


@require_GET
@permission_required(READ, raise_exception=True)
def group_list(request: HttpRequest, store_id: str) -> HttpResponse:
    """A store's trait groups as memadmin last synced them, paged and searchable.

    Opening it selects the store. It never waits for Twilio and never writes: a store
    never synced shows someone who may sync a page that asks for the first sync (a POST),
    and shows its progress and reloads the table when done. A store id that Twilio does
    not list (checked against the cached store list) is a 404, whatever the role.
    """
    if not selectors.is_known_store(store_id):
        raise Http404("Twilio lists no store with this id in this account.")
    selected = services.select_store_by_id(session=request.session, store_id=store_id)
    search = request.GET.get("q", "").strip()[:64]
    run = selectors.latest_sync(store_id)
    page = selectors.live_groups(store_id, search, request.GET.get("page", 1))
    add_row_details(store_id, page.object_list)
    context = {
        "store_id": store_id,
        "store_name": selected["display_name"],
        "query": search,
        "page": page,
        # The table body is rendered once per content and permission (group_rows.rows_key).
        "rows_key": rows_key(page.object_list),
        "rows_cache_seconds": fragment_cache_seconds(),
        "drafts": traitgroup_selectors.open_drafts_of(store_id),
        "run": run,
        "last_success": selectors.last_successful_sync(store_id),
    }
    template = "stores/group_list.html#group-table" if request.htmx else "stores/group_list.html"
    return render(request, template, context)
