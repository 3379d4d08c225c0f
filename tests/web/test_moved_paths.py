"""Bookmarks of paths that moved when URLs came to match the apps still lead somewhere."""

import pytest
from django.urls import resolve

from tests.url_inventory import SAMPLE_STORE_ID as STORE

MOVED = [
    ("/twilio/", "/stores/"),
    ("/twilio/connection/", "/stores/connection/"),
    ("/twilio/settings/", "/stores/connection/settings/"),
    ("/twilio/promote/?source=a&target=b", "/stores/promote/?source=a&target=b"),
    (f"/twilio/{STORE}/groups/Contact/drift/", f"/stores/{STORE}/groups/Contact/drift/"),
    (f"/stores/{STORE}/", f"/stores/{STORE}/groups/"),
    ("/stores/revisions/7/", "/groups/revisions/7/"),
    ("/stores/revisions/7/export.json", "/groups/revisions/7/export.json"),
]


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_an_old_path_is_sent_on_for_good_to_the_page_that_replaced_it(operator_client, old, new):
    response = operator_client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
    assert resolve(new.partition("?")[0]).namespace != "moved"


def test_a_form_posted_to_an_old_path_is_refused_rather_than_turned_into_a_get(operator_client):
    assert operator_client.post("/twilio/connection/").status_code == 405
