from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Team review of revisions: submit, approve, request changes, publish what was approved."""

    name = "memadmin.reviews"
    label = "reviews"
