"""Risk tiers: how much can go wrong when a change goes live, and why, in words.

LOW: adds traits, loosens rules, describes. MEDIUM: tightens a rule that no sampled
value breaks, or removes/retypes a trait nothing writes. HIGH: removes or retypes a trait
that a data mapping writes, changes an identifier promotion (profiles can merge or split),
tightens a rule that sampled values break, deletes the group.

A tightening (or retype) without a fresh, finished dry run counts as HIGH: nobody has
looked at the data yet, and the safe guess is that some of it breaks. A clean dry run
lowers it to MEDIUM. The reason says so, so that the cure (run the dry run) is in view.
Pure: no Django; the selector hands in the impact and the dry run's counts.
"""

import enum
from dataclasses import dataclass, field

from memadmin.impact.analysis import (
    ADDED,
    DESCRIBED,
    REMOVED,
    RETYPED,
    RULE_CHANGED,
    Impact,
    TraitImpact,
)


class Tier(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class Sample:
    """What a dry run found: per trait, how many sampled profiles hold a rejected value.

    `usable` only when the dry run finished on the content being judged: a running,
    failed or stale one does not count as having looked at the data.
    """

    usable: bool = False
    sampled: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    status: str = "not run"  # in words, for the panel: "not run", "running", "stale", …

    def rejected_for(self, trait: str) -> int:
        return self.rejected.get(trait, 0)


NOT_SAMPLED = Sample()


@dataclass(frozen=True)
class Reason:
    tier: Tier
    text: str
    trait: str = ""
    # The text gives the dry run's count of rejected sampled values.
    counts_rejected: bool = False


@dataclass(frozen=True)
class Risk:
    """A tier and every reason that led to it, the highest first."""

    tier: Tier
    reasons: tuple[Reason, ...]
    # Tightened or retyped traits that no usable dry run has checked yet.
    unsampled: tuple[str, ...] = ()

    @property
    def deciding(self) -> list[Reason]:
        """The reasons at the tier itself: the ones that made it what it is."""
        return [reason for reason in self.reasons if reason.tier == self.tier]


def assess(impact: Impact, sample: Sample = NOT_SAMPLED) -> Risk:
    """The risk tier of `impact`, given what a dry run found (if anything)."""
    reasons: list[Reason] = []
    unsampled: list[str] = []
    if impact.deleting:
        reasons.append(_deletion(impact))
    else:
        for trait in impact.traits:
            reasons += _trait_reasons(trait, sample, unsampled)
        if impact.diff.description is not None:
            reasons.append(Reason(Tier.LOW, "changes the group's description"))
    if not reasons:
        reasons.append(Reason(Tier.LOW, "changes nothing"))
    reasons.sort(key=lambda reason: -reason.tier)
    return Risk(max(reason.tier for reason in reasons), tuple(reasons), tuple(unsampled))


def _deletion(impact: Impact) -> Reason:
    text = f"deletes the group `{impact.group_name}` and every value profiles hold in it"
    names = impact.group_writer_names
    if names:
        text += f"; {_mappings(names)} {'write' if len(names) > 1 else 'writes'} into it"
    return Reason(Tier.HIGH, text)


def _trait_reasons(trait: TraitImpact, sample: Sample, unsampled: list[str]) -> list[Reason]:
    name, old, new = trait.name, trait.change.old or {}, trait.change.new or {}
    writers = trait.writer_names
    written = f", which {_mappings(writers)} {'write' if len(writers) > 1 else 'writes'}"
    reasons = []
    if trait.promotion_changed:
        before, after = old.get("idTypePromotion") or "none", new.get("idTypePromotion") or "none"
        reasons.append(
            Reason(
                Tier.HIGH,
                f"changes the identifier promotion of `{name}` ({before} → {after}): "
                "profiles can merge or split",
                name,
            )
        )
    if trait.kind == ADDED:
        return reasons or [Reason(Tier.LOW, f"adds `{name}`", name)]
    if trait.kind == REMOVED:
        if writers:
            return [*reasons, Reason(Tier.HIGH, f"removes `{name}`{written}", name)]
        return [
            *reasons,
            Reason(
                Tier.MEDIUM,
                f"removes `{name}`: profiles lose its values (no data mapping writes it)",
                name,
            ),
        ]
    if trait.kind == RETYPED:
        what = f"retypes `{name}` ({old.get('dataType')} → {new.get('dataType')})"
        if writers:
            return [*reasons, Reason(Tier.HIGH, what + written, name)]
        return [*reasons, _sampled(what, name, sample, unsampled)]
    if trait.narrowed:
        return [*reasons, _sampled(f"tightens the rule of `{name}`", name, sample, unsampled)]
    if trait.kind == RULE_CHANGED:
        return [*reasons, Reason(Tier.LOW, f"loosens the rule of `{name}`", name)]
    if trait.kind == DESCRIBED:
        return [*reasons, Reason(Tier.LOW, f"describes `{name}`", name)]
    return reasons


def _sampled(what: str, name: str, sample: Sample, unsampled: list[str]) -> Reason:
    if not sample.usable:
        unsampled.append(name)
        return Reason(
            Tier.HIGH,
            f"{what}; not yet sampled ({sample.status}): run the dry run — if no sampled "
            "value breaks, this drops to MEDIUM",
            name,
        )
    rejected = sample.rejected_for(name)
    if rejected:
        return Reason(
            Tier.HIGH,
            f"{what}: {rejected:,} of {sample.sampled:,} sampled profiles hold a value the "
            "new definition rejects",
            name,
            counts_rejected=True,
        )
    return Reason(
        Tier.MEDIUM,
        f"{what}; the dry run found no sampled value it rejects ({sample.sampled:,} sampled)",
        name,
    )


def _mappings(names: list[str]) -> str:
    quoted = ", ".join(f"*{name}*" for name in names)
    return f"mapping {quoted}" if len(names) == 1 else f"mappings {quoted}"
