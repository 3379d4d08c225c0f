"""The store sync also brings in the store's data mappings; selectors say what writes a trait."""

import pytest

from memadmin.catalog import selectors
from memadmin.catalog.models import DataMapping
from memadmin.catalog.services import sync_data_mappings
from memadmin.memory_api import MemoryApiError
from memadmin.stores.services import sync_store
from tests.fakes import PRODUCTION, SANDBOX

pytestmark = pytest.mark.django_db

SANDBOX_MAPPINGS = f"/v1/ControlPlane/Stores/{SANDBOX}/DataMappings"


def new_mapping(name: str, *items: tuple[str, str]) -> dict:
    return {
        "displayName": name,
        "mappingTo": {
            "type": "TRAITS",
            "mappings": [
                {"expression": trait.lower(), "traitGroup": group, "traitName": trait}
                for group, trait in items
            ],
        },
        "mappingFrom": {"type": "INGRESS", "columns": ["a"]},
    }


def test_a_sync_records_each_stores_mappings_and_the_traits_they_write(api):
    sync_store(store_id=SANDBOX, client=api)

    stored = DataMapping.objects.filter(store_id=SANDBOX)
    assert {m.display_name for m in stored} == {
        "crm-contacts",
        "warehouse-addresses",
        "web-signup",
        "support-preferences",
    }
    crm = stored.get(display_name="crm-contacts")
    assert crm.source == DataMapping.Source.DATASET_CLOUDAPP
    assert crm.mapping_id.startswith("mem_datamapping_")
    assert {"traitGroup": "Contact", "traitName": "email", "expression": "primary_email"} in (
        crm.targets
    )
    assert crm.synced_at is not None
    assert not DataMapping.objects.filter(store_id=PRODUCTION).exists()


def test_a_second_sync_replaces_the_set_with_what_twilio_holds_now(api, twilio):
    sync_store(store_id=SANDBOX, client=api)
    listed = twilio.get(SANDBOX_MAPPINGS).json()["dataMappings"]
    doomed = next(m for m in listed if m["displayName"] == "web-signup")
    assert twilio.delete(f"{SANDBOX_MAPPINGS}/{doomed['id']}").status_code == 202
    added = twilio.post(SANDBOX_MAPPINGS, json=new_mapping("loyalty-feed", ("Loyalty", "tier")))
    assert added.status_code == 202

    sync_store(store_id=SANDBOX, client=api)

    names = set(DataMapping.objects.filter(store_id=SANDBOX).values_list("display_name", flat=True))
    assert "web-signup" not in names and "loyalty-feed" in names


def test_when_twilio_cannot_list_mappings_the_held_set_is_kept_and_the_sync_succeeds(
    api, monkeypatch
):
    sync_store(store_id=SANDBOX, client=api)
    before = DataMapping.objects.filter(store_id=SANDBOX).count()

    def refuse(store_id):
        raise MemoryApiError(message="503", user_message="Twilio is unavailable", status=503)

    monkeypatch.setattr(api, "list_data_mappings", refuse)
    report = sync_store(store_id=SANDBOX, client=api)

    assert report.ok
    assert DataMapping.objects.filter(store_id=SANDBOX).count() == before


def test_selectors_name_the_mappings_writing_each_trait_of_a_group(api):
    sync_store(store_id=SANDBOX, client=api)

    writers = selectors.find_mappings_writing(SANDBOX, "Contact")
    assert sorted(m.display_name for m in writers["email"]) == ["crm-contacts", "web-signup"]
    assert [m.display_name for m in writers["country"]] == ["warehouse-addresses"]
    assert "preferredChannel" not in writers

    preferences = selectors.find_mappings_writing(SANDBOX, "Preferences")
    assert sorted(m.display_name for m in preferences["preferredChannel"]) == [
        "support-preferences",
        "web-signup",
    ]
    for_group = selectors.list_mappings_for_group(SANDBOX, "Preferences")
    assert sorted(m.display_name for m in for_group) == ["support-preferences", "web-signup"]
    assert selectors.find_mappings_writing(PRODUCTION, "Contact") == {}
    assert selectors.list_mappings_for_group(SANDBOX, "Nothing") == []


def test_a_mapping_writing_one_trait_twice_is_listed_once(api):
    DataMapping.objects.create(
        store_id=SANDBOX,
        mapping_id="mem_datamapping_00000000000000000000000077",
        display_name="twice",
        source=DataMapping.Source.INGRESS,
        targets=[
            {"traitGroup": "Contact", "traitName": "email", "expression": "a"},
            {"traitGroup": "Contact", "traitName": "email", "expression": "b"},
        ],
        synced_at="2025-01-01T00:00:00Z",
    )
    assert [
        m.display_name for m in selectors.find_mappings_writing(SANDBOX, "Contact")["email"]
    ] == ["twice"]


def test_a_mapping_listed_twice_across_shifted_pages_is_stored_once(api):
    """Offset paging repeats an item when one is created between pages (newest first):
    the sync keeps the mapping once instead of failing the store's sync."""

    class ShiftedPages:
        def list_data_mappings(self, store_id):
            listed = api.list_data_mappings(store_id)
            return listed + listed[:1]

    assert sync_data_mappings(store_id=SANDBOX, client=ShiftedPages()) == 4
    assert DataMapping.objects.filter(store_id=SANDBOX).count() == 4
