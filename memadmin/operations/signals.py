"""Signals from the operations app to the apps above it (they must not be imported here).

- `operation_finished(sender=Operation, operation=...)`: the operation reached COMPLETED,
  FAILED or CANCELLED, or its submission was refused for good; sent after commit.
- `operation_retrying(sender=Operation, operation=...)`: a refused submission is about to
  be sent again (the Retry action), so whatever it publishes is in flight once more.
"""

from django.dispatch import Signal

operation_finished = Signal()
operation_retrying = Signal()
