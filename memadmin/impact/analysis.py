"""What a definition change touches: the traits it removes, retypes or re-rules, who writes
them, and whether they resolve identities or are protected. Pure: no Django, no HTTP.

The inputs are already-loaded facts (a `DefinitionDiff`, the writers of each trait, the
group's protected traits) so that the builder (on every keystroke), the review page, the
policy and the schema-file plan all compute the same impact from the same data.
"""

from dataclasses import dataclass

from memadmin.traitgroups.diff import DefinitionDiff, TraitChange

REMOVED, RETYPED, RULE_CHANGED, PROMOTION_CHANGED, ADDED, DESCRIBED = (
    "removed",
    "retyped",
    "rule changed",
    "promotion changed",
    "added",
    "described",
)


@dataclass(frozen=True)
class Writer:
    """A data mapping that writes a trait: enough for a reviewer to recognise it."""

    mapping_id: str
    name: str
    source: str
    trait_name: str


@dataclass(frozen=True)
class TraitImpact:
    """One changed trait and what depends on it."""

    name: str
    kind: str  # REMOVED, RETYPED, RULE_CHANGED, PROMOTION_CHANGED, ADDED or DESCRIBED
    change: TraitChange
    writers: tuple[Writer, ...] = ()
    promotion: str = ""  # the identifier type it promotes to (before or after the change)
    promotion_changed: bool = False
    protected: bool = False
    narrowed: bool = False  # the new rule may reject values the old one accepted

    @property
    def writer_names(self) -> list[str]:
        return sorted({writer.name for writer in self.writers})

    @property
    def needs_attention(self) -> bool:
        """Shown in the panel: anything but a plain added trait or a new description."""
        return self.kind not in (ADDED, DESCRIBED) or self.promotion_changed


@dataclass(frozen=True)
class Impact:
    """Everything a change to one group touches; `deleting` when the group itself goes."""

    group_name: str
    diff: DefinitionDiff
    traits: tuple[TraitImpact, ...] = ()
    deleting: bool = False
    # A deletion breaks every mapping that writes into the group, whichever trait it writes.
    group_writers: tuple[Writer, ...] = ()

    @property
    def group_writer_names(self) -> list[str]:
        return sorted({writer.name for writer in self.group_writers})


def impact_of(
    diff: DefinitionDiff,
    *,
    group_name: str,
    writers: dict[str, list[Writer]],
    protected: frozenset[str] = frozenset(),
    deleting: bool = False,
) -> Impact:
    """The impact of `diff` on group `group_name`; `writers` maps trait name → mappings."""
    traits = tuple(
        _trait_impact(change, writers.get(change.name, ()), change.name in protected)
        for change in diff.traits
    )
    group_writers = ()
    if deleting:
        group_writers = tuple(writer for listed in writers.values() for writer in listed)
    return Impact(group_name, diff, traits, deleting, group_writers)


def _trait_impact(change: TraitChange, writers, protected: bool) -> TraitImpact:
    old, new = change.old or {}, change.new or {}
    before, after = old.get("idTypePromotion") or "", new.get("idTypePromotion") or ""
    # Adding or removing a promoting trait changes identity resolution as much as editing it.
    promotion_changed = before != after
    retyped = change.kind == "changed" and old.get("dataType") != new.get("dataType")
    # `breaking` holds one reason per retype and per promotion change; any other is the
    # rule narrowing (a bound raised, a pattern added or changed).
    narrowed = (
        change.kind == "changed" and not retyped and len(change.breaking) > int(promotion_changed)
    )
    if change.kind == "added":
        kind = ADDED
    elif change.kind == "removed":
        kind = REMOVED
    elif retyped:
        kind = RETYPED
    elif promotion_changed and not narrowed:
        kind = PROMOTION_CHANGED
    elif _rule_of(old) != _rule_of(new):
        kind = RULE_CHANGED
    else:
        kind = DESCRIBED
    return TraitImpact(
        name=change.name,
        kind=kind,
        change=change,
        writers=tuple(writers) if kind != ADDED else (),
        promotion=before or after,
        promotion_changed=promotion_changed,
        protected=protected,
        narrowed=narrowed,
    )


def _rule_of(definition: dict) -> dict:
    return definition.get("validationRule") or {}


def live_trait_notices(impact: Impact) -> list[str]:
    """What the builder tells the author before the fact: each live trait the change
    retypes or removes, in words (`name` marks code). A rename is a removal and an addition
    to Twilio; a new trait of the same data type is probably the new name, and is named."""
    if impact.deleting:
        return []  # the deletion's own page says what goes
    added = [trait for trait in impact.traits if trait.kind == ADDED]
    notices = []
    for trait in impact.traits:
        old, new = trait.change.old or {}, trait.change.new or {}
        if trait.kind == RETYPED:
            notices.append(
                f"`{trait.name}` is live as {old.get('dataType')}; this draft makes it "
                f"{new.get('dataType')} — values already stored may no longer fit."
            )
        elif trait.kind == REMOVED:
            alike = [
                a.name for a in added if (a.change.new or {}).get("dataType") == old.get("dataType")
            ]
            if len(alike) == 1:
                notices.append(
                    f"`{trait.name}` is live and this draft removes it. If `{alike[0]}` is its "
                    "new name: renaming a trait is removing it and adding another, so profiles "
                    f"lose the values `{trait.name}` holds and `{alike[0]}` starts empty."
                )
            else:
                notices.append(
                    f"`{trait.name}` is live and this draft removes it (renaming a trait is "
                    "removing it and adding another): profiles lose the values it holds."
                )
    return notices
