"""A store's group list renders its rows once per content (stores.group_rows.rows_key):
whatever changes what a row shows, or who may act on it, shows on the next visit."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from memadmin.stores.services import sync_store
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import SANDBOX

pytestmark = pytest.mark.django_db

LIST = reverse("traitgroups:list", args=[SANDBOX])


@pytest.fixture
def loyalty(instant_emulator) -> TraitGroup:
    return TraitGroup.objects.create(
        store_id=SANDBOX,
        name="Loyalty",
        live_definition={"description": "Old words", "traits": {"points": {"dataType": "NUMBER"}}},
        live_version=3,
        live_synced_at=timezone.now(),
    )


def signed_in(make_user, role: str, username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(role, username=username))
    return client


def test_a_groups_new_version_shows_not_the_cached_row_of_the_old_one(loyalty, make_user):
    operator = signed_in(make_user, "Operator", "olga")
    assert "Old words" in operator.get(LIST).text

    loyalty.live_definition = {
        "description": "New words",
        "traits": {"points": {"dataType": "NUMBER"}, "tier": {"dataType": "STRING"}},
    }
    loyalty.live_version = 4
    loyalty.save()
    row = re.search(r"<tr>\s*<td><a[^>]*>Loyalty</a>.*?</tr>", operator.get(LIST).text, re.S)

    assert "New words" in row[0] and "Old words" not in row[0]
    assert "<td>2</td>" in row[0] and "<td>4</td>" in row[0]  # traits, version


def test_rows_cached_when_just_synced_say_how_long_ago_a_few_minutes_later(
    loyalty, make_user, monkeypatch
):
    operator = signed_in(make_user, "Operator", "olga")
    synced = re.compile(r"<time datetime=\"[^\"]+\">(.*?)</time>")
    assert synced.findall(operator.get(LIST).text) == ["just now"]

    later = loyalty.live_synced_at + timedelta(minutes=3)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    assert synced.findall(operator.get(LIST).text) == ["3\xa0minutes ago"]


def test_a_group_that_drifts_shows_as_drifted(loyalty, make_user):
    operator = signed_in(make_user, "Operator", "olga")
    assert "Not published by memadmin" in operator.get(LIST).text

    loyalty.published_definition = {"description": "Old words", "traits": {}}
    loyalty.save()

    assert reverse("stores:drift", args=[SANDBOX, "Loyalty"]) in operator.get(LIST).text


def test_a_new_draft_shows(loyalty, make_user):
    operator = signed_in(make_user, "Operator", "olga")
    assert "New groups in progress" not in operator.get(LIST).text

    draft = drafts.create_draft(
        store_id=SANDBOX,
        definition={"displayName": "Orders", "traits": {}},
        author=make_user("Operator", username="otto"),
    )

    page = operator.get(LIST).text
    assert "New groups in progress" in page and f"Draft {draft.pk}" in page


def test_each_user_sees_the_rows_their_own_permissions_allow(loyalty, make_user):
    operator = signed_in(make_user, "Operator", "olga")
    auditor = signed_in(make_user, "Auditor", "aude")

    assert "Open as draft" in operator.get(LIST).text
    page = auditor.get(LIST).text  # the same rows, cached a moment ago for the operator
    assert "Open as draft" not in page and 'id="open-as-draft"' not in page
    assert "Open as draft" in operator.get(LIST).text


def test_open_as_draft_posts_the_users_own_csrf_token_never_a_cached_one(api, make_user):
    sync_store(store_id=SANDBOX, client=api)
    first = signed_in(make_user, "Operator", "olga")
    second = signed_in(make_user, "Operator", "otto")
    first.get(LIST)  # the rows are cached now, buttons and all

    page = second.get(LIST).text
    form = re.search(r'<form id="open-as-draft" method="post" hidden>(.*?)</form>', page, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form[1])[1]
    edit = reverse("traitgroups:edit", args=[SANDBOX, "Contact"])
    assert f'form="open-as-draft" formaction="{edit}"' in page
    assert page.count("csrfmiddlewaretoken") == page.count('method="post"')  # none in rows

    response = second.post(edit, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert TraitGroup.objects.get(store_id=SANDBOX, name="Contact").revisions.exists()
