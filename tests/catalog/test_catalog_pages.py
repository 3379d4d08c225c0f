"""The trait catalog: every live trait with its rule and what writes it, filterable, and a
trait's history; pages that read stored data only, at a cost that does not grow with rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from memadmin.catalog.models import DataMapping
from memadmin.stores.services import sync_store
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion
from tests.fakes import PRODUCTION, SANDBOX

pytestmark = pytest.mark.django_db

PREFERENCES = {
    "displayName": "Preferences",
    "description": "How a customer likes to be contacted",
    "traits": {
        "preferredChannel": {
            "dataType": "STRING",
            "description": "sms, email, voice or whatsapp",
            "validationRule": {"ruleType": "STRING", "pattern": "^(sms|email)$", "maxLength": 8},
        },
        "quietHoursStart": {
            "dataType": "NUMBER",
            "validationRule": {"ruleType": "NUMBER", "min": 0, "max": 23},
        },
    },
}


@pytest.fixture
def synced(api):
    """Both stores synced from the emulator's seed, with Preferences live in the sandbox."""
    api.create_trait_group(SANDBOX, PREFERENCES)
    sync_store(store_id=SANDBOX, client=api)
    sync_store(store_id=PRODUCTION, client=api)


def rows_of(response) -> list[str]:
    """`Group.trait` of each row the page shows, in order."""
    return [f"{row.group}.{row.name}" for row in response.context["page"].object_list]


def test_a_stores_catalog_lists_every_trait_with_its_rule_and_its_writers(operator_client, synced):
    response = operator_client.get(reverse("catalog:store", args=[SANDBOX]))

    assert response.status_code == 200
    rows = rows_of(response)
    assert "Contact.email" in rows and "Preferences.preferredChannel" in rows
    assert response.context["total"] == 9 + 2
    page = response.content.decode()
    assert "pattern ^(sms|email)$, length ≤ 8" in page
    assert "value 0 to 23" in page
    assert "promotes to email" in page
    email = next(r for r in response.context["page"].object_list if r.name == "email")
    assert email.protected
    assert sorted(m.display_name for m in email.mappings) == ["crm-contacts", "web-signup"]
    channel = next(r for r in response.context["page"].object_list if r.name == "preferredChannel")
    assert sorted(m.display_name for m in channel.mappings) == ["support-preferences", "web-signup"]
    assert not channel.protected


def test_the_catalog_across_stores_names_each_traits_store_and_filters_by_one(
    operator_client, synced
):
    everywhere = operator_client.get(reverse("catalog:index"))
    assert everywhere.context["total"] == 9 + 2 + 9
    only_production = operator_client.get(reverse("catalog:index"), {"store": PRODUCTION})
    assert only_production.context["total"] == 9
    assert {row.store_id for row in only_production.context["page"].object_list} == {PRODUCTION}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "CHANNEL"}, ["Preferences.preferredChannel"]),
        (
            {"q": "warehouse"},
            [f"Contact.{t}" for t in ("street", "city", "state", "postalCode", "country")],
        ),
        ({"type": "NUMBER"}, ["Preferences.quietHoursStart"]),
        ({"promoted": "on"}, ["Contact.email", "Contact.phone"]),
        (
            {"group": "Preferences", "written": "mapped"},
            ["Preferences.preferredChannel", "Preferences.quietHoursStart"],
        ),
        (
            {"source": "DATASET_CLOUDAPP"},
            [f"Contact.{t}" for t in ("email", "phone", "firstName", "lastName")],
        ),
        ({"protected": "on", "written": "unmapped"}, []),
    ],
)
def test_filters_narrow_the_catalog(operator_client, synced, query, expected):
    response = operator_client.get(reverse("catalog:store", args=[SANDBOX]), query)
    assert response.status_code == 200
    assert sorted(rows_of(response)) == sorted(expected)


def test_htmx_gets_only_the_results(operator_client, synced):
    response = operator_client.get(
        reverse("catalog:store", args=[SANDBOX]), {"q": "phone"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "<form" not in page and "phone" in page


@pytest.mark.parametrize(
    "query",
    [
        {"type": "DATE"},
        {"group": "NoSuchGroup"},
        {"store": "mem_store_bad"},
        {"q": "x" * 500},
        {"written": ["mapped", "nope"]},
        {"page": "-1"},
        {"page": "99999999999999999999999"},
        {"source": "<script>"},
    ],
)
def test_bad_filters_are_left_out_with_a_message_never_a_500(operator_client, synced, query):
    response = operator_client.get(reverse("catalog:index"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    if "page" not in query:
        assert b"were not valid and were left out" in response.content
        assert response.context["total"] == 20


def test_a_nul_in_a_filter_is_the_400_every_url_gives_it(operator_client, synced):
    assert operator_client.get(reverse("catalog:index"), {"q": "a\x00b"}).status_code == 400


def test_the_page_costs_the_same_queries_for_ten_traits_and_a_thousand(
    operator_client, django_assert_max_num_queries
):
    def fill(store_id: str, groups: int, traits: int) -> None:
        for index in range(groups):
            TraitGroup.objects.create(
                store_id=store_id,
                name=f"G{index}",
                live_definition={
                    "displayName": f"G{index}",
                    "traits": {f"t{n}": {"dataType": "STRING"} for n in range(traits)},
                },
            )
        DataMapping.objects.bulk_create(
            DataMapping(
                store_id=store_id,
                mapping_id=f"mem_datamapping_{index:026d}",
                display_name=f"feed-{index}",
                source=DataMapping.Source.INGRESS,
                targets=[{"traitGroup": f"G{index}", "traitName": "t0", "expression": "x"}],
                synced_at=timezone.now(),
            )
            for index in range(groups)
        )

    fill(SANDBOX, groups=1, traits=10)
    operator_client.get(reverse("catalog:index"))  # sessions and permissions warmed up
    with django_assert_max_num_queries(10) as small:
        operator_client.get(reverse("catalog:index"))
    fill(PRODUCTION, groups=20, traits=50)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = operator_client.get(reverse("catalog:index"))
    assert response.context["total"] == 10 + 1000
    with django_assert_max_num_queries(len(small.captured_queries)):
        operator_client.get(reverse("catalog:store", args=[PRODUCTION]), {"page": "10"})


def test_a_traits_page_tells_its_history_across_versions_and_what_writes_it(
    operator_client, synced, api
):
    api.update_trait_group(
        SANDBOX,
        "Preferences",
        {
            "traits": {
                "preferredChannel": {
                    "dataType": "STRING",
                    "validationRule": {"ruleType": "STRING", "pattern": "^(sms|email|voice)$"},
                }
            }
        },
    )
    sync_store(store_id=SANDBOX, client=api)
    api.update_trait_group(
        SANDBOX, "Preferences", {"traits": {"preferredChannel": {"dataType": ""}}}
    )
    sync_store(store_id=SANDBOX, client=api)

    response = operator_client.get(
        reverse("catalog:trait", args=[SANDBOX, "Preferences", "preferredChannel"])
    )

    assert response.status_code == 200
    assert [moment.change for moment in response.context["history"]] == [
        "removed",
        "changed",
        "added",
    ]
    assert response.context["history"][1].changed_fields == ("description", "validationRule")
    assert response.context["live"] is None
    assert b"not in the live group any more" in response.content
    assert sorted(m.display_name for m in response.context["mappings"]) == [
        "support-preferences",
        "web-signup",
    ]
    assert TraitGroupVersion.objects.filter(trait_group__name="Preferences").count() == 3


def test_a_trait_memadmin_never_saw_is_a_404(operator_client, synced):
    unknown = reverse("catalog:trait", args=[SANDBOX, "Contact", "shoeSize"])
    assert operator_client.get(unknown).status_code == 404
    no_group = reverse("catalog:trait", args=[SANDBOX, "Nope", "email"])
    assert operator_client.get(no_group).status_code == 404


def test_a_trait_name_with_a_slash_has_a_page(operator_client, synced, api):
    api.create_trait_group(
        SANDBOX, {"displayName": "Odd", "traits": {"a/b": {"dataType": "STRING"}}}
    )
    sync_store(store_id=SANDBOX, client=api)
    listing = operator_client.get(reverse("catalog:store", args=[SANDBOX]), {"group": "Odd"})
    assert rows_of(listing) == ["Odd.a/b"]
    page = operator_client.get(reverse("catalog:trait", args=[SANDBOX, "Odd", "a/b"]))
    assert page.status_code == 200


def test_the_catalog_is_in_the_navigation(operator_client, synced):
    home = operator_client.get(reverse("catalog:index"))
    assert {"label": "Trait catalog", "url": "/catalog/", "active": True} in home.context[
        "navigation"
    ]


def test_each_group_shows_only_the_mappings_of_its_own_exact_name(operator_client, synced, api):
    """Group names that are prefixes or case variants of each other share no writers,
    though the database's case-blind prefilter finds them all."""
    names = ("Contact", "ContactPlus", "contact", "Contac")
    for name in ("ContactPlus", "contact"):
        api.create_trait_group(
            SANDBOX, {"displayName": name, "traits": {"email": {"dataType": "STRING"}}}
        )
    sync_store(store_id=SANDBOX, client=api)
    for name in names:
        DataMapping.objects.create(
            store_id=SANDBOX,
            mapping_id=f"mem_datamapping_{name}",
            display_name=f"writes-{name}",
            source=DataMapping.Source.INGRESS,
            targets=[{"traitGroup": name, "traitName": "email", "expression": "$.email"}],
            synced_at=timezone.now(),
        )

    for group in ("Contact", "ContactPlus", "contact"):
        trait = operator_client.get(reverse("catalog:trait", args=[SANDBOX, group, "email"]))
        writers = {m.display_name for m in trait.context["mappings"]}
        assert f"writes-{group}" in writers
        assert not writers & {f"writes-{name}" for name in names if name != group}
        listing = operator_client.get(reverse("catalog:store", args=[SANDBOX]), {"group": group})
        [row] = [row for row in listing.context["page"].object_list if row.name == "email"]
        assert {m.display_name for m in row.mappings} == writers
