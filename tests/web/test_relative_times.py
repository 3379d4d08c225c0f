"""Pages say how long ago things happened as people do: what happened a moment ago
happened "just now", never "0 minutes ago"."""

import re

import pytest
from django.urls import reverse

from memadmin.stores.services import sync_store
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroup
from tests.fakes import SANDBOX

pytestmark = pytest.mark.django_db

# timesince's wording, spaced by a no-break space as Django spaces it.
ZERO_MINUTES = re.compile(r"\b0\s+minutes")


def test_a_freshly_saved_draft_was_last_saved_just_now(instant_emulator, operator_client, operator):
    draft = drafts.create_draft(
        store_id=SANDBOX, definition={"displayName": "Loyalty", "traits": {}}, author=operator
    )
    drafts.save_draft(
        revision=draft,
        definition={"displayName": "Loyalty", "description": "Points", "traits": {}},
        lock_version=draft.lock_version,
        actor=operator,
    )

    page = operator_client.get(reverse("traitgroups:revision", args=[draft.pk])).text

    assert "last saved just now by operator" in page
    assert not ZERO_MINUTES.search(page)


def test_a_fresh_sync_and_the_groups_it_read_were_synced_just_now(
    instant_emulator, operator_client
):
    sync_store(store_id=SANDBOX)

    page = operator_client.get(reverse("traitgroups:list", args=[SANDBOX])).text

    assert re.search(r"Synced</span> <time datetime=\"[^\"]+\">just now</time>", page)
    contact = re.search(r"<tr>\s*<td><a[^>]*>Contact</a>.*?</tr>", page, re.S)[0]
    assert re.search(r"<time datetime=\"[^\"]+\">just now</time>", contact)
    assert not ZERO_MINUTES.search(page)


def test_a_groups_new_revision_was_updated_just_now(instant_emulator, operator_client, operator):
    sync_store(store_id=SANDBOX)
    contact = TraitGroup.objects.get(store_id=SANDBOX, name="Contact")
    drafts.start_edit(trait_group=contact, author=operator)

    page = operator_client.get(reverse("traitgroups:detail", args=[SANDBOX, "Contact"])).text

    revisions = re.search(r'<section[^>]*id="revisions".*?</section>', page, re.S)[0]
    assert "<td>just now</td>" in revisions
    assert not ZERO_MINUTES.search(page)
