from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The HTTP API for pipelines (django-ninja, under /api/) and the tokens that open it."""

    name = "memadmin.api"
    label = "api"
