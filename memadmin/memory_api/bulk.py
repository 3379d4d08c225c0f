"""Publishing many trait groups at once, with bounded concurrency and one shared backoff.

Workers are plain threads over the one pooled client: each spends its time waiting for
Twilio's answer, and threads overlap those waits. The client's rate-limit gate is shared,
so when any worker hears 429 every worker waits out the same `Retry-After` instead of
hammering Twilio; and as everywhere, a write whose answer was lost is reported as
`OutcomeUnknown`, never sent twice.

Pinning the workers to one CPU core, and a hand-rolled work queue instead of `pool.map`,
were measured and dropped (2026-12-02, 200 creates at a 20 ms emulated round trip, 2
shared cores): pinning was ~16% faster at load average 2-5 but anywhere from 18% slower
to 10% faster at 15-20; the queue made no difference. See `tests/benchmarks/bench_bulk.py`.
"""

import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings

from memadmin.memory_api.client import MemoryApiClient, memory_api_client
from memadmin.memory_api.errors import MemoryApiError, OutcomeUnknown
from memadmin.memory_api.types import Accepted

logger = logging.getLogger("memadmin.memory_api")

BulkMethod = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class BulkItem:
    """One write in a batch; `key` is the caller's handle to match the outcome back."""

    key: str
    method: BulkMethod
    store_id: str
    name: str | None = None
    body: dict[str, Any] | None = None
    if_match: str | None = None

    def __post_init__(self) -> None:
        needs = {"create": ("body",), "update": ("name", "body"), "delete": ("name",)}
        if self.method not in needs:
            raise ValueError(f"BulkItem {self.key!r}: method must be create, update or delete.")
        missing = [field for field in needs[self.method] if getattr(self, field) is None]
        if missing:
            raise ValueError(f"BulkItem {self.key!r}: {self.method} needs {', '.join(missing)}.")


@dataclass(frozen=True)
class BulkOutcome:
    """What happened to one item: `accepted` on a 202, `error` otherwise."""

    key: str
    accepted: Accepted | None
    error: MemoryApiError | None

    @property
    def ok(self) -> bool:
        return self.error is None


def submit_bulk(
    items: list[BulkItem],
    *,
    client: MemoryApiClient | None = None,
    concurrency: int | None = None,
) -> list[BulkOutcome]:
    """Sends every item, at most `concurrency` at a time; outcomes come back in input order.

    `concurrency` defaults to the setting `MEMORY_API_BULK_CONCURRENCY`.
    """
    if not items:
        return []
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("submit_bulk needs a distinct key for every item.")
    client = client or memory_api_client()
    if concurrency is None:
        concurrency = settings.MEMORY_API_BULK_CONCURRENCY
    send = functools.partial(_submit_one, client)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="memory-api-bulk") as pool:
        return list(pool.map(send, items))


def _submit_one(client: MemoryApiClient, item: BulkItem) -> BulkOutcome:
    try:
        return BulkOutcome(key=item.key, accepted=_send(client, item), error=None)
    except MemoryApiError as error:
        return BulkOutcome(key=item.key, accepted=None, error=error)
    except Exception as exc:
        # A bug, not an API answer; the write may have gone out, so it must not be retried.
        logger.exception("Memory API bulk item %s failed unexpectedly", item.key)
        error = OutcomeUnknown(
            message=f"Unexpected {type(exc).__name__} while submitting {item.key}",
            user_message=(
                f"memadmin hit an internal error while sending {item.key!r}; it may or may "
                "not have reached Twilio, so memadmin checks before anything is sent again."
            ),
        )
        return BulkOutcome(key=item.key, accepted=None, error=error)


def _send(client: MemoryApiClient, item: BulkItem) -> Accepted:
    if item.method == "create":
        return client.create_trait_group(item.store_id, item.body)
    if item.method == "update":
        return client.update_trait_group(
            item.store_id, item.name, item.body, if_match=item.if_match
        )
    return client.delete_trait_group(item.store_id, item.name, if_match=item.if_match)
