"""What a directory of trait group files would change in a live store: the plan.

Files are checked by the builder's own validator (`traitgroups.validation`) and compared
with the live groups by the reviews' diff (`traitgroups.diff`): a plan says what a
reviewer will later see, and refuses what the builder would refuse. Reading only.
"""

from dataclasses import dataclass

from memadmin.impact import selectors as impact
from memadmin.impact.analysis import Writer
from memadmin.impact.risk import Risk
from memadmin.memory_api import MemoryApiError, Store, memory_api_client
from memadmin.memory_api.contract import MAX_PAGE_SIZE
from memadmin.schemafiles.fileformat import FileProblem, GroupFile, canonical_body, parse
from memadmin.stores import selectors as store_selectors
from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import importing, validation
from memadmin.traitgroups import selectors as traitgroup_selectors
from memadmin.traitgroups.builder.state import ROW_FIELDS
from memadmin.traitgroups.diff import DefinitionDiff, diff_definitions

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# The builder only warns about a promotion to an unknown identifier type, because a person
# is looking; a file proposed from a pipeline is refused instead: nobody is looking.
REFUSED_WARNINGS = frozenset({"unknown_id_type"})
# "trait groups per memory store | **50**" (NOTES.md, Twilio's limits page).
MAX_GROUPS_PER_STORE = 50
# Keys a TraitGroup answer carries that a TraitGroupRequest may not.
_NOT_REQUEST_KEYS = ("version", "meta", "traitGroup")


class UnknownStore(LookupError):
    """No store of the account has that id or name."""


def resolve_store(id_or_name: str) -> Store:
    """The account's store with that id or display name (raises UnknownStore)."""
    for store in store_selectors.stores():
        if id_or_name in (store.id, store.display_name):
            return store
    raise UnknownStore(f"No store of this account has the id or name {id_or_name!r}.")


@dataclass(frozen=True)
class GroupPlan:
    """One file's group: create, update or unchanged, and the diff against live."""

    name: str
    file: str
    action: str
    diff: DefinitionDiff
    body: dict
    live_version: int | None
    warnings: tuple[FileProblem, ...] = ()
    # Judged like a revision's (memadmin.impact), from the synced data mappings; a file
    # has no dry run, so a tightened rule counts as HIGH until its review samples the data.
    risk: Risk | None = None

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "file": self.file,
            "action": self.action,
            "liveVersion": self.live_version,
            "added": [change.name for change in self.diff.added],
            "removed": [change.name for change in self.diff.removed],
            "changed": [
                {
                    "name": change.name,
                    "fields": [
                        {"path": f.path, "old": f.before, "new": f.after} for f in change.fields
                    ],
                }
                for change in self.diff.changed
            ],
            "description": (
                {"old": self.diff.description[0], "new": self.diff.description[1]}
                if self.diff.description
                else None
            ),
            "breaking": list(self.diff.breaking),
            "riskTier": self.risk.tier.label if self.risk else None,
            "riskReasons": [reason.text for reason in self.risk.deciding] if self.risk else [],
            "warnings": [w.as_json() for w in self.warnings],
        }


@dataclass(frozen=True)
class Plan:
    """The plan of a directory against a store; `problems` non-empty means nothing may go."""

    store: Store
    groups: tuple[GroupPlan, ...]
    problems: tuple[FileProblem, ...]
    # Live groups no file describes: a plan leaves them alone (deleting is done in the UI).
    untouched: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> list[GroupPlan]:
        return [group for group in self.groups if group.action != UNCHANGED]

    def as_json(self) -> dict:
        return {
            "store": {"id": self.store.id, "displayName": self.store.display_name},
            "valid": self.ok,
            "problems": [p.as_json() for p in self.problems],
            "groups": [g.as_json() for g in self.groups],
            "untouched": list(self.untouched),
        }


def live_groups(store_id: str) -> dict:
    """The store's groups as Twilio holds them now, with traits, by name."""
    groups = memory_api_client().iter_trait_groups(
        store_id, include_traits=True, page_size=MAX_PAGE_SIZE
    )
    return {group.display_name: group for group in groups}


def live_writers(store_id: str) -> dict[str, dict[str, list[Writer]]] | None:
    """Group → trait → the data mappings Twilio says write it now (None: unreadable, so
    the plan says the risk was not computed rather than guess that nothing writes it)."""
    try:
        mappings = memory_api_client().list_data_mappings(store_id)
    except MemoryApiError:
        return None
    writers: dict[str, dict[str, list[Writer]]] = {}
    for mapping in mappings:
        for target in mapping.targets:
            writer = Writer(mapping.id, mapping.display_name, mapping.source, target.trait_name)
            writers.setdefault(target.trait_group, {}).setdefault(target.trait_name, [])
            writers[target.trait_group][target.trait_name].append(writer)
    return writers


def plan_store(*, store: Store, files: list[tuple[str, str]], extra_problems=()) -> Plan:
    """The plan of `files` ((name, text) pairs) against `store`; raises MemoryApiError."""
    live = live_groups(store.id)
    writers = live_writers(store.id)
    try:
        id_types = traitgroup_selectors.identifier_types(store.id)
    except MemoryApiError:
        id_types = None  # unknown: promotions are then not checked, as in the builder
    problems: list[FileProblem] = list(extra_problems)
    plans: list[GroupPlan] = []
    seen: dict[str, str] = {}
    for name, text in files:
        parsed = parse(name, text)
        if isinstance(parsed, FileProblem):
            problems.append(parsed)
            continue
        group_problems, warnings = check_file(
            parsed, store=store, live_names=frozenset(live), id_types=id_types
        )
        display_name = parsed.body.get("displayName")
        if not group_problems and display_name in seen:
            group_problems.append(
                parsed.problem(
                    f"{seen[display_name]} describes {display_name!r} too; one file per group.",
                    "displayName",
                )
            )
        if group_problems:
            problems += group_problems
            continue
        seen[display_name] = name
        current = live.get(display_name)
        old = canonical_body(current.to_request_body()) if current else None
        body = canonical_body(parsed.body)
        changes = diff_definitions(old, body)
        action = CREATE if current is None else (UNCHANGED if changes.is_empty else UPDATE)
        risk = None
        if writers is not None:
            risk = impact.assess_definitions(
                store_id=store.id,
                group_name=display_name,
                base=old,
                target=body,
                writers=writers.get(display_name, {}),
            ).risk
        plans.append(
            GroupPlan(
                name=display_name,
                file=name,
                action=action,
                diff=changes,
                body=body,
                live_version=current.version if current else None,
                warnings=tuple(warnings),
                risk=risk,
            )
        )
    creates = [plan for plan in plans if plan.action == CREATE]
    room = MAX_GROUPS_PER_STORE - len(live)
    for plan in creates[max(room, 0) :]:
        problems.append(
            FileProblem(
                plan.file,
                None,
                f"A store holds at most {MAX_GROUPS_PER_STORE} trait "
                f"groups; it has {len(live)}, and {plan.name!r} would be one too many.",
            )
        )
    untouched = tuple(sorted(set(live) - set(seen)))
    return Plan(store=store, groups=tuple(plans), problems=tuple(problems), untouched=untouched)


def check_file(
    group: GroupFile, *, store: Store, live_names: frozenset, id_types
) -> tuple[list[FileProblem], list[FileProblem]]:
    """(errors, warnings) of one file: its header, its shape, then the builder's validator."""
    if group.store not in (store.id, store.display_name):
        return [
            group.problem(
                f"This file belongs to store {group.store!r}, not {store.display_name!r} "
                f"({store.id}).",
                "store",
            )
        ], []
    shape = _shape_problems(group)
    if shape:
        return shape, []
    draft = importing.draft_from_document(group.body)
    own_name = group.body.get("displayName", "")
    context = validation.ValidationContext(
        existing_names=live_names - {own_name}, id_types=id_types
    )
    names = list(group.body.get("traits") or {})
    errors, warnings = [], []
    for issue in validation.validate(draft, context):
        problem = _located(group, issue, names)
        if issue.is_error or issue.code in REFUSED_WARNINGS:
            errors.append(problem)
        else:
            warnings.append(problem)
    return errors, warnings


def _shape_problems(group: GroupFile) -> list[FileProblem]:
    """What the builder's import refuses (unknown keys, wrong types), each at its line."""
    body = group.body
    problems = [
        group.problem(f"{key} is not part of a TraitGroupRequest.", key)
        for key in _NOT_REQUEST_KEYS
        if key in body
    ]
    top = {key: value for key, value in body.items() if key not in (*_NOT_REQUEST_KEYS, "traits")}
    if isinstance(body.get("traits"), dict) or body.get("traits") is None:
        top["traits"] = {}
    else:
        top["traits"] = body["traits"]
    problems += _import_problems(group, top, ())
    if problems or not isinstance(body.get("traits"), dict):
        return problems
    for name, trait in body["traits"].items():
        problems += _import_problems(group, {"traits": {name: trait}}, ("traits", name))
    return problems


def _import_problems(group: GroupFile, document: dict, path: tuple) -> list[FileProblem]:
    try:
        importing.draft_from_document(document)
    except importing.ImportRejected as exc:
        return [
            group.problem(message, *_mentioned(group, path, message)) for message in exc.messages
        ]
    return []


def _mentioned(group: GroupFile, path: tuple, message: str) -> tuple:
    """The deepest key under `path` that `message` names, so its line is the one shown."""
    best = path
    for key in group.lines:
        if key[: len(path)] == path and len(key) > len(best) and key[-1] in message:
            best = key
    return best


def _located(group: GroupFile, issue, names: list[str]) -> FileProblem:
    """A validator issue (`traits.3.maxLength`) as a problem at its file line."""
    parts = issue.path.split(".")
    if parts[0] != "traits":
        return group.problem(f"{issue.path}: {issue.message}", issue.path)
    if len(parts) == 1:  # the whole map: point at the first trait past the limit
        extra = names[c.MAX_TRAITS_PER_GROUP] if len(names) > c.MAX_TRAITS_PER_GROUP else None
        key = ("traits", extra) if extra else ("traits",)
        where = f"traits.{extra}" if extra else "traits"
        return group.problem(f"{where}: {issue.message}", *key)
    trait = names[int(parts[1])]
    field = parts[2] if len(parts) > 2 else "name"
    if field == "name":
        return group.problem(f"traits.{trait}: {issue.message}", "traits", trait)
    if field in ROW_FIELDS and field not in ("dataType", "description", "idTypePromotion"):
        key = ("traits", trait, "validationRule", field)
        where = f"traits.{trait}.validationRule.{field}"
    else:
        key = ("traits", trait, field)
        where = f"traits.{trait}.{field}"
    return group.problem(f"{where}: {issue.message}", *key)
