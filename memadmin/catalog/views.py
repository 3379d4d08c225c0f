"""The trait catalog: every live trait with what writes it, across stores or in one, and a
trait's story. Pages read stored data only; the store sync keeps it fresh."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from memadmin.catalog import selectors
from memadmin.catalog.forms import CatalogFilterForm
from memadmin.stores.selectors import cached_store
from memadmin.traitgroups.constraints import PROTECTED_TRAIT_GROUPS
from memadmin.traitgroups.models import TraitGroup

VIEW_GROUP = "traitgroups.view_traitgroup"
TRAITS_PER_PAGE = 100


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def catalog(request: HttpRequest) -> HttpResponse:
    """Every live trait of every store memadmin has synced."""
    stores = [(store_id, _label(store_id)) for store_id in selectors.catalog_stores()]
    form = CatalogFilterForm(
        request.GET or None, stores=stores, groups=selectors.live_group_names()
    )
    return _catalog_page(request, form, store_id=None)


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def store_catalog(request: HttpRequest, store_id: str) -> HttpResponse:
    """Every live trait of one store."""
    form = CatalogFilterForm(
        request.GET or None, stores=[], groups=selectors.live_group_names(store_id)
    )
    return _catalog_page(request, form, store_id=store_id)


def _catalog_page(request: HttpRequest, form: CatalogFilterForm, *, store_id: str | None):
    rows = selectors.catalog_traits(form.filters(), store_id=store_id)
    page = Paginator(rows, TRAITS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "store_id": store_id,
        "page": page,
        "total": len(rows),
        "filter_query": query.urlencode(),
        "mappings_synced_at": selectors.mappings_synced_at(store_id),
    }
    template = "catalog/catalog.html#results" if request.htmx else "catalog/catalog.html"
    return render(request, template, context)


@require_GET
@permission_required(VIEW_GROUP, raise_exception=True)
def trait(request: HttpRequest, store_id: str, group: str, name: str) -> HttpResponse:
    """One trait: its definition now, the mappings writing it, and its history."""
    trait_group = get_object_or_404(TraitGroup, store_id=store_id, name=group)
    history = selectors.trait_history(trait_group, name)
    live = ((trait_group.live_definition or {}).get("traits") or {}).get(name)
    if live is None and not history:
        raise Http404("memadmin has never seen this trait in this group.")
    context = {
        "store_id": store_id,
        "group": trait_group,
        "name": name,
        "live": live if not trait_group.deleted_in_twilio else None,
        "rule": selectors.describe_rule((live or {}).get("validationRule")),
        "protected": name in PROTECTED_TRAIT_GROUPS.get(group, ()),
        "mappings": selectors.find_mappings_writing(store_id, group).get(name, []),
        "history": history,
    }
    return render(request, "catalog/trait.html", context)


def _label(store_id: str) -> str:
    store = cached_store(store_id)
    return f"{store.display_name} ({store_id})" if store else store_id
