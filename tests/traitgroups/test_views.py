from django.urls import reverse


def test_reloading_a_group_page_does_not_call_twilio_again(operator_client, store_id):
    from memadmin.emulator.embedded import get_embedded_emulator

    url = f"/stores/{store_id}/groups/Contact/"
    assert operator_client.get(url).status_code == 200
    get_embedded_emulator().faults.fail_next(1, status=503)  # Twilio would fail now...
    page = operator_client.get(url)
    assert page.status_code == 200  # ...but the page, fetched seconds ago, is served as stored
    assert "Twilio is" not in page.content.decode()
    assert get_embedded_emulator().faults.pending()["failNext"]  # the fault was never reached


def test_opening_a_store_list_names_the_store_rather_than_its_id(operator_client, store_id):
    page = operator_client.get(f"/stores/{store_id}/groups/").content.decode()
    assert 'Trait groups <span class="muted">of sandbox</span>' in page
    assert operator_client.session["stores.selected"]["display_name"] == "sandbox"


def test_a_stores_groups_light_up_trait_groups_not_stores_in_the_navigation(
    operator_client, store_id
):
    page = operator_client.get(reverse("traitgroups:list", args=[store_id]))
    assert [entry["label"] for entry in page.context["navigation"] if entry["active"]] == [
        "Trait groups"
    ]


def test_a_frozen_revision_says_what_it_does_and_who_drafted_it(
    operator_client, operator, store_id
):
    from memadmin.reviews import services as reviews
    from memadmin.stores.services import sync_store
    from memadmin.traitgroups import services as drafts
    from memadmin.traitgroups.models import TraitGroup

    new_group = drafts.create_draft(
        store_id=store_id,
        definition={"displayName": "Loyalty", "traits": {"tier": {"dataType": "STRING"}}},
        author=operator,
    )
    sync_store(store_id=store_id)
    contact = TraitGroup.objects.get(store_id=store_id, name="Contact")
    change = drafts.start_edit(trait_group=contact, author=operator)
    for revision in (new_group, change):
        reviews.submit_for_review(revision=revision, actor=operator)

    page = operator_client.get(reverse("traitgroups:revision", args=[new_group.pk]))
    assert "New group, drafted by operator," in page.content.decode()
    page = operator_client.get(reverse("traitgroups:revision", args=[change.pk]))
    assert "Change to Contact, drafted by operator," in page.content.decode()
    assert "Create by" not in page.content.decode() and "Update by" not in page.content.decode()
