"""A logging filter that keeps Memory API credentials out of every log line."""

import logging

from django.conf import settings

REDACTED = "[redacted]"


def known_secrets() -> list[str]:
    """The configured secrets worth hiding; short values would redact ordinary words."""
    candidates = [
        getattr(settings, "MEMORY_API_PASSWORD", ""),
        getattr(settings, "SECRET_KEY", ""),
        getattr(settings, "MAILERS", {}).get("default", {}).get("OPTIONS", {}).get("password", ""),
    ]
    return [secret for secret in candidates if secret and len(secret) >= 8]


def redact(text: str) -> str:
    for secret in known_secrets():
        text = text.replace(secret, REDACTED)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
