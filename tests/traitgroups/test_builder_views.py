"""The builder's pages and htmx endpoints through Django's test client."""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from memadmin.stores import selectors as store_selectors
from memadmin.stores.models import SyncRun
from memadmin.stores.services import sync_store
from memadmin.traitgroups import services
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from tests.fakes import form_data

HX = {"HX-Request": "true"}


def post_json(client, url, data, trigger=""):
    headers = {**HX, "HX-Trigger-Name": trigger} if trigger else HX
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_live_validation_answers_with_only_the_field_messages(operator_client, store_id):
    url = reverse("traitgroups:validate", args=[store_id])
    response = post_json(operator_client, url, form_data("bad name"), trigger="displayName")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div class="field-messages" id="m-displayName"')
    assert 'data-invalid="true"' in html and "Use only letters" in html
    assert "<form" not in html


def test_live_validation_of_a_rule_field_runs_cross_field_checks(operator_client, store_id):
    url = reverse("traitgroups:validate", args=[store_id])
    data = form_data(traits=[("a", "STRING", {"minLength": "5", "maxLength": "2"})])
    html = post_json(operator_client, url, data, trigger="traits-0-minLength").content.decode()
    assert 'id="m-traits-0-maxLength"' in html and "Must be at least minLength (5)" in html


def test_a_renamed_trait_refreshes_every_row_name_message(operator_client, store_id):
    url = reverse("traitgroups:validate", args=[store_id])
    data = form_data(
        traits=[("email", "STRING", {}), ("email", "STRING", {}), ("x", "BOOLEAN", {})]
    )
    html = post_json(operator_client, url, data, trigger="traits-1-name").content.decode()
    assert html.count('hx-swap-oob="true"') == 3
    assert "Trait 1 is also named" in html


def test_form_encoded_posts_validate_the_same(operator_client, store_id):
    url = reverse("traitgroups:validate", args=[store_id])
    response = operator_client.post(url, {**form_data("x" * 65), "field": "displayName"})
    assert "Use at most 64 characters" in response.content.decode()


def test_broken_json_is_a_400_not_a_500(operator_client, store_id):
    url = reverse("traitgroups:validate", args=[store_id])
    response = operator_client.post(url, "{nope", content_type="application/json", headers=HX)
    assert response.status_code == 400


def test_the_96th_trait_is_refused_with_a_message(operator_client, store_id):
    url = reverse("traitgroups:add_trait", args=[store_id])
    data = form_data(traits=[(f"t{i}", "BOOLEAN", {}) for i in range(95)])
    response = post_json(operator_client, url, data)
    assert response.headers["HX-Reswap"] == "none"
    assert "at most 95 traits" in response.content.decode()
    assert "toast" in response.headers["HX-Trigger"]
    data = form_data(traits=[(f"t{i}", "BOOLEAN", {}) for i in range(94)])
    response = post_json(operator_client, url, data)
    assert 'id="trait-94"' in response.content.decode()
    assert "95 of 95 traits" in response.content.decode()


def test_duplicate_and_remove_rows(operator_client, store_id):
    data = form_data(traits=[("email", "STRING", {"pattern": "@"})])
    url = reverse("traitgroups:duplicate_trait", args=[store_id]) + "?key=0"
    html = post_json(operator_client, url, data).content.decode()
    assert 'value="emailCopy"' in html and 'value="@"' in html and "2 of 95 traits" in html
    url = reverse("traitgroups:remove_trait", args=[store_id]) + "?key=0"
    html = post_json(operator_client, url, data).content.decode()
    assert "0 of 95 traits" in html


def test_rule_fields_follow_the_data_type(operator_client, store_id):
    url = reverse("traitgroups:rule_fields", args=[store_id]) + "?key=0"
    html = post_json(operator_client, url, form_data(traits=[("n", "ARRAY", {})])).content.decode()
    assert "Min items" in html and "Pattern" not in html


def test_string_to_number_to_string_gives_the_typed_pattern_back(operator_client, store_id):
    url = reverse("traitgroups:rule_fields", args=[store_id]) + "?key=0"
    as_number = form_data(traits=[("code", "NUMBER", {"pattern": "^[A-Z]{3}$", "min": "1"})])
    html = post_json(operator_client, url, as_number).content.decode()
    assert "Pattern" not in html and "Min" in html
    assert 'type="hidden" name="traits-0-pattern" value="^[A-Z]{3}$"' in html

    as_string = form_data(traits=[("code", "STRING", {"pattern": "^[A-Z]{3}$", "min": "1"})])
    html = post_json(operator_client, url, as_string).content.decode()
    assert "Pattern" in html and 'value="^[A-Z]{3}$"' in html
    assert 'type="hidden" name="traits-0-min" value="1"' in html


def test_a_kept_pattern_is_not_saved_with_a_number_trait(operator_client, store_id):
    url = reverse("traitgroups:new", args=[store_id])
    data = {
        **form_data("codes", traits=[("code", "NUMBER", {"pattern": "^[A-Z]{3}$", "max": "9"})]),
        "action": "save",
    }
    operator_client.post(url, data)
    assert TraitGroupRevision.objects.get().definition["traits"]["code"] == {
        "dataType": "NUMBER",
        "validationRule": {"ruleType": "NUMBER", "max": 9},
    }


def test_saving_a_new_group_creates_a_draft_and_an_audit_event(operator_client, operator, store_id):
    url = reverse("traitgroups:new", args=[store_id])
    data = {
        **form_data("loyalty", traits=[("tier", "STRING", {"maxLength": "3"})]),
        "action": "save",
    }
    response = operator_client.post(url, data)
    revision = TraitGroupRevision.objects.get()
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    assert revision.definition == {
        "displayName": "loyalty",
        "traits": {
            "tier": {"dataType": "STRING", "validationRule": {"ruleType": "STRING", "maxLength": 3}}
        },
    }
    assert revision.author == operator and revision.kind == "create"
    from memadmin.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="traitgroup.draft_created").count() == 1


def test_a_save_refused_by_duplicates_keeps_the_input(operator_client, store_id):
    url = reverse("traitgroups:new", args=[store_id])
    data = {
        **form_data("keep-me", traits=[("a", "STRING", {}), ("a", "STRING", {"pattern": "xyz"})]),
        "action": "save",
    }
    response = operator_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="keep-me"' in html and 'value="xyz"' in html and "also named" in html
    # The Check summary comes with it: each problem a link to its field.
    assert '<a href="#f-traits-1-name">Trait 2 (a) name: Trait 1 is also named' in html
    assert not TraitGroupRevision.objects.exists()


def test_without_javascript_add_trait_posts_the_page_and_keeps_the_input(operator_client, store_id):
    url = reverse("traitgroups:new", args=[store_id])
    response = operator_client.post(
        url, {**form_data("bad name", traits=[("a", "STRING", {})]), "action": "add"}
    )
    html = response.content.decode()
    assert 'id="trait-1"' in html and 'value="bad name"' in html
    assert 'aria-invalid="true"' in html and "Use only letters" in html


def test_a_second_concurrent_save_is_refused_and_keeps_its_input(
    operator_client, operator, store_id
):
    revision = services.create_draft(
        store_id=store_id, definition={"displayName": "x", "traits": {}}, author=operator
    )
    services.save_draft(
        revision=revision,
        definition={"displayName": "x", "traits": {}},
        lock_version=1,
        actor=operator,
    )
    url = reverse("traitgroups:revision", args=[revision.pk])
    response = operator_client.post(
        url, {**form_data("x", description="mine"), "action": "save", "lock_version": "1"}
    )
    assert response.status_code == 409
    assert "Someone else saved this draft" in response.content.decode()
    assert "mine" in response.content.decode()


def test_save_draft_service_refuses_a_stale_lock_version(operator, store_id):
    revision = services.create_draft(
        store_id=store_id, definition={"displayName": "x"}, author=operator
    )
    saved = services.save_draft(
        revision=revision,
        definition={"displayName": "x", "description": "1"},
        lock_version=1,
        actor=operator,
    )
    assert saved.lock_version == 2
    with pytest.raises(services.StaleDraft):
        services.save_draft(
            revision=revision, definition={"displayName": "x"}, lock_version=1, actor=operator
        )


def test_edit_starts_a_draft_from_the_live_definition(operator_client, operator, store_id):
    response = operator_client.post(reverse("traitgroups:edit", args=[store_id, "Contact"]))
    revision = TraitGroupRevision.objects.get()
    assert response.url == revision.get_absolute_url()
    assert revision.kind == "update" and revision.trait_group.name == "Contact"
    assert "email" in revision.definition["traits"] and revision.base_version == 1
    again = operator_client.post(reverse("traitgroups:edit", args=[store_id, "Contact"]))
    assert again.url == response.url  # the author's open draft is reused
    page = operator_client.get(response.url).content.decode()
    assert "readonly" in page and "9 of 95 traits" in page


def test_import_reports_line_and_column(operator_client, store_id):
    url = reverse("traitgroups:import", args=[store_id])
    response = operator_client.post(url, {"import_text": '{\n  "displayName": oops\n}'}, headers=HX)
    assert "line 2, column 18" in response.content.decode()
    response = operator_client.post(
        url, {"import_text": '{"displayName": "a", "extra": 1}'}, headers=HX
    )
    assert "Unknown properties at the top level: extra" in response.content.decode()


def test_import_accepts_an_exported_group(operator_client, store_id):
    url = reverse("traitgroups:import", args=[store_id])
    doc = {
        "traitGroup": {"displayName": "g", "traits": {"a": {"dataType": "BOOLEAN"}}, "version": 4}
    }
    response = operator_client.post(url, {"import_text": json.dumps(doc)}, headers=HX)
    html = response.content.decode()
    assert (
        'value="g"' in html
        and "1 of 95 traits" in html
        and "version" not in html.split("json-preview")[1].split("</pre>")[0]
    )


def test_export_downloads_a_revision_as_json(operator_client, operator, store_id):
    body = {"displayName": "g", "traits": {}}
    revision = services.create_draft(store_id=store_id, definition=body, author=operator)
    response = operator_client.get(reverse("traitgroups:export", args=[revision.pk]))
    assert (
        response["Content-Disposition"] == f'attachment; filename="g-revision-{revision.pk}.json"'
    )
    assert json.loads(response.content) == body


def test_list_never_waits_for_twilio_it_syncs_in_the_background_then_searches(
    operator_client, store_id
):
    response = operator_client.get(reverse("traitgroups:list", args=[store_id]))
    assert 'hx-trigger="load"' in response.content.decode()  # the page asks for a sync
    assert not SyncRun.objects.exists()  # a GET writes nothing
    first_visit = {"first_visit": "1"}
    sync_url = reverse("stores:sync", args=[store_id])
    assert "Syncing" in operator_client.post(sync_url, first_visit, headers=HX).content.decode()
    assert not TraitGroup.objects.filter(store_id=store_id).exists()  # not in the request
    run = SyncRun.objects.get(store_id=store_id)
    assert run.state == SyncRun.State.QUEUED
    assert operator_client.get(reverse("traitgroups:list", args=[store_id]))
    operator_client.post(sync_url, first_visit, headers=HX)
    assert SyncRun.objects.filter(store_id=store_id).count() == 1  # one sync, not one a visit

    sync_store(store_id=store_id, run=run)  # what the worker does with the queued run

    response = operator_client.get(reverse("traitgroups:list", args=[store_id]))
    assert "Contact" in response.content.decode()
    assert TraitGroup.objects.filter(store_id=store_id, name="Contact").exists()
    response = operator_client.get(
        reverse("traitgroups:list", args=[store_id]), {"q": "zzz"}, headers=HX
    )
    assert "No trait group matches" in response.content.decode()
    html = operator_client.get(
        reverse("traitgroups:detail", args=[store_id, "Contact"])
    ).content.decode()
    assert "postalCode" in html and 'id="operations"' in html and 'id="history"' in html


def test_trait_groups_goes_to_the_selected_store_or_to_the_stores_page(operator_client, store_id):
    response = operator_client.get(reverse("traitgroups:index"))
    assert response.url == reverse("stores:index")

    operator_client.get(reverse("traitgroups:list", args=[store_id]))  # opening it selects it

    assert operator_client.session["stores.selected"]["id"] == store_id
    response = operator_client.get(reverse("traitgroups:index"))
    assert response.url == reverse("traitgroups:list", args=[store_id])


def test_trait_groups_goes_to_the_only_store_when_there_is_one(
    operator_client, store_id, monkeypatch
):
    monkeypatch.setattr(store_selectors, "stores", lambda: [SimpleNamespace(id=store_id)])

    response = operator_client.get(reverse("traitgroups:index"))

    assert response.url == reverse("traitgroups:list", args=[store_id])


def test_malformed_store_ids_are_404(operator_client):
    assert operator_client.get("/stores/not-a-store/groups/").status_code == 404


@pytest.mark.parametrize("role", ["Reviewer", "Auditor"])
def test_roles_without_edit_draft_cannot_build(client_for, role, store_id):
    client = client_for(role)
    assert client.get(reverse("traitgroups:new", args=[store_id])).status_code == 403
    assert (
        post_json(client, reverse("traitgroups:validate", args=[store_id]), form_data()).status_code
        == 403
    )
    assert client.get(reverse("traitgroups:list", args=[store_id])).status_code == 200
