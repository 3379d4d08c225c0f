"""One function per Memory API endpoint, each working on the state document.

Handlers run inside the request's state transaction, after due operations have been
settled, and either return a `Response` or raise `ApiError`. They validate before they
mutate, so a refused request leaves the state untouched.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator import lifecycle, mapping_state
from memadmin.emulator.errors import ApiError, invalid, not_found
from memadmin.emulator.faults import RetryAfterOverride
from memadmin.emulator.seed import PROTECTED_TRAIT_GROUPS
from memadmin.emulator.validation import (
    Paging,
    checked_if_match,
    encode_page_token,
    etag_for,
    parse_json_body,
    parse_paging,
    validate_create_request,
    validate_patch_request,
)
from memadmin.emulator.wire import Request, Response

Document = dict[str, Any]
STORES_PATH = "/v1/ControlPlane/Stores"
OPERATIONS_PATH = "/v1/ControlPlane/Operations"


@dataclass(frozen=True)
class Context:
    """Per-request facts the handlers need besides the request and the state."""

    now: float
    step_seconds: float
    take_operation_failure: Callable[[], str | None]
    take_retry_after: Callable[[], RetryAfterOverride | None] = lambda: None
    endless_paging: bool = False
    max_groups_per_store: int = c.MAX_TRAIT_GROUPS_PER_STORE


def list_stores(ctx: Context, request: Request, document: Document) -> Response:
    """`GET /v1/ControlPlane/Stores`: store ids only, newest first unless `orderBy=ASC`."""
    paging = parse_paging(request.query, include_traits_default=False)
    ids = list(document["stores"])
    if (paging.order_by or c.DEFAULT_ORDER_BY) == "DESC":
        ids.reverse()
    page, meta = page_of(ids, paging, paging.page_size, key="stores", endless=ctx.endless_paging)
    return Response(200, {"stores": page, "meta": meta})


def fetch_store(ctx: Context, request: Request, document: Document, store_id: str) -> Response:
    """`GET /v1/ControlPlane/Stores/{storeId}` with its ETag."""
    store = store_of(document, store_id)["store"]
    return Response(200, dict(store), {"ETag": etag_for(store["version"])})


def fetch_identity_resolution(
    ctx: Context, request: Request, document: Document, store_id: str
) -> Response:
    """`GET …/IdentityResolutionSettings`: the identifier types traits may promote to."""
    settings = store_of(document, store_id)["identityResolution"]
    return Response(200, settings, {"ETag": etag_for(settings["version"])})


def list_trait_groups(
    ctx: Context, request: Request, document: Document, store_id: str
) -> Response:
    """`GET …/TraitGroups`: at most 50 a page; traits only with `includeTraits=true`."""
    groups = store_of(document, store_id)["traitGroups"]
    paging = parse_paging(request.query, include_traits_default=False)
    ordered = sorted(groups.values(), key=lambda group: group["createdSeq"])
    if (paging.order_by or c.DEFAULT_ORDER_BY) == "DESC":
        ordered.reverse()
    page_size = min(paging.page_size, c.MAX_TRAIT_GROUPS_PER_PAGE)
    page, meta = page_of(ordered, paging, page_size, key="traitGroups", endless=ctx.endless_paging)
    body = [
        _render_group(group, traits=group["traits"] if paging.include_traits else None)
        for group in page
    ]
    return Response(200, {"traitGroups": body, "meta": meta})


def create_trait_group(
    ctx: Context, request: Request, document: Document, store_id: str
) -> Response:
    """`POST …/TraitGroups`: 202; a duplicate name is accepted and its operation FAILS.

    The 50-group limit is checked here, counting creates still in flight, and again when
    the operation is applied (two creates may race for the last place).
    """
    store = store_of(document, store_id)
    body = validate_create_request(parse_json_body(request.body))
    _check_id_types(store, body["traits"])
    pending = {
        op["traitGroupName"]
        for op in lifecycle.in_flight(document, store_id)
        if op["kind"] == "create" and op["traitGroupName"] not in store["traitGroups"]
    }
    if len(store["traitGroups"]) + len(pending) >= ctx.max_groups_per_store:
        raise ApiError(
            400,
            f"Trait group limit reached: store {store_id} holds {len(store['traitGroups'])} "
            f"trait groups ({len(pending)} more being created); at most "
            f"{ctx.max_groups_per_store} are allowed",
        )
    return accept_change(
        ctx,
        request,
        document,
        message="Trait group creation accepted for processing.",
        kind="create",
        store_id=store_id,
        name=body["displayName"],
        body=body,
        group_limit=ctx.max_groups_per_store,
    )


def fetch_trait_group(
    ctx: Context, request: Request, document: Document, store_id: str, name: str
) -> Response:
    """`GET …/TraitGroups/{name}`: `{traitGroup, meta}`, traits paged, with its ETag.

    Traits come in definition order unless `orderBy` is given (ASC: definition order,
    DESC: reversed): the spec's DESC default is about lists of resources, and a
    group's traits read best in the order they were defined.
    """
    group = _trait_group(document, store_id, name)
    paging = parse_paging(request.query, include_traits_default=True)
    meta: dict[str, Any] = {"key": "traits", "pageSize": 0}
    traits = None
    if paging.include_traits:
        names = list(group["traits"])
        if paging.order_by == "DESC":
            names.reverse()
        page, meta = page_of(
            names, paging, paging.page_size, key="traits", endless=ctx.endless_paging
        )
        traits = {trait: group["traits"][trait] for trait in page}
    rendered = _render_group(group, traits=traits)
    body = {"traitGroup": rendered, "meta": meta}
    return Response(200, body, {"ETag": etag_for(group["version"])})


def patch_trait_group(
    ctx: Context, request: Request, document: Document, store_id: str, name: str
) -> Response:
    """`PATCH …/TraitGroups/{name}`: 202, or 412 when `If-Match` names another version."""
    group = _trait_group(document, store_id, name)
    body = validate_patch_request(parse_json_body(request.body))
    _check_id_types(store_of(document, store_id), body.get("traits", {}))
    _check_protected_traits(name, body.get("traits", {}))
    if_match_version = checked_if_match(request, group["version"], f"trait group '{name}'")
    resulting = lifecycle.merged_traits(group["traits"], body.get("traits", {}))
    if len(resulting) > c.MAX_TRAITS_PER_GROUP:
        raise invalid(
            "traits",
            f"the group would have {len(resulting)} traits; "
            f"at most {c.MAX_TRAITS_PER_GROUP} are allowed",
        )
    return accept_change(
        ctx,
        request,
        document,
        message="Trait group update accepted for processing.",
        kind="patch",
        store_id=store_id,
        name=name,
        body=body,
        if_match_version=if_match_version,
    )


def delete_trait_group(
    ctx: Context, request: Request, document: Document, store_id: str, name: str
) -> Response:
    """`DELETE …/TraitGroups/{name}`: 202 with `{message, statusUrl}`, like create.

    `If-Match` is not a DELETE parameter in the spec, so it is ignored here. A protected
    group is a 400; a group with a create, update or delete still in flight is a 409.
    """
    _trait_group(document, store_id, name)
    if name in PROTECTED_TRAIT_GROUPS:
        raise ApiError(
            400,
            f"Trait group '{name}' is protected: an out-of-the-box trait group cannot be "
            "edited or deleted",
        )
    if any(op["traitGroupName"] == name for op in lifecycle.in_flight(document, store_id)):
        raise ApiError(
            409,
            f"Trait group '{name}' has an operation in progress; delete it once that operation "
            "has finished",
        )
    return accept_change(
        ctx,
        request,
        document,
        message="Trait group deletion accepted for processing.",
        kind="delete",
        store_id=store_id,
        name=name,
        body={},
    )


def fetch_operation(
    ctx: Context, request: Request, document: Document, operation_id: str
) -> Response:
    """`GET /v1/ControlPlane/Operations/{id}`: status by the clock, `Retry-After` meanwhile."""
    if len(operation_id) > c.MAX_OPERATION_ID_LENGTH:
        raise invalid("operationId", f"must be at most {c.MAX_OPERATION_ID_LENGTH} characters")
    operation = document["operations"].get(operation_id)
    if operation is None:
        raise not_found(f"Operation {operation_id} was not found")
    status = lifecycle.status_of(operation, ctx.now)
    resource_id, resource_path = _operation_resource(operation)
    body: dict[str, Any] = {
        "operationId": operation_id,
        "status": status,
        "createdAt": lifecycle.iso8601(operation["createdAt"]),
        "statusUrl": request.url(f"{OPERATIONS_PATH}/{operation_id}"),
    }
    if operation["outcome"] is not None:
        body["completedAt"] = lifecycle.iso8601(operation["dueAt"])
    if status == c.COMPLETED:
        body["result"] = {"type": "RESOURCE_ID", "id": resource_id}
        # A deleted resource has nothing left to fetch.
        if operation["kind"] not in ("delete", mapping_state.DELETE):
            body["resultUrl"] = request.url(resource_path)
    elif status == c.FAILED:
        body["error"] = operation["outcome"]["error"]
    headers = {"Operation-Id": operation_id}
    wait = lifecycle.seconds_to_next_status(operation, ctx.now)
    if wait is not None:
        _set_retry_after(ctx, headers, max(1, math.ceil(wait)))
    return Response(200, body, headers)


def _operation_resource(operation: dict[str, Any]) -> tuple[str, str]:
    """The id and path of what an operation changed: a trait group or a data mapping."""
    store_path = f"{STORES_PATH}/{operation['storeId']}"
    if operation["kind"] in mapping_state.KINDS:
        return operation["resourceId"], f"{store_path}/DataMappings/{operation['resourceId']}"
    name = operation["traitGroupName"]
    return name, f"{store_path}/TraitGroups/{name}"


def _set_retry_after(ctx: Context, headers: dict[str, str], seconds: int) -> None:
    """`Retry-After: seconds`, unless an injected fault asks for another value or none."""
    override = ctx.take_retry_after()
    if override is not None:
        if override.seconds is None:
            return
        seconds = override.seconds
    headers["Retry-After"] = str(seconds)


def accept_change(
    ctx: Context,
    request: Request,
    document: Document,
    *,
    message: str,
    body: dict[str, Any],
    **change: Any,
) -> Response:
    """Records the change (`body` and `lifecycle.accept`'s other arguments) as an operation
    and answers 202 with its status URL: how every create, patch and delete is accepted."""
    operation = lifecycle.accept(
        document,
        request=body,
        now=ctx.now,
        step_seconds=ctx.step_seconds,
        injected_failure=ctx.take_operation_failure(),
        **change,
    )
    status_url = request.url(f"{OPERATIONS_PATH}/{operation['operationId']}")
    headers = {"Operation-Id": operation["operationId"], "Location": status_url}
    _set_retry_after(ctx, headers, math.ceil(ctx.step_seconds))
    return Response(202, {"message": message, "statusUrl": status_url}, headers)


def _check_id_types(store: dict[str, Any], traits: dict[str, dict[str, Any]]) -> None:
    """An `idTypePromotion` must name an identifier type of the store's settings."""
    configured = [config["idType"] for config in store["identityResolution"]["identifierConfigs"]]
    for trait_name, definition in traits.items():
        promotion = definition.get("idTypePromotion")
        if promotion is not None and promotion not in configured:
            raise invalid(
                f"traits.{trait_name}.idTypePromotion",
                f"{promotion!r} is not an identifier type of this store's Identity "
                f"Resolution Settings (configured: {', '.join(configured) or 'none'})",
            )


def _check_protected_traits(group_name: str, changes: dict[str, dict[str, Any]]) -> None:
    """Built-in traits of an out-of-the-box group may not be removed or retyped."""
    built_in = PROTECTED_TRAIT_GROUPS.get(group_name, {})
    for trait_name, definition in changes.items():
        if trait_name not in built_in or definition["dataType"] == built_in[trait_name]:
            continue
        verb = "removed" if definition["dataType"] == c.REMOVE_TRAIT_MARKER else "retyped"
        raise invalid(
            f"traits.{trait_name}",
            f"'{trait_name}' is a protected built-in trait of '{group_name}' and cannot be {verb}",
        )


def store_of(document: Document, store_id: str) -> dict[str, Any]:
    """The store's part of the state document; a 404 when there is no such store."""
    store = document["stores"].get(store_id)
    if store is None:
        raise not_found(f"Store {store_id} does not exist or was deleted")
    return store


def _trait_group(document: Document, store_id: str, name: str) -> dict[str, Any]:
    group = store_of(document, store_id)["traitGroups"].get(name)
    if group is None:
        raise not_found(f"Trait group '{name}' does not exist on store {store_id}")
    return group


def _render_group(group: dict[str, Any], *, traits: dict[str, Any] | None) -> dict[str, Any]:
    """The TraitGroup schema's fields in its order; `traits` omitted when None."""
    rendered = {key: group[key] for key in ("displayName", "description") if key in group}
    if traits is not None:
        rendered["traits"] = traits
    rendered["version"] = group["version"]
    return rendered


def page_of(
    items: list[Any], paging: Paging, page_size: int, *, key: str, endless: bool = False
) -> tuple[list[Any], dict[str, Any]]:
    """One page and its Meta; `pageSize` counts the items on this page, as the spec says."""
    start = min(paging.offset, len(items))
    page = items[start : start + page_size]
    meta: dict[str, Any] = {"key": key, "pageSize": len(page)}
    if endless:  # the fault: past the end too, each token new, so the listing never ends
        meta["nextToken"] = encode_page_token(paging.offset + page_size)
    elif start + page_size < len(items):
        meta["nextToken"] = encode_page_token(start + page_size)
    if start > 0:
        meta["previousToken"] = encode_page_token(max(0, start - page_size))
    return page, meta
