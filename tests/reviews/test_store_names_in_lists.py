"""Lists and headers name a store by its name; the id stays at hand in a tooltip."""

import re

from django.core.cache import cache
from django.urls import reverse

from memadmin.operations.models import Operation
from memadmin.stores import selectors as stores


def test_the_inbox_review_page_and_operations_name_the_store_with_its_id_at_hand(
    client, reviewer, approve_new, store_id
):
    cache.clear()
    (store,) = [s for s in stores.stores() if s.id == store_id]  # the cached store list
    revision, waiting = approve_new("Preferences"), approve_new("Billing")
    client.force_login(reviewer)
    client.post(reverse("reviews:publish_many"), {"revision": [revision.pk]})
    assert Operation.objects.filter(revision=revision).exists()

    named = f'<span class="store-name" title="{store_id}">{store.display_name}</span>'
    for url in (
        reverse("reviews:inbox"),
        reverse("reviews:revision", args=[waiting.pk]),
        reverse("operations:index"),
    ):
        page = client.get(url).content.decode()
        assert named in page, url
        # The id shows only where operators look for it: tooltips, links and form values.
        visible = re.sub(r"<[^>]+>", " ", page)
        assert store_id not in visible, url


def test_a_store_memadmin_has_no_name_for_shows_its_id(client, reviewer, approve_new, store_id):
    cache.clear()  # no store list cached: the page never calls Twilio for a name
    approve_new("Preferences")
    client.force_login(reviewer)
    page = client.get(reverse("reviews:inbox")).content.decode()
    assert f'<span class="mono">{store_id}</span>' in page


def test_a_store_keeps_its_name_after_the_minutes_store_list_expires(
    client, reviewer, approve_new, store_id
):
    cache.clear()
    (store,) = [s for s in stores.stores() if s.id == store_id]
    waiting = approve_new("Preferences")
    cache.delete(stores.STORES_CACHE_KEY)  # the list is cached a minute; the minute is over
    client.force_login(reviewer)
    page = client.get(reverse("reviews:revision", args=[waiting.pk])).content.decode()
    assert f'<span class="store-name" title="{store_id}">{store.display_name}</span>' in page
