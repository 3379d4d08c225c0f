"""A change made in Twilio outside memadmin shows up as drift, with its diff, audited once.

The out-of-band change is made the way a colleague would: with Twilio's official Python
library, against the standalone emulator running as a subprocess on a free port.
"""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.urls import reverse
from twilio.rest import Client
from twilio.rest.memory.v1.trait_group import TraitGroupList

from memadmin.audit.models import AuditEvent
from memadmin.memory_api import MemoryApiClient
from memadmin.stores import selectors
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import SANDBOX, create_groups, published, standalone_emulator

pytestmark = pytest.mark.django_db

USERNAME = "SKdrifttest000000000000000000000"
PASSWORD = "drift-test-secret"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    """The standalone emulator in a subprocess, its operations settling at once."""
    options = ["--step-seconds", "0", "--username", USERNAME, "--password", PASSWORD]
    with standalone_emulator(*options) as url:
        yield url


@pytest.fixture
def memadmin_client(emulator_url) -> Iterator[MemoryApiClient]:
    httpx.post(f"{emulator_url}/_emulator/reset", auth=(USERNAME, PASSWORD)).raise_for_status()
    client = MemoryApiClient(base_url=emulator_url, username=USERNAME, password=PASSWORD)
    yield client
    client.close()


@pytest.fixture
def colleague(emulator_url) -> Client:
    """Someone with the same account, using Twilio's library instead of memadmin."""
    twilio = Client(USERNAME, PASSWORD)
    twilio.memory.base_url = emulator_url
    return twilio


def test_an_out_of_band_change_is_detected_as_drift_with_its_diff(
    memadmin_client, colleague, client_for
):
    create_groups(memadmin_client, SANDBOX, ["Loyalty"])
    sync_store(store_id=SANDBOX, client=memadmin_client)
    published(TraitGroup.objects.get(store_id=SANDBOX, name="Loyalty"))
    assert sync_store(store_id=SANDBOX, client=memadmin_client).drifted == []

    colleague.memory.v1.trait_groups(SANDBOX, "Loyalty").patch(
        patch_trait_group_request=TraitGroupList.PatchTraitGroupRequest(
            {"description": "Edited in the console", "traits": {"tier": {"dataType": "STRING"}}}
        )
    )
    memadmin_client.fetch_trait_group(SANDBOX, "Loyalty")  # step 0: applied by the next request
    report = sync_store(store_id=SANDBOX, client=memadmin_client)

    assert report.drifted == ["Loyalty"]
    group = TraitGroup.objects.get(store_id=SANDBOX, name="Loyalty")
    assert [g.name for g in selectors.drifted_groups(SANDBOX)] == ["Loyalty"]
    changes = {(c.path, c.kind): c for c in selectors.drift_of(group).changes}
    assert set(changes) == {("description", "changed"), ("traits.tier.dataType", "added")}
    assert changes["description", "changed"].before == "The Loyalty group"
    assert changes["description", "changed"].after == "Edited in the console"
    events = AuditEvent.objects.filter(action="traitgroup.drift_detected", trait_group="Loyalty")
    assert events.count() == 1
    assert events.get().after["description"] == "Edited in the console"

    sync_store(store_id=SANDBOX, client=memadmin_client)  # the same live version again
    assert events.count() == 1

    web = client_for("Auditor")
    listing = web.get(reverse("traitgroups:list", args=[SANDBOX]))
    assert "Drifted" in listing.text
    page = web.get(reverse("stores:drift", args=[SANDBOX, "Loyalty"]))
    assert page.status_code == 200
    assert "Edited in the console" in page.text
    assert "traits.tier.dataType" in page.text


def test_a_second_out_of_band_change_is_audited_again(memadmin_client, colleague):
    create_groups(memadmin_client, SANDBOX, ["Loyalty"])
    sync_store(store_id=SANDBOX, client=memadmin_client)
    published(TraitGroup.objects.get(store_id=SANDBOX, name="Loyalty"))
    group_api = colleague.memory.v1.trait_groups(SANDBOX, "Loyalty")
    for description in ("First edit", "Second edit"):
        group_api.patch(
            patch_trait_group_request=TraitGroupList.PatchTraitGroupRequest(
                {"description": description}
            )
        )
        memadmin_client.fetch_trait_group(SANDBOX, "Loyalty")
        sync_store(store_id=SANDBOX, client=memadmin_client)

    events = AuditEvent.objects.filter(action="traitgroup.drift_detected", trait_group="Loyalty")
    assert events.count() == 2


def test_a_group_memadmin_never_published_is_not_drift(memadmin_client, colleague):
    create_groups(memadmin_client, SANDBOX, ["Imported"])
    sync_store(store_id=SANDBOX, client=memadmin_client)
    colleague.memory.v1.trait_groups(SANDBOX, "Imported").patch(
        patch_trait_group_request=TraitGroupList.PatchTraitGroupRequest({"description": "x"})
    )
    memadmin_client.fetch_trait_group(SANDBOX, "Imported")

    assert sync_store(store_id=SANDBOX, client=memadmin_client).drifted == []
