"""Keeping secrets out of log lines, raised errors and audit events: one module for all.

It sits below every app (it imports nothing of memadmin), so the Memory API client,
the audit log and the logging filter share one list of what counts as a secret.
"""

import base64
import logging
import math
import re
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

REDACTED = "[redacted]"
# Shorter configured values would redact ordinary words; a real secret is never this short.
MIN_CONFIGURED_SECRET_LENGTH = 8
MIN_CREDENTIAL_LENGTH = 4
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

ErrorWithText = TypeVar("ErrorWithText", bound=Exception)


def known_secrets() -> list[str]:
    """The configured secrets worth hiding, read at call time (tests override settings)."""
    mail_options = settings.MAILERS.get("default", {}).get("OPTIONS", {})
    candidates = [
        settings.MEMORY_API_PASSWORD,
        settings.SECRET_KEY,
        mail_options.get("password", ""),
    ]
    return [secret for secret in candidates if len(secret or "") >= MIN_CONFIGURED_SECRET_LENGTH]


def redact(text: str) -> str:
    """`text` with every configured secret replaced by REDACTED."""
    for secret in known_secrets():
        text = text.replace(secret, REDACTED)
    return text


class RedactSecretsFilter(logging.Filter):
    """The logging filter on every handler (settings.LOGGING): no secret in any line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class Redactor:
    """Knows the secret forms of one set of Memory API credentials: password, Basic token.

    Anything that came from the network or from httpx passes through `scrub` before it is
    logged or raised, so even a server that echoes the Authorization header cannot leak it.
    """

    def __init__(self, *, username: str, password: str):
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        candidates = {password, token, f"{username}:{password}"}
        # Longest first, so a token containing the password is replaced whole.
        self._secrets = sorted(
            (s for s in candidates if len(s) >= MIN_CREDENTIAL_LENGTH), key=len, reverse=True
        )

    def __repr__(self) -> str:
        return "Redactor([redacted])"

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def scrub_error(self, error: ErrorWithText) -> ErrorWithText:
        """The same MemoryApiError with every text field scrubbed; the exit for raised errors."""
        error.message = self.scrub(error.message)
        error.user_message = self.scrub(error.user_message)
        if error.more_info is not None:
            error.more_info = self.scrub(error.more_info)
        error.args = (error.user_message,)
        return error


def display_url(url: str) -> str:
    """A URL fit for a message: any user:password@ part dropped."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"{REDACTED}@{host}", parts.path, parts.query, ""))


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
