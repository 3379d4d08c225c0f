"""The numbers and patterns of the Memory API contract, as the emulator reads them.

Quoted from `../shared/specs/NOTES.md` (itself a restatement of Twilio's OpenAPI spec
`twilio_memory_v1.json`). The emulator keeps its own copy on purpose: memadmin's client
holds another, and the two meeting in tests is how a misreading gets caught.
"""

import re

API_VERSION_PREFIX = "/v1"

# Identifiers. "storeId: ^mem_(store|service)_[0-7][0-9a-z]{25}$ … A malformed one is a 400."
STORE_ID_PATTERN = re.compile(r"^mem_(store|service)_[0-7][0-9a-z]{25}$")
# "traitGroupName (path): 1-64 chars"; "operationId: opaque string ≤ 512 chars".
MAX_TRAIT_GROUP_NAME_IN_PATH = 64
MAX_OPERATION_ID_LENGTH = 512

# TraitGroupRequest: "displayName — required, string 1-64, pattern ^[a-zA-Z0-9_\-\.]+$".
TRAIT_GROUP_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_\-.]+$")
MIN_TRAIT_GROUP_NAME_LENGTH = 1
MAX_TRAIT_GROUP_NAME_LENGTH = 64
# "description — string ≤ 1024" (trait groups and traits alike).
MAX_DESCRIPTION_LENGTH = 1024
# "traits — object, at most 95 entries".
MAX_TRAITS_PER_GROUP = 95
# Twilio's limits page: "trait groups per memory store: 50"; "trait name: 64 characters"
# (stricter than the spec's 128 for MappingTraitItem.traitName, so 64 it is).
MAX_TRAIT_GROUPS_PER_STORE = 50
MAX_TRAIT_NAME_LENGTH = 64
# "idTypePromotion — string ≤ 30".
MAX_ID_TYPE_PROMOTION_LENGTH = 30
# StringValidationRule: "pattern (regex ≤ 1000 chars)".
MAX_RULE_PATTERN_LENGTH = 1000

# "dataType — required, one of STRING, NUMBER, BOOLEAN, ARRAY, or "" (delete marker, PATCH only)".
DATA_TYPES = ("STRING", "NUMBER", "BOOLEAN", "ARRAY")
REMOVE_TRAIT_MARKER = ""

TRAIT_GROUP_REQUEST_FIELDS = frozenset({"displayName", "description", "traits"})
PATCH_TRAIT_GROUP_REQUEST_FIELDS = frozenset({"description", "traits"})
TRAIT_DEFINITION_FIELDS = frozenset(
    {"dataType", "description", "validationRule", "idTypePromotion"}
)

# ValidationRule, "discriminated by ruleType (required), no other properties allowed".
RULE_FIELDS: dict[str, frozenset[str]] = {
    "STRING": frozenset({"ruleType", "pattern", "minLength", "maxLength"}),
    "NUMBER": frozenset({"ruleType", "min", "max"}),
    "BOOLEAN": frozenset({"ruleType"}),
    "ARRAY": frozenset({"ruleType", "minItems", "maxItems"}),
}
# Integer properties and their minimum: "minLength (int ≥ 0), maxLength (int ≥ 1)",
# "minItems (int ≥ 0), maxItems (int ≥ 0)".
RULE_INTEGER_MINIMUMS: dict[str, int] = {
    "minLength": 0,
    "maxLength": 1,
    "minItems": 0,
    "maxItems": 0,
}
# "min ≤ max where both are given."
RULE_MIN_MAX_PAIRS = (("minLength", "maxLength"), ("min", "max"), ("minItems", "maxItems"))

# Paging: "pageSize 1-100 (default 50), pageToken, orderBy ASC/DESC (default DESC)";
# a trait-group list page holds "≤50 a page".
DEFAULT_PAGE_SIZE = 50
MIN_PAGE_SIZE = 1
MAX_PAGE_SIZE = 100
MAX_TRAIT_GROUPS_PER_PAGE = 50
MAX_PAGE_TOKEN_LENGTH = 4096
ORDER_BY_VALUES = ("ASC", "DESC")
DEFAULT_ORDER_BY = "DESC"
# The spec's IfMatchHeader: "maxLength": 100.
MAX_IF_MATCH_LENGTH = 100

# OperationStatus.status values; "Terminal: COMPLETED, FAILED, CANCELLED."
PENDING, RUNNING, COMPLETED, FAILED, CANCELLED = (
    "PENDING",
    "RUNNING",
    "COMPLETED",
    "FAILED",
    "CANCELLED",
)

# TwilioError codes: "400 → code 400; 401 → 20003; 403 → 403; 404 → 20404; 409 → 20409;
# 412 → 20412; 429 → 20429; 500 → 20500; 503 → 20503."
ERROR_CODES: dict[int, int] = {
    400: 400,
    401: 20003,
    403: 403,
    404: 20404,
    405: 20004,
    409: 20409,
    412: 20412,
    429: 20429,
    500: 20500,
    503: 20503,
}
MORE_INFO_URL = "https://www.twilio.com/docs/api/errors/{code}"

# Data mappings (the spec's DataMapping schemas).
# "dataMappingId: ^mem_datamapping_[0-7][0-9a-z]{25}$".
DATA_MAPPING_ID_PATTERN = re.compile(r"^mem_datamapping_[0-7][0-9a-z]{25}$")
# DataMappingName: "pattern ^[a-zA-Z][a-zA-Z0-9-.]*$, 1-64".
DATA_MAPPING_NAME_PATTERN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-.]*$")
MAX_DATA_MAPPING_NAME_LENGTH = 64
# "description: 1-512" (a data mapping's, not a trait group's 1024).
MAX_DATA_MAPPING_DESCRIPTION_LENGTH = 512
# DataMappingType, and mappingFrom's discriminator: each source and the fields it takes.
DATA_MAPPING_SOURCES: dict[str, frozenset[str]] = {
    "INGRESS": frozenset({"type", "columns"}),
    "DATASET_CLOUDAPP": frozenset({"type", "datasetId"}),
    "DATASET_WAREHOUSE": frozenset({"type", "datasetId"}),
}
# "For DATASET_CLOUDAPP and DATASET_WAREHOUSE types, validates that all mapped Trait Groups
# and traits exist".
DATASET_SOURCES = frozenset({"DATASET_CLOUDAPP", "DATASET_WAREHOUSE"})
DATASET_ID_PATTERN = re.compile(r"^tdi_dataset_[0-7][0-9a-z]{25}$")
# DataMappingFromIngress.columns: "minItems 1, maxItems 100", each "1-256".
MAX_INGRESS_COLUMNS = 100
MAX_INGRESS_COLUMN_LENGTH = 256
# DataMappingToTraits: "type TRAITS"; "mappings: minItems 1, maxItems 100".
DATA_MAPPING_TARGET_TYPES = ("TRAITS",)
DATA_MAPPING_TO_FIELDS = frozenset({"type", "mappings"})
MAX_MAPPING_ITEMS = 100
# MappingTraitItem: "expression 1-256; traitGroup 1-64 ^[a-zA-Z0-9_\-\.]+$;
# traitName 1-128 ^[a-z][a-zA-Z0-9_\-\.]*$". The 128 is the spec's, kept as is here: a
# mapping naming a longer trait than any group can hold is odd, but the spec allows it.
MAPPING_ITEM_FIELDS = frozenset({"expression", "traitGroup", "traitName"})
MAX_MAPPING_EXPRESSION_LENGTH = 256
MAPPING_TRAIT_NAME_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9_\-.]*$")
MAX_MAPPING_TRAIT_NAME_LENGTH = 128
# DataMappingList: "dataMappings: maxItems 100"; the page size range is the usual 1-100.
MAX_DATA_MAPPINGS_PER_PAGE = 100
# Profiles (NOTES.md "Beyond trait groups"; the spec's PageSize: "maximum of 1000").
PROFILE_ID_PATTERN = re.compile(r"^mem_profile_[0-7][0-9a-z]{25}$")
MAX_PROFILE_PAGE_SIZE = 1000
# ListProfileTraits: "traits" holds "maxItems": 100; TraitGroupsQueryParam is 1-256 chars.
MAX_PROFILE_TRAITS_PER_PAGE = 100
MAX_TRAIT_GROUPS_FILTER_LENGTH = 256
# The spec's TraitGroups body: at most 50 groups, each of at most 99 traits.
MAX_PROFILE_TRAIT_GROUPS = 50
MAX_PROFILE_TRAITS_PER_GROUP = 99
