"""The API tokens page: a person makes a token for one of their roles, sees it once, revokes it."""

import hashlib
import re

from django.urls import reverse

from memadmin.api.models import ApiToken
from memadmin.audit.models import AuditEvent

TOKEN = re.compile(r"mma_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def test_a_new_token_is_shown_once_and_stored_only_as_a_fingerprint(client, operator):
    client.force_login(operator)
    page = client.post(reverse("apitokens:index"), {"label": "CI", "role": "Operator"})

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    (secret,) = TOKEN.findall(page.content.decode())
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    again = client.get(reverse("apitokens:index")).content.decode()
    assert secret not in again and f"mma_{token.prefix}_…" in again
    event = AuditEvent.objects.get(action="api.token_created")
    assert token.prefix in event.detail and secret not in event.detail


def test_a_token_can_only_take_a_role_its_owner_holds(client, operator):
    client.force_login(operator)
    page = client.post(reverse("apitokens:index"), {"label": "CI", "role": "Admin"})
    assert page.status_code == 400
    assert "Admin is not one of the available choices" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_nobody_else_can(client, operator, make_user):
    client.force_login(operator)
    client.post(reverse("apitokens:index"), {"label": "CI", "role": "Operator"})
    token = ApiToken.objects.get()

    client.force_login(make_user("Operator", username="someone-else"))
    assert client.post(reverse("apitokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.is_active

    client.force_login(operator)
    response = client.post(reverse("apitokens:revoke", args=[token.pk]), follow=True)
    token.refresh_from_db()
    assert not token.is_active
    assert "no longer opens the API" in response.content.decode()
    assert AuditEvent.objects.filter(action="api.token_revoked").count() == 1


def test_the_tokens_page_is_in_the_navigation(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("apitokens:index")}"' in page
