"""Profiles in the emulator: a seeded population, paged ids, values through the definitions."""

import base64

import httpx
import pytest

from memadmin.emulator import Emulator
from memadmin.emulator.population import seeded_traits

PREFERENCES = {
    "displayName": "Preferences",
    "traits": {
        "preferredChannel": {"dataType": "STRING"},
        "quietHoursStart": {"dataType": "NUMBER"},
    },
}


def profiles_of(store_id: str) -> str:
    return f"/v1/Stores/{store_id}/Profiles"


def create_group(api: httpx.Client, clock, store_id: str, body: dict) -> None:
    response = api.post(f"/v1/ControlPlane/Stores/{store_id}/TraitGroups", json=body)
    assert response.status_code == 202
    clock.advance(10)


def test_the_sandbox_holds_thousands_of_profiles_and_production_hundreds(api, clocked_emulator):
    sandbox, production = clocked_emulator.store_ids
    counts = {}
    for store_id in (sandbox, production):
        ids, token = [], None
        while True:
            params = {"pageSize": 1000} | ({"pageToken": token} if token else {})
            page = api.get(profiles_of(store_id), params=params).json()
            ids += page["profiles"]
            token = page["meta"].get("nextToken")
            if token is None:
                break
        assert len(set(ids)) == len(ids)
        counts[store_id] = len(ids)
    assert counts[sandbox] >= 1000
    assert 100 <= counts[production] < 1000


def test_the_population_is_the_same_every_time(api, clocked_emulator, store_id):
    first = api.get(profiles_of(store_id), params={"pageSize": 5}).json()["profiles"]
    clocked_emulator.reset()
    assert api.get(profiles_of(store_id), params={"pageSize": 5}).json()["profiles"] == first
    traits = api.get(f"{profiles_of(store_id)}/{first[0]}/Traits").json()["traits"]
    again = api.get(f"{profiles_of(store_id)}/{first[0]}/Traits").json()["traits"]
    assert traits == again


def test_some_seeded_values_would_break_a_tightened_rule():
    contacts = [
        seeded_traits("mem_store_00000000000000000000000000", i)["Contact"] for i in range(500)
    ]
    assert any(not c["phone"].startswith("+") for c in contacts)
    assert any(c["email"] != c["email"].lower() for c in contacts)


def test_only_traits_the_store_defines_are_shown(api, clock, store_id):
    profile = api.get(profiles_of(store_id), params={"pageSize": 1}).json()["profiles"][0]
    traits = api.get(f"{profiles_of(store_id)}/{profile}/Traits").json()["traits"]
    assert {trait["traitGroup"] for trait in traits} == {"Contact"}
    create_group(api, clock, store_id, PREFERENCES)
    traits = api.get(f"{profiles_of(store_id)}/{profile}/Traits").json()["traits"]
    assert {(t["traitGroup"], t["name"]) for t in traits if t["traitGroup"] == "Preferences"} == {
        ("Preferences", "preferredChannel"),
        ("Preferences", "quietHoursStart"),
    }


def test_the_trait_groups_filter_narrows_the_listing(api, clock, store_id):
    create_group(api, clock, store_id, PREFERENCES)
    profile = api.get(profiles_of(store_id), params={"pageSize": 1}).json()["profiles"][0]
    url = f"{profiles_of(store_id)}/{profile}/Traits"
    traits = api.get(url, params={"traitGroups": "Preferences"}).json()["traits"]
    assert {trait["traitGroup"] for trait in traits} == {"Preferences"}


def test_a_profiles_traits_are_paged(api, store_id):
    profile = api.get(profiles_of(store_id), params={"pageSize": 1}).json()["profiles"][0]
    url = f"{profiles_of(store_id)}/{profile}/Traits"
    first = api.get(url, params={"pageSize": 4}).json()
    assert len(first["traits"]) == 4
    second = api.get(url, params={"pageSize": 4, "pageToken": first["meta"]["nextToken"]}).json()
    assert {t["name"] for t in first["traits"]}.isdisjoint({t["name"] for t in second["traits"]})


def test_a_created_profile_is_listed_first_and_holds_its_values(api, store_id):
    body = {"traits": {"Contact": {"email": "new@example.com", "firstName": "Nia"}}}
    created = api.post(profiles_of(store_id), json=body)
    assert created.status_code == 202
    profile_id = created.json()["id"]
    assert api.get(profiles_of(store_id), params={"pageSize": 1}).json()["profiles"] == [profile_id]
    traits = api.get(f"{profiles_of(store_id)}/{profile_id}/Traits").json()["traits"]
    assert {t["name"]: t["value"] for t in traits} == {
        "email": "new@example.com",
        "firstName": "Nia",
    }


def test_a_second_create_with_the_same_identifier_resolves_to_the_same_profile(api, store_id):
    first = api.post(profiles_of(store_id), json={"traits": {"Contact": {"email": "a@b.co"}}})
    second = api.post(
        profiles_of(store_id), json={"traits": {"Contact": {"email": "a@b.co", "city": "Oslo"}}}
    )
    assert first.json()["id"] == second.json()["id"]


@pytest.mark.parametrize(
    ("traits", "field"),
    [
        (
            {"Contact": {"email": "a@b.co", "favouriteColour": "red"}},
            "traits.Contact.favouriteColour",
        ),
        ({"Nowhere": {"email": "a@b.co"}}, "traits.Nowhere"),
        ({"Contact": {"email": 42}}, "traits.Contact.email"),
        ({"Contact": {"firstName": "Only"}}, "traits"),
    ],
)
def test_a_write_the_definitions_refuse_is_a_400_naming_the_field(api, store_id, traits, field):
    response = api.post(profiles_of(store_id), json={"traits": traits})
    assert response.status_code == 400
    assert f"Invalid value for {field}:" in response.json()["message"]


def test_a_refused_value_is_not_echoed(api, store_id):
    response = api.post(profiles_of(store_id), json={"traits": {"Contact": {"email": 4155550100}}})
    assert "4155550100" not in response.text


def test_a_value_that_breaks_the_rule_is_refused(api, clock, store_id):
    create_group(
        api,
        clock,
        store_id,
        {
            "displayName": "Account",
            "traits": {
                "accountNumber": {"dataType": "STRING", "idTypePromotion": "email"},
                "age": {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "max": 130}},
            },
        },
    )
    refused = api.post(
        profiles_of(store_id), json={"traits": {"Account": {"accountNumber": "1", "age": 200}}}
    )
    assert refused.status_code == 400
    assert "above max 130" in refused.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/Stores/mem_store_00000000000000000000000000/Profiles/not-a-profile/Traits",
        "/v1/Stores/not-a-store/Profiles",
    ],
)
def test_malformed_ids_are_400s(api, path):
    assert api.get(path).status_code == 400


def test_unknown_profiles_and_stores_are_404s(api):
    store = "mem_store_00000000000000000000000000"
    assert (
        api.get(
            f"/v1/Stores/{store}/Profiles/mem_profile_00000000009999999999999999/Traits"
        ).status_code
        == 404
    )
    assert api.get("/v1/Stores/mem_store_77777777777777777777777777/Profiles").status_code == 404


def test_a_page_size_past_1000_is_refused(api, store_id):
    assert api.get(profiles_of(store_id), params={"pageSize": 1001}).status_code == 400


def test_a_small_population_can_be_set_for_tests(clocked_emulator: Emulator, api, store_id):
    clocked_emulator.set_profile_population(store_id, 3)
    assert len(api.get(profiles_of(store_id), params={"pageSize": 10}).json()["profiles"]) == 3


@pytest.mark.parametrize("order_by", ["DESC", "ASC"])
def test_a_profile_created_while_paging_shifts_no_later_page(
    clocked_emulator: Emulator, api, store_id, order_by
):
    """Newest first, a new profile lands on the page already read: the pages still to come
    must neither repeat a profile nor skip one (a dry run would count one twice)."""
    clocked_emulator.set_profile_population(store_id, 5)
    params = {"pageSize": 2, "orderBy": order_by}
    before = api.get(profiles_of(store_id), params={"pageSize": 10}).json()["profiles"]
    page = api.get(profiles_of(store_id), params=params).json()
    seen = list(page["profiles"])
    body = {"traits": {"Contact": {"email": "while-paging@example.com"}}}
    assert api.post(profiles_of(store_id), json=body).status_code == 202
    while (token := page["meta"].get("nextToken")) is not None:
        page = api.get(profiles_of(store_id), params={**params, "pageToken": token}).json()
        seen += page["profiles"]
    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)


@pytest.mark.parametrize(
    "params",
    [
        {"pageSize": "²"},
        {"pageToken": base64.urlsafe_b64encode("offset:²".encode()).decode()},
    ],
)
def test_a_digit_int_cannot_read_is_a_400_not_a_500(api, store_id, params):
    assert api.get(profiles_of(store_id), params=params).status_code == 400


def test_an_empty_page_token_is_the_first_page_as_the_spec_allows(api, store_id):
    first = api.get(profiles_of(store_id), params={"pageSize": 3}).json()
    empty = api.get(profiles_of(store_id), params={"pageSize": 3, "pageToken": ""})
    assert empty.status_code == 200
    assert empty.json()["profiles"] == first["profiles"]
