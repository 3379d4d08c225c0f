"""The one validator of trait-group definitions: live checks and final submits both ask it.

It works on the builder's plain-dict draft (see `builder/state.py`): `displayName`,
`description` and a list of trait rows, each row keyed by the builder's stable row key,
so that every issue names a field path such as `displayName` or `traits.3.name`.
Everything here is plain Python over dicts with compiled patterns cached: it runs on
every keystroke of a 95-trait form.
"""

import functools
import math
import re
from dataclasses import dataclass, field

from memadmin.traitgroups import constraints as c
from memadmin.traitgroups import regex_budget
from memadmin.traitgroups.issues import ERROR, WARNING, Issue
from memadmin.traitgroups.pattern_checks import check_pattern


@dataclass(frozen=True)
class ValidationContext:
    """What the validator knows about the store beyond the draft itself."""

    # Names of the store's other groups (memadmin's table, kept fresh by list syncs).
    existing_names: frozenset[str] = frozenset()
    # Identifier types of the store's Identity Resolution Settings; None if unknown.
    id_types: tuple[str, ...] | None = None
    # Set when editing an existing group: its displayName addresses it and cannot change.
    fixed_display_name: str | None = None
    # Groups the store holds or is about to (Twilio allows 50); None if unknown.
    group_count: int | None = None
    # Editing a protected out-of-the-box group: its built-in traits and their data types.
    protected_traits: dict[str, str] = field(default_factory=dict)
    existing_lower: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(
            self, "existing_lower", frozenset(n.lower() for n in self.existing_names)
        )


def validate(draft: dict, context: ValidationContext | None = None) -> list[Issue]:
    """Every issue of a draft, errors and warnings, in form order."""
    context = context or ValidationContext()
    issues: list[Issue] = []
    issues += check_display_name(draft.get("displayName", ""), context)
    issues += check_description("description", draft.get("description", ""))
    rows = draft.get("traits") or []
    if len(rows) > c.MAX_TRAITS_PER_GROUP:
        issues.append(
            Issue(
                "traits",
                ERROR,
                f"A trait group holds at most {c.MAX_TRAITS_PER_GROUP} traits; "
                f"this one has {len(rows)}. Remove {len(rows) - c.MAX_TRAITS_PER_GROUP}.",
                "too_many_traits",
            )
        )
    issues += check_trait_names(rows)
    # Every new pattern of the draft compiles in one child process, not one per row.
    regex_budget.verdicts(
        row["pattern"]
        for row in rows
        if isinstance(row.get("pattern"), str) and 0 < len(row["pattern"]) <= c.MAX_PATTERN_LENGTH
    )
    for row in rows:
        issues += check_trait(row, context)
    issues += check_protected_traits(rows, context)
    return issues


# From this many groups on, the builder says how close the store is to Twilio's limit.
GROUP_COUNT_SHOWN_FROM = c.MAX_TRAIT_GROUPS_PER_STORE - 5


def check_group_limit(context: ValidationContext) -> list[Issue]:
    """A new group needs a free place: a store holds at most 50 trait groups."""
    count, limit = context.group_count, c.MAX_TRAIT_GROUPS_PER_STORE
    if count is None or context.fixed_display_name is not None or count < GROUP_COUNT_SHOWN_FROM:
        return []
    if count >= limit:
        return [
            Issue(
                "displayName",
                ERROR,
                f"{count} of {limit} groups in this store: Twilio allows no more. "
                "Delete a group before creating another.",
                "group_limit",
            )
        ]
    return [
        Issue(
            "displayName",
            WARNING,
            f"{count} of {limit} groups in this store: Twilio allows {limit}.",
            "group_limit_near",
        )
    ]


def check_protected_traits(rows: list[dict], context: ValidationContext) -> list[Issue]:
    """The built-in traits of a protected group stay, with their data types."""
    if not context.protected_traits:
        return []
    group = context.fixed_display_name
    issues = []
    present = {row.get("name", ""): row for row in rows}
    for name, data_type in context.protected_traits.items():
        row = present.get(name)
        if row is None:
            issues.append(
                Issue(
                    "traits",
                    ERROR,
                    f"'{name}' is a built-in trait of {group}, an out-of-the-box group that "
                    "Twilio protects: it cannot be removed. Add it back.",
                    "protected_trait_removed",
                )
            )
        elif row.get("dataType") != data_type:
            issues.append(
                Issue(
                    f"traits.{row['key']}.dataType",
                    ERROR,
                    f"'{name}' is a built-in trait of {group}: its data type stays {data_type}.",
                    "protected_trait_retyped",
                )
            )
    return issues


def check_display_name(value: str, context: ValidationContext) -> list[Issue]:
    """displayName: required, 1 to 64 characters of `[a-zA-Z0-9_-.]`, unique in the store."""
    path = "displayName"
    if context.fixed_display_name is not None:
        if value != context.fixed_display_name:
            return [
                Issue(
                    path,
                    ERROR,
                    f"The name addresses the group in Twilio and cannot change; "
                    f"keep {context.fixed_display_name!r}.",
                    "renamed",
                )
            ]
        return []
    issues = check_group_limit(context)
    if not value:
        return [*issues, Issue(path, ERROR, "Enter a display name.", "required")]
    if len(value) > c.MAX_DISPLAY_NAME_LENGTH:
        issues.append(
            Issue(
                path,
                ERROR,
                f"Use at most {c.MAX_DISPLAY_NAME_LENGTH} characters (this has {len(value)}).",
                "too_long",
            )
        )
    if not c.DISPLAY_NAME_PATTERN.match(value):
        bad = "".join(sorted({ch for ch in value if not c.DISPLAY_NAME_PATTERN.match(ch)}))
        issues.append(
            Issue(
                path,
                ERROR,
                f"Use only letters, digits, underscore, hyphen and dot (not {bad!r}).",
                "pattern",
            )
        )
    if value in context.existing_names:
        issues.append(
            Issue(
                path,
                ERROR,
                f"A trait group named {value!r} already exists in this store.",
                "not_unique",
            )
        )
    elif value.lower() in context.existing_lower:
        issues.append(
            Issue(
                path,
                WARNING,
                f"A group whose name differs from {value!r} only in case exists in this store.",
                "similar_name",
            )
        )
    return issues


def check_description(path: str, value: str) -> list[Issue]:
    """A description of the group or of a trait: at most 1024 characters."""
    if len(value) > c.MAX_DESCRIPTION_LENGTH:
        return [
            Issue(
                path,
                ERROR,
                f"Use at most {c.MAX_DESCRIPTION_LENGTH} characters "
                f"({len(value) - c.MAX_DESCRIPTION_LENGTH} too many).",
                "too_long",
            )
        ]
    return []


_WORD_SEPARATORS = re.compile(r"[_\-\.\s]+")


@functools.lru_cache(maxsize=4096)
def lower_camel_case(name: str) -> str:
    """What Twilio's lowerCamelCase normalisation makes of a trait name."""
    words = [w for w in _WORD_SEPARATORS.split(name.strip()) if w]
    if not words:
        return ""
    first = words[0][:1].lower() + words[0][1:]
    return first + "".join(w[:1].upper() + w[1:] for w in words[1:])


def check_trait_names(rows: list[dict]) -> list[Issue]:
    """Trait names: present, distinct, and distinct after lowerCamelCase normalisation."""
    issues = []
    seen: dict[str, tuple[int, str]] = {}
    normalised_seen: dict[str, tuple[int, str]] = {}
    for position, row in enumerate(rows, start=1):
        name = row.get("name", "")
        path = f"traits.{row['key']}.name"
        if not name:
            issues.append(Issue(path, ERROR, "Enter a trait name.", "trait_name_missing"))
            continue
        if name in seen:
            other = seen[name][0]
            issues.append(
                Issue(
                    path,
                    ERROR,
                    f"Trait {other} is also named {name!r}; names must be unique.",
                    "trait_name_duplicate",
                )
            )
            continue
        seen[name] = (position, name)
        normalised = lower_camel_case(name)
        if normalised in normalised_seen:
            other, other_name = normalised_seen[normalised]
            issues.append(
                Issue(
                    path,
                    ERROR,
                    f"Collides with trait {other} ({other_name!r}): both become "
                    f"{normalised!r} after lowerCamelCase normalisation.",
                    "trait_name_collision",
                )
            )
        else:
            normalised_seen[normalised] = (position, name)
        if len(name) > c.MAX_TRAIT_NAME_LENGTH:
            issues.append(
                Issue(
                    path,
                    ERROR,
                    f"Use at most {c.MAX_TRAIT_NAME_LENGTH} characters, Twilio's limit for "
                    f"trait names (this has {len(name)}).",
                    "trait_name_long",
                )
            )
        elif not c.TRAIT_NAME_PATTERN.match(name) or normalised != name:
            issues.append(
                Issue(
                    path,
                    WARNING,
                    f"Not lowerCamelCase: Twilio normalises trait names, so this may become "
                    f"{normalised!r}.",
                    "not_lower_camel_case",
                )
            )
    return issues


def check_trait(row: dict, context: ValidationContext) -> list[Issue]:
    """One trait row: data type, description, promotion and the rule fields of its type."""
    prefix = f"traits.{row['key']}."
    issues = []
    data_type = row.get("dataType", "")
    if data_type not in c.DATA_TYPES:
        issues.append(
            Issue(
                prefix + "dataType",
                ERROR,
                "Choose a data type: " + ", ".join(c.DATA_TYPES) + ".",
                "data_type",
            )
        )
    issues += check_description(prefix + "description", row.get("description", "") or "")
    issues += check_id_type_promotion(
        prefix + "idTypePromotion", row.get("idTypePromotion", ""), context
    )
    if data_type == "STRING":
        issues += check_pattern(prefix + "pattern", row.get("pattern", "") or "")
        issues += check_range(
            row,
            prefix,
            "minLength",
            "maxLength",
            integer=True,
            minimums=(c.MIN_MIN_LENGTH, c.MIN_MAX_LENGTH),
        )
    elif data_type == "NUMBER":
        issues += check_range(row, prefix, "min", "max", integer=False, minimums=None)
    elif data_type == "ARRAY":
        issues += check_range(
            row,
            prefix,
            "minItems",
            "maxItems",
            integer=True,
            minimums=(c.MIN_MIN_ITEMS, c.MIN_MAX_ITEMS),
        )
    return issues


def check_id_type_promotion(path: str, value: str, context: ValidationContext) -> list[Issue]:
    """idTypePromotion: at most 30 characters, and best one of the store's identifier types."""
    if not value:
        return []
    if len(value) > c.MAX_ID_TYPE_PROMOTION_LENGTH:
        return [
            Issue(
                path,
                ERROR,
                f"Use at most {c.MAX_ID_TYPE_PROMOTION_LENGTH} characters (this has {len(value)}).",
                "too_long",
            )
        ]
    if context.id_types is not None and value not in context.id_types:
        configured = ", ".join(context.id_types) or "none"
        return [
            Issue(
                path,
                ERROR,
                f"{value!r} is not an identifier type of this store's Identity Resolution "
                f"Settings (configured: {configured}), and Twilio refuses it.",
                "unknown_id_type",
            )
        ]
    return []


def parse_number(value, *, integer: bool):
    """A form string or JSON value as int/float; None if blank; raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or (integer and not value.is_integer()):
            raise ValueError
        return int(value) if integer else value
    if not isinstance(value, str):
        raise ValueError
    text = value.strip()
    if integer:
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise ValueError
    return (
        int(number)
        if number.is_integer() and "." not in text and "e" not in text.lower()
        else number
    )


def check_range(
    row: dict, prefix: str, low: str, high: str, *, integer: bool, minimums
) -> list[Issue]:
    """A pair of rule fields: each a number (≥ its minimum, for counts) and low ≤ high."""
    issues = []
    values = {}
    for position, name in enumerate((low, high)):
        try:
            number = parse_number(row.get(name), integer=integer)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            issues.append(Issue(prefix + name, ERROR, f"Enter {kind}.", "not_a_number"))
            continue
        if number is not None and minimums is not None and number < minimums[position]:
            issues.append(
                Issue(prefix + name, ERROR, f"Enter {minimums[position]} or more.", "too_small")
            )
        values[name] = number
    if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
        issues.append(
            Issue(prefix + high, ERROR, f"Must be at least {low} ({values[low]}).", "min_above_max")
        )
    return issues
