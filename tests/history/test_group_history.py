"""A group's history: every version memadmin saw, once, with where knowledge starts and
the gaps a sync can only see the end of."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from memadmin.history import selectors
from memadmin.memory_api.client import memory_api_client
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion
from memadmin.traitgroups.services import fetch_group, record_fetched_group

Source = TraitGroupVersion.Source
V1 = {"displayName": "Loyalty", "description": "", "traits": {"tier": {"dataType": "STRING"}}}


def versions_of(name="Loyalty"):
    return list(
        TraitGroupVersion.objects.filter(trait_group__name=name)
        .order_by("seen_at", "pk")
        .values_list("version", "source")
    )


def test_a_sync_records_a_version_only_when_the_group_changed(store_id, change_in_twilio, publish):
    publish(V1)
    sync_store(store_id=store_id)
    sync_store(store_id=store_id)
    fetch_group(store_id=store_id, name="Loyalty")
    assert versions_of() == [(1, Source.PUBLISH)]

    change_in_twilio("Loyalty", {"description": "Rewards"})
    sync_store(store_id=store_id)
    sync_store(store_id=store_id)

    assert versions_of() == [(1, Source.PUBLISH), (2, Source.SYNC)]
    assert versions_of("Contact") == [(1, Source.SYNC)]


def test_two_outside_changes_between_syncs_are_a_gap_known_by_its_end(
    store_id, change_in_twilio, publish
):
    publish(V1)
    change_in_twilio("Loyalty", {"description": "Rewards"})
    change_in_twilio("Loyalty", {"traits": {"vip": {"dataType": "BOOLEAN"}}})
    sync_store(store_id=store_id)

    latest, first = selectors.list_versions(TraitGroup.objects.get(name="Loyalty"))

    assert first.is_first and first.unseen is None
    assert latest.version.version == 3 and latest.outside
    assert latest.unseen == (2, 2)
    assert latest.how == "Changed outside memadmin (found by a sync)"


def test_the_page_marks_where_knowledge_starts_and_the_gap(
    store_id, change_in_twilio, publish, client, auditor
):
    publish(V1)
    change_in_twilio("Loyalty", {"description": "Rewards"})
    change_in_twilio("Loyalty", {"description": "Rewards!"})
    sync_store(store_id=store_id)
    client.force_login(auditor)

    page = client.get(reverse("history:group", args=[store_id, "Loyalty"])).content.decode()

    assert "memadmin's knowledge starts here" in page
    assert "Gap:" in page and "version 2 was" in page
    assert "Versions are kept forever" in page


def test_knowledge_of_a_group_first_seen_at_version_3_starts_there(store_id, client, auditor):
    client_api = memory_api_client()
    for description in ("a", "b"):
        client_api.update_trait_group(store_id, "Contact", {"description": description})
    client_api.fetch_trait_group(store_id, "Contact")
    sync_store(store_id=store_id)
    client.force_login(auditor)

    page = client.get(reverse("history:group", args=[store_id, "Contact"])).content.decode()

    assert "Versions 1\u20132 came before and are not known." in page


def test_any_two_versions_can_be_compared_with_breaking_changes_named(
    store_id, publish, client, auditor
):
    publish(V1)
    group = publish({**V1, "traits": {"tier": {"dataType": "NUMBER"}}})
    one, two = group.versions.order_by("version")
    client.force_login(auditor)
    url = reverse("history:group", args=[store_id, "Loyalty"])

    page = client.get(url, {"a": one.pk, "b": two.pk}).content.decode()
    assert "From version 1 to version 2" in page
    assert "changes dataType from STRING to NUMBER" in page

    backwards = client.get(url, {"a": two.pk, "b": one.pk}).content.decode()
    assert "From version 2 to version 1" in backwards


def test_comparing_a_version_of_another_group_is_a_400(store_id, publish, client, auditor):
    publish(V1)
    contact = fetch_group(store_id=store_id, name="Contact")
    other = contact.versions.get()
    mine = TraitGroup.objects.get(name="Loyalty").versions.get()
    client.force_login(auditor)

    response = client.get(
        reverse("history:group", args=[store_id, "Loyalty"]), {"a": mine.pk, "b": other.pk}
    )

    assert response.status_code == 400
    assert "Pick two versions of this group to compare." in response.content.decode()


def test_a_publish_claims_the_version_a_page_view_fetched_first(
    store_id, publish, operator, reviewer
):
    group = publish(V1)
    fetched = memory_api_client().fetch_trait_group(store_id, "Loyalty")
    # Someone's page view recorded it as found; then the publish's own refresh arrives.
    TraitGroupVersion.objects.filter(trait_group=group).update(source=Source.SYNC, actor=None)

    record_fetched_group(store_id=store_id, group=fetched, source=Source.PUBLISH, actor=reviewer)

    assert versions_of() == [(1, Source.PUBLISH)]
    assert group.versions.get().actor == reviewer


def _versions(group, count):
    now = timezone.now()
    TraitGroupVersion.objects.bulk_create(
        TraitGroupVersion(
            trait_group=group,
            version=number,
            definition={**V1, "description": f"v{number}"},
            source=Source.SYNC,
            seen_at=now + timedelta(seconds=number),
        )
        for number in range(1, count + 1)
    )


def test_the_history_and_as_of_pages_cost_the_same_for_3_or_60_versions(
    store_id, client, operator, django_assert_max_num_queries
):
    client.force_login(operator)
    small = TraitGroup.objects.create(store_id=store_id, name="Small")
    large = TraitGroup.objects.create(store_id=store_id, name="Large")
    _versions(small, 3)
    _versions(large, 60)
    as_of = {"date": f"{timezone.localdate() + timedelta(days=1):%Y-%m-%d}"}
    for name in ("Small", "Large"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("history:group", args=[store_id, name])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("history:store", args=[store_id]), as_of).status_code == 200
