"""Fixtures shared by every test module: users by role, signed-in clients, a browser."""

import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from memadmin.accounts import services as account_services
from memadmin.accounts.roles import ROLES
from memadmin.emulator.embedded import reset_embedded_emulator
from memadmin.memory_api import reset_memory_api_client

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# the ORM calls that fixtures make next to it. Each test still runs its queries synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# In CI, property tests are derandomized: the same examples every run, so a red build is
# a real regression, never luck. Failures found so far are kept as explicit @example cases.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("dev")
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def isolated_world():
    """Every test starts with a seeded emulator, a new API client and an empty cache.

    All three live for the whole process; without this, what one test created in the
    emulator or cached would leak into the next, and the order of tests would matter.
    """
    reset_embedded_emulator()
    reset_memory_api_client()
    cache.clear()
    yield
    reset_embedded_emulator()
    reset_memory_api_client()
    cache.clear()


def _commits_to_the_database(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(request.fixturenames)) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )


@pytest.fixture(autouse=True)
def empty_audit_log_after_committing_tests(request):
    """Tests that commit are cleaned up by Django's flush, which refuses a non-empty audit
    log (it is append-only); so their events go first, with the triggers stepping aside."""
    if not _commits_to_the_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after us
    yield
    from django.db import connection

    from memadmin.audit.triggers import empty_audit_tables

    empty_audit_tables(connection)


@pytest.fixture(autouse=True)
def commit_hooks_run_when_the_code_commits(request, monkeypatch):
    """`transaction.on_commit` callbacks run when the code's own outermost atomic block
    ends, as they would in production, though the test's wrapping transaction never commits.

    Without this, everything memadmin does after commit (a finished operation settling its
    revision) would silently not happen in tests that roll back.
    """
    if _commits_to_the_database(request):
        yield
        return
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_the_test_is_open(connection) -> bool:
        return all(block._from_testcase for block in connection.atomic_blocks)

    def run_pending(connection) -> None:
        # As Django does on commit: the callbacks waiting now, in order; any they register
        # in turn run when their own atomic block ends.
        while connection.run_on_commit and only_the_test_is_open(connection):
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, callback, _robust in pending:
                callback()

    original_on_commit, original_exit = BaseDatabaseWrapper.on_commit, transaction.Atomic.__exit__

    def on_commit(connection, func, robust=False):
        original_on_commit(connection, func, robust)
        run_pending(connection)

    def exit_atomic(atomic, exc_type, exc_value, traceback):
        original_exit(atomic, exc_type, exc_value, traceback)
        run_pending(transaction.get_connection(atomic.using))

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_atomic)
    yield


@pytest.fixture
def make_user(db):
    """Creates a user holding one role (or none): make_user("Operator", username="olga")."""

    def make(role: str | None = None, *, username: str | None = None, password: str = PASSWORD):
        name = username or (role or "norole").lower()
        if role is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create_user(username=name, password=password)
            return user
        return account_services.create_user_with_role(username=name, password=password, role=role)

    return make


@pytest.fixture
def operator(make_user):
    return make_user("Operator")


@pytest.fixture
def reviewer(make_user):
    return make_user("Reviewer")


@pytest.fixture
def auditor(make_user):
    return make_user("Auditor")


@pytest.fixture
def admin_user(make_user):
    return make_user("Admin", username="admin")


@pytest.fixture
def client_for(client, make_user):
    """A test client signed in as a fresh user with the given role."""

    def sign_in(role: str | None):
        user = make_user(role)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture(params=ROLES)
def any_role(request):
    return request.param


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: run `make chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Chromium reports every Content-Security-Policy refusal as a console error, in several
# wordings ("Refused to apply inline style…", "Applying inline style violates…").
CSP_CONSOLE_WORDS = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture
def page(browser):
    """A fresh chromium page; the test fails if any page of its context broke the CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations: list[str] = []
    context.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if any(words in message.text for words in CSP_CONSOLE_WORDS)
            else None
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations in the console:\n" + "\n".join(violations))


@pytest.fixture
def signed_in_page(page, live_server, make_user):
    """A browser page signed in through the real login form; call with a role."""

    def sign_in(role: str = "Operator", *, username: str | None = None):
        user = make_user(role, username=username)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in
