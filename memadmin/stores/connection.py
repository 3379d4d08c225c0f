"""The Memory API connection as a person checks it: where, as whom, and does it answer.

Credentials come from the environment only. Pages see the API key SID masked to its
prefix and last four characters; the secret is never read out, only said to be set.
"""

import os
import time
from dataclasses import dataclass

from django.conf import settings

from memadmin.memory_api import MemoryApiClient, MemoryApiError, memory_api_client

CREDENTIAL_VARIABLES = (
    ("TWILIO_API_KEY_SID", "TWILIO_API_KEY_SECRET", "API key"),
    ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "Account SID and auth token"),
)


def masked(identifier: str) -> str:
    """`SKxx…0000`: the two-letter kind and the last four characters, nothing between."""
    if len(identifier) <= 8:
        return "…" + identifier[-2:] if identifier else ""
    return f"{identifier[:2]}…{identifier[-4:]}"


@dataclass(frozen=True)
class CredentialSummary:
    """What the settings page may show about the connection."""

    api_url: str
    using_emulator: bool
    username_masked: str
    secret_set: bool
    source: str
    configured: bool


def credential_summary() -> CredentialSummary:
    """Where memadmin connects and which credentials it uses, masked."""
    source = "memadmin's local emulator defaults (no credentials in the environment)"
    for user_variable, secret_variable, label in CREDENTIAL_VARIABLES:
        if os.environ.get(user_variable) and os.environ.get(secret_variable):
            source = f"{label} ({user_variable}, {secret_variable})"
            break
    return CredentialSummary(
        api_url=settings.MEMORY_API_URL,
        using_emulator=settings.MEMORY_API_URL == "emulator",
        username_masked=masked(settings.MEMORY_API_USERNAME),
        secret_set=bool(settings.MEMORY_API_PASSWORD),
        source=source,
        configured=settings.MEMORY_API_CREDENTIALS_CONFIGURED,
    )


@dataclass(frozen=True)
class ConnectionReport:
    """The answer to "can memadmin talk to Twilio?", in the terms a person asks it."""

    reachable: bool
    credentials_accepted: bool | None  # None: Twilio never got to say
    latency_ms: int | None
    store_count: int | None
    message: str
    status: int | None = None


def check_connection(*, client: MemoryApiClient | None = None) -> ConnectionReport:
    """Lists the account's stores once and reports reachability, latency and authentication."""
    owned = client is None
    client = client or _one_shot_client()
    started = time.monotonic()
    try:
        stores = client.list_stores()
    except MemoryApiError as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        reachable = exc.status is not None
        accepted = None if not reachable or exc.status >= 500 else exc.status != 401
        return ConnectionReport(
            reachable=reachable,
            credentials_accepted=accepted,
            latency_ms=elapsed if reachable else None,
            store_count=None,
            message=exc.user_message,
            status=exc.status,
        )
    finally:
        if owned and client is not memory_api_client():
            client.close()
    elapsed = round((time.monotonic() - started) * 1000)
    return ConnectionReport(
        reachable=True,
        credentials_accepted=True,
        latency_ms=elapsed,
        store_count=len(stores),
        message=f"Connected: Twilio accepted the credentials and lists {len(stores)} store(s).",
        status=200,
    )


def _one_shot_client() -> MemoryApiClient:
    """A client that tries once with short timeouts, so the check answers quickly."""
    if settings.MEMORY_API_URL == "emulator":
        return memory_api_client()  # in process: nothing to time out
    return MemoryApiClient(
        base_url=settings.MEMORY_API_URL,
        username=settings.MEMORY_API_USERNAME,
        password=settings.MEMORY_API_PASSWORD,
        connect_timeout=min(settings.MEMORY_API_CONNECT_TIMEOUT, 5.0),
        read_timeout=min(settings.MEMORY_API_READ_TIMEOUT, 10.0),
        max_attempts=1,
    )
