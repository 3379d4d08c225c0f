"""The parts of the Memory API contract the client speaks: paths, headers, limits.

Quoted from `../shared/specs/NOTES.md`. The emulator keeps its own copy on purpose;
the two meeting in tests is how a misreading on either side gets caught.
"""

from urllib.parse import quote

# "Host: https://memory.twilio.com".
TWILIO_BASE_URL = "https://memory.twilio.com"
# settings.MEMORY_API_URL == "emulator" routes the client to the embedded emulator, which
# answers on this made-up host through httpx's WSGI transport (nothing leaves the process).
EMULATOR_SETTING = "emulator"
EMULATOR_BASE_URL = "http://memory-emulator.local"

CONTROL_PLANE = "/v1/ControlPlane"
STORES_PATH = f"{CONTROL_PLANE}/Stores"
# Profiles: "GET /v1/Stores/{storeId}/Profiles" (ids, paged; the spec's pageSize runs to
# 1000), "GET …/Profiles/{profileId}/Traits" (at most 100 traits a page, `traitGroups`).
DATA_PLANE_STORES_PATH = "/v1/Stores"
MAX_PROFILE_PAGE_SIZE = 1000
# "GET /v1/ControlPlane/Operations/{operationId}"; a statusUrl must live under this.
OPERATIONS_PATH = f"{CONTROL_PLANE}/Operations/"

HEADER_ETAG = "ETag"
HEADER_IF_MATCH = "If-Match"
HEADER_OPERATION_ID = "Operation-Id"
HEADER_LOCATION = "Location"
HEADER_RETRY_AFTER = "Retry-After"

# "pageSize 1-100 (default 50)"; trait-group lists hold "≤50 a page".
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

# "Errors on all of them: 400, 404, 429, 500, 503"; only these two mean "not now, later".
RATE_LIMITED = 429
UNAVAILABLE = 503
RETRYABLE_STATUSES = frozenset({RATE_LIMITED, UNAVAILABLE})

# "status (required: PENDING, RUNNING, CANCELLED, COMPLETED, FAILED)"; "Terminal: COMPLETED,
# FAILED, CANCELLED."
OPERATION_STATUSES = frozenset({"PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"})
TERMINAL_OPERATION_STATUSES = frozenset({"COMPLETED", "FAILED", "CANCELLED"})

# Methods that change state in Twilio: never re-sent once they may have arrived.
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def segment(value: str) -> str:
    """One path segment, percent-encoded; "." and ".." would walk the path, so they are refused."""
    if value in {"", ".", ".."}:
        raise ValueError(f"{value!r} cannot be used as a name in a Memory API path.")
    return quote(value, safe="")


def store_path(store_id: str) -> str:
    return f"{STORES_PATH}/{segment(store_id)}"


def identity_resolution_settings_path(store_id: str) -> str:
    return f"{store_path(store_id)}/IdentityResolutionSettings"


def trait_groups_path(store_id: str) -> str:
    return f"{store_path(store_id)}/TraitGroups"


def trait_group_path(store_id: str, name: str) -> str:
    return f"{trait_groups_path(store_id)}/{segment(name)}"


def profiles_path(store_id: str) -> str:
    """NOTES.md "Beyond trait groups": profiles live outside the control plane."""
    return f"{DATA_PLANE_STORES_PATH}/{segment(store_id)}/Profiles"


def profile_traits_path(store_id: str, profile_id: str) -> str:
    return f"{profiles_path(store_id)}/{segment(profile_id)}/Traits"


def operation_path(operation_id: str) -> str:
    return f"{OPERATIONS_PATH}{segment(operation_id)}"


# "GET/POST /v1/ControlPlane/Stores/{storeId}/DataMappings",
# "GET/PATCH/DELETE …/DataMappings/{dataMappingId}"; a list page holds at most 100.
MAX_DATA_MAPPINGS_PER_PAGE = 100
# DataMappingType: the ingestion sources a mapping reads.
DATA_MAPPING_SOURCES = ("INGRESS", "DATASET_CLOUDAPP", "DATASET_WAREHOUSE")


def data_mappings_path(store_id: str) -> str:
    return f"{store_path(store_id)}/DataMappings"


def data_mapping_path(store_id: str, mapping_id: str) -> str:
    return f"{data_mappings_path(store_id)}/{segment(mapping_id)}"
