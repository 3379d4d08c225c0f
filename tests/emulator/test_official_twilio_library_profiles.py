"""The official `twilio` library creates profiles, pages their ids and reads their traits
from the standalone emulator, as it would from Twilio."""

from collections.abc import Iterator

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.rest.memory.v1.profile import ProfileList

from tests.emulator.conftest import standalone_emulator

USERNAME = "SKlibraryprofiles0000000000000000"
PASSWORD = "library-profiles-secret"
STORE_ID = "mem_store_00000000000000000000000001"  # production: hundreds of profiles


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with standalone_emulator("--username", USERNAME, "--password", PASSWORD) as url:
        yield url


@pytest.fixture
def client(server_url: str) -> Client:
    with httpx.Client(base_url=server_url, auth=(USERNAME, PASSWORD)) as control:
        assert control.post("/_emulator/reset").status_code == 200
    twilio = Client(USERNAME, PASSWORD)
    twilio.memory.base_url = server_url
    return twilio


def test_the_library_pages_through_profile_ids(client: Client):
    ids = client.memory.v1.profiles(STORE_ID).list(page_size=250)
    assert len(ids) == len(set(ids)) >= 100
    assert all(profile_id.startswith("mem_profile_") for profile_id in ids)


def test_the_library_reads_a_profiles_traits_filtered_by_group(client: Client):
    profile_id = client.memory.v1.profiles(STORE_ID).list(limit=1)[0]
    traits = client.memory.v1.traits(STORE_ID, profile_id).list(trait_groups="Contact")
    assert {trait.trait_group for trait in traits} == {"Contact"}
    assert "email" in {trait.name for trait in traits}
    assert traits[0].timestamp.tzinfo is not None


def test_the_library_creates_a_profile_and_sees_a_refused_value(client: Client):
    profiles = client.memory.v1.profiles(STORE_ID)
    created = profiles.create(
        ProfileList.ProfileData({"traits": {"Contact": {"email": "lib@example.com"}}})
    )
    assert created.id.startswith("mem_profile_1")
    with pytest.raises(TwilioRestException) as refused:
        profiles.create(ProfileList.ProfileData({"traits": {"Contact": {"nickname": "x"}}}))
    assert refused.value.status == 400
