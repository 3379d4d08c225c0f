"""A store as it was at any moment, from recorded versions, and restoring groups from it."""

import re

from django.urls import reverse
from django.utils import timezone

from memadmin.history import selectors
from memadmin.memory_api.client import memory_api_client
from memadmin.operations import polling
from memadmin.operations.models import Operation
from memadmin.reviews import services as review_services
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision, TraitGroupVersion

Source = TraitGroupVersion.Source

V1 = {"displayName": "Loyalty", "description": "", "traits": {"tier": {"dataType": "STRING"}}}
V2 = {
    "displayName": "Loyalty",
    "description": "",
    "traits": {"tier": {"dataType": "STRING"}, "points": {"dataType": "NUMBER"}},
}
OUTSIDE = {"dataType": "BOOLEAN", "description": "Added in the console"}


def moment_query(moment) -> dict:
    moment = timezone.localtime(moment)
    return {"date": moment.strftime("%Y-%m-%d"), "time": moment.strftime("%H:%M:%S.%f")}


def rows(page: str) -> dict[str, str]:
    """Each group's status on the as-of page, by name."""
    return dict(re.findall(r'data-group="([^"]+)" data-status="([^"]+)"', page))


def test_the_store_at_three_moments_shows_what_was_live_then(
    publish, change_in_twilio, store_id, client, auditor
):
    sync_store(store_id=store_id)  # memadmin's knowledge of the store starts here
    publish(V1)
    first = timezone.now()
    publish(V2)
    second = timezone.now()
    change_in_twilio("Loyalty", {"traits": {"vip": OUTSIDE}})  # behind memadmin's back...
    sync_store(store_id=store_id)  # ...and picked up by the next sync
    third = timezone.now()

    def loyalty_at(moment):
        then = {g.group.name: g for g in selectors.get_store_as_of(store_id, moment)}["Loyalty"]
        return then.then

    assert (loyalty_at(first).version, loyalty_at(first).definition) == (1, V1)
    assert (loyalty_at(second).version, loyalty_at(second).definition) == (2, V2)
    outside = loyalty_at(third)
    assert (outside.version, outside.source) == (3, Source.SYNC)
    assert outside.definition["traits"] == {**V2["traits"], "vip": OUTSIDE}

    client.force_login(auditor)
    url = reverse("history:store", args=[store_id])
    pages = [client.get(url, moment_query(m)) for m in (first, second, third)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    first_page, second_page, third_page = (p.content.decode() for p in pages)
    assert rows(first_page) == {"Contact": "unchanged", "Loyalty": "changed since"}
    assert rows(second_page)["Loyalty"] == "changed since"
    assert rows(third_page) == {"Contact": "unchanged", "Loyalty": "unchanged"}
    # What restoring the first moment would undo: the outside trait and v2's addition.
    assert "Trait &#x27;vip&#x27; is removed" in first_page
    assert "Trait &#x27;points&#x27; is removed" in first_page


def test_before_memadmin_knew_a_group_it_says_so(publish, store_id):
    before = timezone.now()
    publish(V1)

    (loyalty,) = selectors.get_store_as_of(store_id, before)

    assert loyalty.then is None and loyalty.status == "not yet known"
    assert not loyalty.restorable


def test_a_moment_that_is_not_a_date_is_a_400_with_a_message(client, auditor, store_id):
    client.force_login(auditor)
    response = client.get(reverse("history:store", args=[store_id]), {"date": "yesterday"})
    assert response.status_code == 400
    assert "Date: Enter a date like 2026-03-01." in response.content.decode()


def test_an_impossible_date_says_what_a_date_looks_like(client, auditor, store_id):
    client.force_login(auditor)
    url = reverse("history:store", args=[store_id])
    # A browser's date input drops the impossible date and sends it empty: same message.
    for date in ("2026-13-45", ""):
        response = client.get(url, {"date": date})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Date: Enter a date like 2026-03-01." in page
        assert "This field is required." not in page


def test_the_page_works_without_a_moment_and_offers_the_form(client, auditor, store_id):
    client.force_login(auditor)
    page = client.get(reverse("history:store", args=[store_id])).content.decode()
    assert 'type="date"' in page and 'type="time"' in page


def test_groups_restored_from_a_moment_go_to_review_together_and_publish_in_one_batch(
    publish, change_in_twilio, store_id, client, operator, reviewer
):
    sync_store(store_id=store_id)
    publish(V1)
    moment = timezone.now()
    publish(V2)
    client.force_login(operator)
    data = {**moment_query(moment), "group": ["Loyalty", "Contact"]}

    response = client.post(reverse("history:restore_many", args=[store_id]), data, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("history:restored", args=[store_id]), 302)]
    page = response.content.decode()
    assert "Restoring 1 of 2 groups" in page
    assert "Version" in page and "is what Twilio holds now" in page  # Contact: nothing to do
    revision = TraitGroupRevision.objects.get(author=operator, state="in_review")
    assert revision.definition["traits"] == V1["traits"]
    # Reloading the result page shows it again and restores nothing more.
    reloaded = client.get(reverse("history:restored", args=[store_id])).content.decode()
    assert "Restoring 1 of 2 groups" in reloaded
    assert TraitGroupRevision.objects.exclude(state="published").count() == 1
    # Proposing the same again leads to the revision already in review.
    again = client.post(reverse("history:restore_many", args=[store_id]), data, follow=True)
    assert f"Revision {revision.pk} already restores version 1" in again.content.decode()
    assert TraitGroupRevision.objects.exclude(state="published").count() == 1

    review_services.approve(revision=revision, actor=reviewer)
    client.force_login(reviewer)
    published = client.post(
        reverse("reviews:publish_many"), {"revision": [revision.pk]}, follow=True
    )
    assert published.status_code == 200
    assert "Sent 1 of 1" in published.content.decode()
    polling.poll(operation_id=Operation.objects.get(revision=revision).pk, force=True)

    fetched = memory_api_client().fetch_trait_group(store_id, "Loyalty")
    assert (fetched.version, fetched.traits) == (3, V1["traits"])


def test_only_operators_propose_restoring_from_a_moment(client, reviewer, store_id, publish):
    publish(V1)
    client.force_login(reviewer)
    data = {**moment_query(timezone.now()), "group": ["Loyalty"]}
    response = client.post(reverse("history:restore_many", args=[store_id]), data)
    assert response.status_code == 403
    assert not TraitGroupRevision.objects.filter(author=reviewer).exists()


def test_picking_no_group_says_so(client, operator, store_id, publish):
    publish(V1)
    client.force_login(operator)
    response = client.post(
        reverse("history:restore_many", args=[store_id]), moment_query(timezone.now())
    )
    assert response.status_code == 400
    assert "Pick at least one group to restore." in response.content.decode()
    assert TraitGroup.objects.count() == 1
