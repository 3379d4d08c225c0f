"""Keeps the Memory API credentials out of exceptions and log lines.

Anything that came from the network or from httpx (an error message, a URL, an
exception's text) passes through `Redactor.scrub` before it is logged or raised, so even
a server that echoes the Authorization header back cannot leak it into memadmin's logs.
"""

import base64
from urllib.parse import urlsplit, urlunsplit

from memadmin.memory_api.errors import MemoryApiError

REDACTED = "[redacted]"
# Shorter values would redact ordinary words; a real secret is never this short.
MIN_SECRET_LENGTH = 4


class Redactor:
    """Knows the secret forms of one set of credentials: the password and the Basic token."""

    def __init__(self, *, username: str, password: str):
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        candidates = {password, token, f"{username}:{password}"}
        # Longest first, so a token containing the password is replaced whole.
        self._secrets = sorted(
            (s for s in candidates if len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True
        )

    def __repr__(self) -> str:
        return "Redactor([redacted])"

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def scrub_error(self, error: MemoryApiError) -> MemoryApiError:
        """The same error with every text field scrubbed; the single exit for raised errors."""
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
