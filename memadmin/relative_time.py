"""How long ago something happened, as every page says it: "just now", "5 minutes ago".

Django's `timesince` says "0 minutes" for anything under a minute, and pages appended
" ago" to it; one function keeps its wording for the rest and says "just now" instead.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.timesince import timesince

# Below this, `timesince` has nothing to count: it would say "0 minutes".
JUST_NOW = timedelta(minutes=1)


def ago(value: datetime, now: datetime | None = None) -> str:
    """Under a minute (or a little ahead of this server's clock), "just now"; after that,
    Django's wording: "1 minute ago", "2 hours, 3 minutes ago"."""
    now = now or timezone.now()
    if now - value < JUST_NOW:
        return "just now"
    return f"{timesince(value, now)} ago"
