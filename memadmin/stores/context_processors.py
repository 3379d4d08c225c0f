"""The store picked on the stores page, for every page's layout."""

from django.http import HttpRequest

from memadmin.stores.services import SESSION_KEY


def selected_store(request: HttpRequest) -> dict:
    """`{"selected_store": {"id", "display_name", "status"} or None}`, from the session only."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return {"selected_store": None}
    return {"selected_store": session.get(SESSION_KEY)}
