"""Reads about dry runs, for the review page, the risk tiers and the dry-run views."""

from memadmin.dryrun.models import DryRun
from memadmin.traitgroups.models import TraitGroupRevision


def find_latest_dry_run(revision: TraitGroupRevision) -> DryRun | None:
    """The revision's newest dry run (stale or not: ask `is_stale`), or None."""
    return (
        DryRun.objects.filter(revision=revision)
        .select_related("revision__trait_group")
        .order_by("-created_at", "-pk")
        .first()
    )
