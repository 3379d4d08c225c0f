"""record() appends one linked event with everything the lookup and the chain need."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from memadmin.audit import selectors, services
from memadmin.audit.models import GENESIS_HASH, AuditEvent


def test_the_first_event_starts_the_chain_and_the_next_links_to_it(append):
    first = append("traitgroup.created")
    second = append("traitgroup.submitted")
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64
    assert selectors.verify_chain() == []


def test_a_model_target_gives_type_id_and_label(append, operator):
    event = append("user.roles_changed", actor=operator, target=operator)
    assert (event.target_type, event.target_id, event.target_label) == (
        "auth.user",
        str(operator.pk),
        "operator",
    )
    assert event.actor_username == "operator"


def test_the_request_gives_ip_user_agent_and_its_own_request_id(append, operator):
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox", HTTP_X_REQUEST_ID="req-42"
    )
    request.user = operator
    event = append("traitgroup.submitted", request=request)
    assert (event.ip_address, event.user_agent, event.request_id) == (
        "203.0.113.7",
        "Firefox",
        "req-42",
    )
    assert event.actor == operator  # taken from the request when no actor is given


def test_without_a_request_id_header_one_uuid_serves_the_whole_request(append):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    first, second = append("a.one", request=request), append("a.two", request=request)
    assert len(first.request_id) == 36
    assert first.request_id == second.request_id


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(append, settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    assert append(request=request).ip_address == "10.0.0.1"
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    assert append(request=request).ip_address == "198.51.100.9"


def test_api_call_details_and_outcome_are_kept(append):
    event = append(
        "traitgroup.publish_failed",
        store_id="MSaaaa",
        trait_group="Loyalty",
        revision_id=7,
        outcome="failure",
        api_status=400,
        twilio_code=20001,
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.outcome, event.api_status, event.twilio_code, event.revision_id) == (
        "failure",
        400,
        20001,
        7,
    )


def test_an_unknown_outcome_is_refused(append):
    with pytest.raises(ValueError, match="outcome"):
        append(outcome="maybe")


def test_before_and_after_give_a_short_diff_summary(append):
    event = append(
        before={"displayName": "Loyalty", "traits": {"tier": "string"}},
        after={"displayName": "Loyalty 2", "traits": {"tier": "string", "points": "number"}},
    )
    assert event.diff_summary == "changed: displayName; added: traits.points"


def test_an_event_recorded_in_a_rolled_back_transaction_leaves_the_chain_intact(append):
    kept = append("a.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        append("a.rolled_back")
        raise RuntimeError("the caller's work failed")
    after = append("a.after")
    assert after.prev_hash == kept.hash
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["a.after", "a.kept"]
    assert selectors.verify_chain() == []


def test_record_works_inside_the_callers_transaction(db):
    with transaction.atomic():
        event = services.record(action="traitgroup.created", trait_group="Loyalty")
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert selectors.verify_chain() == []


@pytest.mark.parametrize("action", ["", "submitted", "TraitGroup.Submitted", "a..b", "a.b "])
def test_an_action_must_be_a_dotted_verb(append, action):
    with pytest.raises(ValueError, match="dotted verb"):
        append(action)
