"""The three ways out: e-mail (Django's mail framework), Apprise, and a signed JSON webhook.

Each sender raises `SendFailed` with a reason a person can read and that holds no secret:
URLs carry tokens, so reasons are built here, never copied from a library's exception
text without the URL's parts blotted out.
"""

import functools
import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.mail import EmailMessage

from memadmin.notifications import messages
from memadmin.notifications.messages import Markup

SIGNATURE_HEADER = "X-Memadmin-Signature"
# Services that render Markdown although Apprise sends them plain text by default.
MARKDOWN_ANYWAY = frozenset({"discord"})
_URL_PARTS = re.compile(r"[/:@?&=#,;]+")
BLOT = "••••"


def _apprise():
    """Apprise, imported on first use: loading it and its plugins takes seconds, which no
    page but the destinations page and no process but the worker should pay for."""
    import apprise

    return apprise


class SendFailed(Exception):
    """A message did not go out; the text says why and is safe to show and store."""


def send_email(*, to: str, subject: str, body: str) -> None:
    """One plain-text e-mail through the configured backend (SMTP or the console)."""
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send()
    except Exception as exc:  # smtplib, socket and ssl errors all mean "not sent"
        reason = f"E-mail not sent: {type(exc).__name__}: {exc}"
        password = settings.MAILERS["default"].get("OPTIONS", {}).get("password")
        if password:
            reason = reason.replace(password, BLOT)
        raise SendFailed(reason[:400]) from None


def send_apprise(*, url: str, notification) -> None:
    """The message through Apprise, in the markup the service renders."""
    apprise = _apprise()
    service = apprise.Apprise.instantiate(url)
    if service is None:
        raise SendFailed("Apprise does not recognise this destination's URL.")
    markup = markup_for(service)
    sender = apprise.Apprise()
    sender.add(service)
    result = sender.notify(
        body=messages.render_body(notification, markup),
        title="memadmin",
        body_format=markup.value,
    )
    if not result:
        problems = [
            entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")
        ] or ["the service refused the message"]
        raise SendFailed(redact(f"Apprise: {problems[-1]}", url)[:400])


def markup_for(service) -> Markup:
    """The markup a service renders: its preferred format, Markdown where it renders it anyway."""
    formats = service.notify_format
    formats = formats if isinstance(formats, tuple) else (formats,)
    preferred = str(formats[0].value if hasattr(formats[0], "value") else formats[0])
    schemes = service.secure_protocol or service.protocol or ()
    schemes = (schemes,) if isinstance(schemes, str) else schemes
    if preferred == "text" and MARKDOWN_ANYWAY & set(schemes):
        return Markup.MARKDOWN
    return Markup(preferred) if preferred in Markup._value2member_map_ else Markup.TEXT


def signature(secret: str, body: bytes) -> str:
    """The value of X-Memadmin-Signature: HMAC-SHA256 of the raw body, hex, with its scheme."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(*, url: str, secret: str, notification, delivery_id: int, sent_at: str) -> None:
    """POSTs the event as JSON, signed so the receiver can tell it came from memadmin."""
    payload = messages.webhook_payload(notification, delivery_id=delivery_id, sent_at=sent_at)
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "memadmin-notifications",
        "X-Memadmin-Event": notification.kind,
        "X-Memadmin-Delivery": str(delivery_id),
        SIGNATURE_HEADER: signature(secret, body),
    }
    try:
        response = httpx.post(
            url, content=body, headers=headers, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise SendFailed(f"Webhook not reached: {type(exc).__name__}") from None
    if not response.is_success:
        raise SendFailed(f"Webhook answered HTTP {response.status_code}")


def recognised(url: str) -> bool:
    """Whether Apprise knows what service this URL is for."""
    return _apprise().Apprise.instantiate(url) is not None


@functools.lru_cache(maxsize=64)
def mask_url(url: str) -> str:
    """A form of the URL that tells destinations apart without revealing their tokens."""
    apprise = _apprise()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        service = apprise.Apprise.instantiate(url)
        if service is not None and type(service).__name__ != "NotifyJSON":
            return _private(service)
        return f"{parts.scheme}://{parts.hostname or ''}/{BLOT}"
    service = apprise.Apprise.instantiate(url)
    if service is None:
        return f"{parts.scheme}://{BLOT}"
    return _private(service)


def _private(service) -> str:
    """Apprise's own privacy form (first and last character of each token), no options."""
    return service.url(privacy=True).split("?", 1)[0][:300]


def redact(text: str, url: str) -> str:
    """`text` with every longer piece of `url` blotted out (tokens hide in paths and hosts)."""
    for piece in sorted(_URL_PARTS.split(url), key=len, reverse=True):
        if len(piece) >= 6:
            text = text.replace(piece, BLOT)
    return text
