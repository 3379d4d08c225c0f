"""Request validation: every body, path and query parameter against the contract.

Each check raises a 400 whose message names the offending field by its JSON path
(`traits.email.validationRule.maxLength`), because that is what a person fixing a form
needs, and what memadmin's tests assert on.
"""

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from memadmin.emulator import contract as c
from memadmin.emulator.errors import ApiError, invalid


def parse_json_body(raw: bytes) -> Any:
    """Decode a request body; malformed JSON, NaN and Infinity are 400s, not crashes."""
    if not raw.strip():
        raise ApiError(400, "Invalid value for request body: a JSON object is required")

    def reject_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(raw, parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Invalid value for request body: malformed JSON ({exc})") from exc


def validate_store_id(store_id: str) -> None:
    """A storeId that is not a TTID is a 400 (code 400), before any lookup."""
    if not c.STORE_ID_PATTERN.match(store_id):
        raise invalid("storeId", f"must match {c.STORE_ID_PATTERN.pattern}")


def validate_trait_group_name_in_path(name: str) -> None:
    """The path parameter is only length-checked; a name that cannot exist is a 404."""
    if not c.MIN_TRAIT_GROUP_NAME_LENGTH <= len(name) <= c.MAX_TRAIT_GROUP_NAME_IN_PATH:
        raise invalid("traitGroupName", f"must be 1 to {c.MAX_TRAIT_GROUP_NAME_IN_PATH} characters")


def validate_create_request(body: Any) -> dict[str, Any]:
    """Check a TraitGroupRequest; returns it with integer-valued floats made integers."""
    require_object("request body", body)
    reject_unknown("", body, c.TRAIT_GROUP_REQUEST_FIELDS)
    if "displayName" not in body:
        raise invalid("displayName", "is required")
    name = body["displayName"]
    _require_string("displayName", name, max_length=c.MAX_TRAIT_GROUP_NAME_LENGTH)
    if not name:
        raise invalid("displayName", "must be at least 1 character")
    if not c.TRAIT_GROUP_NAME_PATTERN.match(name):
        raise invalid("displayName", f"must match {c.TRAIT_GROUP_NAME_PATTERN.pattern}")
    cleaned: dict[str, Any] = {"displayName": name}
    if "description" in body:
        _require_string("description", body["description"], max_length=c.MAX_DESCRIPTION_LENGTH)
        cleaned["description"] = body["description"]
    cleaned["traits"] = _validate_traits(body.get("traits", {}), allow_removal=False)
    return cleaned


def validate_patch_request(body: Any) -> dict[str, Any]:
    """Check a PatchTraitGroupRequest; `dataType: ""` is allowed here and means remove."""
    require_object("request body", body)
    reject_unknown("", body, c.PATCH_TRAIT_GROUP_REQUEST_FIELDS)
    cleaned: dict[str, Any] = {}
    if "description" in body:
        _require_string("description", body["description"], max_length=c.MAX_DESCRIPTION_LENGTH)
        cleaned["description"] = body["description"]
    if "traits" in body:
        cleaned["traits"] = _validate_traits(body["traits"], allow_removal=True)
    return cleaned


def _validate_traits(traits: Any, *, allow_removal: bool) -> dict[str, dict[str, Any]]:
    """The traits keyed by their lowerCamelCase names, as Twilio stores them."""
    require_object("traits", traits)
    if len(traits) > c.MAX_TRAITS_PER_GROUP:
        raise invalid("traits", f"must have at most {c.MAX_TRAITS_PER_GROUP} entries")
    cleaned: dict[str, dict[str, Any]] = {}
    sent_as: dict[str, str] = {}
    for name, definition in traits.items():
        field = f"traits.{name}"
        if len(name) > c.MAX_TRAIT_NAME_LENGTH:
            raise invalid(field, f"trait names are at most {c.MAX_TRAIT_NAME_LENGTH} characters")
        normalised = lower_camel_case(name)
        if not normalised:
            raise invalid(field, "a trait name needs at least one letter or digit")
        if normalised in sent_as:
            raise invalid(
                field,
                f"collides with trait {sent_as[normalised]!r}: both are stored as "
                f"{normalised!r} (trait names are normalised to lowerCamelCase)",
            )
        sent_as[normalised] = name
        cleaned[normalised] = _validate_trait(field, definition, allow_removal=allow_removal)
    return cleaned


_WORD_SEPARATORS = re.compile(r"[_\-.\s]+")


def lower_camel_case(name: str) -> str:
    """A trait name as Twilio stores it: words (split at `_ - .` and spaces) joined in
    lowerCamelCase, e.g. `FirstName` → `firstName`, `postal_code` → `postalCode`."""
    words = [word for word in _WORD_SEPARATORS.split(name.strip()) if word]
    if not words:
        return ""
    first = words[0][:1].lower() + words[0][1:]
    return first + "".join(word[:1].upper() + word[1:] for word in words[1:])


def _validate_trait(field: str, trait: Any, *, allow_removal: bool) -> dict[str, Any]:
    require_object(field, trait)
    reject_unknown(f"{field}.", trait, c.TRAIT_DEFINITION_FIELDS)
    if "dataType" not in trait:
        raise invalid(f"{field}.dataType", "is required")
    data_type = trait["dataType"]
    allowed = (*c.DATA_TYPES, c.REMOVE_TRAIT_MARKER) if allow_removal else c.DATA_TYPES
    if not isinstance(data_type, str) or data_type not in allowed:
        shown = ", ".join(value or '""' for value in allowed)
        raise invalid(f"{field}.dataType", f"must be one of {shown}")
    cleaned: dict[str, Any] = {"dataType": data_type}
    if "description" in trait:
        _require_string(
            f"{field}.description", trait["description"], max_length=c.MAX_DESCRIPTION_LENGTH
        )
        cleaned["description"] = trait["description"]
    if "idTypePromotion" in trait:
        _require_string(
            f"{field}.idTypePromotion",
            trait["idTypePromotion"],
            max_length=c.MAX_ID_TYPE_PROMOTION_LENGTH,
        )
        cleaned["idTypePromotion"] = trait["idTypePromotion"]
    if "validationRule" in trait:
        rule_field = f"{field}.validationRule"
        if data_type == c.REMOVE_TRAIT_MARKER:
            raise invalid(rule_field, 'must be omitted when dataType is "" (removal)')
        cleaned["validationRule"] = _validate_rule(rule_field, trait["validationRule"], data_type)
    return cleaned


def _validate_rule(field: str, rule: Any, data_type: str) -> dict[str, Any]:
    require_object(field, rule)
    rule_type = rule.get("ruleType")
    if "ruleType" not in rule:
        raise invalid(f"{field}.ruleType", "is required")
    if not isinstance(rule_type, str) or rule_type not in c.RULE_FIELDS:
        raise invalid(f"{field}.ruleType", f"must be one of {', '.join(c.RULE_FIELDS)}")
    if rule_type != data_type:
        raise invalid(f"{field}.ruleType", f"must match the trait's dataType {data_type}")
    reject_unknown(f"{field}.", rule, c.RULE_FIELDS[rule_type])
    cleaned: dict[str, Any] = {"ruleType": rule_type}
    for key, value in rule.items():
        if key == "ruleType":
            continue
        if key == "pattern":
            _require_string(f"{field}.pattern", value, max_length=c.MAX_RULE_PATTERN_LENGTH)
            cleaned[key] = value
        elif key in c.RULE_INTEGER_MINIMUMS:
            cleaned[key] = _require_integer(f"{field}.{key}", value, c.RULE_INTEGER_MINIMUMS[key])
        else:  # min and max of a NUMBER rule
            cleaned[key] = _require_number(f"{field}.{key}", value)
    for low, high in c.RULE_MIN_MAX_PAIRS:
        if low in cleaned and high in cleaned and cleaned[low] > cleaned[high]:
            raise invalid(f"{field}.{low}", f"must be less than or equal to {high}")
    return cleaned


def require_object(field: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise invalid(field, "must be a JSON object")


def reject_unknown(prefix: str, value: dict[str, Any], allowed: frozenset[str]) -> None:
    for key in value:
        if key not in allowed:
            raise invalid(
                f"{prefix}{key}", f"unknown property (allowed: {', '.join(sorted(allowed))})"
            )


def _require_string(field: str, value: Any, *, max_length: int) -> None:
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if len(value) > max_length:
        raise invalid(field, f"must be at most {max_length} characters")


def _require_integer(field: str, value: Any, minimum: int) -> int:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (isinstance(value, float) and not value.is_integer()) or value < minimum:
        raise invalid(field, f"must be an integer >= {minimum}")
    return int(value)


def _require_number(field: str, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(field, "must be a number")
    return value


@dataclass(frozen=True)
class Paging:
    """The paging query of a list or a fetch, parsed and range-checked."""

    page_size: int
    offset: int
    order_by: str | None
    include_traits: bool


def parse_paging(query: dict[str, str], *, include_traits_default: bool) -> Paging:
    """Parse `pageSize`, `pageToken`, `orderBy`, `includeTraits`; unknown keys are ignored.

    Unknown query parameters are ignored rather than refused, as Twilio's APIs do: the
    official library's `*_with_http_info` pagers also send legacy `Page`/`PageSize` keys.
    """
    page_size = c.DEFAULT_PAGE_SIZE
    if "pageSize" in query:
        raw = query["pageSize"]
        if (
            not (raw.isascii() and raw.isdigit())
            or not c.MIN_PAGE_SIZE <= int(raw) <= c.MAX_PAGE_SIZE
        ):
            raise invalid(
                "pageSize", f"must be an integer from {c.MIN_PAGE_SIZE} to {c.MAX_PAGE_SIZE}"
            )
        page_size = int(raw)
    # The spec sets no minLength on pageToken: an empty one asks for the first page.
    offset = decode_page_token(query["pageToken"]) if query.get("pageToken") else 0
    order_by = query.get("orderBy")
    if order_by is not None and order_by not in c.ORDER_BY_VALUES:
        raise invalid("orderBy", f"must be one of {', '.join(c.ORDER_BY_VALUES)}")
    include_traits = include_traits_default
    if "includeTraits" in query:
        raw = query["includeTraits"].lower()
        if raw not in ("true", "false"):
            raise invalid("includeTraits", "must be true or false")
        include_traits = raw == "true"
    return Paging(page_size, offset, order_by, include_traits)


def encode_page_token(offset: int) -> str:
    """An opaque token; clients must pass it back verbatim as `pageToken`."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> int:
    """Reverse `encode_page_token`; anything else is a 400 on `pageToken`."""
    if not token or len(token) > c.MAX_PAGE_TOKEN_LENGTH:
        raise invalid("pageToken", "is not a token this API issued")
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    prefix, _, number = text.partition(":")
    if prefix != "offset" or not (number.isascii() and number.isdigit()):
        raise invalid("pageToken", "is not a token this API issued")
    return int(number)


def etag_for(version: int) -> str:
    """The ETag of a versioned resource: a quoted string, e.g. `"v3"`."""
    return f'"v{version}"'


def if_match_allows(header: str, version: int) -> bool:
    """Whether an If-Match header matches `version`; accepts `*`, weak and unquoted tags."""
    if len(header) > c.MAX_IF_MATCH_LENGTH:
        raise invalid("If-Match", f"must be at most {c.MAX_IF_MATCH_LENGTH} characters")
    wanted = etag_for(version)
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/")
        if tag == "*" or tag == wanted or f'"{tag}"' == wanted:
            return True
    return False


def checked_if_match(request: Any, version: int, resource: str) -> int | None:
    """The version a PATCH's `If-Match` holds the change to (None without the header);
    a 412 naming `resource` when the header names another version."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    if not if_match_allows(header, version):
        raise ApiError(
            412,
            f"If-Match {header} does not match the current ETag {etag_for(version)} of {resource}",
        )
    return version
