"""`{% store_label store_id %}`: a store's display name where memadmin knows it, else its id."""

from django import template

from memadmin.stores import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def store_label(context, store_id: str) -> str:
    """Never calls Twilio: the selected store, then the cached store list, then the id."""
    selected = context.get("selected_store")
    if selected and selected.get("id") == store_id:
        return selected["display_name"]
    store = selectors.cached_store(store_id)
    return store.display_name if store else store_id
