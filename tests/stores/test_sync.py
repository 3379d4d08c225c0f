"""Syncing a store pulls every page of its groups into live snapshots, and notices deletions."""

import httpx
import pytest

from memadmin.memory_api import MemoryApiClient
from memadmin.stores.models import SyncRun
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import SANDBOX, create_groups

pytestmark = pytest.mark.django_db


def test_sync_reads_a_full_store_across_pages_with_their_traits(api, monkeypatch):
    monkeypatch.setattr("memadmin.stores.services.SYNC_PAGE_SIZE", 20)
    create_groups(api, SANDBOX, [f"Group{index:03d}" for index in range(49)])

    report = sync_store(store_id=SANDBOX, client=api)

    assert report.ok
    assert report.seen == 50  # and the seeded Contact group: Twilio's limit per store
    assert report.created == 50
    assert TraitGroup.objects.filter(store_id=SANDBOX).count() == 50
    group = TraitGroup.objects.get(store_id=SANDBOX, name="Group048")
    assert group.live_definition["traits"] == {"score": {"dataType": "NUMBER"}}
    assert group.live_version == 1
    assert group.live_synced_at is not None
    contact = TraitGroup.objects.get(store_id=SANDBOX, name="Contact")
    assert "email" in contact.live_definition["traits"]
    run = SyncRun.objects.get(pk=report.run_id)
    assert run.state == SyncRun.State.SUCCEEDED
    assert run.pages == 3
    assert run.groups_seen == 50


def test_a_second_sync_changes_only_what_changed_in_twilio(api):
    create_groups(api, SANDBOX, ["Orders", "Loyalty"])
    sync_store(store_id=SANDBOX, client=api)
    api.update_trait_group(SANDBOX, "Orders", {"traits": {"total": {"dataType": "NUMBER"}}})
    api.fetch_trait_group(SANDBOX, "Orders")  # the emulator applies the change on a read

    report = sync_store(store_id=SANDBOX, client=api)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    orders = TraitGroup.objects.get(store_id=SANDBOX, name="Orders")
    assert orders.live_version == 2
    assert "total" in orders.live_definition["traits"]


def test_a_group_deleted_in_twilio_is_flagged_and_comes_back_if_recreated(api):
    create_groups(api, SANDBOX, ["Orders", "Loyalty"])
    sync_store(store_id=SANDBOX, client=api)
    api.delete_trait_group(SANDBOX, "Loyalty")
    list(api.iter_trait_groups(SANDBOX))

    report = sync_store(store_id=SANDBOX, client=api)

    assert report.deleted == ["Loyalty"]
    assert TraitGroup.objects.get(store_id=SANDBOX, name="Loyalty").deleted_in_twilio
    assert not TraitGroup.objects.get(store_id=SANDBOX, name="Orders").deleted_in_twilio

    create_groups(api, SANDBOX, ["Loyalty"])
    list(api.iter_trait_groups(SANDBOX))
    sync_store(store_id=SANDBOX, client=api)
    assert not TraitGroup.objects.get(store_id=SANDBOX, name="Loyalty").deleted_in_twilio


def test_a_sync_that_fails_half_way_flags_nothing_as_deleted(api, instant_emulator, monkeypatch):
    monkeypatch.setattr("memadmin.stores.services.SYNC_PAGE_SIZE", 20)
    create_groups(api, SANDBOX, [f"Group{index:03d}" for index in range(49)])
    sync_store(store_id=SANDBOX, client=api)
    impatient = MemoryApiClient(
        base_url="http://emulator.test",
        username=instant_emulator._credentials[0].decode(),
        password=instant_emulator._credentials[1].decode(),
        transport=_failing_after(1, httpx.WSGITransport(app=instant_emulator)),
        max_attempts=1,
    )

    report = sync_store(store_id=SANDBOX, client=impatient)

    assert not report.ok
    assert "unavailable" in report.error
    assert not TraitGroup.objects.filter(deleted_in_twilio=True).exists()
    run = SyncRun.objects.get(pk=report.run_id)
    assert run.state == SyncRun.State.FAILED
    assert run.error == report.error


def test_a_wrong_credential_fails_the_sync_with_a_sentence(instant_emulator):
    wrong = MemoryApiClient(
        base_url="http://emulator.test",
        username="SKwrong",
        password="nope",
        transport=httpx.WSGITransport(app=instant_emulator),
    )

    report = sync_store(store_id=SANDBOX, client=wrong)

    assert report.error.startswith("Credentials rejected by Twilio")
    assert "nope" not in report.error


def _failing_after(good_requests: int, inner: httpx.BaseTransport) -> httpx.BaseTransport:
    """Passes `good_requests` through, then answers 503 to everything."""
    calls = {"count": 0}

    def handle(request: httpx.Request) -> httpx.Response:
        calls["count"] += 1
        if calls["count"] > good_requests:
            return httpx.Response(503, json={"code": 20503, "message": "Service Unavailable"})
        return inner.handle_request(request)

    return httpx.MockTransport(handle)
