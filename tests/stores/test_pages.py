"""The stores pages as people use them: pick a store, sync it, check the connection."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from memadmin.stores.context_processors import selected_store
from memadmin.stores.models import SyncRun
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import PRODUCTION, SANDBOX, create_groups

pytestmark = pytest.mark.django_db


def test_the_store_list_shows_each_store_with_its_status(instant_emulator, client_for):
    page = client_for("Auditor").get(reverse("stores:index"))

    assert page.status_code == 200
    assert "sandbox" in page.text and "production" in page.text
    assert SANDBOX in page.text
    assert "ACTIVE" in page.text


def test_picking_a_store_keeps_it_in_the_session_for_every_page(instant_emulator, client_for, rf):
    client = client_for("Operator")

    response = client.post(reverse("stores:select"), {"store_id": PRODUCTION})

    assert response.status_code == 302
    assert response.url == reverse("traitgroups:list", args=[PRODUCTION])
    request = rf.get("/")
    request.session, request.user = client.session, response.wsgi_request.user
    assert selected_store(request) == {
        "selected_store": {"id": PRODUCTION, "display_name": "production", "status": "ACTIVE"}
    }


def test_picking_a_store_twilio_does_not_list_is_refused(instant_emulator, client_for):
    client = client_for("Operator")
    response = client.post(
        reverse("stores:select"), {"store_id": "mem_store_70000000000000000000000000"}, follow=True
    )
    assert "not one Twilio lists" in response.text
    assert "stores.selected" not in client.session


# The worker closes its database connection between tasks, as a real one would;
# inside a test transaction that would close the test's own connection.
@pytest.mark.django_db(transaction=True)
def test_sync_now_runs_in_the_background_and_the_page_shows_progress(api, client_for):
    create_groups(api, SANDBOX, ["Orders", "Loyalty"])
    client = client_for("Operator")

    response = client.post(reverse("stores:sync", args=[SANDBOX]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Syncing" in response.text
    assert not TraitGroup.objects.exists()  # nothing happened in the request itself
    again = client.post(reverse("stores:sync", args=[SANDBOX]), headers={"HX-Request": "true"})
    assert SyncRun.objects.count() == 1, again  # a second press joins the queued run

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert TraitGroup.objects.filter(store_id=SANDBOX).count() == 3
    status = client.get(
        reverse("stores:sync_status", args=[SANDBOX]) + "?polling=1",
        headers={"HX-Request": "true"},
    )
    assert "Synced" in status.text
    assert status.headers["HX-Trigger"] == "stores-synced"
    listing = client.get(reverse("traitgroups:list", args=[SANDBOX]))
    assert "Orders" in listing.text and "Loyalty" in listing.text


def test_a_group_deleted_in_twilio_is_shown_as_such(api, client_for):
    create_groups(api, SANDBOX, ["Orders"])
    sync_store(store_id=SANDBOX, client=api)
    api.delete_trait_group(SANDBOX, "Orders")
    list(api.iter_trait_groups(SANDBOX))
    sync_store(store_id=SANDBOX, client=api)

    page = client_for("Auditor").get(reverse("traitgroups:list", args=[SANDBOX]))

    assert "Deleted in Twilio" in page.text


def test_the_group_list_is_paged_searchable_and_costs_the_same_queries(
    api, client_for, django_assert_max_num_queries
):
    create_groups(api, SANDBOX, [f"Group{index:03d}" for index in range(49)])
    sync_store(store_id=SANDBOX, client=api)
    # Twilio holds at most 50 groups a store; memadmin's table keeps groups deleted in
    # Twilio too, so it can hold more, and its page must cost the same either way.
    TraitGroup.objects.bulk_create(
        TraitGroup(store_id=SANDBOX, name=f"Group{index:03d}", deleted_in_twilio=True)
        for index in range(49, 120)
    )
    client = client_for("Auditor")
    client.get(reverse("traitgroups:list", args=[SANDBOX]))  # the first visit selects the store

    with django_assert_max_num_queries(10):
        first = client.get(reverse("traitgroups:list", args=[SANDBOX]))
    assert "Page 1 of 3" in first.text
    assert "Group048" in first.text and "Group049" not in first.text  # Contact comes first

    found = client.get(reverse("traitgroups:list", args=[SANDBOX]), {"q": "group11"})
    assert "Group110" in found.text and "Group010" not in found.text


def test_each_page_checks_its_permission_on_the_server(instant_emulator, client_for):
    nobody = client_for(None)
    assert nobody.get(reverse("stores:index")).status_code == 403
    assert nobody.get(reverse("stores:connection")).status_code == 403
    assert nobody.get(reverse("stores:settings")).status_code == 403
    auditor = client_for("Auditor")
    assert auditor.post(reverse("stores:sync", args=[SANDBOX])).status_code == 403
    assert auditor.get(reverse("stores:promote")).status_code == 403
    assert auditor.post(reverse("traitgroups:edit", args=[SANDBOX, "Contact"])).status_code == 403
    assert not SyncRun.objects.exists()


def test_a_malformed_store_id_is_not_found(instant_emulator, client_for):
    response = client_for("Auditor").get("/stores/not-a-store/groups/")
    assert response.status_code == 404


def test_the_navigation_leads_to_stores_trait_groups_and_reviews(instant_emulator, client_for):
    page = client_for("Operator").get(reverse("stores:index"))

    nav = [(entry["label"], entry["url"]) for entry in page.context["navigation"]]
    assert nav[:3] == [
        ("Stores", reverse("stores:index")),
        ("Trait groups", reverse("traitgroups:index")),
        ("Reviews", reverse("reviews:inbox")),  # operators follow their own revisions there
    ]
    assert f'href="{reverse("traitgroups:list", args=[SANDBOX])}"' in page.text


def test_the_group_list_offers_sync_new_group_and_promote(instant_emulator, client_for):
    page = client_for("Admin").get(reverse("traitgroups:list", args=[SANDBOX]))

    assert reverse("stores:sync", args=[SANDBOX]) in page.text
    assert reverse("traitgroups:new", args=[SANDBOX]) in page.text
    assert reverse("stores:promote") + f"?source={SANDBOX}" in page.text
    assert 'hx-trigger="load"' in page.text  # the page asks for the first sync itself


def test_opening_a_synced_group_as_a_draft_keeps_the_etag_reviewers_will_publish_against(
    api, client_for
):
    sync_store(store_id=SANDBOX, client=api)
    assert TraitGroup.objects.get(store_id=SANDBOX, name="Contact").live_etag == ""  # a list

    response = client_for("Operator").post(reverse("traitgroups:edit", args=[SANDBOX, "Contact"]))

    revision = TraitGroup.objects.get(store_id=SANDBOX, name="Contact").revisions.get()
    assert response.url == revision.get_absolute_url()
    assert revision.base_etag == api.fetch_trait_group(SANDBOX, "Contact").etag


def test_each_group_in_the_list_links_to_its_page_draft_and_drift_whatever_its_name(
    instant_emulator, client_for
):
    names = ["Loyalty.v2-beta_1", "..", "Ünïcode name"]  # the last two: as reverse() has them
    TraitGroup.objects.bulk_create(
        TraitGroup(store_id=SANDBOX, name=name, live_definition={"traits": {}}) for name in names
    )
    TraitGroup.objects.filter(name="..").update(published_definition={"traits": {"a": {}}})

    page = client_for("Operator").get(reverse("traitgroups:list", args=[SANDBOX]))

    for name in names:
        assert f'href="{reverse("traitgroups:detail", args=[SANDBOX, name])}"' in page.text
        assert f'action="{reverse("traitgroups:edit", args=[SANDBOX, name])}"' in page.text
    assert f'href="{reverse("stores:drift", args=[SANDBOX, ".."])}"' in page.text
