"""Every page requires a signed-in user, except the login page and the health check."""

import pytest

from tests.url_inventory import PUBLIC_URL_NAMES, all_urls, is_token_authenticated

PRIVATE_URLS = [
    (name, path)
    for name, path in all_urls()
    if name not in PUBLIC_URL_NAMES and not is_token_authenticated(name)
]
TOKEN_URLS = [(name, path) for name, path in all_urls() if is_token_authenticated(name)]


def test_the_sweep_sees_the_project_urls():
    names = {name for name, _ in all_urls()}
    assert {"home", "login", "logout", "healthz"} <= names


@pytest.mark.parametrize(("name", "path"), PRIVATE_URLS, ids=[n for n, _ in PRIVATE_URLS])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name, path):
    response = client.get(path)
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "path"), TOKEN_URLS, ids=[n for n, _ in TOKEN_URLS])
def test_api_calls_without_a_token_are_refused_not_redirected(client, db, name, path):
    response = client.get(path)
    assert response.status_code in (401, 405), f"{name} ({path}) answered {response.status_code}"


def test_login_page_is_public(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Sign in to memadmin" in response.content


def test_demo_style_sign_in_reaches_the_home_page(client, operator):
    response = client.post(
        "/accounts/login/", {"username": "operator", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    home = client.get(response.url)
    assert home.status_code == 200
    assert b"Welcome, operator" in home.content


def test_wrong_password_is_refused_with_a_message(client, operator):
    response = client.post("/accounts/login/", {"username": "operator", "password": "nope"})
    assert response.status_code == 200
    assert b"enter a correct username and password" in response.content
    assert b'aria-invalid="true"' in response.content
