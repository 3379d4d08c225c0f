"""User text in the builder is never swapped into a page as live HTML (issue 15, item 1)."""

import json

from django.urls import reverse

from tests.fakes import form_data

HX = {"HX-Request": "true"}
HOSTILE = '<div hx-post="/reviews/7/approve/" hx-trigger="load">approve me</div>'


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", headers=HX)


def test_the_json_preview_escapes_markup_in_a_description(operator_client, store_id):
    url = reverse("traitgroups:preview", args=[store_id])
    data = form_data(description=HOSTILE, traits=[("tier", "STRING", {"pattern": HOSTILE})])
    response = post_json(operator_client, url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<div" not in html
    assert "&lt;div hx-post=" in html
    assert html.startswith("<code hx-disable>")


def test_row_answers_carry_the_preview_escaped_and_disabled(operator_client, store_id):
    url = reverse("traitgroups:add_trait", args=[store_id])
    response = post_json(operator_client, url, form_data(description=HOSTILE))
    html = response.content.decode()
    assert "<div hx-post" not in html
    assert '<pre id="json-preview" hx-swap-oob="innerHTML"><code hx-disable>' in html


def test_pages_configure_htmx_so_swapped_content_cannot_run_or_reach_out(operator_client):
    html = operator_client.get(reverse("home")).content.decode()
    config = html.split('name="htmx-config" content=\'')[1].split("'")[0]
    assert json.loads(config) | {"allowScriptTags": False, "selfRequestsOnly": True} == json.loads(
        config
    )
