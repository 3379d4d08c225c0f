"""Adaptors from the operations app's signals (sent after commit) to publishing's services:
operations sits below reviews and announces; what it means for a revision is decided here.
Connected in `ReviewsConfig.ready`."""

from django.dispatch import receiver

from memadmin.operations.signals import operation_finished, operation_retrying
from memadmin.reviews import publishing


@receiver(operation_finished, dispatch_uid="reviews.operation_finished")
def on_operation_finished(sender, operation, **kwargs) -> None:
    publishing.settle_revision(operation=operation)


@receiver(operation_retrying, dispatch_uid="reviews.operation_retrying")
def on_operation_retrying(sender, operation, **kwargs) -> None:
    publishing.resume_publishing(operation=operation)
