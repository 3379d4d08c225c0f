"""What each row of a store's group list shows beyond its group's fields, worked out once a
page where it can be: three links, reversed once instead of three times a row, and how
long ago each group was synced, once per distinct time (a sync stamps its groups alike);
and one key naming everything the rows show, under which they are rendered once."""

import hashlib
import re
from collections.abc import Iterable

from django.urls import reverse

from memadmin.relative_time import ago
from memadmin.stores.selectors import LiveGroupRow

# Names made only of these are unreserved in a URL: dropped into a reversed path as they
# are, they give exactly what reverse() would. Anything else (and "." or "..", which
# reverse() escapes) is reversed the slow way.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-~]+")
_MARKER = "__group_name__"
LINKS = {
    "detail_url": "traitgroups:detail",
    "drift_url": "stores:drift",
    "edit_url": "traitgroups:edit",
}


def add_row_details(store_id: str, groups: Iterable[LiveGroupRow]) -> None:
    """Set `detail_url`, `drift_url`, `edit_url` and `synced_ago` on each group of one store.

    Reversing 150 URLs was a fifth of the 50-group page's cost, and `timesince` (lazy
    translations, a dozen calls a row) much of the rest; filling a name into three
    patterns reversed once, and one `ago` per sync time, cost next to nothing.
    """
    patterns = {attr: reverse(name, args=[store_id, _MARKER]) for attr, name in LINKS.items()}
    said: dict = {}  # "just now", "5 minutes ago", by sync time
    for group in groups:
        if group.live_synced_at and group.live_synced_at not in said:
            said[group.live_synced_at] = ago(group.live_synced_at)
        group.synced_ago = said.get(group.live_synced_at, "")
        plain = _PLAIN_NAME.fullmatch(group.name) and group.name.strip(".")
        for attr, pattern in patterns.items():
            if plain:
                url = pattern.replace(_MARKER, group.name)
            else:
                url = reverse(LINKS[attr], args=[store_id, group.name])
            setattr(group, attr, url)


def rows_key(groups: Iterable[LiveGroupRow]) -> str:
    """A name for everything the rows of `groups` show (after `add_row_details`), so that
    the whole table body is one cache entry, found in one lookup: a group's new version,
    description, state or sync time is a new key, never a stale row.

    What the rows show and nothing else: who may edit is the page's to add to the key.
    A column added to the table must add what it shows here.
    """
    shown = [
        (
            group.name,
            group.detail_url,
            group.drift_url,
            group.edit_url,
            # Description, traits, drift and whether memadmin published it: all from these.
            group.live_text,
            group.published_text,
            group.live_version,
            group.deleted_in_twilio,
            group.live_synced_at and group.live_synced_at.isoformat(),
            # The words, not only the time: rows cached while they said "just now" must
            # not be found a minute later, when they say "1 minute ago".
            group.synced_ago,
        )
        for group in groups
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()
