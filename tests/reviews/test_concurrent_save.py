"""Two operators save the same draft: the second save is refused and keeps their input."""

from django.test import Client
from django.urls import reverse

from memadmin.traitgroups.services import create_draft


def builder_post(lock_version, *traits):
    data = {"displayName": "loyalty", "description": "", "action": "save", "trait_keys": []}
    for key, name in enumerate(traits):
        data["trait_keys"].append(str(key))
        data[f"traits-{key}-name"] = name
        data[f"traits-{key}-dataType"] = "STRING"
    data["lock_version"] = str(lock_version)
    return data


def test_the_second_of_two_concurrent_saves_is_refused_with_the_input_kept(
    make_user, operator, store_id
):
    draft = create_draft(
        store_id=store_id,
        definition={"displayName": "loyalty", "traits": {"tier": {"dataType": "STRING"}}},
        author=operator,
    )
    url = reverse("traitgroups:revision", args=[draft.pk])
    olga, oscar = Client(), Client()
    olga.force_login(operator)
    oscar.force_login(make_user("Operator", username="oscar"))
    # Both opened the draft at the same version.
    assert olga.get(url).status_code == oscar.get(url).status_code == 200
    opened_at = draft.lock_version

    first = olga.post(url, builder_post(opened_at, "tier", "points"))
    assert first.status_code == 302
    second = oscar.post(url, builder_post(opened_at, "tier", "favouriteStore"))

    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this draft" in page
    assert 'value="favouriteStore"' in page
    draft.refresh_from_db()
    assert set(draft.definition["traits"]) == {"tier", "points"}
