"""Admins manage people in the browser: add, change role, reset password, deactivate;
every change lands in the audit log with the Admin who made it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from memadmin.accounts.roles import roles_of
from memadmin.audit.models import AuditEvent

NEW_PASSWORD = "a-long-new-passphrase-42"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_an_admin_adds_a_person_with_a_role_and_both_events_name_the_admin(
    admin_client, admin_user
):
    response = admin_client.post(
        reverse("person_create"),
        {"username": "nina", "role": "Reviewer", "password": NEW_PASSWORD},
    )
    nina = get_user_model().objects.get(username="nina")
    assert response.status_code == 302 and response["Location"] == reverse("person", args=[nina.pk])
    assert roles_of(nina) == ["Reviewer"] and nina.check_password(NEW_PASSWORD)
    assert [e.actor_id for e in events("user.created")] == [admin_user.pk]
    assert [e.actor_id for e in events("user.roles_changed")][-1] == admin_user.pk
    assert NEW_PASSWORD not in str(
        [(e.before, e.after, e.detail) for e in AuditEvent.objects.all()]
    )


def test_a_role_change_is_audited_with_its_actor_and_before_and_after(
    admin_client, admin_user, operator
):
    response = admin_client.post(reverse("person_role", args=[operator.pk]), {"role": "Auditor"})
    assert response.status_code == 302
    assert roles_of(operator) == ["Auditor"]
    changes = [e for e in events("user.roles_changed") if e.target_id == str(operator.pk)]
    assert changes[-1].actor_id == admin_user.pk
    assert changes[-1].after == {"roles": ["Auditor"]}


def test_a_deactivated_person_cannot_sign_in_and_the_event_names_the_admin(
    admin_client, admin_user, operator, client
):
    admin_client.post(reverse("person_active", args=[operator.pk]), {"active": "0"})
    operator.refresh_from_db()
    assert not operator.is_active
    assert events("user.deactivated")[-1].actor_id == admin_user.pk


def test_a_password_reset_is_audited_without_the_password(admin_client, admin_user, operator):
    admin_client.post(reverse("person_password", args=[operator.pk]), {"password": NEW_PASSWORD})
    operator.refresh_from_db()
    assert operator.check_password(NEW_PASSWORD)
    event = events("user.password_reset")[-1]
    assert event.actor_id == admin_user.pk
    assert NEW_PASSWORD not in str((event.before, event.after, event.detail))


def test_a_weak_password_or_taken_name_is_a_clear_400(admin_client, operator):
    weak = admin_client.post(reverse("person_password", args=[operator.pk]), {"password": "abc"})
    taken = admin_client.post(
        reverse("person_create"),
        {"username": "OPERATOR", "role": "Operator", "password": NEW_PASSWORD},
    )
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    assert taken.status_code == 400 and "already called" in taken.content.decode()


def test_an_admin_cannot_lock_themselves_out(admin_client, admin_user):
    demoted = admin_client.post(reverse("person_role", args=[admin_user.pk]), {"role": "Operator"})
    gone = admin_client.post(reverse("person_active", args=[admin_user.pk]), {"active": "0"})
    assert demoted.status_code == 400 and gone.status_code == 400
    admin_user.refresh_from_db()
    assert admin_user.is_active and roles_of(admin_user) == ["Admin"]


def test_only_admins_see_people(client_for):
    for role in ("Operator", "Reviewer", "Auditor"):
        assert client_for(role).get(reverse("people")).status_code == 403


@pytest.mark.browser
def test_an_admin_adds_a_colleague_and_makes_them_a_reviewer_in_the_browser(
    transactional_db, signed_in_page, live_server
):
    page = signed_in_page("Admin", username="ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_label("Username").fill("nina")
    page.get_by_label("Role").select_option("Operator")
    page.get_by_label("First password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", name="nina")).to_be_visible()

    page.get_by_role("combobox", name="Role").select_option("Reviewer")
    page.get_by_role("button", name="Change role").click()
    expect(page.locator("#toasts")).to_contain_text("nina is now Reviewer.")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_test_id("access")).to_have_text("Deactivated")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("user.deactivated by ada")
    expect(history).to_contain_text("user.roles_changed by ada")
