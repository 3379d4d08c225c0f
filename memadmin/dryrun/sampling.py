"""Running a dry run: sample live profiles page by page and count what would be rejected.

The rules it keeps:
- Bounded: at most `sample_size` profiles, read through memadmin's one client (which
  honours `Retry-After` and shares its rate-limit pause between threads), at most
  `DRY_RUN_CONCURRENCY` profile reads in flight. An empty page, or a next token that
  leads back to its own page, ends the listing: a server that pages forever cannot
  keep a run (and its worker) going or have it count one page again and again.
- Resumable, each profile counted once: a page's counts and the cursor that moves past
  it are saved in one transaction, and only if the cursor is still where this runner
  found it. A run stopped anywhere (an error, a killed worker) resumes at its cursor;
  a page half-read when it stopped is read again, never counted twice.
- Values stay in memory for the length of one page; only counts and masked examples
  (`masking.mask`) are stored.
"""

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from memadmin.dryrun.checks import CheckedTrait, traits_to_check
from memadmin.dryrun.masking import mask
from memadmin.dryrun.models import DryRun
from memadmin.memory_api import MemoryApiClient, MemoryApiError, memory_api_client
from memadmin.memory_api.contract import MAX_PAGE_SIZE
from memadmin.trait_values import python_pattern_search, value_violation
from memadmin.traitgroups import regex_budget

logger = logging.getLogger(__name__)

# "at most five masked examples per trait".
EXAMPLES_PER_TRAIT = 5
REVISION_CHANGED = "The revision changed after this dry run was asked for: run it again."
INTERNAL_ERROR = "memadmin hit an internal error during this dry run; resume it to try again."


@dataclass(frozen=True)
class PageCounts:
    """What one page of profiles added: per trait, and the masked examples found."""

    profiles: int
    held: Counter
    rejected: Counter
    reasons: dict[str, Counter]
    examples: dict[str, list[str]]


def run_dry_run(dry_run_id: int, *, client: MemoryApiClient | None = None) -> DryRun | None:
    """Runs (or resumes) one dry run to its end; None when it is not this runner's to run."""
    claimed = DryRun.objects.filter(pk=dry_run_id, state__in=DryRun.RESUMABLE_STATES).update(
        state=DryRun.State.RUNNING, error_message="", updated_at=timezone.now()
    )
    if not claimed:
        return None
    run = DryRun.objects.select_related("revision__trait_group").get(pk=dry_run_id)
    if run.started_at is None:
        DryRun.objects.filter(pk=run.pk, started_at=None).update(started_at=timezone.now())
    revision = run.revision
    if revision.definition_key != run.definition_digest:
        return _finish(run, DryRun.State.FAILED, REVISION_CHANGED)
    group = revision.trait_group
    checked = traits_to_check(group.live_definition if group else None, revision.definition)
    if group is None or not checked:
        return _finish(run, DryRun.State.DONE, "")
    client = client or memory_api_client()
    try:
        while run.sampled < run.sample_size:
            page = client.list_profile_ids(
                run.store_id,
                page_size=MAX_PAGE_SIZE,
                page_token=run.page_token or None,
            )
            if not page.profile_ids:
                break  # no profile left to read, whatever the token says
            take = page.profile_ids[run.page_position :][: run.sample_size - run.sampled]
            counts = _count(client, run.store_id, group.name, take, checked)
            finished_page = run.page_position + len(take) >= len(page.profile_ids)
            # A next token that fetches this very page again would count it again.
            last_page = page.next_token is None or page.next_token == run.page_token
            if finished_page:
                cursor = (page.next_token or "", 0)
            else:
                cursor = (run.page_token, run.page_position + len(take))
            run = _save_page(run, counts, cursor, checked)
            if run is None:
                return None  # another runner moved the cursor: it carries on, not us
            if finished_page and last_page:
                break  # fewer profiles than the sample size: all of them were read
    except MemoryApiError as exc:
        logger.warning("Dry run %s stopped: %s", dry_run_id, exc.user_message)
        return _finish(run, DryRun.State.INTERRUPTED, exc.user_message)
    except Exception:
        logger.exception("Dry run %s stopped by an internal error", dry_run_id)
        return _finish(run, DryRun.State.INTERRUPTED, INTERNAL_ERROR)
    return _finish(run, DryRun.State.DONE, "")


def _count(
    client: MemoryApiClient,
    store_id: str,
    group_name: str,
    profile_ids: tuple[str, ...],
    checked: list[CheckedTrait],
) -> PageCounts:
    def values_of(profile_id: str) -> dict:
        return client.fetch_profile_traits(store_id, profile_id, [group_name]).values

    workers = max(1, min(settings.DRY_RUN_CONCURRENCY, len(profile_ids)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dry-run") as pool:
        profiles = list(pool.map(values_of, profile_ids))
    held, rejected = Counter(), Counter()
    reasons: dict[str, Counter] = {trait.name: Counter() for trait in checked}
    examples: dict[str, list[str]] = {trait.name: [] for trait in checked}
    for values in profiles:
        group_values = values.get(group_name, {})
        for trait in checked:
            if trait.name not in group_values:
                continue
            held[trait.name] += 1
            value = group_values[trait.name]
            reason = value_violation(value, trait.definition, pattern_search=_budgeted_search)
            if reason is not None:
                rejected[trait.name] += 1
                reasons[trait.name][reason] += 1
                if len(examples[trait.name]) < EXAMPLES_PER_TRAIT:
                    examples[trait.name].append(mask(value))
    return PageCounts(len(profile_ids), held, rejected, reasons, examples)


def _budgeted_search(pattern: str, value: str) -> bool | None:
    """People's patterns compile within the builder's time budget, or count as unusable."""
    outcome, _, _ = regex_budget.verdict(pattern)
    if outcome != regex_budget.OK:
        return None
    return python_pattern_search(pattern, value)


def _save_page(
    run: DryRun, counts: PageCounts, cursor: tuple[str, int], checked: list[CheckedTrait]
) -> DryRun | None:
    """Adds one page's counts and moves the cursor past it, if nobody moved it meanwhile."""
    with transaction.atomic():
        current = DryRun.objects.select_for_update().get(pk=run.pk)
        if (current.page_token, current.page_position) != (run.page_token, run.page_position):
            return None
        if current.state != DryRun.State.RUNNING:
            return None
        violations = dict(current.violations)
        examples = {name: list(found) for name, found in current.masked_examples.items()}
        for trait in checked:
            entry = violations.get(trait.name) or {
                "rejected": 0,
                "sampled": 0,
                "held": 0,
                "reason": trait.rule_label,
                "reasons": {},
            }
            entry["rejected"] += counts.rejected[trait.name]
            entry["sampled"] += counts.profiles
            entry["held"] += counts.held[trait.name]
            merged = Counter(entry["reasons"]) + counts.reasons[trait.name]
            entry["reasons"] = dict(merged.most_common())
            violations[trait.name] = entry
            kept = examples.setdefault(trait.name, [])
            kept.extend(counts.examples[trait.name][: EXAMPLES_PER_TRAIT - len(kept)])
        current.violations = violations
        current.masked_examples = examples
        current.sampled += counts.profiles
        current.page_token, current.page_position = cursor
        current.save(
            update_fields=[
                "violations",
                "masked_examples",
                "sampled",
                "page_token",
                "page_position",
                "updated_at",
            ]
        )
    return current


def _finish(run: DryRun, state: str, message: str) -> DryRun:
    DryRun.objects.filter(pk=run.pk, state=DryRun.State.RUNNING).update(
        state=state,
        error_message=message,
        finished_at=timezone.now() if state != DryRun.State.INTERRUPTED else None,
        updated_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
