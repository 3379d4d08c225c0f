"""Data mappings in the state document: applying their operations, checking their targets.

A store's mappings live under `stores[storeId]["dataMappings"]`, keyed by id, each the
DataMapping body plus `createdSeq`; `createdAt`/`updatedAt` are kept as epoch seconds and
rendered as date-times on the way out. State files written before mappings existed get
the key on first use.
"""

import copy
from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator.errors import invalid

Document = dict[str, Any]
CREATE, PATCH, DELETE = "mapping_create", "mapping_patch", "mapping_delete"
KINDS = frozenset({CREATE, PATCH, DELETE})
# A failure of an operation: (HTTP status, title, detail), as lifecycle records them.
Failure = tuple[int, str, str]


def mappings_of(store: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The store's mappings by id (created empty for a state file that predates them)."""
    return store.setdefault("dataMappings", {})


def missing_targets(store: dict[str, Any], mapping_to: dict[str, Any]) -> list[str]:
    """`Group.trait` of every mapped trait the store does not define, in request order."""
    groups = store["traitGroups"]
    missing = []
    for item in mapping_to["mappings"]:
        group = groups.get(item["traitGroup"])
        if group is None or item["traitName"] not in group["traits"]:
            missing.append(f"{item['traitGroup']}.{item['traitName']}")
    return missing


def check_targets_exist(store: dict[str, Any], source: str, mapping_to: dict[str, Any]) -> None:
    """Dataset sources may only write traits that exist (the spec's create and PATCH rule).

    The spec also checks that dataset fields' types match the traits'; the emulator knows
    no datasets, so that half is not emulated.
    """
    if source not in c.DATASET_SOURCES:
        return
    missing = missing_targets(store, mapping_to)
    if missing:
        raise invalid(
            "mappingTo.mappings",
            f"a {source} mapping may only write existing traits; not defined in this store: "
            + ", ".join(missing),
        )


def apply(document: Document, operation: dict[str, Any]) -> Failure | None:
    """Apply one accepted mapping operation; None when it completed."""
    store = document["stores"][operation["storeId"]]
    mappings = mappings_of(store)
    mapping_id = operation["resourceId"]
    request = operation["request"]
    if operation["kind"] == CREATE:
        if missing := _missing_for(store, request["mappingFrom"]["type"], request["mappingTo"]):
            return missing
        mappings[mapping_id] = {
            "id": mapping_id,
            **copy.deepcopy(request),
            "version": 1,
            "createdAt": operation["dueAt"],
            "updatedAt": operation["dueAt"],
            "createdSeq": operation["seq"],
        }
        return None
    mapping = mappings.get(mapping_id)
    if mapping is None:
        return 404, "Data mapping not found", f"Data mapping {mapping_id} no longer exists."
    if operation["kind"] == DELETE:
        del mappings[mapping_id]
        return None
    expected = operation["ifMatchVersion"]
    if expected is not None and mapping["version"] != expected:
        return (
            412,
            "Precondition failed",
            f"Data mapping {mapping_id} changed to version {mapping['version']} before this "
            f"update (made against version {expected}) could be applied.",
        )
    if "mappingTo" in request and (
        missing := _missing_for(store, mapping["mappingFrom"]["type"], request["mappingTo"])
    ):
        return missing
    mapping.update(copy.deepcopy(request))
    mapping["version"] += 1
    mapping["updatedAt"] = operation["dueAt"]
    return None


def _missing_for(store: dict[str, Any], source: str, mapping_to: dict[str, Any]) -> Failure | None:
    """Checked again when applied: a group may have lost the trait since the request."""
    if source not in c.DATASET_SOURCES:
        return None
    missing = missing_targets(store, mapping_to)
    if not missing:
        return None
    return 400, "Trait not found", "Mapped traits not defined in this store: " + ", ".join(missing)
