"""The audit trail of an operation: its submission and every change of its status."""

from memadmin.audit import services as audit
from memadmin.operations.models import Operation


def record_status_change(*, operation: Operation, before: str, actor=None) -> None:
    """Appends `operation.status_changed` to the audit log when the status did change."""
    if before == operation.status:
        return
    failed = operation.status in {Operation.Status.FAILED, Operation.Status.CANCELLED}
    audit.record(
        action="operation.status_changed",
        actor=actor,
        target=operation,
        store_id=operation.store_id,
        trait_group=operation.trait_group_name,
        revision_id=operation.revision_id,
        before={"status": before},
        after={"status": operation.status},
        outcome="failure" if failed else "success",
        twilio_code=operation.error_code if failed else None,
        detail=operation.error_in_words if failed else "",
    )


def audit_submission(operation: Operation, *, actor, outcome, answer, **fields) -> None:
    """Appends `traitgroup.submitted`: what was sent and what Twilio answered."""
    audit.record(
        action="traitgroup.submitted",
        actor=actor,
        target=operation,
        store_id=operation.store_id,
        trait_group=operation.trait_group_name,
        revision_id=operation.revision_id,
        after={
            "method": operation.method,
            "ifMatch": operation.if_match,
            "request": operation.request_body,
            "answer": answer,
        },
        outcome=outcome,
        **fields,
    )
