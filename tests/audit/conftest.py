"""Fixtures for the audit tests: a quick way to append events."""

import pytest

from memadmin.audit import services


@pytest.fixture
def append(db):
    """append("traitgroup.submitted", store_id="MS1", ...) records one event."""

    def append_event(action: str = "traitgroup.submitted", **fields):
        return services.record(action=action, **fields)

    return append_event


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are created per test; the production hasher would spend seconds on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
