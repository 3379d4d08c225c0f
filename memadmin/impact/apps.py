from django.apps import AppConfig


class ImpactConfig(AppConfig):
    """What a change breaks before it goes live: the impact of a diff and its risk tier."""

    name = "memadmin.impact"
    label = "impact"
