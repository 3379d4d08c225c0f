"""Reads for impact and risk: the stored facts a change is judged on, and the judgement.

Everything comes from memadmin's own tables (the revision, the synced catalog of data
mappings, the latest dry run), never from Twilio: the builder asks on every keystroke and
the policy asks before every approval and publish, so a page view costs no API call.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings

from memadmin.catalog import selectors as catalog
from memadmin.content_memo import RecentByContent
from memadmin.dryrun.models import DryRun
from memadmin.dryrun.selectors import find_latest_dry_run
from memadmin.ids import as_row_id
from memadmin.impact.analysis import Impact, Writer, impact_of
from memadmin.impact.risk import NOT_SAMPLED, Risk, Sample, Tier, assess
from memadmin.traitgroups.constraints import PROTECTED_TRAIT_GROUPS
from memadmin.traitgroups.diff import DefinitionDiff, diff_definitions
from memadmin.traitgroups.models import TraitGroup, TraitGroupRevision
from memadmin.traitgroups.selectors import diff_digest, diff_named

# `assess_revision(dry_run=…)` when the caller has not read the dry run itself.
READ_DRY_RUN = object()


@dataclass(frozen=True)
class Assessment:
    """A change's impact, its risk tier with reasons, and the approvals that tier needs."""

    impact: Impact
    risk: Risk
    sample: Sample
    dry_run: DryRun | None
    required_approvals: int
    revision: TraitGroupRevision | None = None
    # Names everything the impact panel shows, for caching its markup ("": do not cache).
    content_key: str = ""

    @property
    def tier(self) -> Tier:
        return self.risk.tier


def required_approvals(tier: Tier) -> int:
    """How many different reviewers must approve a change of this tier."""
    return settings.REVIEW_APPROVALS_REQUIRED[tier.name]


def writers_of(store_id: str, group_name: str) -> dict[str, list[Writer]]:
    """Trait name → the data mappings that write it, for one group (one query)."""
    mappings = catalog.find_mappings_writing(store_id, group_name)
    return {
        trait: [
            Writer(
                mapping_id=mapping.mapping_id,
                name=mapping.display_name or mapping.mapping_id,
                source=mapping.source,
                trait_name=trait,
            )
            for mapping in listed
        ]
        for trait, listed in mappings.items()
    }


def sample_of(dry_run: DryRun | None) -> Sample:
    """What the dry run lets the risk tiers rely on (nothing unless finished and fresh)."""
    if dry_run is None:
        return NOT_SAMPLED
    if dry_run.state != DryRun.State.DONE:
        return Sample(status=dry_run.get_state_display().lower(), sampled=dry_run.sampled)
    if dry_run.is_stale:
        return Sample(status="stale: the revision or the live group changed since")
    rejected = {
        name: int(counts.get("rejected") or 0)
        for name, counts in (dry_run.violations or {}).items()
        if isinstance(counts, dict)
    }
    return Sample(usable=True, sampled=dry_run.sampled, rejected=rejected, status="done")


def assess_definitions(
    *,
    store_id: str,
    group_name: str,
    base: dict | None,
    target: dict,
    deleting: bool = False,
    revision: TraitGroupRevision | None = None,
    dry_run: DryRun | None = None,
    sample: Sample | None = None,
    writers: dict[str, list[Writer]] | None = None,
    diff: DefinitionDiff | None = None,
    digest: str = "",
) -> Assessment:
    """The assessment of turning `base` (None: a new group) into `target`; `writers` are
    the synced data mappings unless the caller read them itself (the plan reads Twilio);
    `diff` is that of `base` and `target` when the caller has it already.

    `digest` names `base` and `target` (see traitgroups.selectors.diff_digest) when the
    caller has it: the assessment then has its `content_key`, and judging the same content
    with the same mappings and sample again is remembered, not redone.
    """
    if deleting:
        target = {"displayName": group_name, "traits": {}}
    writers = writers if writers is not None else writers_of(store_id, group_name)
    sample = sample or sample_of(dry_run)
    protected = PROTECTED_TRAIT_GROUPS.get(group_name, frozenset())
    # Everything the judgement depends on (no user, no permission), named.
    inputs = (digest, group_name, deleting, sorted(protected), writers, sample)
    judged_key = hashlib.sha256(repr(inputs).encode()).hexdigest() if digest else ""
    judged = _recent_judgements.get(judged_key) if judged_key else None
    if judged is None:
        if diff is None:
            diff = diff_named(digest, base, target) if digest else diff_definitions(base, target)
        impact = impact_of(
            diff, group_name=group_name, writers=writers, protected=protected, deleting=deleting
        )
        judged = (impact, assess(impact, sample))
        if judged_key:
            _recent_judgements.put(judged_key, judged)
    impact, risk = judged
    approvals = required_approvals(risk.tier)
    # What the impact panel shows is a function of these alone: its markup is the same for
    # everybody who looks, and cached under this name.
    content_key = (
        hashlib.sha256(f"{judged_key}:{approvals}".encode()).hexdigest() if judged_key else ""
    )
    return Assessment(impact, risk, sample, dry_run, approvals, revision, content_key)


# Judging 95 traits' impact and risk cost more than reading everything it is judged on.
_recent_judgements = RecentByContent(size=64)


def assess_revision(revision: TraitGroupRevision, *, dry_run=READ_DRY_RUN) -> Assessment:
    """The assessment of a revision as saved, against the live definition it was based on.

    A saved revision's two definitions do not change, and it keeps their digests: the
    judgement of them comes from this process's recent ones, or its diff from the
    content-keyed cache (the review page has usually just diffed the same two).
    `dry_run` is its latest dry run when the caller has read it already (None: it has none).
    """
    named = revision.trait_group.name if revision.trait_group_id else revision.display_name
    group_name = named or ""
    deleting = revision.kind == TraitGroupRevision.Kind.DELETE
    base = revision.base_definition if revision.kind != TraitGroupRevision.Kind.CREATE else None
    target = {"displayName": group_name, "traits": {}} if deleting else revision.definition
    if dry_run is READ_DRY_RUN:
        dry_run = find_latest_dry_run(revision, counts_only=True)
    digest = diff_digest(
        base,
        target,
        old_digest=revision.base_key if base is not None else "",
        new_digest=revision.definition_key if not deleting else "",
    )
    return assess_definitions(
        store_id=revision.store_id,
        group_name=group_name,
        base=base,
        target=target,
        deleting=deleting,
        revision=revision,
        dry_run=dry_run,
        digest=digest,
    )


def assess_draft(
    *,
    store_id: str,
    draft_definition: dict,
    revision_pk: str = "",
    fixed_name: str = "",
    loaded: TraitGroupRevision | None = None,
    named: bool = False,
) -> Assessment:
    """The assessment of a builder draft in progress (not saved yet).

    Its base is the saved revision's base when the builder edits one, else the group's
    last synced definition; the revision's latest dry run applies only while the draft
    still matches what it checked (`is_stale` tells). `loaded`: the revision, when the
    caller has it already (with its trait group), so that its four definitions are not
    read and decoded again.

    `named` (the builder page's first render): the diff and the judgement come from the
    content-keyed caches, and the assessment has its `content_key`, so the panel's markup
    is cached too;
    a draft is shown again and again as it was saved. Not for the panel's refresh after
    each keystroke, whose every content is new: cached, it would only fill the cache.
    """
    revision, sample = None, None
    revision_id = as_row_id(revision_pk)
    if loaded is not None and loaded.pk == revision_id and loaded.store_id == store_id:
        revision = loaded
    elif revision_id is not None:
        revision = (
            TraitGroupRevision.objects.filter(pk=revision_id, store_id=store_id)
            .select_related("trait_group")
            .first()
        )
    if revision is not None:
        base = revision.base_definition if revision.trait_group_id else None
        group_name = revision.trait_group.name if revision.trait_group_id else ""
        dry_run = find_latest_dry_run(revision, counts_only=True)
        if dry_run is not None and revision.definition != draft_definition:
            # It checked the saved definition, not what is typed now.
            sample = Sample(status="the draft changed since its dry run: save and run it again")
    else:
        group = TraitGroup.objects.filter(store_id=store_id, name=fixed_name).first()
        base = group.live_definition if group else None
        group_name, dry_run = (group.name if group else ""), None
    return assess_definitions(
        store_id=store_id,
        group_name=group_name or draft_definition.get("displayName", ""),
        base=base,
        target=draft_definition,
        revision=revision,
        dry_run=dry_run,
        sample=sample,
        digest=diff_digest(base, draft_definition) if named else "",
    )
