"""Signals from the operations app to the apps above it (they must not be imported here).
Both are sent after commit; their receivers are one-line adaptors to the owner's services.

- `operation_finished(sender=Operation, operation=...)`: the operation reached COMPLETED,
  FAILED or CANCELLED (`finishing.finish_operation`, whoever settled it).
- `operation_retrying(sender=Operation, operation=...)`: a refused submission is about to
  be sent again (the Retry action), so whatever it publishes is in flight once more.
"""

from django.dispatch import Signal

operation_finished = Signal()
operation_retrying = Signal()
