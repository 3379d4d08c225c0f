"""No secret reaches the audit log: secret-looking keys at any depth, known secrets anywhere."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memadmin.audit.models import AuditEvent
from memadmin.redaction import clean_json, is_secret_key

SECRET_KEYS = ["password", "client_secret", "X-Auth-Token", "Authorization", "api_key", "apiKey"]


def test_secret_looking_keys_are_redacted_at_any_depth(append):
    event = append(
        before={"password": "hunter2", "name": "Loyalty"},
        after={
            "name": "Loyalty",
            "client": {"auth_token": "tok-1", "headers": [{"Authorization": "Basic abc"}]},
            "settings": {"nested": {"deeper": {"api_key": "k-9", "ApiKey": "k-10"}}},
        },
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == {"password": "[redacted]", "name": "Loyalty"}
    assert stored.after["client"]["auth_token"] == "[redacted]"
    assert stored.after["client"]["headers"] == [{"Authorization": "[redacted]"}]
    assert stored.after["settings"]["nested"]["deeper"] == {
        "api_key": "[redacted]",
        "ApiKey": "[redacted]",
    }
    for secret in ("hunter2", "tok-1", "Basic abc", "k-9", "k-10"):
        assert secret not in json.dumps([stored.before, stored.after])


def test_configured_secrets_are_scrubbed_from_every_string(append, settings):
    settings.MEMORY_API_PASSWORD = "s3cr3t-memory-api-password"
    event = append(
        detail="Twilio said: bad credentials s3cr3t-memory-api-password",
        target_label="label s3cr3t-memory-api-password",
        after={"note": ["echo s3cr3t-memory-api-password"]},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    dumped = json.dumps([stored.detail, stored.target_label, stored.after])
    assert "s3cr3t-memory-api-password" not in dumped
    assert stored.detail == "Twilio said: bad credentials [redacted]"


def test_ordinary_trait_names_are_kept():
    kept = ["displayName", "tier", "passengerCount", "compass", "email", "description"]
    assert [name for name in kept if is_secret_key(name)] == []
    assert all(is_secret_key(name) for name in SECRET_KEYS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["a", "name", "traits", *SECRET_KEYS]) | st.text(), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def _secret_values(value, *, names: bool = False) -> list:
    """Every value found under a secret-looking key (a trait's definition is not a value)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_key(key) and not (names and isinstance(item, dict)):
                found.append(item)
            else:
                found.extend(_secret_values(item, names=key == "traits" and not names))
    elif isinstance(value, list):
        for item in value:
            found.extend(_secret_values(item))
    return found


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_whatever_the_document_nothing_under_a_secret_key_survives(document):
    cleaned = clean_json(document)
    assert all(value == "[redacted]" for value in _secret_values(cleaned))
    json.dumps(cleaned, allow_nan=False)  # always storable as JSON, on every database
