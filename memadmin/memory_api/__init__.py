"""The one httpx client for Twilio's Memory API: auth, retries, errors, paging, bulk."""

from memadmin.memory_api.bulk import BulkItem, BulkOutcome, submit_bulk
from memadmin.memory_api.client import (
    MemoryApiClient,
    memory_api_client,
    reset_memory_api_client,
)
from memadmin.memory_api.errors import MemoryApiError, OutcomeUnknown, UnsafeStatusUrl
from memadmin.memory_api.mapping_types import DataMapping, MappingTarget
from memadmin.memory_api.types import (
    Accepted,
    IdentityResolutionSettings,
    OperationError,
    OperationStatus,
    Store,
    TraitGroup,
)

__all__ = [
    "Accepted",
    "BulkItem",
    "BulkOutcome",
    "DataMapping",
    "IdentityResolutionSettings",
    "MappingTarget",
    "MemoryApiClient",
    "MemoryApiError",
    "OperationError",
    "OperationStatus",
    "OutcomeUnknown",
    "Store",
    "TraitGroup",
    "UnsafeStatusUrl",
    "memory_api_client",
    "reset_memory_api_client",
    "submit_bulk",
]
