"""Signing in, signing out, failing to sign in and changing roles all leave an audit event."""

from django.contrib.auth.models import Group

from memadmin.audit.models import AuditEvent
from tests.fakes import USER_PASSWORD


def test_signing_in_and_out_is_recorded_with_the_request(client, operator):
    client.post(
        "/accounts/login/",
        {"username": "operator", "password": USER_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="pytest-browser",
    )
    client.post("/accounts/logout/")
    signed_in = AuditEvent.objects.get(action="auth.signed_in")
    assert (signed_in.actor, signed_in.ip_address, signed_in.user_agent) == (
        operator,
        "192.0.2.10",
        "pytest-browser",
    )
    signed_out = AuditEvent.objects.get(action="auth.signed_out")
    assert signed_out.actor == operator


def test_a_failed_sign_in_is_recorded_without_the_password(client, operator):
    client.post("/accounts/login/", {"username": "operator", "password": "guess-Hunter2"})
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.outcome == "failure"
    assert failed.actor is None
    assert "operator" in failed.detail
    assert "guess-Hunter2" not in str(AuditEvent.objects.values())


def test_granting_a_role_is_recorded_with_roles_before_and_after(operator):
    operator.groups.add(Group.objects.get(name="Reviewer"))
    event = AuditEvent.objects.filter(action="user.roles_changed").first()
    assert event.target_id == str(operator.pk)
    assert event.before == {"roles": ["Operator"]}
    assert event.after == {"roles": ["Operator", "Reviewer"]}
    assert event.diff_summary == "changed: roles"


def test_removing_roles_from_either_side_is_recorded(operator):
    group = Group.objects.get(name="Operator")
    group.user_set.remove(operator)
    event = AuditEvent.objects.filter(action="user.roles_changed").first()
    assert (event.before, event.after) == ({"roles": ["Operator"]}, {"roles": []})
    operator.groups.add(group)
    operator.groups.clear()
    cleared = AuditEvent.objects.filter(action="user.roles_changed").first()
    assert (cleared.before, cleared.after) == ({"roles": ["Operator"]}, {"roles": []})
    assert cleared.detail == "Removed Operator."
