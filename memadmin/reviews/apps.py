from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Team review of revisions: submit, approve, request changes, publish what was approved."""

    name = "memadmin.reviews"
    label = "reviews"

    def ready(self) -> None:
        # A finished operation publishes (or fails) its revision: see receivers.py.
        from memadmin.reviews import receivers  # noqa: F401
