"""How long a rendered fragment keyed by its content is cached: one rule for every page."""

from django.conf import settings

# Keys name everything a fragment shows (a hash, a digest, every field), so an entry is
# never stale, only unused; an hour bounds what unused entries hold.
FRAGMENT_CACHE_SECONDS = 3600


def fragment_cache_seconds() -> int:
    """Not at all while templates are being edited (DEBUG): a cached fragment would hide
    the edit."""
    return 0 if settings.DEBUG else FRAGMENT_CACHE_SECONDS
