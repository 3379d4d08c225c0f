"""Publishing many trait groups at once, with bounded concurrency and one shared backoff.

Workers are threads over the one pooled client, kept on one CPU core (`cpu.py` says
why). The client's rate-limit gate is shared, so when any worker hears 429 every worker
waits out the same `Retry-After` instead of hammering Twilio; and as everywhere, a write
whose answer was lost is reported as `OutcomeUnknown`, never sent twice.
"""

import logging
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings

from memadmin.memory_api.client import MemoryApiClient, memory_api_client
from memadmin.memory_api.cpu import current_cpu, keep_on_cpu
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
    one_cpu: bool | None = None,
) -> list[BulkOutcome]:
    """Sends every item, at most `concurrency` at a time; outcomes come back in input order.

    `concurrency` and `one_cpu` (keep the workers on the caller's CPU core) default to
    the settings `MEMORY_API_BULK_CONCURRENCY` and `MEMORY_API_BULK_ONE_CPU`.
    """
    if not items:
        return []
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("submit_bulk needs a distinct key for every item.")
    client = client or memory_api_client()
    if concurrency is None:
        concurrency = settings.MEMORY_API_BULK_CONCURRENCY
    if one_cpu is None:
        one_cpu = settings.MEMORY_API_BULK_ONE_CPU
    workers = max(1, min(concurrency, len(items)))
    # Each worker takes the next item until none are left, rather than one future per
    # item: the calling thread then wakes once at the end, not once per answer, and the
    # workers keep the GIL for sending (that hand-off cost ~0.2 ms of CPU an item).
    pending: queue.SimpleQueue[tuple[int, BulkItem]] = queue.SimpleQueue()
    for index, item in enumerate(items):
        pending.put((index, item))
    outcomes: list[BulkOutcome | None] = [None] * len(items)

    def work() -> None:
        while True:
            try:
                index, item = pending.get_nowait()
            except queue.Empty:
                return
            outcomes[index] = _submit_one(client, item)

    if workers == 1:
        work()
    else:
        # The caller waits meanwhile, so its core is free; the caller itself stays unpinned.
        with ThreadPoolExecutor(
            max_workers=workers,
            thread_name_prefix="memory-api-bulk",
            initializer=keep_on_cpu,
            initargs=(current_cpu() if one_cpu else None,),
        ) as pool:
            for worker in [pool.submit(work) for _ in range(workers)]:
                worker.result()
    if any(outcome is None for outcome in outcomes):
        raise RuntimeError("submit_bulk: a worker stopped before every item had an outcome.")
    return outcomes  # type: ignore[return-value]  # every slot filled, as just checked


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
