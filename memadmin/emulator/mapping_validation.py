"""Request validation for data mappings: CreateDataMappingInput and DataMappingCore.

As strict as the spec and no stricter. Where the spec is silent the emulator lets the
request through, and says so here:
- unknown top-level properties of a create or a PATCH body are ignored: neither
  CreateDataMappingInput nor DataMappingCore says `additionalProperties: false` (the
  nested `mappingTo`, `mappingFrom` and mapping items do, and are refused);
- `mappingFrom` in a PATCH body is ignored: DataMappingCore has no such field, so a
  mapping's source cannot change;
- two mappings may share a display name: the spec names no uniqueness;
- the same trait may appear in several items of one mapping (the spec does not forbid it).
"""

from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator.errors import invalid
from memadmin.emulator.validation import reject_unknown, require_object


def validate_create_mapping(body: Any) -> dict[str, Any]:
    """A CreateDataMappingInput, cleaned to the fields the emulator keeps."""
    require_object("request body", body)
    for required in ("displayName", "mappingTo", "mappingFrom"):
        if body.get(required) is None:
            raise invalid(required, "is required")
    cleaned = _validate_core(body)
    cleaned["mappingFrom"] = _validate_from(body["mappingFrom"])
    cleaned.setdefault("isEnabled", True)  # "default: true"
    return cleaned


def validate_patch_mapping(body: Any) -> dict[str, Any]:
    """A DataMappingCore: every field optional; `mappings` replaces the whole list."""
    require_object("request body", body)
    return _validate_core(body)


def _validate_core(body: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if body.get("displayName") is not None:
        name = body["displayName"]
        _require_string("displayName", name, 1, c.MAX_DATA_MAPPING_NAME_LENGTH)
        if not c.DATA_MAPPING_NAME_PATTERN.match(name):
            raise invalid("displayName", f"must match {c.DATA_MAPPING_NAME_PATTERN.pattern}")
        cleaned["displayName"] = name
    if body.get("description") is not None:
        description = body["description"]
        _require_string("description", description, 1, c.MAX_DATA_MAPPING_DESCRIPTION_LENGTH)
        cleaned["description"] = description
    if body.get("isEnabled") is not None:
        if not isinstance(body["isEnabled"], bool):
            raise invalid("isEnabled", "must be true or false")
        cleaned["isEnabled"] = body["isEnabled"]
    if body.get("mappingTo") is not None:
        cleaned["mappingTo"] = _validate_to(body["mappingTo"])
    return cleaned


def _validate_to(mapping_to: Any) -> dict[str, Any]:
    require_object("mappingTo", mapping_to)
    reject_unknown("mappingTo.", mapping_to, c.DATA_MAPPING_TO_FIELDS)
    if mapping_to.get("type") not in c.DATA_MAPPING_TARGET_TYPES:
        raise invalid("mappingTo.type", f"must be one of {', '.join(c.DATA_MAPPING_TARGET_TYPES)}")
    items = mapping_to.get("mappings")
    if not isinstance(items, list):
        raise invalid("mappingTo.mappings", "is required and must be a list")
    if not 1 <= len(items) <= c.MAX_MAPPING_ITEMS:
        raise invalid("mappingTo.mappings", f"must hold 1 to {c.MAX_MAPPING_ITEMS} items")
    return {"type": "TRAITS", "mappings": [_validate_item(i, item) for i, item in enumerate(items)]}


def _validate_item(index: int, item: Any) -> dict[str, str]:
    field = f"mappingTo.mappings[{index}]"
    require_object(field, item)
    reject_unknown(f"{field}.", item, c.MAPPING_ITEM_FIELDS)
    _require_string(
        f"{field}.expression", item.get("expression"), 1, c.MAX_MAPPING_EXPRESSION_LENGTH
    )
    group = item.get("traitGroup")
    _require_string(f"{field}.traitGroup", group, 1, c.MAX_TRAIT_GROUP_NAME_LENGTH)
    if not c.TRAIT_GROUP_NAME_PATTERN.match(group):
        raise invalid(f"{field}.traitGroup", f"must match {c.TRAIT_GROUP_NAME_PATTERN.pattern}")
    name = item.get("traitName")
    _require_string(f"{field}.traitName", name, 1, c.MAX_MAPPING_TRAIT_NAME_LENGTH)
    if not c.MAPPING_TRAIT_NAME_PATTERN.match(name):
        raise invalid(f"{field}.traitName", f"must match {c.MAPPING_TRAIT_NAME_PATTERN.pattern}")
    return {"expression": item["expression"], "traitGroup": group, "traitName": name}


def _validate_from(mapping_from: Any) -> dict[str, Any]:
    require_object("mappingFrom", mapping_from)
    source = mapping_from.get("type")
    if not isinstance(source, str) or source not in c.DATA_MAPPING_SOURCES:
        raise invalid("mappingFrom.type", f"must be one of {', '.join(c.DATA_MAPPING_SOURCES)}")
    reject_unknown("mappingFrom.", mapping_from, c.DATA_MAPPING_SOURCES[source])
    if source == "INGRESS":
        columns = mapping_from.get("columns")
        if not isinstance(columns, list) or not 1 <= len(columns) <= c.MAX_INGRESS_COLUMNS:
            raise invalid("mappingFrom.columns", f"must be a list of 1 to {c.MAX_INGRESS_COLUMNS}")
        for index, column in enumerate(columns):
            _require_string(f"mappingFrom.columns[{index}]", column, 1, c.MAX_INGRESS_COLUMN_LENGTH)
        return {"type": source, "columns": list(columns)}
    dataset_id = mapping_from.get("datasetId")
    if not isinstance(dataset_id, str) or not c.DATASET_ID_PATTERN.match(dataset_id):
        raise invalid("mappingFrom.datasetId", f"must match {c.DATASET_ID_PATTERN.pattern}")
    return {"type": source, "datasetId": dataset_id}


def validate_data_mapping_id(mapping_id: str) -> None:
    """A dataMappingId that is not a TTID is a 400, as a malformed storeId is."""
    if not c.DATA_MAPPING_ID_PATTERN.match(mapping_id):
        raise invalid("dataMappingId", f"must match {c.DATA_MAPPING_ID_PATTERN.pattern}")


def validate_mapping_type_filter(query: dict[str, str]) -> str | None:
    """The list's `type` filter (a DataMappingType), or None when absent."""
    source = query.get("type")
    if source is not None and source not in c.DATA_MAPPING_SOURCES:
        raise invalid("type", f"must be one of {', '.join(c.DATA_MAPPING_SOURCES)}")
    return source


def _require_string(field: str, value: Any, min_length: int, max_length: int) -> None:
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if not min_length <= len(value) <= max_length:
        raise invalid(field, f"must be {min_length} to {max_length} characters")
