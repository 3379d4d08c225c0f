"""Reads of the catalog: which data mappings write which traits, every live trait, and one
trait's story across versions. All from stored data: the store sync keeps it fresh."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from memadmin.catalog.models import DataMapping
from memadmin.traitgroups.constraints import PROTECTED_TRAIT_GROUPS
from memadmin.traitgroups.models import TraitGroup, TraitGroupVersion


def list_mappings_for_group(store_id: str, group_name: str) -> list[DataMapping]:
    """The store's mappings that write at least one trait of the group, by name."""
    return [
        mapping
        # A group name is `^[a-zA-Z0-9_\-\.]+$`, so it appears quoted, unescaped, in the
        # JSON text of any mapping that writes it: the database skips all the others.
        for mapping in DataMapping.objects.filter(
            store_id=store_id, targets__icontains=f'"{group_name}"'
        )
        if mapping.writes(group_name)
    ]


def find_mappings_writing(store_id: str, group_name: str) -> dict[str, list[DataMapping]]:
    """Trait name → the store's mappings writing that trait of the group (one query).

    Mappings are filtered in Python: a store holds few, and JSON containment queries
    differ between SQLite and PostgreSQL.
    """
    writers: dict[str, list[DataMapping]] = {}
    for mapping in list_mappings_for_group(store_id, group_name):
        for trait_name in dict.fromkeys(mapping.writes(group_name)):
            writers.setdefault(trait_name, []).append(mapping)
    return writers


@dataclass(frozen=True)
class CatalogTrait:
    """One trait of one live group, with what writes it: a row of the trait catalog."""

    store_id: str
    group: str
    name: str
    definition: dict[str, Any]
    protected: bool
    mappings: tuple[DataMapping, ...]

    @property
    def data_type(self) -> str:
        return str(self.definition.get("dataType", ""))

    @property
    def description(self) -> str:
        return str(self.definition.get("description") or "")

    @property
    def id_type_promotion(self) -> str:
        return str(self.definition.get("idTypePromotion") or "")

    @property
    def rule(self) -> str:
        return describe_rule(self.definition.get("validationRule"))

    def matches(self, text: str) -> bool:
        """Whether `text` (lower case) occurs in the names, description or mapping names."""
        haystack = [self.name, self.group, self.description, self.id_type_promotion]
        haystack += [mapping.display_name for mapping in self.mappings]
        return any(text in value.lower() for value in haystack)


@dataclass(frozen=True)
class CatalogFilters:
    """What the catalog's GET form asks for; empty values filter nothing."""

    text: str = ""
    store_id: str = ""
    group: str = ""
    data_type: str = ""
    source: str = ""
    written: str = ""  # "", "mapped" or "unmapped"
    promoted_only: bool = False
    protected_only: bool = False


def live_group_names(store_id: str | None = None) -> list[str]:
    """The names of the live groups of one store (or of any store), for the group filter."""
    groups = TraitGroup.objects.filter(deleted_in_twilio=False, live_definition__isnull=False)
    if store_id:
        groups = groups.filter(store_id=store_id)
    return sorted(set(groups.values_list("name", flat=True)), key=str.lower)


def catalog_stores() -> list[str]:
    """The ids of the stores memadmin holds live groups of."""
    groups = TraitGroup.objects.filter(deleted_in_twilio=False, live_definition__isnull=False)
    return sorted(set(groups.values_list("store_id", flat=True)))


def catalog_traits(filters: CatalogFilters, *, store_id: str | None = None) -> list[CatalogTrait]:
    """The live traits of one store (or all), filtered, by store, group and definition order.

    Two queries whatever the number of traits: the groups with their live definitions and
    the data mappings, both kept fresh by the store sync; nothing here calls Twilio.
    """
    groups = TraitGroup.objects.filter(deleted_in_twilio=False, live_definition__isnull=False)
    mappings = DataMapping.objects.all()
    store_id = store_id or filters.store_id
    if store_id:
        groups, mappings = groups.filter(store_id=store_id), mappings.filter(store_id=store_id)
    groups = groups.only("store_id", "name", "live_definition").order_by("store_id", "name")
    writers: dict[tuple[str, str, str], list[DataMapping]] = {}
    for mapping in mappings.order_by("display_name", "mapping_id"):
        for target in mapping.targets:
            key = (mapping.store_id, target.get("traitGroup"), target.get("traitName"))
            if mapping not in writers.setdefault(key, []):
                writers[key].append(mapping)
    rows: list[CatalogTrait] = []
    for group in groups:
        traits = (group.live_definition or {}).get("traits") or {}
        for name, definition in traits.items():
            row = CatalogTrait(
                store_id=group.store_id,
                group=group.name,
                name=name,
                definition=definition if isinstance(definition, dict) else {},
                protected=name in PROTECTED_TRAIT_GROUPS.get(group.name, ()),
                mappings=tuple(writers.get((group.store_id, group.name, name), ())),
            )
            if _kept(row, filters):
                rows.append(row)
    return rows


def _kept(row: CatalogTrait, filters: CatalogFilters) -> bool:
    if filters.group and row.group != filters.group:
        return False
    if filters.data_type and row.data_type != filters.data_type:
        return False
    if filters.source and not any(m.source == filters.source for m in row.mappings):
        return False
    if filters.written == "mapped" and not row.mappings:
        return False
    if filters.written == "unmapped" and row.mappings:
        return False
    if filters.promoted_only and not row.id_type_promotion:
        return False
    if filters.protected_only and not row.protected:
        return False
    return not filters.text or row.matches(filters.text.lower())


def describe_rule(rule: Any) -> str:
    """A validation rule in a few words, e.g. `pattern ^a$, length 1 to 64` or `items ≤ 5`."""
    if not isinstance(rule, dict):
        return ""
    parts = []
    if rule.get("pattern"):
        parts.append(f"pattern {rule['pattern']}")
    for low, high, unit in (("minLength", "maxLength", "length"), ("min", "max", "value")):
        parts += _range(rule.get(low), rule.get(high), unit)
    parts += _range(rule.get("minItems"), rule.get("maxItems"), "items")
    return ", ".join(parts)


def _range(low: Any, high: Any, unit: str) -> list[str]:
    if low is not None and high is not None:
        return [f"{unit} {low} to {high}"]
    if low is not None:
        return [f"{unit} ≥ {low}"]
    if high is not None:
        return [f"{unit} ≤ {high}"]
    return []


@dataclass(frozen=True)
class TraitMoment:
    """The trait in one recorded version of its group, and how it differs from before."""

    version: TraitGroupVersion
    definition: dict[str, Any] | None
    change: str  # "added", "changed", "removed", "group deleted"
    changed_fields: tuple[str, ...] = ()


def trait_history(trait_group: TraitGroup, trait_name: str) -> list[TraitMoment]:
    """Each recorded version where the trait appeared, changed or went, newest first."""
    moments: list[TraitMoment] = []
    before: dict[str, Any] | None = None
    versions = TraitGroupVersion.objects.filter(trait_group=trait_group).select_related("actor")
    for version in versions.order_by("seen_at", "pk"):
        if version.definition is None:
            if before is not None:
                moments.append(TraitMoment(version, None, "group deleted"))
            before = None
            continue
        now = (version.definition.get("traits") or {}).get(trait_name)
        if now == before:
            continue
        if before is None:
            moments.append(TraitMoment(version, now, "added"))
        elif now is None:
            moments.append(TraitMoment(version, None, "removed"))
        else:
            fields = sorted(key for key in {*now, *before} if now.get(key) != before.get(key))
            moments.append(TraitMoment(version, now, "changed", tuple(fields)))
        before = now
    return moments[::-1]


def mappings_synced_at(store_id: str | None = None):
    """When the data mappings (of one store, or of any) were last synced; None if never."""
    mappings = DataMapping.objects.all()
    if store_id:
        mappings = mappings.filter(store_id=store_id)
    return mappings.aggregate(latest=Max("synced_at"))["latest"]
