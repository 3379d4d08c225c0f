"""Reads of the catalog: which data mappings write a group's traits, from stored data only."""

from memadmin.catalog.models import DataMapping


def list_mappings_for_group(store_id: str, group_name: str) -> list[DataMapping]:
    """The store's mappings that write at least one trait of the group, by name."""
    return [
        mapping
        for mapping in DataMapping.objects.filter(store_id=store_id)
        if mapping.writes(group_name)
    ]


def find_mappings_writing(store_id: str, group_name: str) -> dict[str, list[DataMapping]]:
    """Trait name → the store's mappings writing that trait of the group (one query).

    Mappings are filtered in Python: a store holds few, and JSON containment queries
    differ between SQLite and PostgreSQL.
    """
    writers: dict[str, list[DataMapping]] = {}
    for mapping in list_mappings_for_group(store_id, group_name):
        for trait_name in dict.fromkeys(mapping.writes(group_name)):
            writers.setdefault(trait_name, []).append(mapping)
    return writers
