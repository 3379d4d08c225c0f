"""Reads for notifications: a person's preferences, the destinations, recent deliveries."""

from django.db.models import Prefetch

from memadmin.notifications.models import Delivery, DeliveryAttempt, Destination, Preference

DELIVERIES_PER_PAGE = 100


def get_preference(user) -> Preference:
    """The user's preferences, or the defaults (every kind, one e-mail each) if never saved."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def list_destinations() -> list[Destination]:
    return list(Destination.objects.only("pk", "name", "channel", "masked_url", "kinds"))


def list_recent_deliveries(*, status: str = "") -> list[Delivery]:
    """The newest deliveries with their attempts, in a fixed number of queries."""
    rows = Delivery.objects.select_related("notification", "recipient", "destination").defer(
        "destination__url", "destination__signing_secret"
    )
    if status:
        rows = rows.filter(status=status)
    attempts = Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number"))
    return list(rows.prefetch_related(attempts)[:DELIVERIES_PER_PAGE])
