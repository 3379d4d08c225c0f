"""What is worth a message: each kind of event, the one line that says it, and its page.

A line is a template whose `{placeholders}` are names (people, groups, stores); each
channel quotes them in its own markup (`messages.render_line`), so a name can never
turn into formatting, a link or a mention.
"""

from django.db import models


class Kind(models.TextChoices):
    REVIEW_REQUESTED = "review_requested", "A revision waits for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested on a revision"
    APPROVED = "approved", "A revision was approved"
    COMMENTED = "commented", "A comment on a revision"
    PUBLISHED = "published", "A revision was published"
    PUBLISH_FAILED = "publish_failed", "Publishing a revision failed"
    OPERATION_UNKNOWN = "operation_unknown", "An operation's outcome is unknown"
    DRIFT_DETECTED = "drift_detected", "A group was changed outside memadmin"
    DELETED_IN_TWILIO = "deleted_in_twilio", "A group was deleted outside memadmin"
    # For the signed audit checkpoints (not built yet): who hears of one missing.
    CHECKPOINT_MISSING = "checkpoint_missing", "An audit checkpoint is missing"
    TEST = "test", "Test message"


LINES: dict[str, str] = {
    Kind.REVIEW_REQUESTED: "{actor} asked for a review of {group} in {store}",
    Kind.CHANGES_REQUESTED: "{actor} requested changes to {group} in {store}",
    Kind.APPROVED: "{actor} approved {group} in {store}",
    Kind.COMMENTED: "{actor} commented on {group} in {store}",
    Kind.PUBLISHED: "{group} was published to {store}",
    Kind.PUBLISH_FAILED: "Publishing {group} to {store} failed",
    Kind.OPERATION_UNKNOWN: (
        "Twilio had not finished the {operation} of {group} in {store} by its deadline: "
        "the outcome is unknown"
    ),
    Kind.DRIFT_DETECTED: "{group} in {store} was changed outside memadmin",
    Kind.DELETED_IN_TWILIO: "{group} was deleted from {store} outside memadmin",
    Kind.CHECKPOINT_MISSING: "The signed audit checkpoint {checkpoint} is missing",
    Kind.TEST: "Test message from memadmin to {destination}",
}

# People choose among these on their preferences page; a test goes to one destination only.
CHOOSABLE = [kind for kind in Kind if kind != Kind.TEST]
