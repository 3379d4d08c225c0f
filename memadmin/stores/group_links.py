"""The links of a store's group list, reversed once per page instead of three times a row."""

import re
from collections.abc import Iterable

from django.urls import reverse

from memadmin.traitgroups.models import TraitGroup

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


def add_group_links(store_id: str, groups: Iterable[TraitGroup]) -> None:
    """Set `detail_url`, `drift_url` and `edit_url` on each group of one store.

    Reversing 150 URLs was a fifth of the 50-group page's cost; filling a name into three
    patterns reversed once costs next to nothing.
    """
    patterns = {attr: reverse(name, args=[store_id, _MARKER]) for attr, name in LINKS.items()}
    for group in groups:
        plain = _PLAIN_NAME.fullmatch(group.name) and group.name.strip(".")
        for attr, pattern in patterns.items():
            if plain:
                url = pattern.replace(_MARKER, group.name)
            else:
                url = reverse(LINKS[attr], args=[store_id, group.name])
            setattr(group, attr, url)
