"""PATCH and DELETE: partial updates, trait removal, ETags and If-Match, deletion."""

import httpx
import pytest

from tests.contract.memory_api import assert_matches_contract
from tests.fakes import STEP, FakeClock, completed

LOYALTY = {
    "displayName": "Loyalty",
    "description": "Loyalty programme",
    "traits": {
        "tier": {"dataType": "STRING", "description": "Bronze, silver or gold"},
        "points": {"dataType": "NUMBER", "validationRule": {"ruleType": "NUMBER", "min": 0}},
    },
}


@pytest.fixture
def loyalty_url(api: httpx.Client, clock: FakeClock, groups_url: str) -> str:
    operation = completed(api, clock, api.post(groups_url, json=LOYALTY))
    assert operation["status"] == "COMPLETED"
    return f"{groups_url}/Loyalty"


def test_a_patch_changes_only_what_it_names_and_bumps_the_version(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    response = api.patch(
        loyalty_url,
        json={
            "traits": {"vip": {"dataType": "BOOLEAN", "validationRule": {"ruleType": "BOOLEAN"}}}
        },
    )
    assert response.status_code == 202
    assert_matches_contract(response.json(), "Accepted")
    assert all(name in response.headers for name in ("Operation-Id", "Location", "Retry-After"))
    assert api.get(loyalty_url).json()["traitGroup"]["version"] == 1  # not yet
    operation = completed(api, clock, response)
    assert operation["status"] == "COMPLETED"
    assert operation["resultUrl"].endswith(loyalty_url)
    fetched = api.get(loyalty_url)
    group = fetched.json()["traitGroup"]
    assert group["version"] == 2
    assert fetched.headers["ETag"] == '"v2"'
    assert group["description"] == "Loyalty programme"
    assert list(group["traits"]) == ["tier", "points", "vip"]


def test_a_patched_trait_is_replaced_whole(api: httpx.Client, clock: FakeClock, loyalty_url: str):
    completed(
        api, clock, api.patch(loyalty_url, json={"traits": {"points": {"dataType": "NUMBER"}}})
    )
    assert api.get(loyalty_url).json()["traitGroup"]["traits"]["points"] == {"dataType": "NUMBER"}


def test_an_empty_data_type_removes_the_trait(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    response = api.patch(
        loyalty_url, json={"description": "Points only", "traits": {"tier": {"dataType": ""}}}
    )
    completed(api, clock, response)
    group = api.get(loyalty_url).json()["traitGroup"]
    assert_matches_contract(group, "TraitGroup")
    assert list(group["traits"]) == ["points"]
    assert group["description"] == "Points only"


def test_removing_a_trait_that_does_not_exist_changes_nothing_else(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    operation = completed(
        api, clock, api.patch(loyalty_url, json={"traits": {"ghost": {"dataType": ""}}})
    )
    assert operation["status"] == "COMPLETED"
    assert list(api.get(loyalty_url).json()["traitGroup"]["traits"]) == ["tier", "points"]


@pytest.mark.parametrize("if_match", ['"v1"', "v1", 'W/"v1"', "*", '"v9", "v1"'])
def test_if_match_with_the_current_etag_is_accepted(
    api: httpx.Client, loyalty_url: str, if_match: str
):
    response = api.patch(loyalty_url, json={"description": "x"}, headers={"If-Match": if_match})
    assert response.status_code == 202


def test_a_stale_etag_is_refused_with_412(api: httpx.Client, clock: FakeClock, loyalty_url: str):
    etag = api.get(loyalty_url).headers["ETag"]
    completed(
        api,
        clock,
        api.patch(loyalty_url, json={"description": "first"}, headers={"If-Match": etag}),
    )
    stale = api.patch(loyalty_url, json={"description": "second"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert_matches_contract(stale.json(), "TwilioError")
    assert stale.json()["code"] == 20412
    assert api.get(loyalty_url).json()["traitGroup"]["description"] == "first"


def test_an_over_long_if_match_is_a_400(api: httpx.Client, loyalty_url: str):
    response = api.patch(loyalty_url, json={}, headers={"If-Match": '"' + "v" * 100 + '"'})
    assert response.status_code == 400
    assert "If-Match" in response.json()["message"]


def test_concurrent_updates_made_against_one_version_let_only_the_first_win(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    first = api.patch(loyalty_url, json={"description": "a"}, headers={"If-Match": '"v1"'})
    second = api.patch(loyalty_url, json={"description": "b"}, headers={"If-Match": '"v1"'})
    clock.advance(2 * STEP)
    results = [api.get(r.json()["statusUrl"]).json() for r in (first, second)]
    assert [r["status"] for r in results] == ["COMPLETED", "FAILED"]
    assert results[1]["error"]["code"] == 20412
    group = api.get(loyalty_url).json()["traitGroup"]
    assert (group["description"], group["version"]) == ("a", 2)


def test_a_patch_that_would_leave_96_traits_is_refused(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    traits = {f"trait{i}": {"dataType": "STRING"} for i in range(95)}
    completed(api, clock, api.post(groups_url, json={"displayName": "Full", "traits": traits}))
    one_more = api.patch(f"{groups_url}/Full", json={"traits": {"extra": {"dataType": "STRING"}}})
    assert one_more.status_code == 400
    assert "Invalid value for traits:" in one_more.json()["message"]
    swap = {"trait0": {"dataType": ""}, "extra": {"dataType": "STRING"}}
    assert api.patch(f"{groups_url}/Full", json={"traits": swap}).status_code == 202


def test_patching_or_deleting_an_unknown_group_is_404(api: httpx.Client, groups_url: str):
    for response in (
        api.patch(f"{groups_url}/Nope", json={"description": "x"}),
        api.delete(f"{groups_url}/Nope"),
        api.get(f"{groups_url}/Nope"),
    ):
        assert response.status_code == 404
        assert_matches_contract(response.json(), "TwilioError")
        assert response.json()["code"] == 20404
        assert "Nope" in response.json()["message"]


def test_delete_is_accepted_and_the_group_disappears_when_it_completes(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    response = api.delete(loyalty_url)
    assert response.status_code == 202
    assert_matches_contract(response.json(), "Accepted")
    assert api.get(loyalty_url).status_code == 200
    operation = completed(api, clock, response)
    assert operation["status"] == "COMPLETED"
    assert operation["result"] == {"type": "RESOURCE_ID", "id": "Loyalty"}
    assert "resultUrl" not in operation
    assert api.get(loyalty_url).status_code == 404


def test_a_delete_while_an_operation_on_the_group_is_in_flight_is_a_409(
    api: httpx.Client, clock: FakeClock, loyalty_url: str
):
    first = api.delete(loyalty_url)
    second = api.delete(loyalty_url)
    assert second.status_code == 409
    assert_matches_contract(second.json(), "TwilioError")
    assert second.json()["code"] == 20409
    assert "operation in progress" in second.json()["message"]
    clock.advance(2 * STEP)
    assert api.get(first.json()["statusUrl"]).json()["status"] == "COMPLETED"


def test_a_recreated_group_starts_again_at_version_one(
    api: httpx.Client, clock: FakeClock, groups_url: str, loyalty_url: str
):
    completed(api, clock, api.patch(loyalty_url, json={"description": "v2"}))
    completed(api, clock, api.delete(loyalty_url))
    completed(api, clock, api.post(groups_url, json={"displayName": "Loyalty"}))
    assert api.get(loyalty_url).json()["traitGroup"]["version"] == 1
