"""Keeping secrets out of audit events, and JSON in a shape every database stores verbatim."""

import math
import re

from django.core.serializers.json import DjangoJSONEncoder

from memadmin.web.logging import REDACTED, redact

# Key names that hold credentials, matched anywhere in a key: "password", "X-Auth-Token",
# "twilio_api_key", "client_secret", "Authorization", "session_cookie"...
SECRET_KEY_PATTERN = re.compile(
    r"passw(or)?d|passphrase|^pass$|secret|token|authori[sz]ation|api[-_ ]?key"
    r"|private[-_ ]?key|credential|cookie|session[-_ ]?id|csrf",
    re.IGNORECASE,
)
# Under these keys, keys are names that people chose (trait names), not credentials: a trait
# called "apiKey" is a schema definition auditors must see, and holds no secret value.
NAME_MAPPING_KEYS = frozenset({"traits"})
# Above 1e16 Python writes integral floats in exponent form, which PostgreSQL's jsonb
# gives back as an integer; writing them as integers up front keeps the hash stable.
EXPONENT_FORM_FLOAT = 1e16


def is_secret_key(key: str) -> bool:
    return bool(SECRET_KEY_PATTERN.search(key))


def clean_text(text: str) -> str:
    """Configured secrets scrubbed; NUL removed (PostgreSQL refuses it in text and jsonb)."""
    return redact(text).replace("\x00", "")


def clean_json(value, *, names: bool = False):
    """A JSON-safe copy of value: secret-looking keys redacted at any depth, strings cleaned.

    `names` says the keys of this mapping are trait names: their definitions are kept.
    """
    if isinstance(value, dict):
        return {
            clean_text(str(key)): (
                REDACTED
                if is_secret_key(str(key)) and not (names and isinstance(item, dict))
                else clean_json(item, names=str(key) in NAME_MAPPING_KEYS and not names)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_json(item) for item in value]
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) >= EXPONENT_FORM_FLOAT:
            return int(value)
        if value == 0:
            return 0.0  # jsonb has no negative zero: -0.0 would come back as 0.0
        return value
    # Dates, decimals, UUIDs, lazy strings: the way Django's JSON encoder writes them.
    try:
        encoded = DjangoJSONEncoder().default(value)
    except TypeError:
        encoded = str(value)
    return clean_json(encoded)
