"""Fixtures for the audit tests: a quick way to append events."""

import pytest

from memadmin.audit import services


@pytest.fixture
def append(db):
    """append("traitgroup.submitted", store_id="MS1", ...) records one event."""

    def append_event(action: str = "traitgroup.submitted", **fields):
        return services.record(action=action, **fields)

    return append_event
