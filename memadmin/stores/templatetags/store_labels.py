"""`{% store_label store_id %}`: a store's display name where memadmin knows it, else its id;
`{% store_name store_id %}`: the same as markup, the id kept in a tooltip for operators."""

from django import template
from django.utils.html import format_html

from memadmin.stores import selectors

register = template.Library()
# Labels already looked up in this template's rendering: a table names the same store in
# every row, and each look-up in the cache unpickles the whole store list.
_LABELS = "store_labels:labels"


@register.simple_tag(takes_context=True)
def store_label(context, store_id: str) -> str:
    """Never calls Twilio: the selected store, then the name Twilio last listed, then the id."""
    selected = context.get("selected_store")
    if selected and selected.get("id") == store_id:
        return selected["display_name"]
    labels = context.render_context.setdefault(_LABELS, {})
    if store_id not in labels:
        labels[store_id] = selectors.known_store_name(store_id) or store_id
    return labels[store_id]


@register.simple_tag(takes_context=True)
def store_name(context, store_id: str) -> str:
    """The store's name with its id as the title; the id alone, monospaced, when unnamed."""
    label = store_label(context, store_id)
    if label == store_id:
        return format_html('<span class="mono">{}</span>', store_id)
    return format_html('<span class="store-name" title="{}">{}</span>', store_id, label)
