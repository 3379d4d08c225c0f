"""The emulator behaves as Twilio's limits page and spec say, not merely as memadmin expects.

Each test here failed against the emulator before issue 14: the limits page (50 groups,
64-character trait names), protected out-of-the-box groups, identifier types, trait-name
normalisation, DELETE without a precondition, and the faults a spec-valid server may show.
"""

import httpx
import pytest

from memadmin.emulator import Emulator
from tests.contract.memory_api import assert_matches_contract
from tests.fakes import STEP, FakeClock, completed


def string_trait(**fields) -> dict:
    return {"dataType": "STRING", **fields}


@pytest.mark.parametrize(("length", "accepted"), [(64, True), (65, False)])
def test_trait_names_are_at_most_64_characters(
    api: httpx.Client, groups_url: str, length: int, accepted: bool
):
    name = "t" * length
    response = api.post(groups_url, json={"displayName": "Long", "traits": {name: string_trait()}})
    if accepted:
        assert response.status_code == 202
    else:
        assert response.status_code == 400
        assert_matches_contract(response.json(), "TwilioError")
        assert (
            f"Invalid value for traits.{name}: trait names are at most 64"
            in (response.json()["message"])
        )


def test_the_protected_contact_group_cannot_be_deleted(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    response = api.delete(f"{groups_url}/Contact")
    assert response.status_code == 400
    assert_matches_contract(response.json(), "TwilioError")
    assert "protected" in response.json()["message"]
    clock.advance(2 * STEP)
    assert api.get(f"{groups_url}/Contact").status_code == 200


@pytest.mark.parametrize(
    ("change", "verb"),
    [({"email": {"dataType": ""}}, "removed"), ({"city": {"dataType": "NUMBER"}}, "retyped")],
)
def test_built_in_traits_of_contact_cannot_be_removed_or_retyped(
    api: httpx.Client, groups_url: str, change: dict, verb: str
):
    response = api.patch(f"{groups_url}/Contact", json={"traits": change})
    assert response.status_code == 400
    assert (
        f"protected built-in trait of 'Contact' and cannot be {verb}"
        in (response.json()["message"])
    )


def test_traits_can_still_be_added_to_contact_and_built_ins_redescribed(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    change = {
        "traits": {
            "nickname": string_trait(),
            "city": string_trait(description="Town or city"),
        }
    }
    operation = completed(api, clock, api.patch(f"{groups_url}/Contact", json=change))
    assert operation["status"] == "COMPLETED"
    traits = api.get(f"{groups_url}/Contact").json()["traitGroup"]["traits"]
    assert "nickname" in traits and traits["city"]["description"] == "Town or city"


def test_an_id_type_promotion_the_store_does_not_configure_is_a_400_listing_its_types(
    api: httpx.Client, groups_url: str
):
    body = {"displayName": "Loyalty", "traits": {"card": string_trait(idTypePromotion="card")}}
    created = api.post(groups_url, json=body)
    patched = api.patch(f"{groups_url}/Contact", json={"traits": body["traits"]})
    for response in (created, patched):
        assert response.status_code == 400
        message = response.json()["message"]
        assert "traits.card.idTypePromotion" in message
        assert "configured: email, phone" in message


def test_trait_names_are_stored_in_lower_camel_case(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    body = {
        "displayName": "Profile",
        "traits": {"FirstName": string_trait(), "postal_code": string_trait()},
    }
    completed(api, clock, api.post(groups_url, json=body))
    traits = api.get(f"{groups_url}/Profile").json()["traitGroup"]["traits"]
    assert list(traits) == ["firstName", "postalCode"]
    removal = {"traits": {"FirstName": {"dataType": ""}}}
    completed(api, clock, api.patch(f"{groups_url}/Profile", json=removal))
    assert list(api.get(f"{groups_url}/Profile").json()["traitGroup"]["traits"]) == ["postalCode"]


def test_two_trait_names_that_normalise_alike_are_a_400(api: httpx.Client, groups_url: str):
    body = {"displayName": "G", "traits": {"email": string_trait(), "Email": string_trait()}}
    response = api.post(groups_url, json=body)
    assert response.status_code == 400
    assert "both are stored as 'email'" in response.json()["message"]


def test_if_match_on_delete_is_ignored_as_the_spec_gives_delete_no_precondition(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    completed(api, clock, api.post(groups_url, json={"displayName": "Loyalty"}))
    completed(api, clock, api.patch(f"{groups_url}/Loyalty", json={"description": "v2"}))
    stale = api.delete(f"{groups_url}/Loyalty", headers={"If-Match": '"v1"'})
    assert completed(api, clock, stale)["status"] == "COMPLETED"
    assert api.get(f"{groups_url}/Loyalty").status_code == 404


def test_the_etag_header_is_spelled_as_the_spec_spells_it(api: httpx.Client, groups_url: str):
    response = api.get(f"{groups_url}/Contact")
    assert b"ETag" in [name for name, _ in response.headers.raw]


def test_meta_page_size_counts_the_items_on_the_page(api: httpx.Client, groups_url: str):
    fetched = api.get(f"{groups_url}/Contact", params={"pageSize": 5}).json()
    last = api.get(
        f"{groups_url}/Contact", params={"pageSize": 5, "pageToken": fetched["meta"]["nextToken"]}
    ).json()
    assert (fetched["meta"]["pageSize"], last["meta"]["pageSize"]) == (5, 4)


@pytest.mark.parametrize(("seconds", "header"), [(0, "0"), (10**8, "100000000"), (None, None)])
def test_any_retry_after_can_be_injected_on_202s_and_operation_polls(
    api: httpx.Client, clocked_emulator: Emulator, groups_url: str, seconds, header
):
    clocked_emulator.faults.retry_after_next(2, seconds)
    accepted = api.post(groups_url, json={"displayName": "Loyalty"})
    polled = api.get(accepted.json()["statusUrl"])
    assert accepted.headers.get("Retry-After") == header
    assert polled.headers.get("Retry-After") == header
    assert api.get(accepted.json()["statusUrl"]).headers.get("Retry-After") == "1"


def test_409_and_412_can_be_injected_over_http(api: httpx.Client, groups_url: str):
    api.post("/_emulator/faults", json={"failNext": {"count": 1, "status": 409}})
    api.post("/_emulator/faults", json={"failNext": {"count": 1, "status": 412}})
    conflict, precondition = api.get(groups_url), api.get(groups_url)
    assert (conflict.status_code, conflict.json()["code"]) == (409, 20409)
    assert (precondition.status_code, precondition.json()["code"]) == (412, 20412)


def test_endless_paging_names_a_new_next_page_forever(api: httpx.Client, groups_url: str):
    assert api.post("/_emulator/faults", json={"endlessPaging": True}).status_code == 200
    tokens, params = [], {"pageSize": 1}
    for _ in range(20):
        meta = api.get(groups_url, params=params).json()["meta"]
        tokens.append(meta["nextToken"])
        params["pageToken"] = meta["nextToken"]
    assert len(set(tokens)) == 20
    api.delete("/_emulator/faults")
    assert "nextToken" not in api.get(groups_url).json()["meta"]


def test_benchmarks_may_raise_the_group_limit_which_twilio_does_not(clock: FakeClock):
    roomy = Emulator(username="u", password="p", step_seconds=0, max_groups_per_store=60)
    transport = httpx.WSGITransport(app=roomy)
    groups = f"/v1/ControlPlane/Stores/{roomy.store_ids[0]}/TraitGroups"
    with httpx.Client(transport=transport, base_url="http://e.test", auth=("u", "p")) as api:
        accepted = [api.post(groups, json={"displayName": f"G{i}"}) for i in range(60)]
    assert [r.status_code for r in accepted] == [202] * 59 + [400]
