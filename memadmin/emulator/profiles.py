"""Profile endpoints: create one, list the ids, list one profile's traits.

A store's profiles are its seeded population (`population.py`, derived on demand) and
those created through the API (kept in the state document under `profiles`). Both are
read through the store's current trait definitions: a value is shown only while its
group and trait exist, and a write is refused unless every value fits its definition
(Twilio: a value for an undefined trait is refused). Identity resolution here is
minimal: a create whose identifier value matches a profile created through the API
updates that profile; seeded profiles are never matched.
"""

from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator import lifecycle, population
from memadmin.emulator.endpoints import Document, store_of
from memadmin.emulator.errors import invalid, not_found
from memadmin.emulator.validation import (
    decode_page_token,
    encode_page_token,
    lower_camel_case,
    parse_json_body,
)
from memadmin.emulator.wire import Request, Response
from memadmin.trait_values import value_violation


def list_profiles(ctx, request: Request, document: Document, store_id: str) -> Response:
    """`GET /v1/Stores/{storeId}/Profiles`: ids, newest first unless `orderBy=ASC`.

    A token holds a position counted from the oldest profile, whatever the order: a
    profile created while someone pages newest first then lands before the pages still
    to come instead of shifting each of them by one (repeating a profile).
    """
    store = store_of(document, store_id)
    page_size, token, order_by = _profile_paging(request.query)
    stored = _created(store)
    created = sorted(stored, key=lambda pid: stored[pid]["createdSeq"])
    seeded = _population(store)
    total = len(created) + seeded
    number = _store_number(document, store_id)

    def id_at(oldest_first: int) -> str:
        if oldest_first < seeded:
            return population.seeded_profile_id(number, oldest_first)
        return created[oldest_first - seeded]

    meta: dict[str, Any] = {"key": "profiles"}
    if (order_by or c.DEFAULT_ORDER_BY) == "ASC":
        start = min(token if token is not None else 0, total)
        end = min(total, start + page_size)
        positions = range(start, end)
        more, after, before = end < total, end, max(0, start - page_size)
        has_previous = start > 0
    else:  # the token is where the page ends: everything older than it comes next
        end = min(token if token is not None else total, total)
        start = max(0, end - page_size)
        positions = range(end - 1, start - 1, -1)
        more, after, before = start > 0, start, min(total, end + page_size)
        has_previous = end < total
    ids = [id_at(position) for position in positions]
    meta["pageSize"] = len(ids)
    if ctx.endless_paging or more:
        meta["nextToken"] = encode_page_token(after)
    if has_previous:
        meta["previousToken"] = encode_page_token(before)
    return Response(200, {"profiles": ids, "meta": meta})


def list_profile_traits(
    ctx, request: Request, document: Document, store_id: str, profile_id: str
) -> Response:
    """`GET …/Profiles/{profileId}/Traits`: the profile's values, flattened, paged, filtered."""
    store = store_of(document, store_id)
    _validate_profile_id(profile_id)
    values = _profile_values(document, store_id, profile_id)
    wanted = _trait_groups_filter(request.query)
    # The spec's pageSize runs to 1000, but a page holds at most 100 traits.
    page_size, position, order_by = _profile_paging(request.query)
    page_size = min(page_size, c.MAX_PROFILE_TRAITS_PER_PAGE)
    offset = position or 0
    flattened = []
    for group in sorted(store["traitGroups"].values(), key=lambda group: group["createdSeq"]):
        name = group["displayName"]
        if wanted is not None and name not in wanted:
            continue
        held = values["traits"].get(name, {})
        for trait in group["traits"]:
            if trait in held:
                flattened.append(
                    {
                        "name": trait,
                        "value": held[trait],
                        "traitGroup": name,
                        "timestamp": values["timestamp"],
                    }
                )
    if order_by == "DESC":  # definition order unless asked otherwise, as for a group
        flattened.reverse()
    start = min(offset, len(flattened))
    page = flattened[start : start + page_size]
    meta: dict[str, Any] = {"key": "traits", "pageSize": len(page)}
    if ctx.endless_paging:
        meta["nextToken"] = encode_page_token(offset + page_size)
    elif start + page_size < len(flattened):
        meta["nextToken"] = encode_page_token(start + page_size)
    if start > 0:
        meta["previousToken"] = encode_page_token(max(0, start - page_size))
    return Response(200, {"traits": page, "meta": meta})


def create_profile(ctx, request: Request, document: Document, store_id: str) -> Response:
    """`POST /v1/Stores/{storeId}/Profiles`: 202 `{message, id}`; every value is checked
    against the store's definitions first, and at least one must be an identifier."""
    store = store_of(document, store_id)
    body = parse_json_body(request.body)
    if not isinstance(body, dict):
        raise invalid("request body", "must be a JSON object")
    for key in body:
        if key != "traits":
            raise invalid(key, "unknown property (allowed: traits)")
    traits = _checked_traits(store, body.get("traits"))
    identifiers = {
        (group, name, _identity(value))
        for group, values in traits.items()
        for name, value in values.items()
        if store["traitGroups"][group]["traits"][name].get("idTypePromotion")
    }
    if not identifiers:
        raise invalid(
            "traits",
            "at least one trait promoted to an identifier (idTypePromotion) is required",
        )
    created = store.setdefault("profiles", {})
    profile_id = next(
        (pid for pid, profile in created.items() if identifiers & _identifiers_of(store, profile)),
        None,
    )
    if profile_id is None:
        document["sequence"] += 1
        profile_id = population.created_profile_id(
            _store_number(document, store_id), document["sequence"]
        )
        created[profile_id] = {"traits": {}, "createdSeq": document["sequence"]}
    profile = created[profile_id]
    for group, values in traits.items():
        profile["traits"].setdefault(group, {}).update(values)
    profile["timestamp"] = lifecycle.iso8601(ctx.now)
    message = "Profile resolved and accepted for processing."
    return Response(202, {"message": message, "id": profile_id})


def _checked_traits(store: dict[str, Any], traits: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(traits, dict) or not traits:
        raise invalid("traits", "must be a JSON object naming at least one trait group")
    if len(traits) > c.MAX_PROFILE_TRAIT_GROUPS:
        raise invalid("traits", f"must have at most {c.MAX_PROFILE_TRAIT_GROUPS} trait groups")
    checked: dict[str, dict[str, Any]] = {}
    for group_name, values in traits.items():
        field = f"traits.{group_name}"
        group = store["traitGroups"].get(group_name)
        if group is None:
            raise invalid(field, f"trait group '{group_name}' does not exist on this store")
        if not isinstance(values, dict):
            raise invalid(field, "must be a JSON object of trait values")
        if len(values) > c.MAX_PROFILE_TRAITS_PER_GROUP:
            raise invalid(field, f"must have at most {c.MAX_PROFILE_TRAITS_PER_GROUP} traits")
        for sent_name, value in values.items():
            name = lower_camel_case(sent_name)
            definition = group["traits"].get(name)
            if definition is None:
                raise invalid(
                    f"{field}.{sent_name}",
                    f"'{sent_name}' is not a trait of '{group_name}': define it in the trait "
                    "group before writing values to it",
                )
            reason = value_violation(value, definition)
            if reason is not None:
                raise invalid(f"{field}.{sent_name}", f"the value {reason}")
            checked.setdefault(group_name, {})[name] = value
    return checked


def _identity(value: Any) -> str:
    return repr(value).lower()


def _identifiers_of(store: dict[str, Any], profile: dict[str, Any]) -> set:
    found = set()
    for group, values in profile["traits"].items():
        definitions = store["traitGroups"].get(group, {}).get("traits", {})
        for name, value in values.items():
            if definitions.get(name, {}).get("idTypePromotion"):
                found.add((group, name, _identity(value)))
    return found


def _profile_values(document: Document, store_id: str, profile_id: str) -> dict[str, Any]:
    store = document["stores"][store_id]
    created = _created(store).get(profile_id)
    if created is not None:
        return {"traits": created["traits"], "timestamp": created["timestamp"]}
    index = population.seeded_index(profile_id, _store_number(document, store_id))
    if index is None or index >= _population(store):
        raise not_found(f"Profile {profile_id} does not exist on store {store_id}")
    return {
        "traits": population.seeded_traits(store_id, index),
        "timestamp": population.seeded_timestamp(index),
    }


def _trait_groups_filter(query: dict[str, str]) -> set[str] | None:
    raw = query.get("traitGroups")
    if raw is None:
        return None
    if not 1 <= len(raw) <= c.MAX_TRAIT_GROUPS_FILTER_LENGTH:
        raise invalid("traitGroups", f"must be 1 to {c.MAX_TRAIT_GROUPS_FILTER_LENGTH} characters")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _profile_paging(query: dict[str, str]) -> tuple[int, int | None, str | None]:
    """`pageSize` (1-1000, the spec's PageSize), `pageToken`'s position and `orderBy`
    (None when absent)."""
    page_size = c.DEFAULT_PAGE_SIZE
    if "pageSize" in query:
        raw = query["pageSize"]
        if (
            not (raw.isascii() and raw.isdigit())
            or not c.MIN_PAGE_SIZE <= int(raw) <= c.MAX_PROFILE_PAGE_SIZE
        ):
            raise invalid(
                "pageSize",
                f"must be an integer from {c.MIN_PAGE_SIZE} to {c.MAX_PROFILE_PAGE_SIZE}",
            )
        page_size = int(raw)
    # The spec sets no minLength on pageToken: an empty one asks for the first page.
    position = decode_page_token(query["pageToken"]) if query.get("pageToken") else None
    order_by = query.get("orderBy")
    if order_by is not None and order_by not in c.ORDER_BY_VALUES:
        raise invalid("orderBy", f"must be one of {', '.join(c.ORDER_BY_VALUES)}")
    return page_size, position, order_by


def _validate_profile_id(profile_id: str) -> None:
    if not c.PROFILE_ID_PATTERN.match(profile_id):
        raise invalid("profileId", f"must match {c.PROFILE_ID_PATTERN.pattern}")


def _store_number(document: Document, store_id: str) -> int:
    return list(document["stores"]).index(store_id)


def _population(store: dict[str, Any]) -> int:
    if "profilePopulation" in store:
        return store["profilePopulation"]
    return population.population_size(store["store"]["displayName"])


def _created(store: dict[str, Any]) -> dict[str, Any]:
    """Profiles created through the API; read without adding the key (GETs never write)."""
    return store.get("profiles", {})


def set_population(document: Document, store_id: str, count: int) -> None:
    """For tests and benchmarks: the store holds `count` seeded profiles from now on."""
    if not 0 <= count <= population.MAX_PROFILES_PER_STORE:
        raise ValueError(f"a store holds 0 to {population.MAX_PROFILES_PER_STORE} profiles")
    store_of(document, store_id)["profilePopulation"] = count
