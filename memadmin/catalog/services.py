"""Writes for the catalog: the one writer of `DataMapping`, called by the store sync."""

import logging

from django.db import transaction
from django.utils import timezone

from memadmin.catalog.models import DataMapping
from memadmin.memory_api import MemoryApiClient, MemoryApiError, memory_api_client

logger = logging.getLogger(__name__)


def sync_data_mappings(*, store_id: str, client: MemoryApiClient | None = None) -> int | None:
    """Replaces the store's data mappings with Twilio's; how many, or None if unread.

    The whole list is read before anything is written; when Twilio cannot list them the
    set memadmin holds is kept (it is older, not wrong) and the store's sync goes on.
    """
    client = client or memory_api_client()
    try:
        live = client.list_data_mappings(store_id)
    except MemoryApiError as exc:
        logger.warning("Data mappings of %s not synced: %s", store_id, exc.user_message)
        return None
    # A listing paged by offset repeats a mapping created between two of its pages: once
    # each, or the unique (store, mapping) constraint fails the whole store sync.
    unique = {}
    for mapping in live:
        unique.setdefault(mapping.id, mapping)
    now = timezone.now()
    rows = [
        DataMapping(
            store_id=store_id,
            mapping_id=mapping.id,
            display_name=mapping.display_name,
            source=mapping.source,
            targets=[target.to_json() for target in mapping.targets],
            synced_at=now,
        )
        for mapping in unique.values()
    ]
    with transaction.atomic():
        DataMapping.objects.filter(store_id=store_id).delete()
        DataMapping.objects.bulk_create(rows)
    return len(rows)
