"""Every request body and parameter outside the contract is a 400 naming the field."""

from typing import Any

import httpx
import pytest

from tests.contract.memory_api import assert_matches_contract


def trait(**fields: Any) -> dict[str, Any]:
    return {"dataType": "STRING", **fields}


def create(api: httpx.Client, groups_url: str, body: Any) -> httpx.Response:
    return api.post(groups_url, json=body)


def assert_rejected(response: httpx.Response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert_matches_contract(response.json(), "TwilioError")
    assert response.json()["code"] == 400
    assert response.json()["status"] == 400
    assert response.json()["more_info"] == "https://www.twilio.com/docs/api/errors/400"
    assert response.json()["message"].startswith(f"Invalid value for {field}:"), response.json()


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("a", True),
        ("x" * 64, True),
        ("Loyalty_v2-beta.1", True),
        ("x" * 65, False),
        ("", False),
        ("has space", False),
        ("slash/name", False),
        ("émoji", False),
    ],
)
def test_display_name_is_1_to_64_safe_characters(
    api: httpx.Client, groups_url: str, name: str, accepted: bool
):
    response = create(api, groups_url, {"displayName": name})
    if accepted:
        assert response.status_code == 202
    else:
        assert_rejected(response, "displayName")


@pytest.mark.parametrize("body", [{}, {"description": "no name"}, {"displayName": 7}])
def test_display_name_is_a_required_string(api: httpx.Client, groups_url: str, body: dict):
    assert_rejected(create(api, groups_url, body), "displayName")


@pytest.mark.parametrize(("length", "accepted"), [(1024, True), (1025, False)])
def test_descriptions_are_at_most_1024_characters(
    api: httpx.Client, groups_url: str, length: int, accepted: bool
):
    group = create(api, groups_url, {"displayName": "G", "description": "d" * length})
    on_trait = create(
        api, groups_url, {"displayName": "T", "traits": {"t": trait(description="d" * length)}}
    )
    if accepted:
        assert (group.status_code, on_trait.status_code) == (202, 202)
    else:
        assert_rejected(group, "description")
        assert_rejected(on_trait, "traits.t.description")


@pytest.mark.parametrize(("count", "accepted"), [(95, True), (96, False)])
def test_a_group_holds_at_most_95_traits(
    api: httpx.Client, groups_url: str, count: int, accepted: bool
):
    traits = {f"trait{i}": trait() for i in range(count)}
    response = create(api, groups_url, {"displayName": "Big", "traits": traits})
    patch = api.patch(f"{groups_url}/Contact", json={"traits": traits})
    if accepted:
        assert response.status_code == 202
    else:
        assert_rejected(response, "traits")
        assert_rejected(patch, "traits")


@pytest.mark.parametrize(("length", "reason"), [(30, "not an identifier type"), (31, "at most 30")])
def test_id_type_promotion_is_at_most_30_characters_and_a_type_of_the_store(
    api: httpx.Client, groups_url: str, length: int, reason: str
):
    body = {"displayName": "G", "traits": {"t": trait(idTypePromotion="e" * length)}}
    response = create(api, groups_url, body)
    assert_rejected(response, "traits.t.idTypePromotion")
    assert reason in response.json()["message"]
    known = {"displayName": "G", "traits": {"t": trait(idTypePromotion="email")}}
    assert create(api, groups_url, known).status_code == 202


def test_unknown_top_level_properties_are_refused(api: httpx.Client, groups_url: str):
    assert_rejected(create(api, groups_url, {"displayName": "G", "colour": "red"}), "colour")
    patch = api.patch(f"{groups_url}/Contact", json={"displayName": "Renamed"})
    assert_rejected(patch, "displayName")


def test_unknown_trait_properties_are_refused(api: httpx.Client, groups_url: str):
    body = {"displayName": "G", "traits": {"t": trait(required=True)}}
    assert_rejected(create(api, groups_url, body), "traits.t.required")


@pytest.mark.parametrize("data_type", ["TEXT", "string", None, 3, ""])
def test_data_type_must_be_one_of_the_four_on_create(
    api: httpx.Client, groups_url: str, data_type: Any
):
    body = {"displayName": "G", "traits": {"t": {"dataType": data_type}}}
    assert_rejected(create(api, groups_url, body), "traits.t.dataType")


def test_data_type_is_required(api: httpx.Client, groups_url: str):
    body = {"displayName": "G", "traits": {"t": {"description": "typeless"}}}
    assert_rejected(create(api, groups_url, body), "traits.t.dataType")


def test_the_empty_data_type_is_the_removal_marker_of_patch_only(
    api: httpx.Client, groups_url: str, clocked_emulator
):
    clocked_emulator.step_seconds = 0
    create(api, groups_url, {"displayName": "Address", "traits": {"city": trait()}})
    assert (
        api.patch(f"{groups_url}/Address", json={"traits": {"city": {"dataType": ""}}}).status_code
        == 202
    )
    with_rule = {"city": {"dataType": "", "validationRule": {"ruleType": "STRING"}}}
    assert_rejected(
        api.patch(f"{groups_url}/Address", json={"traits": with_rule}),
        "traits.city.validationRule",
    )


VALID_RULES = [
    ("STRING", {"ruleType": "STRING", "pattern": "^[A-Z]{2}$", "minLength": 0, "maxLength": 1}),
    ("STRING", {"ruleType": "STRING", "minLength": 5, "maxLength": 5}),
    ("STRING", {"ruleType": "STRING", "pattern": "p" * 1000}),
    ("NUMBER", {"ruleType": "NUMBER", "min": -1.5, "max": 1e9}),
    ("NUMBER", {"ruleType": "NUMBER", "min": 3, "max": 3}),
    ("BOOLEAN", {"ruleType": "BOOLEAN"}),
    ("ARRAY", {"ruleType": "ARRAY", "minItems": 0, "maxItems": 0}),
]


@pytest.mark.parametrize(("data_type", "rule"), VALID_RULES)
def test_validation_rules_within_the_contract_are_accepted(
    api: httpx.Client, groups_url: str, data_type: str, rule: dict
):
    body = {"displayName": "G", "traits": {"t": {"dataType": data_type, "validationRule": rule}}}
    assert create(api, groups_url, body).status_code == 202


INVALID_RULES = [
    ("STRING", {"ruleType": "STRING", "maxLength": 0}, "maxLength", "must be an integer >= 1"),
    ("STRING", {"ruleType": "STRING", "minLength": -1}, "minLength", "must be an integer >= 0"),
    ("STRING", {"ruleType": "STRING", "minLength": 1.5}, "minLength", "integer"),
    ("STRING", {"ruleType": "STRING", "maxLength": True}, "maxLength", "integer"),
    ("STRING", {"ruleType": "STRING", "maxLength": "10"}, "maxLength", "integer"),
    ("STRING", {"ruleType": "STRING", "pattern": "p" * 1001}, "pattern", "at most 1000"),
    ("STRING", {"ruleType": "STRING", "pattern": 5}, "pattern", "string"),
    (
        "STRING",
        {"ruleType": "STRING", "minLength": 6, "maxLength": 5},
        "minLength",
        "less than or equal to maxLength",
    ),
    ("STRING", {"ruleType": "STRING", "min": 1}, "min", "unknown property"),
    ("STRING", {"ruleType": "STRING", "caseSensitive": True}, "caseSensitive", "unknown"),
    ("NUMBER", {"ruleType": "NUMBER", "min": "0"}, "min", "must be a number"),
    ("NUMBER", {"ruleType": "NUMBER", "max": False}, "max", "must be a number"),
    ("NUMBER", {"ruleType": "NUMBER", "min": 2, "max": 1}, "min", "less than or equal to max"),
    ("NUMBER", {"ruleType": "NUMBER", "maxLength": 3}, "maxLength", "unknown property"),
    ("BOOLEAN", {"ruleType": "BOOLEAN", "min": 0}, "min", "unknown property"),
    ("ARRAY", {"ruleType": "ARRAY", "minItems": -1}, "minItems", ">= 0"),
    ("ARRAY", {"ruleType": "ARRAY", "maxItems": -1}, "maxItems", ">= 0"),
    (
        "ARRAY",
        {"ruleType": "ARRAY", "minItems": 3, "maxItems": 2},
        "minItems",
        "less than or equal to maxItems",
    ),
    ("STRING", {"maxLength": 3}, "ruleType", "is required"),
    ("STRING", {"ruleType": "DATE"}, "ruleType", "must be one of"),
    ("STRING", {"ruleType": "NUMBER"}, "ruleType", "must match the trait's dataType"),
]


@pytest.mark.parametrize(("data_type", "rule", "field", "reason"), INVALID_RULES)
def test_validation_rules_outside_the_contract_are_refused_naming_the_field(
    api: httpx.Client, groups_url: str, data_type: str, rule: dict, field: str, reason: str
):
    body = {"displayName": "G", "traits": {"t": {"dataType": data_type, "validationRule": rule}}}
    response = create(api, groups_url, body)
    assert_rejected(response, f"traits.t.validationRule.{field}")
    assert reason in response.json()["message"]


def test_the_error_message_names_the_nested_field_exactly(api: httpx.Client, groups_url: str):
    body = {
        "displayName": "G",
        "traits": {"email": trait(validationRule={"ruleType": "STRING", "maxLength": 0})},
    }
    assert create(api, groups_url, body).json()["message"] == (
        "Invalid value for traits.email.validationRule.maxLength: must be an integer >= 1"
    )


@pytest.mark.parametrize(
    "body", [{"displayName": "G", "traits": []}, {"displayName": "G", "traits": {"t": "STRING"}}]
)
def test_traits_and_trait_definitions_must_be_objects(
    api: httpx.Client, groups_url: str, body: dict
):
    assert create(api, groups_url, body).status_code == 400


@pytest.mark.parametrize(
    "raw", [b"{", b"", b"[1, 2]", b'"text"', b'{"displayName": NaN}', b"\xff\xfe"]
)
def test_malformed_or_non_object_json_is_a_400(api: httpx.Client, groups_url: str, raw: bytes):
    response = api.post(groups_url, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert_matches_contract(response.json(), "TwilioError")
    assert "request body" in response.json()["message"]


def test_an_oversized_body_is_refused(api: httpx.Client, groups_url: str):
    response = api.post(groups_url, content=b" " * (1024 * 1024 + 10))
    assert response.status_code == 413
    assert_matches_contract(response.json(), "TwilioError")


@pytest.mark.parametrize(
    "store_id",
    [
        "mem_store_123",
        "mem_store_80000000000000000000000000",  # a TTID starts with 0-7
        "mem_store_0000000000000000000000000A",
        "store_00000000000000000000000000",
    ],
)
def test_a_malformed_store_id_is_a_400_on_every_endpoint(api: httpx.Client, store_id: str):
    base = f"/v1/ControlPlane/Stores/{store_id}"
    for response in (
        api.get(base),
        api.get(f"{base}/IdentityResolutionSettings"),
        api.get(f"{base}/TraitGroups"),
        api.post(f"{base}/TraitGroups", json={"displayName": "G"}),
        api.get(f"{base}/TraitGroups/Contact"),
        api.delete(f"{base}/TraitGroups/Contact"),
    ):
        assert_rejected(response, "storeId")


def test_an_unknown_but_well_formed_store_is_a_404(api: httpx.Client):
    base = "/v1/ControlPlane/Stores/mem_store_01234567890123456789012345"
    for response in (
        api.get(base),
        api.get(f"{base}/TraitGroups"),
        api.get(f"{base}/TraitGroups/Contact"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == 20404
        assert "mem_store_01234567890123456789012345" in response.json()["message"]


def test_a_trait_group_name_over_64_characters_in_the_path_is_a_400(
    api: httpx.Client, groups_url: str
):
    assert_rejected(api.get(f"{groups_url}/{'x' * 65}"), "traitGroupName")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "101"}, "pageSize"),
        ({"pageSize": "ten"}, "pageSize"),
        ({"pageSize": "-1"}, "pageSize"),
        ({"orderBy": "asc"}, "orderBy"),
        ({"orderBy": "NEWEST"}, "orderBy"),
        ({"pageToken": "not-a-token"}, "pageToken"),
        ({"pageToken": "x" * 4097}, "pageToken"),
        ({"includeTraits": "yes"}, "includeTraits"),
    ],
)
def test_paging_parameters_outside_the_contract_are_refused(
    api: httpx.Client, groups_url: str, params: dict, field: str
):
    for url in (groups_url, f"{groups_url}/Contact", "/v1/ControlPlane/Stores"):
        if field == "includeTraits" and url.endswith("Stores"):
            continue
        assert_rejected(api.get(url, params=params), field)


@pytest.mark.parametrize("page_size", ["1", "100"])
def test_page_sizes_1_and_100_are_accepted(api: httpx.Client, groups_url: str, page_size: str):
    assert api.get(groups_url, params={"pageSize": page_size}).status_code == 200


def test_a_refused_request_changes_nothing(api: httpx.Client, groups_url: str):
    create(api, groups_url, {"displayName": "G", "traits": {"t": {"dataType": "TEXT"}}})
    api.patch(f"{groups_url}/Contact", json={"traits": {"x": {"dataType": "TEXT"}}})
    assert api.get(f"{groups_url}/Contact").json()["traitGroup"]["version"] == 1
