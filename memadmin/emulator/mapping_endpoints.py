"""The data-mapping endpoints: list, fetch, and create/patch/delete as 202 + operation.

They work the way the trait-group endpoints do (same paging, same 202 headers, same
If-Match rule on PATCH);
what is particular to mappings is validated in `mapping_validation` and applied in
`mapping_state`. A create's id is drawn when the request is accepted and reported in the
operation's `result.id`, as Twilio's operations name the resource they made.
"""

from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator import lifecycle, mapping_state
from memadmin.emulator.endpoints import Context, Document, accept_change, page_of, store_of
from memadmin.emulator.errors import not_found
from memadmin.emulator.mapping_validation import (
    validate_create_mapping,
    validate_mapping_type_filter,
    validate_patch_mapping,
)
from memadmin.emulator.validation import (
    checked_if_match,
    etag_for,
    parse_json_body,
    parse_paging,
)
from memadmin.emulator.wire import Request, Response

MAPPING_ID_PREFIX = "mem_datamapping_"


def list_data_mappings(
    ctx: Context, request: Request, document: Document, store_id: str
) -> Response:
    """`GET …/DataMappings`: at most 100 a page, newest first unless `orderBy=ASC`."""
    mappings = mapping_state.mappings_of(store_of(document, store_id))
    paging = parse_paging(request.query, include_traits_default=False)
    source = validate_mapping_type_filter(request.query)
    ordered = sorted(mappings.values(), key=lambda mapping: mapping["createdSeq"])
    if source is not None:
        ordered = [mapping for mapping in ordered if mapping["mappingFrom"]["type"] == source]
    if (paging.order_by or c.DEFAULT_ORDER_BY) == "DESC":
        ordered.reverse()
    page_size = min(paging.page_size, c.MAX_DATA_MAPPINGS_PER_PAGE)
    page, meta = page_of(ordered, paging, page_size, key="dataMappings", endless=ctx.endless_paging)
    return Response(200, {"dataMappings": [_render(mapping) for mapping in page], "meta": meta})


def fetch_data_mapping(
    ctx: Context, request: Request, document: Document, store_id: str, mapping_id: str
) -> Response:
    """`GET …/DataMappings/{id}`: the DataMapping with its ETag."""
    mapping = _mapping(document, store_id, mapping_id)
    return Response(200, _render(mapping), {"ETag": etag_for(mapping["version"])})


def create_data_mapping(
    ctx: Context, request: Request, document: Document, store_id: str
) -> Response:
    """`POST …/DataMappings`: 202; dataset sources may only name traits that exist."""
    store = store_of(document, store_id)
    body = validate_create_mapping(parse_json_body(request.body))
    mapping_state.check_targets_exist(store, body["mappingFrom"]["type"], body["mappingTo"])
    return accept_change(
        ctx,
        request,
        document,
        message="Data mapping creation request accepted for processing.",
        kind=mapping_state.CREATE,
        store_id=store_id,
        name=None,
        body=body,
        resource_id=lifecycle.new_ttid(MAPPING_ID_PREFIX),
    )


def patch_data_mapping(
    ctx: Context, request: Request, document: Document, store_id: str, mapping_id: str
) -> Response:
    """`PATCH …/DataMappings/{id}`: 202, or 412 when `If-Match` names another version.

    The spec marks the body optional: an empty or absent one changes nothing but the version.
    """
    mapping = _mapping(document, store_id, mapping_id)
    body = validate_patch_mapping(parse_json_body(request.body) if request.body.strip() else {})
    if "mappingTo" in body:
        mapping_state.check_targets_exist(
            store_of(document, store_id), mapping["mappingFrom"]["type"], body["mappingTo"]
        )
    if_match_version = checked_if_match(request, mapping["version"], f"data mapping {mapping_id}")
    return accept_change(
        ctx,
        request,
        document,
        message="Data mapping update request accepted for processing.",
        kind=mapping_state.PATCH,
        store_id=store_id,
        name=None,
        body=body,
        if_match_version=if_match_version,
        resource_id=mapping_id,
    )


def delete_data_mapping(
    ctx: Context, request: Request, document: Document, store_id: str, mapping_id: str
) -> Response:
    """`DELETE …/DataMappings/{id}`: 202.

    Unlike a trait group's DELETE, the spec lists no 409 here, so an operation still in
    flight on the mapping does not refuse it: operations apply in order, and a second
    delete of the same mapping FAILS (404) when its turn comes.
    """
    _mapping(document, store_id, mapping_id)
    return accept_change(
        ctx,
        request,
        document,
        message="Data mapping deletion request accepted for processing.",
        kind=mapping_state.DELETE,
        store_id=store_id,
        name=None,
        body={},
        resource_id=mapping_id,
    )


def _mapping(document: Document, store_id: str, mapping_id: str) -> dict[str, Any]:
    mapping = mapping_state.mappings_of(store_of(document, store_id)).get(mapping_id)
    if mapping is None:
        raise not_found(f"Data mapping {mapping_id} does not exist on store {store_id}")
    return mapping


def _render(mapping: dict[str, Any]) -> dict[str, Any]:
    """The DataMapping schema's fields; timestamps as the date-times the library parses."""
    rendered = {
        "id": mapping["id"],
        "createdAt": lifecycle.iso8601(mapping["createdAt"]),
        "updatedAt": lifecycle.iso8601(mapping["updatedAt"]),
        "version": mapping["version"],
        "displayName": mapping["displayName"],
    }
    if "description" in mapping:
        rendered["description"] = mapping["description"]
    rendered["isEnabled"] = mapping["isEnabled"]
    rendered["mappingTo"] = mapping["mappingTo"]
    rendered["mappingFrom"] = mapping["mappingFrom"]
    return rendered
