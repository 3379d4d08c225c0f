"""Chat and webhook destinations: the Admin's (in the database) and NOTIFY_APPRISE_URLS.

A configured URL never leaves the environment: deliveries name it by a fingerprint.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings

from memadmin.notifications import channels


@dataclass(frozen=True)
class ConfiguredDestination:
    """One URL of NOTIFY_APPRISE_URLS, as pages may show it."""

    key: str
    masked_url: str


def fingerprint(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def configured_destinations() -> list[ConfiguredDestination]:
    """The destinations from the environment, masked, in the order they were given."""
    return [
        ConfiguredDestination(fingerprint(url), channels.mask_url(url))
        for url in settings.NOTIFY_APPRISE_URLS
    ]


def configured_url(key: str) -> str | None:
    """The URL behind a fingerprint, if it is still configured."""
    return next((url for url in settings.NOTIFY_APPRISE_URLS if fingerprint(url) == key), None)
