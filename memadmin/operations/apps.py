from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Tracks each Memory API write's statusUrl to a terminal state."""

    name = "memadmin.operations"
    label = "operations"
