from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site frame: layout, home page, health check, error pages."""

    name = "memadmin.web"
    label = "web"
