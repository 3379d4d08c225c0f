"""The Operations pages: list, detail, the live badge, Refresh now, Retry, Reconcile."""

import json

import pytest
from django.urls import reverse

from memadmin.operations import services
from memadmin.operations.models import Operation
from tests.fakes import definition

pytestmark = pytest.mark.django_db


def operation(store_id, name="Loyalty", **fields) -> Operation:
    return Operation.objects.create(
        kind="create",
        method="POST",
        store_id=store_id,
        trait_group_name=name,
        request_body=definition(name),
        **fields,
    )


def submitted(api, store_id, name="Loyalty") -> Operation:
    op = services.start_operation(
        kind="create", store_id=store_id, trait_group_name=name, body=definition(name)
    )
    return services.submit_operation(operation=op)


def test_the_operations_page_lists_newest_first_with_live_badges(client_for, store_id):
    operation(store_id, "Older")
    newer = operation(store_id, "Newer", status="PENDING")

    response = client_for("Auditor").get(reverse("operations:index"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Newer") < body.index("Older")
    assert f'hx-get="/operations/{newer.pk}/badge/?seen=PENDING"' in body
    assert 'hx-trigger="every 2s"' in body


def test_the_operations_page_filters_by_status_store_and_group(client_for, store_id):
    operation(store_id, "Alpha", status="FAILED")
    operation(store_id, "Beta", status="COMPLETED")
    operation("mem_store_10000000000000000000000000", "Gamma", status="FAILED")

    client = client_for("Operator")
    by_status = client.get(reverse("operations:index"), {"status": "FAILED"}).content.decode()
    by_store = client.get(reverse("operations:index"), {"store": store_id}).content.decode()
    by_group = client.get(reverse("operations:index"), {"trait_group": "bet"}).content.decode()

    assert "Alpha" in by_status and "Gamma" in by_status and "Beta" not in by_status
    assert "Gamma" not in by_store
    assert "Beta" in by_group and "Alpha" not in by_group


def test_the_operations_page_pages_by_keyset_at_a_constant_query_count(
    client_for, store_id, django_assert_max_num_queries
):
    for i in range(60):
        operation(store_id, f"G{i}", status="COMPLETED")
    client = client_for("Operator")
    with django_assert_max_num_queries(8):
        first = client.get(reverse("operations:index"))
    page = first.context["page"]
    assert len(page.operations) == 50
    second = client.get(reverse("operations:index"), {"before": page.next_before})
    assert len(second.context["page"].operations) == 10
    assert second.context["page"].next_before is None


def test_a_terminal_badge_stops_polling_and_raises_a_toast(api, client_for, store_id, clock):
    op = operation(store_id, status="COMPLETED")

    response = client_for("Operator").get(
        reverse("operations:badge", args=[op.pk]) + "?seen=RUNNING", HTTP_HX_REQUEST="true"
    )

    assert "hx-trigger" not in response.content.decode()
    toast = json.loads(response["HX-Trigger"])["toast"]
    assert toast == {"message": "Create of Loyalty completed.", "level": "success"}


def test_the_badge_polls_twilio_itself_when_the_operation_is_due(
    api, clocked_emulator, client_for, store_id
):
    clocked_emulator.step_seconds = 0
    op = submitted(api, store_id)
    Operation.objects.filter(pk=op.pk).update(next_poll_at=op.submitted_at)

    response = client_for("Operator").get(reverse("operations:badge", args=[op.pk]))

    op.refresh_from_db()
    assert op.status == "COMPLETED"
    assert "Completed" in response.content.decode()


def test_refresh_now_is_rate_limited_per_operation(api, client_for, store_id):
    op = submitted(api, store_id)
    client = client_for("Operator")
    url = reverse("operations:refresh", args=[op.pk])

    first = client.post(url, HTTP_HX_REQUEST="true")
    second = client.post(url, HTTP_HX_REQUEST="true")

    assert first.status_code == 200
    assert second.status_code == 429
    assert "wait a few seconds" in json.loads(second["HX-Trigger"])["toast"]["message"]


def test_auditors_cannot_refresh_or_retry(client_for, store_id):
    op = operation(store_id, status="FAILED", retryable=True)
    client = client_for("Auditor")

    assert client.post(reverse("operations:refresh", args=[op.pk])).status_code == 403
    assert client.post(reverse("operations:retry", args=[op.pk])).status_code == 403


def test_the_detail_page_shows_the_error_in_words_and_a_retry_button(client_for, store_id):
    op = operation(
        store_id,
        status="FAILED",
        retryable=True,
        error_code=20503,
        error_title="Twilio was unavailable",
        error_detail="Try again in a few minutes.",
    )

    body = client_for("Reviewer").get(reverse("operations:detail", args=[op.pk])).content.decode()

    assert "Twilio was unavailable (code 20503)" in body
    assert "Try again in a few minutes." in body
    assert ">Retry</button>" in body


def test_the_operation_page_shows_the_request_body_as_json(client_for, store_id):
    op = operation(store_id, "Loyalty")
    op.request_body = {"displayName": "Loyalty", "traits": {"vip": {"dataType": "BOOLEAN"}}}
    op.save()

    page = client_for("Auditor").get(reverse("operations:detail", args=[op.pk])).content.decode()

    body = page[page.index('data-testid="request-body">') :]
    body = body[len('data-testid="request-body">') : body.index("</pre>")]
    assert json.loads(body.replace("&quot;", '"')) == op.request_body
    assert "&#x27;displayName&#x27;" not in page  # no Python dict repr
