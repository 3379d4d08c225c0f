"""Every endpoint answers in the shapes of the contract, in process through httpx."""

import httpx
import pytest

from memadmin.emulator import Emulator
from memadmin.emulator.seed import CONTACT_DESCRIPTION
from tests.contract.memory_api import assert_matches_contract
from tests.fakes import API_PASSWORD, API_USERNAME, EMULATOR_URL, STEP, FakeClock, completed

CONTACT_TRAITS = [
    "email",
    "phone",
    "firstName",
    "lastName",
    "street",
    "city",
    "state",
    "postalCode",
    "country",
]


def test_the_seeded_store_ids_are_deterministic_ttids(clocked_emulator: Emulator):
    assert clocked_emulator.store_ids == [
        "mem_store_00000000000000000000000000",
        "mem_store_00000000000000000000000001",
    ]


def test_stores_are_listed_newest_first_by_default(api: httpx.Client, clocked_emulator: Emulator):
    response = api.get("/v1/ControlPlane/Stores")
    assert response.status_code == 200
    assert_matches_contract(response.json(), "StoreList")
    assert response.json() == {
        "stores": list(reversed(clocked_emulator.store_ids)),
        "meta": {"key": "stores", "pageSize": 2},  # the items on this page
    }


def test_stores_page_with_tokens_in_ascending_order(api: httpx.Client, clocked_emulator: Emulator):
    first = api.get("/v1/ControlPlane/Stores", params={"pageSize": 1, "orderBy": "ASC"}).json()
    assert first["stores"] == [clocked_emulator.store_ids[0]]
    assert "previousToken" not in first["meta"]
    second = api.get(
        "/v1/ControlPlane/Stores",
        params={"pageSize": 1, "orderBy": "ASC", "pageToken": first["meta"]["nextToken"]},
    ).json()
    assert_matches_contract(second, "StoreList")
    assert second["stores"] == [clocked_emulator.store_ids[1]]
    assert "nextToken" not in second["meta"]
    assert second["meta"]["previousToken"]


def test_a_store_is_fetched_active_with_an_etag(api: httpx.Client, clocked_emulator: Emulator):
    sandbox, production = (
        api.get(f"/v1/ControlPlane/Stores/{store}") for store in clocked_emulator.store_ids
    )
    assert sandbox.status_code == 200
    assert_matches_contract(sandbox.json(), "Store")
    assert sandbox.headers["ETag"] == '"v1"'
    assert sandbox.json()["status"] == "ACTIVE"
    assert (sandbox.json()["displayName"], production.json()["displayName"]) == (
        "sandbox",
        "production",
    )


def test_more_stores_can_be_seeded(clock: FakeClock):
    emulator = Emulator(username="u", password="p", store_count=4, clock=clock)
    assert len(set(emulator.store_ids)) == 4
    with pytest.raises(ValueError, match="store_count"):
        Emulator(username="u", password="p", store_count=16)


def test_identity_resolution_settings_offer_email_and_phone(api: httpx.Client, store_id: str):
    response = api.get(f"/v1/ControlPlane/Stores/{store_id}/IdentityResolutionSettings")
    assert response.status_code == 200
    assert_matches_contract(response.json(), "IdentityResolutionSettings")
    assert [c["idType"] for c in response.json()["identifierConfigs"]] == ["email", "phone"]
    assert response.json()["matchingRules"] == ["email", "phone"]
    assert response.headers["ETag"] == '"v1"'


def test_every_store_holds_the_out_of_the_box_contact_group(
    api: httpx.Client, clocked_emulator: Emulator
):
    for store in clocked_emulator.store_ids:
        response = api.get(f"/v1/ControlPlane/Stores/{store}/TraitGroups/Contact")
        assert response.status_code == 200
        assert_matches_contract(response.json(), "TraitGroupFetch")
        group = response.json()["traitGroup"]
        assert group["version"] == 1
        assert list(group["traits"]) == CONTACT_TRAITS
        assert group["traits"]["email"]["idTypePromotion"] == "email"
        assert group["traits"]["phone"]["idTypePromotion"] == "phone"
        assert all(t["dataType"] == "STRING" and t["description"] for t in group["traits"].values())
        assert response.headers["ETag"] == '"v1"'


def test_fetch_includes_traits_by_default_and_omits_them_on_request(
    api: httpx.Client, groups_url: str
):
    without = api.get(f"{groups_url}/Contact", params={"includeTraits": "false"})
    assert_matches_contract(without.json(), "TraitGroupFetch")
    assert "traits" not in without.json()["traitGroup"]


def test_fetch_pages_the_traits_of_a_group(api: httpx.Client, groups_url: str):
    first = api.get(f"{groups_url}/Contact", params={"pageSize": 5}).json()
    assert list(first["traitGroup"]["traits"]) == CONTACT_TRAITS[:5]
    assert first["meta"]["key"] == "traits"
    rest = api.get(
        f"{groups_url}/Contact", params={"pageSize": 5, "pageToken": first["meta"]["nextToken"]}
    ).json()
    assert_matches_contract(rest, "TraitGroupFetch")
    assert list(rest["traitGroup"]["traits"]) == CONTACT_TRAITS[5:]
    assert "nextToken" not in rest["meta"]
    descending = api.get(f"{groups_url}/Contact", params={"orderBy": "DESC"}).json()
    assert list(descending["traitGroup"]["traits"]) == CONTACT_TRAITS[::-1]


def test_listing_omits_traits_unless_asked(api: httpx.Client, groups_url: str):
    plain = api.get(groups_url)
    assert plain.status_code == 200
    assert_matches_contract(plain.json(), "TraitGroupList")
    assert plain.json()["meta"] == {"key": "traitGroups", "pageSize": 1}
    assert plain.json()["traitGroups"] == [
        {"displayName": "Contact", "description": CONTACT_DESCRIPTION, "version": 1}
    ]
    full = api.get(groups_url, params={"includeTraits": "true"}).json()
    assert list(full["traitGroups"][0]["traits"]) == CONTACT_TRAITS


def test_a_store_holds_at_most_fifty_groups_and_a_page_never_more_than_fifty(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    for index in range(49):  # and the seeded Contact: 50
        assert api.post(groups_url, json={"displayName": f"Group{index:02d}"}).status_code == 202
    refused = api.post(groups_url, json={"displayName": "OneTooMany"})
    assert refused.status_code == 400
    assert_matches_contract(refused.json(), "TwilioError")
    assert "Trait group limit reached" in refused.json()["message"]
    assert "at most 50" in refused.json()["message"]
    clock.advance(2 * STEP)
    first = api.get(groups_url, params={"pageSize": 100})
    assert_matches_contract(first.json(), "TraitGroupList")
    assert len(first.json()["traitGroups"]) == 50
    assert first.json()["meta"]["pageSize"] == 50
    assert "nextToken" not in first.json()["meta"]
    assert first.json()["traitGroups"][0]["displayName"] == "Group48"  # newest first
    assert first.json()["traitGroups"][-1]["displayName"] == "Contact"
    ascending = api.get(groups_url, params={"orderBy": "ASC", "pageSize": 2}).json()
    assert [g["displayName"] for g in ascending["traitGroups"]] == ["Contact", "Group00"]
    assert ascending["meta"]["pageSize"] == 2


def test_create_answers_202_with_status_url_and_operation_headers(
    api: httpx.Client, groups_url: str
):
    response = api.post(groups_url, json={"displayName": "Loyalty"})
    assert response.status_code == 202
    assert_matches_contract(response.json(), "Accepted")
    operation_id = response.headers["Operation-Id"]
    expected_url = f"{EMULATOR_URL}/v1/ControlPlane/Operations/{operation_id}"
    assert response.json()["statusUrl"] == expected_url
    assert response.headers["Location"] == expected_url
    assert response.headers["Retry-After"] == "1"
    assert response.json()["message"]


def test_status_urls_use_the_host_the_client_called(clocked_emulator: Emulator, groups_url: str):
    transport = httpx.WSGITransport(app=clocked_emulator)
    with httpx.Client(
        transport=transport,
        base_url="https://memory.example:8443",
        auth=(API_USERNAME, API_PASSWORD),
    ) as client:
        response = client.post(groups_url, json={"displayName": "Loyalty"})
    assert response.json()["statusUrl"].startswith("https://memory.example:8443/v1/ControlPlane/")


def test_an_operation_moves_pending_running_completed_with_the_clock(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    accepted = api.post(groups_url, json={"displayName": "Loyalty"})
    status_url = accepted.json()["statusUrl"]
    seen = []
    for _ in range(3):
        response = api.get(status_url)
        assert_matches_contract(response.json(), "OperationStatus")
        seen.append(response.json()["status"])
        if response.json()["status"] != "COMPLETED":
            assert response.headers["Retry-After"] == "1"
        else:
            assert "Retry-After" not in response.headers
        assert response.headers["Operation-Id"] == accepted.headers["Operation-Id"]
        clock.advance(STEP)
    assert seen == ["PENDING", "RUNNING", "COMPLETED"]
    final = api.get(status_url).json()
    assert final["result"] == {"type": "RESOURCE_ID", "id": "Loyalty"}
    assert final["resultUrl"] == f"{EMULATOR_URL}{groups_url}/Loyalty"
    assert final["createdAt"].endswith("Z") and final["completedAt"].endswith("Z")
    assert "error" not in final


def test_a_new_group_is_invisible_until_its_operation_completes(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    api.post(groups_url, json={"displayName": "Loyalty", "description": "Points"})
    clock.advance(1.5 * STEP)
    assert api.get(f"{groups_url}/Loyalty").status_code == 404
    assert [g["displayName"] for g in api.get(groups_url).json()["traitGroups"]] == ["Contact"]
    clock.advance(0.5 * STEP)
    # Nobody polled the operation: the next read of any endpoint applies it.
    fetched = api.get(f"{groups_url}/Loyalty")
    assert fetched.status_code == 200
    assert fetched.json()["traitGroup"] == {
        "displayName": "Loyalty",
        "description": "Points",
        "traits": {},
        "version": 1,
    }


def test_a_duplicate_create_is_accepted_and_its_operation_fails(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    response = api.post(groups_url, json={"displayName": "Contact"})
    assert response.status_code == 202
    operation = completed(api, clock, response)
    assert_matches_contract(operation, "OperationStatus")
    assert operation["status"] == "FAILED"
    assert operation["error"]["code"] == 20409
    assert "already exists" in operation["error"]["detail"]
    assert "result" not in operation and "resultUrl" not in operation
    assert api.get(f"{groups_url}/Contact").json()["traitGroup"]["version"] == 1


def test_two_creates_of_one_name_in_flight_end_one_completed_one_failed(
    api: httpx.Client, clock: FakeClock, groups_url: str
):
    first = api.post(groups_url, json={"displayName": "Loyalty"})
    second = api.post(groups_url, json={"displayName": "Loyalty"})
    clock.advance(2 * STEP)
    statuses = [api.get(r.json()["statusUrl"]).json()["status"] for r in (first, second)]
    assert statuses == ["COMPLETED", "FAILED"]


def test_unknown_operations_are_404(api: httpx.Client):
    response = api.get("/v1/ControlPlane/Operations/mem_operation_nope")
    assert response.status_code == 404
    assert_matches_contract(response.json(), "TwilioError")
    assert response.json()["code"] == 20404
    too_long = api.get("/v1/ControlPlane/Operations/" + "x" * 513)
    assert too_long.status_code == 400


def test_only_the_newest_settled_operations_are_remembered(
    api: httpx.Client, clock: FakeClock, groups_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("memadmin.emulator.lifecycle.MAX_REMEMBERED_OPERATIONS", 3)
    settled = [api.post(groups_url, json={"displayName": f"Old{i}"}) for i in range(3)]
    clock.advance(2 * STEP)
    pending = [api.post(groups_url, json={"displayName": f"New{i}"}) for i in range(2)]

    def status(accepted: httpx.Response) -> int:
        return api.get(accepted.json()["statusUrl"]).status_code

    # Five remembered, room for three: the two oldest settled go, pending ones never do.
    assert [status(r) for r in settled] == [404, 404, 200]
    assert [status(r) for r in pending] == [200, 200]


@pytest.mark.parametrize("step_seconds", [0.0])
def test_with_zero_step_an_operation_completes_on_the_next_read(
    step_seconds: float, clock: FakeClock, groups_url: str
):
    emulator = Emulator(username="u", password="p", step_seconds=step_seconds, clock=clock)
    transport = httpx.WSGITransport(app=emulator)
    with httpx.Client(transport=transport, base_url=EMULATOR_URL, auth=("u", "p")) as client:
        accepted = client.post(groups_url, json={"displayName": "Loyalty"})
        assert accepted.headers["Retry-After"] == "0"
        assert client.get(accepted.json()["statusUrl"]).json()["status"] == "COMPLETED"
        assert client.get(f"{groups_url}/Loyalty").status_code == 200


def test_unknown_paths_and_methods_are_refused_as_twilio_errors(api: httpx.Client, groups_url: str):
    missing = api.get("/v1/Nothing")
    assert missing.status_code == 404
    assert_matches_contract(missing.json(), "TwilioError")
    wrong_method = api.put(groups_url, json={})
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "GET, POST"
    assert_matches_contract(wrong_method.json(), "TwilioError")
