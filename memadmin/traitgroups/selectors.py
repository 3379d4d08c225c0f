"""Reads about trait groups and revisions, for pages and for the validator.

Twilio answers are cached briefly in Django's cache: live validation runs per keystroke
and must never wait for the network.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject

from memadmin.content_memo import RecentByContent
from memadmin.fragment_cache import fragment_cache_seconds
from memadmin.memory_api import MemoryApiError, memory_api_client
from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import validation
from memadmin.traitgroups.builder.state import draft_from_definition
from memadmin.traitgroups.diff import DefinitionDiff, diff_definitions
from memadmin.traitgroups.digests import content_digest, pair_digest
from memadmin.traitgroups.issues import Issue
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.validation import ValidationContext

ID_TYPES_CACHE_SECONDS = 300
NAMES_CACHE_SECONDS = 5


def definition_diff(
    old: dict | None, new: dict, *, old_digest: str = "", new_digest: str = ""
) -> tuple[DefinitionDiff, str]:
    """The diff of two definitions and the digest of both, which names it in the cache.

    A diff depends on nothing but the two definitions (no user, no permission), so one
    computed for anybody serves everybody: the review page's diff tables and the impact
    assessment of the same two definitions share it. A side's digest, when the caller
    has it (a revision keeps its definitions'), saves writing that side out to hash it.
    """
    digest = diff_digest(old, new, old_digest=old_digest, new_digest=new_digest)
    return diff_named(digest, old, new), digest


def lazy_definition_diff(
    read_old: Callable[[], dict | None], new: dict, *, old_digest: str, new_digest: str
) -> tuple[DefinitionDiff, str]:
    """As `definition_diff`, for an old side known by its digest: the diff is worked out
    (and `read_old` called) only when first used, which a table cached under the digest
    never needs."""
    digest = diff_digest(None, None, old_digest=old_digest, new_digest=new_digest)
    diff = SimpleLazyObject(lambda: diff_named(digest, read_old(), new))
    return diff, digest


def diff_named(digest: str, old: dict | None, new: dict) -> DefinitionDiff:
    """The diff of `old` and `new`, whose `diff_digest` is `digest`: from this process's
    recent diffs, else the shared cache, else worked out (and kept in both)."""
    diff = _recent_diffs.get(digest)
    if diff is None:
        key = f"reviews:diff:{digest}"
        diff = cache.get(key)
        if diff is None:
            diff = diff_definitions(old, new)
            cache.set(key, diff, fragment_cache_seconds())
        _recent_diffs.put(digest, diff)
    return diff


# A review page and its impact assessment ask for the same diff, and unpickling a
# 95-trait diff from the shared cache cost more than the rest of reading it.
_recent_diffs = RecentByContent(size=64)


def diff_digest(
    old: dict | None, new: dict | None, *, old_digest: str = "", new_digest: str = ""
) -> str:
    """What `definition_diff` names the diff of `old` and `new` by."""
    return pair_digest(old_digest or content_digest(old), new_digest or content_digest(new))


def identifier_types(store_id: str, *, fetch: bool = True) -> tuple[str, ...] | None:
    """The store's configured identifier types; None when unknown and `fetch` is off."""
    key = f"traitgroups:id_types:{store_id}"
    cached = cache.get(key)
    if cached is None and fetch:
        settings = memory_api_client().fetch_identity_resolution_settings(store_id)
        cached = tuple(settings.id_types)
        cache.set(key, cached, ID_TYPES_CACHE_SECONDS)
    return cached


def open_drafts_of(store_id: str) -> QuerySet[TraitGroupRevision]:
    """Unpublished new-group revisions of a store, newest first."""
    return (
        TraitGroupRevision.objects.filter(
            store_id=store_id, trait_group__isnull=True, kind=TraitGroupRevision.Kind.CREATE
        )
        .exclude(state__in=[TraitGroupRevision.State.PUBLISHED, TraitGroupRevision.State.WITHDRAWN])
        .select_related("author")
    )


def submitted_beside(revision: TraitGroupRevision) -> list[TraitGroupRevision]:
    """Other revisions of the same group already on their way to Twilio (in review,
    approved, publishing): whichever is published second will meet a 412 and a rebase."""
    if not revision.trait_group_id:
        return []
    State = TraitGroupRevision.State
    return list(
        TraitGroupRevision.objects.filter(
            trait_group_id=revision.trait_group_id,
            state__in=[State.IN_REVIEW, State.APPROVED, State.PUBLISHING],
        )
        .exclude(pk=revision.pk)
        .select_related("author")
        # the notice names them; decoding their 95-trait definitions cost the builder dearly
        .defer("definition", "base_definition")
        .order_by("pk")
    )


def taken_group_names(store_id: str, *, fresh: bool = False) -> frozenset[str]:
    """Names a new group of the store may not take: live groups and approved creations.

    Cached for a few seconds, so that a keystroke's validation costs no query.
    """
    key = f"traitgroups:names:{store_id}"
    names = None if fresh else cache.get(key)
    if names is None:
        names = frozenset(
            TraitGroup.objects.filter(store_id=store_id, deleted_in_twilio=False).values_list(
                "name", flat=True
            )
        )
        pending = TraitGroupRevision.objects.filter(
            state__in=[TraitGroupRevision.State.APPROVED, TraitGroupRevision.State.PUBLISHING],
            store_id=store_id,
            kind=TraitGroupRevision.Kind.CREATE,
        ).values_list("definition__displayName", flat=True)
        names |= frozenset(n for n in pending if isinstance(n, str) and n)
        cache.set(key, names, NAMES_CACHE_SECONDS)
    return names


def forget_taken_group_names(store_id: str) -> None:
    cache.delete(f"traitgroups:names:{store_id}")


def validation_context(
    store_id: str, *, fixed_display_name: str | None = None, fetch: bool = False
) -> ValidationContext:
    """What the validator needs about a store, from the cache and database only, unless
    `fetch` (page loads, saves) which also asks Twilio for missing settings.

    A draft of an existing group keeps its name, so no other name can clash with it and
    it takes no new place in the store: the taken names and their count are not read.
    """
    if fixed_display_name is None:
        names = taken_group_names(store_id, fresh=fetch)
        group_count = len(names)
    else:
        names, group_count = frozenset(), None
    try:
        id_types = identifier_types(store_id, fetch=fetch)
    except MemoryApiError:  # an unreachable API only loses a suggestion
        id_types = None
    return ValidationContext(
        existing_names=names,
        id_types=id_types,
        fixed_display_name=fixed_display_name,
        group_count=group_count,
        protected_traits=protected_traits(store_id, fixed_display_name),
    )


def protected_traits(store_id: str, name: str | None) -> dict[str, str]:
    """The built-in traits of a protected group and their live data types (else empty)."""
    built_in = c.PROTECTED_TRAIT_GROUPS.get(name or "")
    if not built_in:
        return {}
    live = (
        TraitGroup.objects.filter(store_id=store_id, name=name)
        .values_list("live_definition", flat=True)
        .first()
    )
    traits = (live or {}).get("traits") or {}
    return {
        trait: definition.get("dataType", "")
        for trait, definition in traits.items()
        if trait in built_in and isinstance(definition, dict)
    }


def definition_errors(revision: TraitGroupRevision) -> list[Issue]:
    """The builder's validation errors in a revision's saved definition (warnings left out).

    The builder offers Submit for review only without them, and the review service
    refuses a submission with them, so both ask this one function.
    """
    fixed_name = revision.trait_group.name if revision.trait_group_id else None
    context = validation_context(revision.store_id, fixed_display_name=fixed_name)
    draft = draft_from_definition(revision.definition)
    return [issue for issue in validation.validate(draft, context) if issue.is_error]
