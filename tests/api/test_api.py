"""The HTTP API: a token opens it with its role's permissions; proposing is its only write."""

import pytest
from django.urls import reverse

from memadmin.api import tokens
from memadmin.api.models import ApiToken
from memadmin.audit.models import AuditEvent
from memadmin.operations.models import Operation
from memadmin.traitgroups.models import TraitGroupRevision

NEW_TRAIT = "  loyaltyTier:\n    dataType: STRING\n"


@pytest.fixture
def token_for(make_user):
    """Call with a role: a user holding it and the secret of a token acting as it."""

    def make(role: str, *, username: str | None = None) -> str:
        user = make_user(role, username=username or f"{role.lower()}-with-token")
        _, secret = tokens.create_token(user=user, label=f"CI ({role})", role=role)
        return secret

    return make


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def contact_file(client, secret: str) -> str:
    response = client.get("/api/stores/sandbox/groups/Contact/file/", headers=bearer(secret))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Contact.yaml"'
    return response.content.decode()


def edited_files(client, secret: str) -> list[dict]:
    text = contact_file(client, secret).replace("  phone:\n", NEW_TRAIT + "  phone:\n")
    return [{"name": "Contact.yaml", "content": text}]


def test_an_operator_token_lists_plans_and_proposes(client, token_for):
    secret = token_for("Operator")
    stores = client.get("/api/stores/", headers=bearer(secret)).json()["stores"]
    assert sorted(s["displayName"] for s in stores) == ["production", "sandbox"]
    groups = client.get("/api/stores/sandbox/groups/", headers=bearer(secret)).json()["groups"]
    assert [g["name"] for g in groups] == ["Contact"]

    files = edited_files(client, secret)
    plan = client.post(
        "/api/stores/sandbox/plan/", {"files": files}, "application/json", headers=bearer(secret)
    )
    assert plan.status_code == 200
    assert plan.json()["groups"][0]["added"] == ["loyaltyTier"]

    proposed = client.post(
        "/api/stores/sandbox/proposals/",
        {"files": files, "message": "From the pipeline"},
        "application/json",
        headers=bearer(secret),
    )
    assert proposed.status_code == 201
    (proposal,) = proposed.json()["proposals"]
    assert proposal["reviewUrl"] == f"http://testserver/reviews/{proposal['review']}/"
    state = client.get(f"/api/reviews/{proposal['review']}/", headers=bearer(secret)).json()
    assert state["state"] == "in_review" and state["phase"] == "waiting"
    assert not Operation.objects.exists()

    token = ApiToken.objects.get()
    event = AuditEvent.objects.get(action="schemafiles.proposed")
    assert f"API token 'CI (Operator)' ({token.prefix})" in event.detail
    assert secret not in event.detail and secret.split("_")[2] not in str(event.after)


def test_an_invalid_file_is_a_422_naming_file_line_and_reason(client, token_for, store_id):
    secret = token_for("Operator")
    text = f"formatVersion: 1\nstore: {store_id}\ndisplayName: Bad Name\ntraits: {{}}\n"
    response = client.post(
        "/api/stores/sandbox/plan/",
        {"files": [{"name": "bad.yaml", "content": text}]},
        "application/json",
        headers=bearer(secret),
    )
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem["file"] == "bad.yaml" and problem["line"] == 3
    assert "Use only letters" in problem["message"]


@pytest.mark.parametrize("role", ["Reviewer", "Auditor"])
def test_only_an_operator_token_may_propose(client, token_for, role):
    operator_secret = token_for("Operator")
    files = edited_files(client, operator_secret)
    response = client.post(
        "/api/stores/sandbox/proposals/",
        {"files": files},
        "application/json",
        headers=bearer(token_for(role)),
    )
    assert response.status_code == 403
    assert not TraitGroupRevision.objects.exists()


def test_an_admins_operator_token_cannot_do_what_an_operator_cannot(client, make_user, token_for):
    # The token acts as its role, not as everything its owner may do.
    admin = make_user("Admin", username="ada")
    _, secret = tokens.create_token(user=admin, label="CI", role="Admin")
    operator_secret = token_for("Operator")
    proposed = client.post(
        "/api/stores/sandbox/proposals/",
        {"files": edited_files(client, operator_secret)},
        "application/json",
        headers=bearer(operator_secret),
    ).json()["proposals"][0]
    revision = TraitGroupRevision.objects.get(pk=proposed["review"])
    holder = tokens.authenticate(operator_secret, request=_request())
    assert holder.has_perm("traitgroups.submit_for_review")
    assert not holder.has_perm("traitgroups.review_revision")
    assert not holder.has_perm("traitgroups.publish_revision")
    assert tokens.authenticate(secret, request=_request()).has_perm("audit.view_auditevent")
    assert revision.state == TraitGroupRevision.State.IN_REVIEW


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/api/stores/")


def test_the_api_has_no_approve_or_publish_and_propose_is_its_only_write(client, operator):
    client.force_login(operator)
    paths = client.get("/api/openapi.json").json()["paths"]
    posts = {path for path, operations in paths.items() for method in operations if method != "get"}
    # Plan is a POST because it carries files, but it only reads.
    assert posts == {"/api/stores/{store}/plan/", "/api/stores/{store}/proposals/"}
    assert not any(word in path for path in paths for word in ("approve", "publish"))


def test_an_operator_token_cannot_approve_or_publish_through_the_api(client, token_for, make_user):
    secret = token_for("Operator")
    client.post(
        "/api/stores/sandbox/proposals/",
        {"files": edited_files(client, secret)},
        "application/json",
        headers=bearer(secret),
    )
    revision = TraitGroupRevision.objects.get()
    for url in (
        reverse("reviews:approve", args=[revision.pk]),
        reverse("reviews:publish", args=[revision.pk]),
        f"/api/reviews/{revision.pk}/approve/",
        f"/api/reviews/{revision.pk}/publish/",
    ):
        response = client.post(url, headers=bearer(secret))
        assert response.status_code in (302, 404, 405), url  # sign-in page or no such door
    revision.refresh_from_db()
    assert revision.state == TraitGroupRevision.State.IN_REVIEW
    assert not revision.reviews.exists()


def test_a_revoked_token_is_refused_and_the_refusal_audited(client, token_for):
    secret = token_for("Operator")
    token = ApiToken.objects.get()
    assert client.get("/api/stores/", headers=bearer(secret)).status_code == 200
    tokens.revoke_token(token=token, actor=token.user)

    response = client.get("/api/stores/", headers=bearer(secret))
    client.get("/api/stores/", headers=bearer(secret))  # a retrying pipeline: audited once

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token was revoked."
    refused = AuditEvent.objects.get(action="api.token_refused")
    assert token.prefix in refused.detail and secret not in refused.detail


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer mma_nothere_xyz", "Basic dXNlcjpwYXNz", "Bearer not-a-token"],
)
def test_no_token_or_a_wrong_one_is_a_401(client, db, header):
    headers = {"Authorization": header} if header else {}
    assert client.get("/api/stores/", headers=headers).status_code == 401


def test_a_token_with_a_wrong_secret_is_refused(client, token_for):
    secret = token_for("Operator")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert client.get("/api/stores/", headers=bearer(forged)).status_code == 401


def test_each_token_has_its_own_rate_limit(client, token_for, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    first, second = token_for("Operator"), token_for("Auditor")
    statuses = [client.get("/api/stores/", headers=bearer(first)).status_code for _ in range(4)]

    assert statuses[:3] == [200, 200, 200]
    limited = client.get("/api/stores/", headers=bearer(first))
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["detail"]
    assert client.get("/api/stores/", headers=bearer(second)).status_code == 200


def test_a_body_over_the_limit_is_a_413_and_a_malformed_one_a_400(client, token_for, settings):
    settings.API_MAX_BODY_BYTES = 2048
    secret = token_for("Operator")
    big = {"files": [{"name": "Contact.yaml", "content": "x" * 4096}]}

    too_big = client.post(
        "/api/stores/sandbox/plan/", big, "application/json", headers=bearer(secret)
    )
    assert too_big.status_code == 413
    assert "larger than 2,048 bytes" in too_big.json()["detail"]

    broken = client.post(
        "/api/stores/sandbox/plan/", "{not json", "application/json", headers=bearer(secret)
    )
    assert broken.status_code == 400
    wrong_name = client.post(
        "/api/stores/sandbox/plan/",
        {"files": [{"name": "../etc/passwd", "content": ""}]},
        "application/json",
        headers=bearer(secret),
    )
    assert wrong_name.status_code == 400


def test_an_unknown_store_or_group_is_a_404(client, token_for):
    secret = token_for("Auditor")
    assert client.get("/api/stores/nowhere/groups/", headers=bearer(secret)).status_code == 404
    missing = client.get("/api/stores/sandbox/groups/Nope/file/", headers=bearer(secret))
    assert missing.status_code == 404


def test_the_api_ignores_a_session_cookie(client, operator):
    client.force_login(operator)
    assert client.get("/api/stores/").status_code == 401


def test_the_openapi_document_describes_the_api_for_signed_in_people(client, operator):
    assert client.get("/api/openapi.json").status_code == 302
    client.force_login(operator)
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "memadmin API"
    assert "/api/stores/{store}/proposals/" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
