"""Manual and scheduled reconcile share one age rule; a 409 on re-sending a create whose
answer was lost is settled by reading the group (issue 15, item 4)."""

from datetime import timedelta

import httpx
import pytest
from django.urls import reverse

from memadmin.memory_api import client as client_module
from memadmin.operations import reconcile
from memadmin.operations.models import Operation
from memadmin.reviews import publishing
from memadmin.traitgroups.models import TraitGroupRevision

pytestmark = pytest.mark.django_db
State = TraitGroupRevision.State


def counting_transport(emulator, handler):
    inner = httpx.WSGITransport(app=emulator)
    posts = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(request)
            answer = handler(len(posts), request, inner)
            if answer is not None:
                return answer
        return inner.handle_request(request)

    return httpx.MockTransport(handle), posts


def lost_first_answer(number, request, inner):
    if number == 1:  # delivered, but the answer never comes back
        inner.handle_request(request)
        raise httpx.ReadTimeout("timed out", request=request)
    return None


def test_the_reconcile_button_waits_as_long_as_the_sweep(
    client, make_api, monkeypatch, emulator, approved_revision, operator, make_user
):
    transport, posts = counting_transport(emulator, lost_first_answer)
    monkeypatch.setattr(client_module, "_client", make_api(transport=transport))
    operation = publishing.publish_revision(revision=approved_revision(), actor=operator)
    assert operation.status == Operation.Status.UNKNOWN

    client.force_login(make_user("Admin", username="ada"))
    response = client.post(reverse("operations:reconcile", args=[operation.pk]), follow=True)

    assert "Too soon to reconcile" in response.content.decode()
    assert len(posts) == 1
    operation.refresh_from_db()
    assert operation.status == Operation.Status.UNKNOWN and operation.submission_attempts == 1


def test_the_age_rule_is_one_function_for_both_paths(api, approved_revision, operator, clock):
    operation = Operation.objects.create(
        kind="create", method="POST", store_id="s", trait_group_name="g", status="UNKNOWN"
    )
    now = operation.submitted_at + timedelta(seconds=21)
    assert reconcile.too_soon(operation, now=now, older_than=reconcile.DEFAULT_OLDER_THAN)
    with pytest.raises(reconcile.TooSoon):
        reconcile.reconcile_operation(operation=operation, now=now)
    report = reconcile.reconcile_operations(now=now)
    assert operation.pk not in report.resent + report.adopted + report.failed


def test_a_409_on_a_resent_create_that_twilio_holds_as_approved_is_completed(
    make_api, monkeypatch, emulator, clock, approved_revision, operator, store_id
):
    def first_lost_then_conflict(number, request, inner):
        if number == 1:  # sent, answer lost, and Twilio is slow to show the group
            raise httpx.ReadTimeout("timed out", request=request)
        inner.handle_request(request)  # our first create lands just now …
        clock.advance(10)
        return httpx.Response(409, json={"code": 20409, "message": "Conflict", "status": 409})

    transport, posts = counting_transport(emulator, first_lost_then_conflict)
    monkeypatch.setattr(client_module, "_client", make_api(transport=transport))
    revision = approved_revision()
    operation = publishing.publish_revision(revision=revision, actor=operator)
    clock.advance(300)

    report = reconcile.reconcile_operations(now=clock.now())

    operation.refresh_from_db()
    revision.refresh_from_db()
    assert len(posts) == 2
    assert report.adopted == [operation.pk]
    assert operation.status == Operation.Status.COMPLETED
    assert revision.state == State.PUBLISHED
