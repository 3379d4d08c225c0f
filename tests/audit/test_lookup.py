"""Auditors look events up by filter and text, page through them, and open one to see its diff."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from memadmin.audit import selectors
from memadmin.audit.models import AuditEvent

CREATED, SUBMITTED, FAILED = (
    "traitgroup.created",
    "traitgroup.submitted",
    "traitgroup.publish_failed",
)


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def trait_group_events(append, operator):
    return [
        append("traitgroup.created", actor=operator, store_id="MS1", trait_group="Loyalty"),
        append(
            "traitgroup.submitted",
            actor=operator,
            store_id="MS1",
            trait_group="Loyalty",
            before={"displayName": "Loyalty"},
            after={"displayName": "Loyalty points"},
        ),
        append(
            "traitgroup.publish_failed",
            store_id="MS2",
            trait_group="Orders",
            outcome="failure",
            api_status=400,
            twilio_code=20001,
            detail="Twilio rejected the name",
        ),
    ]


def _actions(response) -> list[str]:
    return [event.action for event in response.context["page"].events]


@pytest.mark.parametrize("role", ["Auditor", "Admin"])
def test_auditors_and_admins_see_the_log(client_for, role, trait_group_events):
    response = client_for(role).get(reverse("audit:index"))
    assert response.status_code == 200
    assert b"traitgroup.publish_failed" in response.content


@pytest.mark.parametrize("role", ["Operator", "Reviewer", None])
@pytest.mark.parametrize("url_name", ["audit:index", "audit:export"])
def test_everyone_else_is_refused(client_for, role, url_name):
    assert client_for(role).get(reverse(url_name)).status_code == 403


def test_operators_cannot_open_an_event(client_for, trait_group_events):
    url = reverse("audit:detail", args=[trait_group_events[0].pk])
    assert client_for("Operator").get(url).status_code == 403


def test_every_filter_control_has_a_label(auditor_client):
    content = auditor_client.get(reverse("audit:index")).content.decode()
    for label in ("Search", "Actor", "Action", "Store", "Trait group", "Outcome", "From", "To"):
        assert f">{label}</label>" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": SUBMITTED}, [SUBMITTED]),
        ({"action": "traitgroup.*"}, [FAILED, SUBMITTED, CREATED]),
        ({"actor": "operator", "action": "traitgroup.*"}, [SUBMITTED, CREATED]),
        ({"store_id": "MS2"}, [FAILED]),
        ({"trait_group": "Loyalty", "store_id": "MS1"}, [SUBMITTED, CREATED]),
        ({"trait_group": "loy"}, [SUBMITTED, CREATED]),  # any case, by prefix
        ({"trait_group": "ORDERS"}, [FAILED]),
        ({"outcome": "failure"}, [FAILED]),
        ({"search": "rejected"}, [FAILED]),
        ({"search": "displayname", "action": "traitgroup.*"}, [SUBMITTED]),
    ],
)
def test_filters_narrow_the_list(auditor_client, trait_group_events, query, expected):
    assert _actions(auditor_client.get(reverse("audit:index"), query)) == expected


def test_date_range_includes_whole_days(auditor_client, trait_group_events):
    today = trait_group_events[0].time.date()
    tomorrow = today + dt.timedelta(days=1)
    index = reverse("audit:index")
    whole_day = {"since": today, "until": today, "action": "traitgroup.*"}
    assert len(_actions(auditor_client.get(index, whole_day))) == 3
    assert _actions(auditor_client.get(index, {"since": tomorrow})) == []


def test_an_invalid_filter_is_reported_and_left_out(auditor_client, trait_group_events):
    response = auditor_client.get(
        reverse("audit:index"), {"since": "2030-01-02", "until": "2030-01-01"}
    )
    assert response.status_code == 200
    assert b"The end date comes before the start date." in response.content


def test_htmx_asks_for_the_results_fragment_only(auditor_client, trait_group_events):
    response = auditor_client.get(
        reverse("audit:index"), {"outcome": "failure"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert "traitgroup.publish_failed" in content


def test_keyset_pages_show_every_event_once_while_new_ones_arrive(auditor_client, append, settings):
    for n in range(7):
        append(f"test.old{n}")
    seen, before, arrivals = [], None, 0
    while True:
        query = {"action": "test.*"} | ({"before": before} if before else {})
        page = selectors.get_events_page(size=3, **query)
        seen.extend(event.action for event in page.events)
        append(f"test.new{arrivals}")  # someone acts while the auditor reads
        arrivals += 1
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == [f"test.old{n}" for n in reversed(range(7))]


def test_the_older_events_link_carries_the_filters_and_the_cursor(auditor_client, append):
    events = [append("test.paged") for _ in range(55)]
    first = auditor_client.get(reverse("audit:index"), {"action": "test.paged"})
    cursor = first.context["page"].next_before
    assert cursor == events[5].pk
    assert f"action=test.paged&amp;before={cursor}" in first.content.decode()
    second = auditor_client.get(reverse("audit:index"), {"action": "test.paged", "before": cursor})
    assert [event.pk for event in second.context["page"].events] == [e.pk for e in events[:5]][::-1]
    assert second.context["page"].next_before is None


def test_the_list_costs_the_same_queries_for_many_events(
    auditor_client, append, django_assert_max_num_queries
):
    for n in range(60):
        append(f"test.many{n}")
    with django_assert_max_num_queries(8):
        auditor_client.get(reverse("audit:index"))


def test_the_event_page_shows_the_before_after_diff(auditor_client, trait_group_events):
    submitted = trait_group_events[1]
    response = auditor_client.get(reverse("audit:detail", args=[submitted.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="diff-changed"' in content
    assert "&quot;Loyalty&quot;" in content and "&quot;Loyalty points&quot;" in content
    assert submitted.hash in content and submitted.prev_hash in content


def test_a_missing_event_is_not_found(auditor_client, db):
    assert auditor_client.get(reverse("audit:detail", args=[999999])).status_code == 404


def test_a_trait_groups_history_lists_its_events_newest_first(trait_group_events, append):
    append("traitgroup.created", store_id="MS9", trait_group="Loyalty")  # another store
    history = selectors.list_trait_group_events(store_id="MS1", trait_group="Loyalty")
    assert [event.action for event in history] == ["traitgroup.submitted", "traitgroup.created"]
    assert (
        len(selectors.list_trait_group_events(store_id="MS1", trait_group="Loyalty", limit=1)) == 1
    )
    html = render_to_string("audit/_event_table.html", {"events": history, "caption": "History"})
    assert "History</caption>" in html
    assert reverse("audit:detail", args=[history[0].pk]) in html


def test_the_history_table_shows_a_new_event_and_a_renamed_store_at_once(
    trait_group_events, append, settings
):
    """Rows are cached by content (events never change); what is new must still show."""
    from django.core.cache import cache

    from memadmin.stores.selectors import STORE_NAMES_CACHE_KEY

    settings.DEBUG = False  # content-keyed fragments are cached only outside DEBUG
    cache.set(STORE_NAMES_CACHE_KEY, {"MS1": "Sandbox"})

    def history_html() -> str:
        history = selectors.list_trait_group_events(store_id="MS1", trait_group="Loyalty")
        return render_to_string("audit/_event_table.html", {"events": history})

    assert "Sandbox" in history_html()
    cache.set(STORE_NAMES_CACHE_KEY, {"MS1": "Production"})
    assert "Production" in history_html() and "Sandbox" not in history_html()
    assert "traitgroup.published" not in history_html()
    append("traitgroup.published", store_id="MS1", trait_group="Loyalty")
    assert "traitgroup.published" in history_html()


def test_the_history_table_says_when_there_is_nothing_yet(db):
    html = render_to_string("audit/_event_table.html", {"events": []})
    assert "No audit events." in html
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        (
            {"target_type": "traitgroups.traitgrouprevision", "target_id": "3"}
            | {"trait_group": "Preferences", "target_label": "Revision 3 of Preferences (draft)"},
            "Revision 3 of Preferences",
        ),
        ({"target_type": "operations.operation", "target_id": "12"}, "Operation #12"),
        ({"target_type": "auth.user", "target_id": "4", "target_label": "olga"}, "User olga"),
        ({}, ""),
    ],
)
def test_events_name_their_target_as_a_person_would(append, auditor_client, fields, shown):
    event = append(**fields)
    assert event.target_display == shown
    page = auditor_client.get(reverse("audit:index")).content.decode()
    if shown:
        assert f'<td data-label="Target">{shown}</td>' in page
    assert "traitgroups.traitgrouprevision" not in page
