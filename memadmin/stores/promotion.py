"""Promotion: a store's live groups copied into another store as drafts that go to review."""

from django.db import transaction

from memadmin.audit import services as audit
from memadmin.memory_api.definitions import is_same_definition, make_request_body
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.services import create_draft


class PromotionError(Exception):
    """The promotion cannot start; the message says why in a sentence."""


def promote(
    *, source_store_id: str, target_store_id: str, names: list[str], actor
) -> list[TraitGroupRevision]:
    """Drafts in the target store that make its groups match the source's live ones.

    A group the target lacks becomes a *create* draft; one it has becomes an *update*
    based on the target's live definition (so review sees the real diff). Groups that
    already match are skipped. Nothing reaches Twilio until the drafts are reviewed.
    """
    if source_store_id == target_store_id:
        raise PromotionError("Pick two different stores: a store cannot be promoted into itself.")
    wanted = sorted(set(names))
    if not wanted:
        raise PromotionError("Pick at least one trait group to promote.")
    sources = {
        group.name: group
        for group in TraitGroup.objects.filter(
            store_id=source_store_id,
            name__in=wanted,
            deleted_in_twilio=False,
            live_definition__isnull=False,
        )
    }
    missing = [name for name in wanted if name not in sources]
    if missing:
        raise PromotionError(
            f"Not in the source store's live groups (sync it and try again): {', '.join(missing)}."
        )
    targets = {
        group.name: group
        for group in TraitGroup.objects.filter(
            store_id=target_store_id, name__in=wanted, deleted_in_twilio=False
        )
    }
    revisions = []
    with transaction.atomic():
        for name in wanted:
            definition = make_request_body(
                display_name=name, definition=sources[name].live_definition
            )
            target = targets.get(name)
            if target is not None and is_same_definition(target.live_definition, definition):
                continue  # the target already holds exactly this
            revisions.append(
                create_draft(
                    store_id=target_store_id,
                    definition=definition,
                    author=actor,
                    trait_group=target,
                )
            )
        audit.record(
            action="store.promoted",
            actor=actor,
            store_id=target_store_id,
            detail=(
                f"{len(revisions)} draft(s) from store {source_store_id}: "
                f"{', '.join(r.display_name for r in revisions) or 'nothing differed'}"
            ),
        )
    return revisions
