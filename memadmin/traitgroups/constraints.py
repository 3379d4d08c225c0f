"""The Memory API's limits on trait groups, each quoted from `shared/specs/NOTES.md`.

memadmin keeps its own copy of the contract (the emulator keeps another), so that each
checks the other.
"""

import re

# "`displayName` — required, string 1–64, pattern `^[a-zA-Z0-9_\-\.]+$`, unique in the store"  # noqa: RUF003
MIN_DISPLAY_NAME_LENGTH = 1
MAX_DISPLAY_NAME_LENGTH = 64
DISPLAY_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_\-\.]+$")

# "`description` — string ≤ 1024" (of the group and of each TraitDefinition)
MAX_DESCRIPTION_LENGTH = 1024

# "`traits` — object, **at most 95** entries, key = trait name, value = TraitDefinition"
MAX_TRAITS_PER_GROUP = 95

# "`dataType` — required, one of `STRING`, `NUMBER`, `BOOLEAN`, `ARRAY`, or `""`
# (delete marker, PATCH only)"
DATA_TYPES = ("STRING", "NUMBER", "BOOLEAN", "ARRAY")

# "`idTypePromotion` — string ≤ 30: promotes the trait value to an identifier type
# (`email`, `phone`, …) configured in the store's Identity Resolution Settings"
MAX_ID_TYPE_PROMOTION_LENGTH = 30

# "`STRING`: `pattern` (regex ≤ 1000 chars), `minLength` (int ≥ 0), `maxLength` (int ≥ 1)"
MAX_PATTERN_LENGTH = 1000
MIN_MIN_LENGTH = 0
MIN_MAX_LENGTH = 1
# "`ARRAY`: `minItems` (int ≥ 0), `maxItems` (int ≥ 0)"
MIN_MIN_ITEMS = 0
MIN_MAX_ITEMS = 0

# "elsewhere in the same API a trait name is `^[a-z][a-zA-Z0-9_\-\.]*$`, 1–128 chars.  # noqa: RUF003
# Warn on names that would not survive that."
TRAIT_NAME_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9_\-\.]*$")
# Limits page: "trait name | 64 characters (the spec's MappingTraitItem.traitName allows
# 128: the limits page is the stricter, so use 64)".
MAX_TRAIT_NAME_LENGTH = 64
# Limits page: "trait groups per memory store | 50".
MAX_TRAIT_GROUPS_PER_STORE = 50
# "Out-of-the-box trait groups such as `Contact` exist in every store by default"; the
# error dictionary: "protected trait or trait group: cannot be edited or deleted". Its
# built-in traits are those of the spec's examples.
PROTECTED_TRAIT_GROUPS: dict[str, frozenset[str]] = {
    "Contact": frozenset(
        {
            "email",
            "phone",
            "firstName",
            "lastName",
            "street",
            "city",
            "state",
            "postalCode",
            "country",
        }
    )
}

# The rule fields each data type carries, in the order the builder shows them.
# "ValidationRule — discriminated by `ruleType` (required), no other properties allowed"
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "STRING": ("pattern", "minLength", "maxLength"),
    "NUMBER": ("min", "max"),
    "ARRAY": ("minItems", "maxItems"),
    "BOOLEAN": (),
}
INTEGER_RULE_FIELDS = frozenset({"minLength", "maxLength", "minItems", "maxItems"})
NUMBER_RULE_FIELDS = frozenset({"min", "max"})
ALL_RULE_FIELDS = ("pattern", "minLength", "maxLength", "min", "max", "minItems", "maxItems")
