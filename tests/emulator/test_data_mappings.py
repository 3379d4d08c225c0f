"""Data mappings in the emulator: listed, fetched, and changed through 202 + operations."""

import base64

import httpx
import pytest

from memadmin.emulator.seed import SEED_DATA_MAPPINGS
from tests.fakes import STEP, FakeClock, completed


@pytest.fixture
def mappings_url(store_id: str) -> str:
    return f"/v1/ControlPlane/Stores/{store_id}/DataMappings"


def ingress_mapping(name: str = "newsletter", **overrides) -> dict:
    return {
        "displayName": name,
        "mappingTo": {
            "type": "TRAITS",
            "mappings": [{"expression": "mail", "traitGroup": "Contact", "traitName": "email"}],
        },
        "mappingFrom": {"type": "INGRESS", "columns": ["mail"]},
        **overrides,
    }


def test_each_store_is_seeded_with_mappings_writing_contact_and_preferences(api, mappings_url):
    listed = api.get(mappings_url).json()

    assert listed["meta"]["key"] == "dataMappings"
    names = [mapping["displayName"] for mapping in listed["dataMappings"]]
    assert sorted(names) == sorted(seed["displayName"] for seed in SEED_DATA_MAPPINGS)
    written = {
        (item["traitGroup"], item["traitName"])
        for mapping in listed["dataMappings"]
        for item in mapping["mappingTo"]["mappings"]
    }
    assert ("Contact", "email") in written and ("Preferences", "preferredChannel") in written
    sources = {mapping["mappingFrom"]["type"] for mapping in listed["dataMappings"]}
    assert sources == {"INGRESS", "DATASET_CLOUDAPP", "DATASET_WAREHOUSE"}


def test_the_seed_is_the_same_every_time(clocked_emulator, api, mappings_url):
    first = api.get(mappings_url).json()
    clocked_emulator.reset()
    assert api.get(mappings_url).json() == first


def test_a_listing_is_paged_and_filtered_by_source(api, mappings_url):
    first = api.get(mappings_url, params={"pageSize": 3, "orderBy": "ASC"}).json()
    assert first["meta"]["pageSize"] == 3
    rest = api.get(
        mappings_url,
        params={"pageSize": 3, "orderBy": "ASC", "pageToken": first["meta"]["nextToken"]},
    ).json()
    assert "nextToken" not in rest["meta"]
    assert len(first["dataMappings"]) + len(rest["dataMappings"]) == len(SEED_DATA_MAPPINGS)

    ingress = api.get(mappings_url, params={"type": "INGRESS"}).json()["dataMappings"]
    assert ingress and all(m["mappingFrom"]["type"] == "INGRESS" for m in ingress)
    refused = api.get(mappings_url, params={"type": "FTP"})
    assert refused.status_code == 400
    assert "Invalid value for type" in refused.json()["message"]


def test_a_mapping_is_created_through_an_operation_that_names_its_id(
    api: httpx.Client, clock: FakeClock, mappings_url: str
):
    accepted = api.post(mappings_url, json=ingress_mapping())
    assert accepted.headers["Operation-Id"] and accepted.headers["Location"]
    operation = completed(api, clock, accepted)

    assert operation["status"] == "COMPLETED"
    mapping_id = operation["result"]["id"]
    assert mapping_id.startswith("mem_datamapping_")
    fetched = api.get(operation["resultUrl"])
    assert fetched.headers["ETag"] == '"v1"'
    body = fetched.json()
    assert (body["id"], body["version"], body["isEnabled"]) == (mapping_id, 1, True)
    assert body["mappingFrom"] == {"type": "INGRESS", "columns": ["mail"]}


def test_nothing_shows_before_the_operation_has_run(api, clock, mappings_url):
    before = len(api.get(mappings_url).json()["dataMappings"])
    api.post(mappings_url, json=ingress_mapping())
    assert len(api.get(mappings_url).json()["dataMappings"]) == before
    clock.advance(2 * STEP)
    assert len(api.get(mappings_url).json()["dataMappings"]) == before + 1


def test_a_patch_replaces_the_mapped_traits_and_honours_if_match(api, clock, mappings_url):
    mapping_id = completed(api, clock, api.post(mappings_url, json=ingress_mapping()))["result"][
        "id"
    ]
    url = f"{mappings_url}/{mapping_id}"
    new_items = [{"expression": "tel", "traitGroup": "Contact", "traitName": "phone"}]

    stale = api.patch(url, json={"isEnabled": False}, headers={"If-Match": '"v7"'})
    assert stale.status_code == 412
    patched = api.patch(
        url,
        json={"mappingTo": {"type": "TRAITS", "mappings": new_items}, "mappingFrom": {"x": 1}},
        headers={"If-Match": '"v1"'},
    )
    assert completed(api, clock, patched)["status"] == "COMPLETED"

    body = api.get(url).json()
    assert body["version"] == 2
    assert body["mappingTo"]["mappings"] == new_items
    assert body["mappingFrom"]["type"] == "INGRESS"  # a PATCH cannot change the source


def test_a_deleted_mapping_is_gone_and_its_operation_has_no_result_url(api, clock, mappings_url):
    mapping_id = completed(api, clock, api.post(mappings_url, json=ingress_mapping()))["result"][
        "id"
    ]
    operation = completed(api, clock, api.delete(f"{mappings_url}/{mapping_id}"))

    assert operation["status"] == "COMPLETED"
    assert operation["result"]["id"] == mapping_id
    assert "resultUrl" not in operation
    assert api.get(f"{mappings_url}/{mapping_id}").status_code == 404


def test_a_dataset_mapping_may_only_write_traits_the_store_defines(api, mappings_url):
    body = ingress_mapping(
        mappingFrom={
            "type": "DATASET_WAREHOUSE",
            "datasetId": "tdi_dataset_00000000000000000000000009",
        }
    )
    body["mappingTo"]["mappings"].append(
        {"expression": "tier", "traitGroup": "Loyalty", "traitName": "tier"}
    )
    refused = api.post(mappings_url, json=body)
    assert refused.status_code == 400
    assert "Loyalty.tier" in refused.json()["message"]


def test_an_ingress_mapping_may_write_a_group_not_defined_yet(api, clock, mappings_url):
    body = ingress_mapping()
    body["mappingTo"]["mappings"] = [
        {"expression": "tier", "traitGroup": "Loyalty", "traitName": "tier"}
    ]
    assert completed(api, clock, api.post(mappings_url, json=body))["status"] == "COMPLETED"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"displayName": "9lives"}, "displayName"),
        ({"displayName": "x" * 65}, "displayName"),
        ({"description": ""}, "description"),
        ({"isEnabled": "yes"}, "isEnabled"),
        ({"mappingTo": {"type": "EVENTS", "mappings": []}}, "mappingTo.type"),
        ({"mappingTo": {"type": "TRAITS", "mappings": []}}, "mappingTo.mappings"),
        (
            {
                "mappingTo": {
                    "type": "TRAITS",
                    "mappings": [
                        {"expression": "a", "traitGroup": "Contact", "traitName": "Email"}
                    ],
                }
            },
            "mappingTo.mappings[0].traitName",
        ),
        (
            {
                "mappingTo": {
                    "type": "TRAITS",
                    "mappings": [
                        {"expression": "a", "traitGroup": "Contact", "traitName": "email", "x": 1}
                    ],
                }
            },
            "mappingTo.mappings[0].x",
        ),
        ({"mappingFrom": {"type": "INGRESS", "columns": []}}, "mappingFrom.columns"),
        (
            {"mappingFrom": {"type": "DATASET_CLOUDAPP", "datasetId": "crm"}},
            "mappingFrom.datasetId",
        ),
        ({"mappingFrom": {"type": {"nested": True}}}, "mappingFrom.type"),
        ({"mappingFrom": None}, "mappingFrom"),
    ],
)
def test_bad_mappings_are_refused_naming_the_field(api, mappings_url, change, field):
    refused = api.post(mappings_url, json=ingress_mapping(**change))
    assert refused.status_code == 400
    assert refused.json()["message"].startswith(f"Invalid value for {field}")


def test_unknown_top_level_properties_are_ignored_as_the_spec_allows(api, clock, mappings_url):
    accepted = api.post(mappings_url, json=ingress_mapping(tags=["x"]))
    assert completed(api, clock, accepted)["status"] == "COMPLETED"


def test_a_malformed_mapping_id_is_a_400_and_an_unknown_one_a_404(api, mappings_url):
    assert api.get(f"{mappings_url}/crm-contacts").status_code == 400
    missing = api.get(f"{mappings_url}/mem_datamapping_7zzzzzzzzzzzzzzzzzzzzzzzzz")
    assert (missing.status_code, missing.json()["code"]) == (404, 20404)


def test_an_injected_operation_failure_fails_a_mapping_create(api, clock, mappings_url):
    api.post("/_emulator/faults", json={"failNextOperation": {"count": 1}})
    operation = completed(api, clock, api.post(mappings_url, json=ingress_mapping()))
    assert operation["status"] == "FAILED"


@pytest.mark.parametrize(
    "params",
    [
        {"pageSize": "²"},
        {"pageToken": base64.urlsafe_b64encode("offset:²".encode()).decode()},
    ],
)
def test_a_digit_int_cannot_read_is_a_400_not_a_500(api, mappings_url, params):
    assert api.get(mappings_url, params=params).status_code == 400


def test_an_empty_page_token_is_the_first_page_as_the_spec_allows(api, mappings_url):
    first = api.get(mappings_url, params={"pageSize": 2}).json()
    empty = api.get(mappings_url, params={"pageSize": 2, "pageToken": ""})
    assert empty.status_code == 200
    assert empty.json()["dataMappings"] == first["dataMappings"]
