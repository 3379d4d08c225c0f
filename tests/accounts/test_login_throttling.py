"""Repeated wrong passwords lock sign-in for that username and address for a while."""

from django.conf import settings


def test_five_wrong_passwords_lock_the_account_out_with_a_friendly_page(client, operator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "operator", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "operator", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_a_lockout_for_one_user_does_not_lock_out_another(client, make_user):
    make_user("Operator", username="olga")
    make_user("Reviewer", username="rita")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "olga", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "rita", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
