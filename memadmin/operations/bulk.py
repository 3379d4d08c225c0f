"""Submitting many saved operations at once through `memory_api.submit_bulk`.

The outbox rows are saved first (by the caller, with `start_operation`), claimed for
sending in one pass, sent with bounded concurrency, and each answer is recorded exactly
as a single submission's would be.
"""

from memadmin.memory_api import BulkItem, OutcomeUnknown, submit_bulk
from memadmin.operations import services
from memadmin.operations.models import Operation

_BULK_METHOD = {"POST": "create", "PATCH": "update", "DELETE": "delete"}


def submit_many(
    *, operations: list[Operation], actor=None, client=None, concurrency: int | None = None
) -> list[Operation]:
    """Sends every SUBMITTING operation once, concurrently; returns them with their answers."""
    sending = []
    for operation in operations:
        try:
            services.mark_sending(operation=operation)
        except services.SubmissionInProgress:
            continue  # someone else owns this one; it is not sent twice
        sending.append(operation)
    items = [
        BulkItem(
            key=str(operation.pk),
            method=_BULK_METHOD[operation.method],
            store_id=operation.store_id,
            name=operation.trait_group_name,
            body=operation.request_body if operation.method != "DELETE" else None,
            if_match=operation.if_match or None,
        )
        for operation in sending
    ]
    by_key = {str(operation.pk): operation for operation in sending}
    for outcome in submit_bulk(items, client=client, concurrency=concurrency):
        operation = by_key[outcome.key]
        if outcome.accepted is not None:
            services.record_accepted(operation=operation, accepted=outcome.accepted, actor=actor)
        elif isinstance(outcome.error, OutcomeUnknown):
            services.record_outcome_unknown(operation=operation, error=outcome.error, actor=actor)
        else:
            services.record_failure(operation=operation, error=outcome.error, actor=actor)
    return operations
