"""A group's revisions as its page lists them: one row each, with what the row shows worked
out once a page (its two links filled into patterns reversed once, how long ago it changed).

Read as plain values, not model instances: building 30 revisions and their authors as
models, and reversing two links a row, was most of a group page's cost.
"""

from dataclasses import dataclass

from django.urls import reverse

from memadmin.relative_time import ago
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision

# Any integer fits the routes' <int:pk>; this one cannot be mistaken for the rest of a path.
_PK_MARKER = 918273645


@dataclass(frozen=True)
class RevisionRow:
    pk: int
    kind: str  # as people read it: "Update"
    state: str
    state_label: str
    author: str
    updated_ago: str  # "just now", "5 minutes ago"
    page_url: str
    export_url: str


def revision_rows(trait_group: TraitGroup) -> list[RevisionRow]:
    """The group's revisions, newest first; drafts discarded before review (withdrawn,
    never submitted) are left out."""
    patterns: dict[str, str] = {}

    def url(name: str, pk: int) -> str:
        if name not in patterns:
            patterns[name] = reverse(name, args=[_PK_MARKER])
        return patterns[name].replace(str(_PK_MARKER), str(pk))

    Revision = TraitGroupRevision
    kinds, states = dict(Revision.Kind.choices), dict(Revision.State.choices)
    found = (
        trait_group.revisions.exclude(Revision.DISCARDED)
        .order_by("-created_at", "-pk")
        .values_list("pk", "kind", "state", "author__username", "updated_at")
    )
    return [
        RevisionRow(
            pk=pk,
            kind=kinds.get(kind, kind),
            state=state,
            state_label=states.get(state, state),
            author=author,
            updated_ago=ago(updated_at),
            page_url=url(Revision.page_url_name_in(state), pk),
            export_url=url("traitgroups:export", pk),
        )
        for pk, kind, state, author, updated_at in found
    ]
