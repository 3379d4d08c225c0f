"""Reads about dry runs, for the review page, the risk tiers and the dry-run views."""

from dataclasses import dataclass, field

from memadmin.dryrun.checks import any_trait_to_check
from memadmin.dryrun.models import DryRun
from memadmin.dryrun.policy import dry_run_refusal
from memadmin.traitgroups.models import TraitGroupRevision


def find_latest_dry_run(
    revision: TraitGroupRevision, *, counts_only: bool = False
) -> DryRun | None:
    """The revision's newest dry run (stale or not: ask `is_stale`), or None.

    The run is attached to `revision` as the caller holds it, read in the same request, so
    `is_stale` judges it against that: re-reading it with its group (three 95-trait JSON
    documents, and a join) would cost more than everything else the panels read.
    `counts_only` is the risk tiers' read, made on every builder keystroke: no masked
    examples or resume cursor.
    """
    newest_first = DryRun.objects.filter(revision=revision).order_by("-created_at", "-pk")
    if counts_only:
        newest_first = newest_first.defer("masked_examples", "page_token")
    dry_run = newest_first.first()
    if dry_run is not None:
        dry_run.revision = revision
    return dry_run


@dataclass(frozen=True)
class TraitResult:
    """One checked trait's line: "37 of 1,000 sampled profiles hold a … the new … rejects"."""

    name: str
    rejected: int
    sampled: int
    held: int
    reason: str
    example_count: int


@dataclass(frozen=True)
class DryRunPanel:
    """What the review page's dry-run panel shows to one person."""

    revision: TraitGroupRevision
    run: DryRun | None
    checkable: bool
    can_run: bool
    results: list[TraitResult] = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        return self.run is not None and self.run.is_stale

    @property
    def has_examples(self) -> bool:
        return any(result.example_count for result in self.results)


def panel_for(revision: TraitGroupRevision, user) -> DryRunPanel:
    """The dry-run panel of a revision's review page, as `user` may use it."""
    run = find_latest_dry_run(revision)
    group = revision.trait_group
    checkable = group is not None and any_trait_to_check(group.live_definition, revision.definition)
    return DryRunPanel(
        revision=revision,
        run=run,
        checkable=checkable,
        can_run=checkable and dry_run_refusal(actor=user, revision=revision) is None,
        results=results_of(run) if run is not None else [],
    )


def results_of(run: DryRun) -> list[TraitResult]:
    """Each checked trait's counts, those with rejections first."""
    results = [
        TraitResult(
            name=name,
            rejected=counts.get("rejected", 0),
            sampled=counts.get("sampled", 0),
            held=counts.get("held", 0),
            reason=counts.get("reason", ""),
            example_count=len(run.masked_examples.get(name, [])),
        )
        for name, counts in (run.violations or {}).items()
    ]
    return sorted(results, key=lambda result: (-result.rejected, result.name))


def dry_run_for(pk: int) -> DryRun | None:
    """One dry run with its revision and group, or None."""
    return (
        DryRun.objects.select_related("revision__trait_group", "revision__author")
        .filter(pk=pk)
        .first()
    )
