"""Reads for the dashboard; each app answers for its own part."""

from memadmin.operations.selectors import operations_list
from memadmin.reviews.selectors import inbox_for

RECENT_OPERATIONS = 5


def dashboard_for(user) -> dict:
    """The signed-in user's inbox and the latest operations, each only if they may see it."""
    context: dict = {"inbox": None, "recent_operations": []}
    if user.has_perm("traitgroups.view_traitgrouprevision"):
        context["inbox"] = inbox_for(user)
    if user.has_perm("operations.view_operation"):
        context["recent_operations"] = list(operations_list()[:RECENT_OPERATIONS])
    return context
