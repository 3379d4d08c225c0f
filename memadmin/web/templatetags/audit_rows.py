"""`{% event_rows_key events as key %}`: names a table body of audit events by all it shows.

Here, not in audit: the rows name stores by their labels, which stores (a layer above
audit) keeps."""

import hashlib

from django import template

from memadmin.stores.templatetags.store_labels import store_label

register = template.Library()


@register.simple_tag(takes_context=True)
def event_rows_key(context, events) -> str:
    """Each event's id and hash (an event never changes: append-only, hash-chained) and the
    label of every store the rows name, which is all the rows show: one cache look-up
    for the table instead of one a row."""
    stores = sorted({event.store_id for event in events if event.store_id})
    shown = [f"{event.pk}:{event.hash}" for event in events]
    shown += [f"{store}={store_label(context, store)}" for store in stores]
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()
